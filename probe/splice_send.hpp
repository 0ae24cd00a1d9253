// The path the splice and splice_straddle families measure: a frame laid into
// page-aligned user memory, vmspliced into a pipe (so the pipe references our
// pages), then ONE splice() from the pipe into a channel's sender.
#pragma once

#include "core/page_buffer.hpp"
#include "probe/probe.hpp"
#include "traffic/payload.hpp"
#include "traffic/socket_kinds.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace zc::probe {

struct SpliceRequest {
    size_t offset = 0;      // where the frame starts in the user pages
    size_t payload_len = 0; // bytes after the protocol header
    uint32_t seed = 1;      // fill_pattern seed of the payload
    // Rewrite the payload in the user pages right after splice() returns and
    // before the receiver reads: the zero-copy witness.
    bool rewrite = false;
};

struct SpliceRun {
    PageBuffer pages;
    size_t frame_len = 0;              // header + payload: what splice() was asked for
    std::vector<uint8_t> original;     // payload as spliced
    std::vector<uint8_t> overwritten;  // payload after the rewrite; empty without one
    long vmspliced = -1;
    long spliced = -1; // what splice() returned; -1 when it failed or was not reached
    // A step that failed: its description (for from_errno) and errno. err 0
    // with a description means a short vmsplice.
    std::string failed_call;
    int err = 0;

    [[nodiscard]] bool ok() const noexcept { return failed_call.empty(); }
};

// Lays header + payload at req.offset in fresh pages, vmsplices exactly that
// range as one iovec (flags 0) into a fresh pipe, splices frame_len bytes
// once into ch.tx, and rewrites the payload if asked. Never blocks on a
// short splice: leftovers stay in the pipe and are dropped with it.
SpliceRun splice_frame(const traffic::Channel& ch, const SpliceRequest& req);

// The verdict for a run whose failed_call is set.
Result splice_run_failure(const Context& ctx, const SpliceRun& run, nlohmann::json evidence);

// The verdict for a channel that could not be opened.
Result channel_failure(const Context& ctx, const traffic::ChannelOutcome& opened);

// The kernel's count of UDP datagrams dropped for a bad checksum in this
// namespace (Udp.InCsumErrors or Udp6InCsumErrors); std::nullopt for other
// kinds or where the counter is missing.
std::optional<int64_t> udp_csum_errors(traffic::Kind kind);

// "splice into udp4 socket"
std::string splice_into(const traffic::Channel& ch);

// What the splice and sendfile families' zero_copy shows per socket kind,
// oldest first, starting from `first` (the change that brought the path):
// before 6.5 ->sendpage decided (tcp and udp4 referenced the pages; udp6,
// raw, packet and unix datagram sockets fell back to sock_no_sendpage and
// copied); from 6.5 each protocol's sendmsg(MSG_SPLICE_PAGES) decides, and
// udp6 joined udp4 in referencing the pages.
History splice_zero_copy_history(traffic::Kind kind, Change first);

} // namespace zc::probe
