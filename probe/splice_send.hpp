// The path the splice and splice_straddle families measure: a frame laid into
// page-aligned user memory, vmspliced into a pipe (so the pipe references our
// pages), then ONE splice() from the pipe into a channel's sender. Where a
// policy refuses vmsplice (Podman's seccomp profile does, with EPERM) the
// pipe is filled by write() instead, so splice into the socket still gets a
// verdict; what zero_copy could then show is said in the evidence.
#pragma once

#include "core/fd.hpp"
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

// How bytes got into a pipe: vmsplice (the pipe references the user pages)
// or, where a policy refused vmsplice, write() (the pipe's own pages).
struct PipeFill {
    Pipe pipe;
    std::string by;       // "vmsplice" or "write"; empty when filling failed
    int vmsplice_err = 0; // vmsplice's errno when refused and write() filled the pipe
    long moved = -1;      // bytes the filling call(s) took
    std::string failed_call; // set when filling failed (err 0: a short vmsplice or write)
    int err = 0;

    [[nodiscard]] bool ok() const noexcept { return failed_call.empty(); }
    [[nodiscard]] bool user_pages() const noexcept { return by == "vmsplice"; }
};

// True for the errnos that mean a policy refused vmsplice(2): it exists in
// every kernel since 2.6.17 and never answers EPERM, EACCES or ENOSYS itself,
// so these come from a seccomp filter (Podman's profile: EPERM) or an LSM.
bool vmsplice_refused_by_policy(int err) noexcept;

// Puts `bytes` (user memory) into a fresh pipe as one vmsplice iovec: one
// pipe buffer per page the range touches, each referencing our page. If a
// policy refuses vmsplice, a fresh packet-mode pipe (O_DIRECT) gets one
// write() per such page piece instead: pipe_write() then never merges
// writes (it sets PIPE_BUF_FLAG_PACKET, not PIPE_BUF_FLAG_CAN_MERGE; fs/pipe.c
// since 9883035ae7ed "pipes: add a "packetized pipe" mode for writing",
// 3.4), so the pipe holds the same number of buffers of the same lengths as
// vmsplice gives, in pages of its own.
PipeFill fill_pipe(std::span<const uint8_t> bytes);

// Evidence of how the pipe was filled: pipe_filled_by, and vmsplice's
// refusal when write() stood in.
void note_pipe_fill(nlohmann::json& evidence, const PipeFill& fill);

// "; the pipe was filled by write() because vmsplice was refused (EPERM), so
// zero_copy of user pages was not measured" or "" when vmsplice filled it.
std::string pipe_fill_phrase(const PipeFill& fill);

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
    std::string pipe_filled_by;        // "vmsplice" or "write" (vmsplice refused)
    int vmsplice_err = 0;              // the refusal when write() filled the pipe
    long vmspliced = -1;
    long spliced = -1; // what splice() returned; -1 when it failed or was not reached
    // A step that failed: its description (for from_errno) and errno. err 0
    // with a description means a short vmsplice.
    std::string failed_call;
    int err = 0;

    [[nodiscard]] bool ok() const noexcept { return failed_call.empty(); }
};

// Lays header + payload at req.offset in fresh pages, vmsplices exactly that
// range as one iovec (flags 0) into a fresh pipe (fill_pipe: write() where
// vmsplice is refused), splices frame_len bytes once into ch.tx, and
// rewrites the payload if asked and the pipe references the user pages
// (after write() the pipe holds copies: a rewrite would witness nothing). Never blocks on a
// short splice: leftovers stay in the pipe and are dropped with it.
SpliceRun splice_frame(const traffic::Channel& ch, const SpliceRequest& req);

// pipe_filled_by (and vmsplice's refusal) of a run, into its evidence.
void note_pipe_fill(nlohmann::json& evidence, const SpliceRun& run);
std::string pipe_fill_phrase(const SpliceRun& run);

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
