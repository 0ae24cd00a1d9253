// sendfile.<kind>: sendfile(2) from a regular file into each socket kind,
// with a witness for whether the socket took a reference to the file's page
// cache pages (zero-copy) or copied them: the file is rewritten after
// sendfile returns and before the receiver reads.
#include "probe/families.hpp"

#include "core/errno_name.hpp"
#include "core/io.hpp"
#include "core/private_dir.hpp"
#include "core/syscalls.hpp"
#include "probe/splice_send.hpp"
#include "traffic/payload.hpp"
#include "traffic/socket_kinds.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <functional>
#include <string>
#include <vector>

namespace zc::probe {

namespace {

using nlohmann::json;

// Fits one datagram on any MTU and one page of the file with any header.
constexpr size_t payload_len = 1200;

uint32_t kind_seed(traffic::Kind kind) { return 0x5E0D0000U + static_cast<uint32_t>(kind); }

Result probe_sendfile(const Context& ctx, traffic::Kind kind)
{
    const std::string name(traffic::kind_info(kind).name);
    traffic::ChannelOutcome opened = open_channel(kind);
    if (!opened.channel) return from_errno(ctx, opened.failed_call, opened.err);
    const traffic::CloseTogether closing(*opened.channel);
    const traffic::Channel& ch = *opened.channel;

    std::vector<uint8_t> original(payload_len);
    std::vector<uint8_t> rewritten(payload_len);
    traffic::fill_payload(original, kind_seed(kind));
    traffic::fill_payload(rewritten, kind_seed(kind) ^ 0xFFFFU);
    const std::vector<uint8_t> contents = traffic::frame(ch, original);

    const std::string file_name = "sendfile-" + name + "-" + std::to_string(::getpid());
    const std::string path = ctx.tmpdir + "/" + file_name;
    Fd file;
    if (auto r = create_private_file(ctx.tmpdir, file_name, file); !r.ok()) {
        return from_errno(ctx, "create " + path, r.err);
    }
    ::unlink(path.c_str()); // the descriptor keeps it alive; nothing left behind
    if (const SysResult w = pwrite_all(file.get(), contents, 0); !w.ok()) {
        return failed("write of the temp file " + path + " failed: " + errno_text(w.err));
    }

    off_t off = 0;
    const auto csum_before = udp_csum_errors(kind);
    const SysResult sent = sys::sendfile(ch.tx.get(), file.get(), &off, contents.size());
    if (!sent.ok()) return from_errno(ctx, "sendfile into " + name + " socket", sent.err);
    // The witness: a socket that holds page references delivers these bytes.
    const SysResult rewrite = pwrite_all(file.get(), rewritten, static_cast<off_t>(ch.header_len()));
    const bool rewrote = rewrite.ok();
    const int rewrite_err = rewrite.err;
    // A datagram dropped for its checksum will not come: InCsumErrors
    // rising ends the wait (the probe runs alone, so the count is ours).
    std::function<bool()> lost;
    if (csum_before) lost = [kind, &csum_before] { const auto now = udp_csum_errors(kind); return now && *now > *csum_before; };
    const traffic::Received got = receive(ch, payload_len, ctx.wait_ms, lost);
    const auto csum_after = udp_csum_errors(kind);

    const traffic::Witness w = rewrote ? traffic::classify_witness(got.bytes, original, rewritten)
                              : (traffic::first_mismatch(original, got.bytes) ? traffic::Witness::neither : traffic::Witness::original);
    const bool verified = w != traffic::Witness::neither;
    json evidence = {{"sent", sent.value},
                     {"received", got.bytes.size()},
                     {"datagrams", ch.info->stream ? json(nullptr) : json(got.sizes.size())},
                     {"bytes_verified", verified},
                     {"witness", rewrote ? json(traffic::witness_name(w)) : json(nullptr)},
                     {"zero_copy", rewrote ? traffic::witness_zero_copy(w) : json(nullptr)}};
    traffic::note_foreign(evidence, got.foreign);

    const std::string total = std::to_string(contents.size());
    if (static_cast<size_t>(sent.value) != contents.size()) {
        return failed("sendfile into " + name + " socket sent " + std::to_string(sent.value) + " of " + total +
                          " bytes; expected all of them in one call",
                      evidence);
    }
    if (got.err != 0) {
        return failed("receive on the " + name + " receiver failed: " + errno_text(got.err), evidence);
    }
    if (got.bytes.empty() && rewrote && csum_before && csum_after && *csum_after > *csum_before) {
        // Before 6.5 (2dc334f1a63a) UDP took the file's page by reference
        // through ->sendpage (udp_sendpage -> ip_append_page), and for a
        // CHECKSUM_NONE skb ip_append_page sums the page at the call
        // (csum_page): the receiver sums our rewrite, and __udp4_lib_rcv
        // drops the datagram counting Udp.InCsumErrors (seen on Debian's
        // 5.10 and UML 5.10). The same witness splice.udp4 uses; a second
        // send without the rewrite shows that delivery itself works.
        evidence["in_csum_errors_delta"] = *csum_after - *csum_before;
        evidence["zero_copy"] = true;
        evidence["zero_copy_evidence"] = "checksum_error";
        const std::string dropped = "datagram whose file page was rewritten after sendfile returned was dropped "
                                    "with a udp checksum error (kernel still referenced the page: zero-copy)";
        off_t again = 0;
        const SysResult restore = pwrite_all(file.get(), contents, 0);
        if (!restore.ok()) return failed("rewrite of the temp file " + path + " failed: " + errno_text(restore.err));
        const SysResult second = sys::sendfile(ch.tx.get(), file.get(), &again, contents.size());
        if (!second.ok()) return from_errno(ctx, "second sendfile into " + name + " socket", second.err);
        const traffic::Received confirm = receive(ch, payload_len, ctx.wait_ms);
        const bool confirmed = confirm.err == 0 && !traffic::first_mismatch(original, confirm.bytes);
        evidence["confirm_sent"] = second.value;
        evidence["confirm_bytes_verified"] = confirmed;
        if (static_cast<size_t>(second.value) == contents.size() && confirmed) {
            return supported(dropped + "; a second sendfile without the rewrite: " + total +
                                 " bytes received and verified",
                             evidence);
        }
        return failed(dropped + "; a second sendfile without the rewrite did not verify either", evidence);
    }
    if (got.bytes.empty()) {
        return failed("sendfile into " + name + " socket returned " + total + " but the receiver got nothing within " +
                          std::to_string(ctx.wait_ms) + " ms",
                      evidence);
    }
    if (!verified) {
        const auto at = traffic::first_mismatch(original, got.bytes).value_or(0);
        return failed("receiver got " + std::to_string(got.bytes.size()) + " of " + std::to_string(payload_len) +
                          " payload bytes that match neither the original nor the rewrite (first difference at " +
                          std::to_string(at) + ")",
                      evidence);
    }
    std::string reason = std::to_string(payload_len) + " bytes sent with sendfile, received and verified; ";
    if (!rewrote) {
        reason += "rewriting the file failed (" + errno_text(rewrite_err) + "), so zero-copy is unknown";
    } else if (w == traffic::Witness::original) {
        reason += "receiver saw the bytes as they were at the call (copied)";
    } else {
        reason += std::string("receiver saw ") + (w == traffic::Witness::mixed ? "some " : "") +
                  "bytes rewritten after sendfile returned (zero-copy)";
    }
    return supported(std::move(reason), evidence);
}

bool is_unix(traffic::Kind kind) { return kind == traffic::Kind::unix_stream || kind == traffic::Kind::unix_dgram; }

} // namespace

void add_sendfile_probes(std::vector<Spec>& out)
{
    // sendfile(2) has run through splice (do_splice_direct via an internal
    // pipe) since 2.6.23, so any socket with a splice path accepts it (commit
    // id not verified). Whether the socket references the page cache pages
    // comes from 2dc334f1a63a (6.5) "splice, net: Use
    // sendmsg(MSG_SPLICE_PAGES) rather than ->sendpage()": each protocol's
    // sendmsg now decides whether to take page references or copy.
    for (const auto& k : traffic::all_kinds()) {
        const traffic::Kind kind = k.kind;
        out.push_back({"sendfile." + std::string(k.name), "sendfile",
                       "sendfile from a regular file into " + std::string(k.description),
                       "sendfile sends the whole file range in one call and the receiver gets every byte; "
                       "evidence.zero_copy says whether the socket referenced the file's pages (true) or copied them (false)",
                       k.capabilities,
                       splice_zero_copy_history(
                           kind, unidentified("2.6.23", "sendfile() reimplemented on splice; commit not verified")),
                       !is_unix(kind), // unix socketpairs send no network traffic
                       [kind](const Context& c) { return probe_sendfile(c, kind); },
                       // Its checksum witness (before 6.5) reads Udp(6)
                       // InCsumErrors, a counter of the whole namespace.
                       kind == traffic::Kind::udp4 || kind == traffic::Kind::udp6 ? Sharing::alone : Sharing::shared});
    }
}

} // namespace zc::probe
