// splice.<kind>: the seed technique end to end. A frame is vmspliced from
// user pages into a pipe and ONE splice() moves it into the socket; the
// receiver in the same namespace checks the bytes. Rewriting the payload
// right after splice() returns tells a copy (receiver sees the old bytes)
// from a reference to our pages (receiver sees the new ones). Where a policy
// refuses vmsplice, write() fills the pipe: splice into the socket is still
// measured, zero_copy is then null (pipe.vmsplice keeps vmsplice's verdict).
#include "probe/families.hpp"

#include "core/errno_name.hpp"
#include "probe/splice_send.hpp"
#include "traffic/payload.hpp"
#include "traffic/socket_kinds.hpp"

#include <functional>
#include <optional>
#include <string>

namespace zc::probe {

namespace {

// Within one page, so the pipe holds a single buffer.
constexpr size_t payload_len = 1000;
constexpr uint32_t payload_seed = 0x5011CE;

struct Attempt {
    SpliceRun run;
    traffic::Received rx;
    traffic::Witness witness = traffic::Witness::neither;
    bool csum_errors_rose = false;
    std::optional<int64_t> csum_delta; // udp kinds only
};

Attempt attempt(const traffic::Channel& ch, bool rewrite, int wait_ms)
{
    Attempt a;
    const auto before = udp_csum_errors(ch.info->kind);
    a.run = splice_frame(ch, {.offset = 0, .payload_len = payload_len, .seed = payload_seed, .rewrite = rewrite});
    if (!a.run.ok()) return a;
    // A datagram dropped for its checksum will not come: InCsumErrors
    // rising ends the wait (the probe runs alone, so the count is ours).
    const traffic::Kind kind = ch.info->kind;
    std::function<bool()> lost;
    if (before) lost = [kind, &before] { const auto now = udp_csum_errors(kind); return now && *now > *before; };
    a.rx = traffic::receive(ch, payload_len, wait_ms, lost);
    const auto after = udp_csum_errors(ch.info->kind);
    if (before && after) {
        a.csum_delta = *after - *before;
        a.csum_errors_rose = *after > *before;
    }
    // No rewrite when write() filled the pipe (its pages are not ours): the
    // bytes are checked against the original only.
    const auto& later = rewrite && !a.run.overwritten.empty() ? a.run.overwritten : a.run.original;
    a.witness = traffic::classify_witness(a.rx.bytes, a.run.original, later);
    return a;
}

// Every byte is the original or the rewritten one, at full length.
bool verified(const Attempt& a)
{
    return a.witness != traffic::Witness::neither;
}

bool spliced_whole(const Attempt& a)
{
    return a.run.spliced >= 0 && static_cast<size_t>(a.run.spliced) == a.run.frame_len;
}

nlohmann::json evidence_of(const Attempt& a)
{
    nlohmann::json e = {
        {"frame_len", a.run.frame_len},
        {"spliced", a.run.spliced >= 0 ? nlohmann::json(a.run.spliced) : nlohmann::json(nullptr)},
        {"received", a.rx.bytes.size()},
        {"datagrams", a.rx.sizes.size()},
        {"bytes_verified", verified(a)},
        {"witness", traffic::witness_name(a.witness)},
        {"zero_copy", traffic::witness_zero_copy(a.witness)},
        {"zero_copy_evidence", a.witness == traffic::Witness::neither ? nlohmann::json(nullptr) : nlohmann::json("witness")},
    };
    if (a.csum_delta) e["in_csum_errors_delta"] = *a.csum_delta;
    traffic::note_foreign(e, a.rx.foreign);
    note_pipe_fill(e, a.run);
    if (a.run.pipe_filled_by == "write") {
        // Matching bytes show delivery, not a copy: nothing was rewritten.
        e["witness"] = nullptr;
        e["zero_copy"] = nullptr;
        e["zero_copy_evidence"] = nullptr;
    }
    return e;
}

std::string witness_phrase(traffic::Witness w)
{
    switch (w) {
    case traffic::Witness::overwritten: return "receiver saw bytes rewritten after splice returned (zero-copy)";
    case traffic::Witness::mixed: return "receiver saw part of the bytes rewritten after splice returned (zero-copy, partly)";
    case traffic::Witness::original: return "receiver saw the bytes as spliced, not the later rewrite (copied)";
    case traffic::Witness::neither: break;
    }
    return "receiver's bytes match neither version";
}

std::string size_phrase(const Attempt& a)
{
    return std::to_string(a.run.spliced) + " bytes spliced, " + std::to_string(payload_len) + " payload bytes";
}

// A UDP datagram that vanished while InCsumErrors rose: the kernel summed the
// bytes we spliced, the receiver summed our rewrite, so the skb still pointed
// at our page. Confirm delivery itself works with a second, unrewritten send.
Result checksum_witness(const Context& ctx, const traffic::Channel& ch, const Attempt& first)
{
    nlohmann::json e = evidence_of(first);
    e["zero_copy"] = true;
    e["zero_copy_evidence"] = "checksum_error";
    const Attempt second = attempt(ch, false, ctx.wait_ms);
    e["confirm_spliced"] = second.run.spliced >= 0 ? nlohmann::json(second.run.spliced) : nlohmann::json(nullptr);
    e["confirm_bytes_verified"] = verified(second);
    const std::string dropped = "datagram rewritten after splice returned was dropped with a udp checksum error "
                                "(kernel still referenced our page: zero-copy)";
    if (!second.run.ok()) return splice_run_failure(ctx, second.run, std::move(e));
    if (spliced_whole(second) && verified(second)) {
        return supported(dropped + "; a second splice without the rewrite: " + size_phrase(second) +
                             " received and verified",
                         std::move(e));
    }
    return failed(dropped + "; a second splice without the rewrite did not verify either", std::move(e));
}

Result probe_splice(const Context& ctx, traffic::Kind kind)
{
    traffic::ChannelOutcome opened = open_channel(kind);
    if (!opened.channel) return channel_failure(ctx, opened);
    const traffic::CloseTogether closing(*opened.channel);
    const traffic::Channel& ch = *opened.channel;

    const Attempt a = attempt(ch, true, ctx.wait_ms);
    nlohmann::json e = evidence_of(a);
    if (!a.run.ok()) return splice_run_failure(ctx, a.run, std::move(e));
    if (a.rx.err != 0) {
        return failed("receive from " + std::string(ch.info->name) + " socket failed: " + errno_text(a.rx.err) +
                          "; unexpected errno, verdict inconclusive",
                      std::move(e));
    }
    if (!spliced_whole(a)) {
        return unsupported(splice_into(ch) + " returned " + std::to_string(a.run.spliced) + " of " +
                               std::to_string(a.run.frame_len) + " bytes; one splice did not send the frame whole",
                           std::move(e));
    }
    if (verified(a) && a.run.pipe_filled_by == "write") {
        return supported(size_phrase(a) + " received and verified" + pipe_fill_phrase(a.run), std::move(e));
    }
    if (verified(a)) {
        return supported(size_phrase(a) + " received and verified; " + witness_phrase(a.witness), std::move(e));
    }
    if (a.rx.bytes.empty() && a.csum_errors_rose) return checksum_witness(ctx, ch, a);
    if (a.rx.bytes.empty()) {
        return failed(splice_into(ch) + " sent " + std::to_string(a.run.spliced) + " bytes but nothing arrived within " +
                          std::to_string(ctx.wait_ms) + " ms; verdict inconclusive",
                      std::move(e));
    }
    const auto at = traffic::first_mismatch(a.run.original, a.rx.bytes).value_or(0);
    e["mismatch_at"] = at;
    return failed("received " + std::to_string(a.rx.bytes.size()) + " payload bytes in " +
                      std::to_string(a.rx.sizes.size()) + " reads that match neither the spliced nor the rewritten "
                      "bytes (first difference at offset " + std::to_string(at) + ")",
                  std::move(e));
}

} // namespace

// splice(2) into any socket came with sys_splice in 2.6.17 (5274f052e7b3):
// pipe_to_sendpage() gave each pipe buffer to ->sendpage, and protocols
// without one fell back to sock_no_sendpage(), which copies. Since 6.5
// splice_to_socket() calls sendmsg(MSG_SPLICE_PAGES) instead (2dc334f1a63a,
// "splice, net: Use sendmsg(MSG_SPLICE_PAGES) rather than ->sendpage()"), and
// what zero_copy shows depends on whether the protocol honours the flag:
// tcp 270a1c3de47e "tcp: Support MSG_SPLICE_PAGES", udp4 7da0dde68486
// "ip, udp: Support MSG_SPLICE_PAGES", udp6 6d8192bd69bb "ip6, udp6: Support
// MSG_SPLICE_PAGES", unix stream a0dbf5f818f9 "af_unix: Support
// MSG_SPLICE_PAGES"; raw and packet sockets ignore it and copy.
void add_splice_probes(std::vector<Spec>& out)
{
    for (const traffic::KindInfo& k : traffic::all_kinds()) {
        const traffic::Kind kind = k.kind;
        out.push_back(Spec{
            .id = "splice." + std::string(k.name),
            .section = "splice",
            .title = "splice from a vmspliced pipe into " + std::string(k.description),
            .supported_means = "one splice() moves a frame vmspliced from user pages (" + std::to_string(payload_len) +
                               " payload bytes) into the socket whole and the receiver gets the bytes intact; "
                               "zero_copy tells whether the kernel still referenced the user pages (null when a "
                               "policy refused vmsplice and write() filled the pipe: pipe_filled_by says which)",
            .capabilities = k.capabilities,
            .history = splice_zero_copy_history(
                kind, change(kc::splice_syscall, "splice(2) into a socket through ->sendpage, one pipe buffer a call")),
            .needs_netns = true,
            .run = [kind](const Context& ctx) { return probe_splice(ctx, kind); },
            // The UDP checksum witness reads Udp(6) InCsumErrors, a counter of
            // the whole namespace: another probe's dropped datagram would
            // read as ours (checksum_witness).
            .sharing = kind == traffic::Kind::udp4 || kind == traffic::Kind::udp6 ? Sharing::alone : Sharing::shared,
        });
    }
}

} // namespace zc::probe
