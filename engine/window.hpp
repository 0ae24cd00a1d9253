// How many packets may be in flight, and the batches and areas each sender
// sizes from that: pure, so the arithmetic is a unit test, not a hope.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

namespace zc::engine {

// SO_RCVBUF(FORCE) the receiver asks for, so flow control, not the socket,
// decides when the sender waits.
inline constexpr int receive_buffer_request = 32 << 20;

// The window (packets in flight) a receive buffer of `rcvbuf` bytes holds
// for frames of `frame` bytes: at most `wanted`, at least 16.
size_t window_for_receive_buffer(int rcvbuf, size_t frame, size_t wanted) noexcept;

// Before sending packets [sent, sent+n) of a run: the packet count the
// receiver must have acknowledged first, so no more than `window` are in
// flight; nullopt when there is room already.
std::optional<uint64_t> credit_wait(uint64_t sent, size_t n, size_t window) noexcept;

// Areas of packet memory a guarded sender cycles through: enough that the
// window of packets in flight never covers the area being rewritten; one
// when the kernel copies or --reuse eager.
size_t areas_for(bool guard_reuse, size_t window, size_t batch) noexcept;

// Packets the packed modes lay out per vmsplice: half the window, at most 256.
size_t packed_batch_limit(size_t window) noexcept;

// udp-gso-splice: datagrams per splice (one GSO super-packet, at most 64 and
// 65507 bytes), splices per batch (the batch in at most 128 pipe pages and
// half the window) and the pipe that holds a batch.
struct GsoGeometry {
    size_t per_splice = 1;
    size_t batch = 1;
    size_t pipe_bytes = 0;
};
GsoGeometry gso_geometry(size_t size, size_t frame, size_t page, size_t window) noexcept;

} // namespace zc::engine
