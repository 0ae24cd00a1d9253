#include "engine/flow.hpp"

#include <linux/futex.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <ctime>

namespace zc::engine {

namespace {

void futex_wait(std::atomic<uint32_t>* word, uint32_t expected, long timeout_ns) noexcept
{
    timespec ts{0, timeout_ns};
    ::syscall(SYS_futex, reinterpret_cast<uint32_t*>(word), FUTEX_WAIT_PRIVATE, expected, &ts, nullptr, 0);
}

void futex_wake(std::atomic<uint32_t>* word) noexcept
{
    ::syscall(SYS_futex, reinterpret_cast<uint32_t*>(word), FUTEX_WAKE_PRIVATE, 1, nullptr, nullptr, 0);
}

bool queue_empty(int fd) noexcept
{
    int bytes = 0;
    return ::ioctl(fd, FIONREAD, &bytes) == 0 && bytes == 0;
}

} // namespace

void Flow::publish(uint64_t acked) noexcept
{
    acked_.store(acked, std::memory_order_release);
    if (waiting_.load(std::memory_order_seq_cst)) {
        epoch_.fetch_add(1, std::memory_order_seq_cst);
        futex_wake(&epoch_);
    }
}

WaitOutcome Flow::wait_acked(uint64_t target, int rx_fd, std::chrono::steady_clock::time_point deadline,
                             int stall_ms) noexcept
{
    using clock = std::chrono::steady_clock;
    if (acked() >= target) return WaitOutcome::reached;
    ++waits;
    uint64_t last = acked();
    auto last_progress = clock::now();
    for (;;) {
        const uint32_t e = epoch_.load(std::memory_order_seq_cst);
        waiting_.store(true, std::memory_order_seq_cst);
        if (acked() < target) futex_wait(&epoch_, e, 5'000'000);
        waiting_.store(false, std::memory_order_relaxed);
        const uint64_t now_acked = acked();
        if (now_acked >= target) return WaitOutcome::reached;
        const auto now = clock::now();
        if (now >= deadline) return WaitOutcome::timed_out;
        if (now_acked != last) {
            last = now_acked;
            last_progress = now;
        } else if (now - last_progress > std::chrono::milliseconds(stall_ms) && queue_empty(rx_fd)) {
            ++stalls;
            return WaitOutcome::stalled;
        }
    }
}

} // namespace zc::engine
