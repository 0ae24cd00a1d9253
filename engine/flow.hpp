// Credits between the sender and the receiver thread: the receiver publishes
// the highest sequence number it has seen (loopback keeps one flow in order,
// so everything below it has been read or dropped), and the sender waits
// for it before running more than a window ahead or rewriting pages the
// kernel may still reference.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace zc::engine {

enum class WaitOutcome {
    reached,
    stalled,   // no progress and the receive queue is empty: the rest was dropped
    timed_out, // the hard time limit passed
};

class Flow {
public:
    // Receiver side.
    void publish(uint64_t acked) noexcept;

    // Sender side: waits until acked() >= target. rx_fd is the receiving
    // socket, whose queue tells a slow receiver (wait on) from lost packets
    // (give up after stall_ms without progress).
    WaitOutcome wait_acked(uint64_t target, int rx_fd, std::chrono::steady_clock::time_point deadline,
                           int stall_ms = 200) noexcept;

    [[nodiscard]] uint64_t acked() const noexcept { return acked_.load(std::memory_order_acquire); }
    void reset(uint64_t acked) noexcept { acked_.store(acked, std::memory_order_release); }
    uint64_t waits = 0;  // times the sender had to sleep
    uint64_t stalls = 0; // times it gave up waiting on a drained queue

private:
    std::atomic<uint64_t> acked_{0};
    std::atomic<uint32_t> epoch_{0}; // futex word
    std::atomic<bool> waiting_{false};
};

} // namespace zc::engine
