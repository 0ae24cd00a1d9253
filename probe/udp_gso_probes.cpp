// UDP generic segmentation offload: one large send (or one splice) that the
// kernel cuts into gso_size datagrams. On lo the receiver gets the segments
// as separate datagrams (it has no UDP_GRO), so their sizes show whether the
// kernel segmented what we handed it.
#include "probe/families.hpp"
#include "probe/splice_send.hpp"

#include "core/errno_name.hpp"
#include "core/fd.hpp"
#include "core/page_buffer.hpp"
#include "core/syscalls.hpp"
#include "traffic/payload.hpp"
#include "traffic/socket_kinds.hpp"

#include <netinet/udp.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <algorithm>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace zc::probe {

namespace {

constexpr size_t gso_size = 1000;

// Sizes of the datagrams a send of total bytes should come out as.
std::vector<size_t> expected_sizes(size_t total)
{
    std::vector<size_t> out;
    for (size_t done = 0; done < total; done += gso_size) out.push_back(std::min(gso_size, total - done));
    return out;
}

// The udp4 pair with UDP_SEGMENT set, or the result that explains why not.
struct GsoChannel {
    std::optional<traffic::Channel> channel;
    std::optional<Result> failure;
};

GsoChannel open_gso_channel(const Context& ctx, const nlohmann::json& ev)
{
    GsoChannel out;
    auto oc = traffic::open_channel(traffic::Kind::udp4);
    if (!oc.channel) {
        out.failure = from_errno(ctx, oc.failed_call, oc.err, {}, ev);
        return out;
    }
    if (auto r = sys::setsockopt_int(oc.channel->tx.get(), SOL_UDP, UDP_SEGMENT, static_cast<int>(gso_size));
        !r.ok()) {
        out.failure = from_errno(ctx, "setsockopt(SOL_UDP, UDP_SEGMENT) on a udp4 socket", r.err,
                                 r.err == ENOPROTOOPT ? "the kernel lacks udp gso (added in 4.18)" : "", ev);
        return out;
    }
    out.channel = std::move(oc.channel);
    return out;
}

// sendmsg() with UDP_SEGMENT as a per-call cmsg (2e8de8576343 "udp: add gso
// segment cmsg", same release as the socket option).
SysResult send_with_gso_cmsg(int fd, std::span<const uint8_t> payload)
{
    iovec iov{const_cast<uint8_t*>(payload.data()), payload.size()};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(uint16_t))] = {};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    cmsghdr* cm = CMSG_FIRSTHDR(&msg);
    cm->cmsg_level = SOL_UDP;
    cm->cmsg_type = UDP_SEGMENT;
    cm->cmsg_len = CMSG_LEN(sizeof(uint16_t));
    const uint16_t size = gso_size;
    std::memcpy(CMSG_DATA(cm), &size, sizeof size);
    return sys_result(::sendmsg(fd, &msg, 0));
}

bool segmented_as_expected(const traffic::Received& got, std::span<const uint8_t> expected)
{
    return got.sizes == expected_sizes(expected.size()) && !traffic::first_mismatch(expected, got.bytes);
}

// The cmsg form on the same pair with the socket option cleared, so only
// the cmsg can cause segmentation. null: not tried or inconclusive.
void try_cmsg_form(const traffic::Channel& ch, std::span<const uint8_t> payload, nlohmann::json& ev, int wait_ms)
{
    if (!sys::setsockopt_int(ch.tx.get(), SOL_UDP, UDP_SEGMENT, 0).ok()) return;
    const SysResult r = send_with_gso_cmsg(ch.tx.get(), payload);
    ev["cmsg_accepted"] = r.ok();
    if (!r.ok()) {
        ev["cmsg_errno"] = errno_name(r.err).value_or(std::to_string(r.err));
        return;
    }
    const traffic::Received got = receive(ch, payload.size(), wait_ms);
    ev["cmsg_segmented"] = segmented_as_expected(got, payload);
}

Result run_gso(const Context& ctx)
{
    nlohmann::json ev = {{"gso_size", gso_size},     {"sent", nullptr},          {"datagrams", nullptr},
                         {"sizes", nullptr},         {"bytes_verified", false},  {"cmsg_accepted", nullptr},
                         {"cmsg_segmented", nullptr}};
    GsoChannel gc = open_gso_channel(ctx, ev);
    if (!gc.channel) return *gc.failure;
    const traffic::Channel& ch = *gc.channel;

    std::vector<uint8_t> payload(3 * gso_size + gso_size / 2);
    traffic::fill_pattern(payload, 0x6500U);
    const SysResult sent = sys_result(::send(ch.tx.get(), payload.data(), payload.size(), 0));
    if (!sent.ok()) return from_errno(ctx, "send() with UDP_SEGMENT on a udp4 socket", sent.err, {}, ev);
    ev["sent"] = sent.value;
    const traffic::Received got = receive(ch, payload.size(), ctx.wait_ms);
    ev["datagrams"] = got.sizes.size();
    ev["sizes"] = got.sizes;
    if (got.err != 0) return from_errno(ctx, "recv() on the udp4 receiver", got.err, {}, ev);
    const bool ok = segmented_as_expected(got, payload);
    ev["bytes_verified"] = ok;
    try_cmsg_form(ch, payload, ev, ctx.wait_ms);

    if (!ok) {
        return failed("one " + std::to_string(payload.size()) + "-byte send with UDP_SEGMENT " +
                          std::to_string(gso_size) + " arrived as datagrams of " + traffic::join_sizes(got.sizes) +
                          ", expected " + traffic::join_sizes(expected_sizes(payload.size())),
                      ev);
    }
    return supported("one " + std::to_string(payload.size()) + "-byte send came out as datagrams of " +
                         traffic::join_sizes(got.sizes) + ", verified; per-call cmsg " +
                         (ev["cmsg_accepted"] == true ? "accepted" : "not accepted"),
                     ev);
}

Result run_gso_splice(const Context& ctx)
{
    constexpr size_t segments = 4;
    constexpr size_t len = segments * gso_size;
    nlohmann::json ev = {{"gso_size", gso_size}, {"spliced", nullptr}, {"datagrams", nullptr}, {"sizes", nullptr},
                         {"bytes_verified", false}, {"witness", nullptr}, {"zero_copy", nullptr}};
    GsoChannel gc = open_gso_channel(ctx, ev);
    if (!gc.channel) return *gc.failure;
    const traffic::Channel& ch = *gc.channel;

    // Start mid-page so the payload spans two pages and a segment straddles
    // the page boundary, whatever the page size.
    const size_t page = page_size();
    const size_t start = page > 2 * gso_size + gso_size / 2 ? page - 2 * gso_size - gso_size / 2 : 0;
    PageBuffer buf(start + len);
    const std::span<uint8_t> src = buf.span().subspan(start, len);
    traffic::fill_pattern(src, 0x6600U);
    const std::vector<uint8_t> original(src.begin(), src.end());

    // vmsplice, or write() where a policy refuses vmsplice (fill_pipe).
    const PipeFill fill = fill_pipe(src);
    note_pipe_fill(ev, fill);
    if (!fill.ok() && fill.err != 0) return from_errno(ctx, fill.failed_call + " of the payload", fill.err, {}, ev);
    if (!fill.ok()) {
        return failed(fill.failed_call + " took " + std::to_string(fill.moved) + " of " + std::to_string(len) + " bytes",
                      ev);
    }
    const SysResult sr = sys::splice(fill.pipe.read.get(), nullptr, ch.tx.get(), nullptr, len, 0);
    if (!sr.ok()) return from_errno(ctx, "splice into a udp4 socket with UDP_SEGMENT", sr.err, {}, ev);
    ev["spliced"] = sr.value;

    // The witness: rewrite the user pages before the receiver reads; only
    // when the pipe references them (after write() it holds copies).
    std::vector<uint8_t> overwritten = original;
    if (fill.user_pages()) {
        traffic::fill_pattern(overwritten, 0x6680U);
        std::memcpy(src.data(), overwritten.data(), len);
    }

    const traffic::Received got = receive(ch, len, ctx.wait_ms);
    ev["datagrams"] = got.sizes.size();
    ev["sizes"] = got.sizes;
    if (got.err != 0) return from_errno(ctx, "recv() on the udp4 receiver", got.err, {}, ev);
    const traffic::Witness w = traffic::classify_witness(got.bytes, original, overwritten);
    ev["witness"] = fill.user_pages() ? nlohmann::json(traffic::witness_name(w)) : nlohmann::json(nullptr);
    ev["zero_copy"] = fill.user_pages() ? traffic::witness_zero_copy(w) : nlohmann::json(nullptr);
    const bool verified = w != traffic::Witness::neither;
    ev["bytes_verified"] = verified;

    if (static_cast<size_t>(sr.value) != len) {
        return failed("one splice of " + std::to_string(len) + " bytes into a udp4 socket moved " +
                          std::to_string(sr.value),
                      ev);
    }
    if (!verified) {
        return failed("spliced udp datagrams arrived corrupted (" + traffic::join_sizes(got.sizes) + ")", ev);
    }
    if (got.sizes == std::vector<size_t>{len}) {
        return unsupported("one splice of " + std::to_string(len) +
                               " bytes arrived as a single datagram; the kernel does not apply UDP_SEGMENT "
                               "to spliced data",
                           ev);
    }
    if (got.sizes != expected_sizes(len)) {
        return failed("one splice of " + std::to_string(len) + " bytes with UDP_SEGMENT " + std::to_string(gso_size) +
                          " arrived as datagrams of " + traffic::join_sizes(got.sizes),
                      ev);
    }
    const std::string how = !fill.user_pages()          ? pipe_fill_phrase(fill)
                            : w == traffic::Witness::original ? "; receiver saw the bytes from splice time (copied)"
                                                              : "; receiver saw bytes rewritten after splice returned (zero-copy)";
    return supported("one " + std::to_string(len) + "-byte splice came out as " + std::to_string(segments) +
                         " datagrams of " + std::to_string(gso_size) + ", verified" + how,
                     ev);
}

} // namespace

void add_udp_gso_probes(std::vector<Spec>& out)
{
    // 4.18, bec1f6f69736 "udp: generate gso with UDP_SEGMENT": one send of
    // up to 64 KB leaves as gso_size datagrams.
    out.push_back(Spec{
        .id = "udp.gso",
        .section = "udp",
        .title = "UDP GSO (UDP_SEGMENT)",
        .supported_means = "one send() with UDP_SEGMENT arrives as gso_size datagrams with the right bytes",
        .capabilities = {},
        .history = {change(kc::udp_segment, "one send leaves as gso_size datagrams", expect(Status::supported))},
        .needs_netns = true,
        .run = run_gso,
    });
    // Spliced pages went through udp_sendpage() and were segmented by the
    // socket's gso_size from 4.18 on (5.10 shows it, pages referenced); in
    // 6.5, 7ac7c987850c "udp: Convert udp_sendpage() to use
    // MSG_SPLICE_PAGES", splice into UDP goes through udp_sendmsg, where
    // the gso_size applies to the spliced pages, still referenced.
    out.push_back(Spec{
        .id = "udp.gso_splice",
        .section = "udp",
        .title = "UDP GSO of spliced data",
        .supported_means = "one splice() into a udp socket with UDP_SEGMENT arrives as gso_size datagrams "
                           "with the right bytes",
        .capabilities = {},
        .history = {change(kc::udp_segment, "spliced pages leave as gso_size datagrams, referenced",
                           expect(Status::supported, "zero_copy", true)),
                    change(kc::udp_sendpage_to_splice, "splice reaches udp_sendmsg with MSG_SPLICE_PAGES, still "
                                                       "referenced",
                           expect(Status::supported, "zero_copy", true))},
        .needs_netns = true,
        .run = run_gso_splice,
    });
}

} // namespace zc::probe
