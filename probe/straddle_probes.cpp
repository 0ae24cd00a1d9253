// splice_straddle.<kind>: one packet laid across a page boundary, vmspliced
// as one iovec (so the pipe holds two buffers) and moved by ONE splice().
// Whether it leaves as one datagram depends on whether the kernel hands both
// pipe buffers to one sendmsg() or sends each buffer on its own.
#include "probe/families.hpp"

#include "core/cpu_pin.hpp"
#include "core/errno_name.hpp"
#include "core/page_buffer.hpp"
#include "probe/splice_send.hpp"
#include "traffic/payload.hpp"
#include "traffic/socket_kinds.hpp"

#include <numeric>
#include <string>

namespace zc::probe {

namespace {

constexpr size_t payload_len = 600;
constexpr size_t bytes_before_boundary = 300; // frame starts this far before the end of page 0
constexpr uint32_t payload_seed = 0x57AD;

// "whole", "split", "truncated" for datagrams; "stream" for byte streams.
std::string outcome_of(const traffic::Channel& ch, const SpliceRun& run, const traffic::Received& rx)
{
    if (ch.info->stream) return "stream";
    const bool spliced_all = run.spliced >= 0 && static_cast<size_t>(run.spliced) == run.frame_len;
    if (!spliced_all || rx.bytes.size() != payload_len) return "truncated";
    return rx.sizes.size() == 1 ? "whole" : "split";
}

Result probe_straddle(const Context& ctx, traffic::Kind kind)
{
    traffic::ChannelOutcome opened = open_channel(kind);
    if (!opened.channel) return channel_failure(ctx, opened);
    const traffic::CloseTogether closing(*opened.channel);
    const traffic::Channel& ch = *opened.channel;

    const size_t offset = page_size() - bytes_before_boundary;
    // The splice and the end marker leave from one CPU (see marked below).
    CpuPin pin;
    const SpliceRun run = splice_frame(ch, {.offset = offset, .payload_len = payload_len, .seed = payload_seed});
    const bool marked = !ch.info->stream && pin.held() && run.ok() && traffic::send_end_marker(ch) == 0;
    pin.release();
    nlohmann::json e = {
        {"frame_offset_in_page", offset},
        {"frame_len", run.frame_len},
        // vmsplice makes one pipe buffer per page the iovec touches (and
        // fill_pipe's write() fallback one per piece, the same count)
        {"pipe_buffers", (offset + run.frame_len + page_size() - 1) / page_size()},
        {"spliced", run.spliced >= 0 ? nlohmann::json(run.spliced) : nlohmann::json(nullptr)},
    };
    note_pipe_fill(e, run);
    if (!run.ok()) return splice_run_failure(ctx, run, std::move(e));

    // Before 6.5 the raw4_hdrincl and packet_raw frames arrive cut at the
    // first pipe buffer and the rest never comes in a form the receiver
    // keeps, so waiting for payload_len bytes ran into the whole wait_ms.
    // The end marker, sent after splice() returned, ends the wait instead:
    // every datagram the splice makes is handed to the device inside the
    // splice() call (pipe_to_sendpage() -> kernel_sendmsg() before 6.5, one
    // sendmsg(MSG_SPLICE_PAGES) since), and lo has no qdisc (IFF_NO_QUEUE)
    // so __dev_queue_xmit() calls loopback_xmit() at once, which queues the
    // skb on a per-CPU backlog (__netif_rx() -> netif_rx_internal() ->
    // enqueue_to_backlog(), the sending CPU, or with RPS the CPU of the
    // flow's hash, the same for our frames and the marker, and RFS moves a
    // flow only once its old queue is drained past its last packet). Each
    // backlog is a FIFO that process_backlog() delivers in order to raw_rcv()
    // / packet_rcv(), which append to the socket's queue. The thread is
    // pinned (CpuPin) so the splice's datagrams and the marker enter the
    // same backlog; what arrives before the marker is all that ever comes.
    // A datagram dropped on the way is dropped in either wait, and a lost
    // marker leaves wait_ms as the bound. Verified in torvalds/linux at
    // 00d066a4d4ed (drivers/net/loopback.c, net/core/dev.c); 5.10 and 6.1
    // call netif_rx() there, which reaches the same enqueue_to_backlog().
    // Streams keep waiting for the bytes: a marker would join the data.
    const traffic::Received rx =
        marked ? traffic::receive_to_marker(ch, ctx.wait_ms) : receive(ch, payload_len, ctx.wait_ms);
    const auto mismatch = traffic::first_mismatch(run.original, rx.bytes);
    const std::string outcome = outcome_of(ch, run, rx);
    e["outcome"] = outcome;
    e["received"] = rx.bytes.size();
    e["datagrams"] = rx.sizes.size();
    e["sizes"] = rx.sizes;
    traffic::note_foreign(e, rx.foreign);
    if (!ch.info->stream) e["ended_by"] = rx.ended_by_marker ? "marker" : (rx.timed_out ? "timeout" : "bytes");
    e["bytes_verified"] = !mismatch.has_value();
    if (mismatch) e["mismatch_at"] = *mismatch;
    if (rx.err != 0) {
        return failed("receive from " + std::string(ch.info->name) + " socket failed: " + errno_text(rx.err) +
                          "; unexpected errno, verdict inconclusive",
                      std::move(e));
    }

    const std::string packet = "a " + std::to_string(run.frame_len) + "-byte frame straddling a page boundary";
    const std::string unit = ch.info->stream ? " read" : " datagram";
    const std::string got = std::to_string(rx.bytes.size()) + " of " + std::to_string(payload_len) +
                            " payload bytes in " + std::to_string(rx.sizes.size()) + unit +
                            (rx.sizes.size() == 1 ? "" : "s") + " (" + traffic::join_sizes(rx.sizes) + ")";
    if (run.spliced >= 0 && static_cast<size_t>(run.spliced) < run.frame_len) {
        return unsupported(splice_into(ch) + " returned " + std::to_string(run.spliced) + " of " +
                               std::to_string(run.frame_len) + " bytes for " + packet + "; receiver got " + got,
                           std::move(e));
    }
    if (outcome == "whole" || outcome == "stream") {
        if (!mismatch) {
            return supported(packet + " spliced whole; receiver got " + got + ", verified" +
                                 (run.pipe_filled_by == "write" ? "; the pipe was filled by write() (two packet-mode "
                                                                  "buffers) because vmsplice was refused (" +
                                                                      errno_text(run.vmsplice_err) + ")"
                                                                : std::string()),
                             std::move(e));
        }
        if (rx.bytes.empty()) {
            return failed(splice_into(ch) + " sent " + std::to_string(run.spliced) + " bytes but nothing arrived within " +
                              std::to_string(ctx.wait_ms) + " ms; verdict inconclusive",
                          std::move(e));
        }
        return failed(packet + ": receiver got " + got + " that differ from the spliced bytes at offset " +
                          std::to_string(*mismatch),
                      std::move(e));
    }
    if (outcome == "split") {
        return unsupported(packet + " left as several datagrams: receiver got " + got +
                               "; one splice of two pipe buffers became several sends",
                           std::move(e));
    }
    if (rx.bytes.empty()) {
        return failed(splice_into(ch) + " sent " + std::to_string(run.spliced) + " bytes but nothing arrived within " +
                          std::to_string(ctx.wait_ms) + " ms; verdict inconclusive",
                      std::move(e));
    }
    return unsupported(packet + " arrived truncated: receiver got " + got, std::move(e));
}

// What the outcome was before 6.5 (see below): udp4's sendpage corked the
// buffers into one datagram; udp6, raw, packet and unix datagram sockets
// sent each buffer as its own datagram (split), and the sockets whose
// first buffer must hold the whole header (raw4 with IP_HDRINCL, packet
// raw) cut the frame at the first buffer (truncated), as the 5.10 and 6.1
// kernels of the matrix show.
History straddle_history(traffic::Kind kind, bool stream)
{
    using traffic::Kind;
    Change splice = change(kc::splice_syscall, "splice(2) into a socket through ->sendpage, one pipe buffer a call");
    if (stream) {
        splice.predicts = expect(Status::supported, "outcome", "stream");
        return {splice};
    }
    if (kind == Kind::udp4) {
        splice.predicts = expect(Status::supported, "outcome", "whole");
        return {splice};
    }
    const bool cut = kind == Kind::raw4_hdrincl || kind == Kind::packet_raw;
    splice.predicts = expect(Status::unsupported, "outcome", cut ? "truncated" : "split");
    return {splice, change(kc::splice_to_sendmsg, "one sendmsg(MSG_SPLICE_PAGES) carries every pipe buffer: the "
                                                  "straddling datagram is sent whole",
                           expect(Status::supported, "outcome", "whole"))};
}

} // namespace

// Since 6.5 splice_to_socket() gathers up to 16 pipe buffers into one bvec
// and makes one sendmsg(MSG_SPLICE_PAGES) call (2dc334f1a63a, "splice, net:
// Use sendmsg(MSG_SPLICE_PAGES) rather than ->sendpage()"), so a datagram
// that spans two pipe buffers stays one datagram. Before it, pipe_to_sendpage()
// sent each buffer separately: UDP corked them with MSG_MORE, but sockets
// without ->sendpage (raw, packet, unix dgram) sent each buffer as its own
// datagram.
void add_straddle_probes(std::vector<Spec>& out)
{
    for (const traffic::KindInfo& k : traffic::all_kinds()) {
        const traffic::Kind kind = k.kind;
        out.push_back(Spec{
            .id = "splice_straddle." + std::string(k.name),
            .section = "splice_straddle",
            .title = "one splice of a packet straddling a page boundary into " + std::string(k.description),
            .supported_means = k.stream
                                   ? "a frame vmspliced across a page boundary (two pipe buffers) is sent by one "
                                     "splice() and all its bytes arrive intact"
                                   : "a frame vmspliced across a page boundary (two pipe buffers) is sent by one "
                                     "splice() as one datagram with all its bytes intact",
            .capabilities = k.capabilities,
            .history = straddle_history(kind, k.stream),
            .needs_netns = true,
            .run = [kind](const Context& ctx) { return probe_straddle(ctx, kind); },
            // Before 6.5 raw and packet sockets send the straddling frame as
            // two datagrams, and the second carries no run tag: every raw or
            // packet receiver in the namespace keeps it (payload.hpp
            // is_foreign), so another probe's receiver would count it, and
            // another straddle probe's continuation would count here.
            .sharing = traffic::shares_traffic(kind) ? Sharing::alone : Sharing::shared,
        });
    }
}

} // namespace zc::probe
