// Closing an AF_PACKET socket waits for an RCU grace period (packet_release()
// calls synchronize_net(), and so does packet_set_ring() when it tears a
// ring down), and so does closing a bound AF_XDP socket (xsk_release() ->
// xsk_unbind_dev()): 10 to 50 ms on a loaded host, more than the rest of a
// probe.
// A probe has its verdict before then. In a probe runner's child,
// close_later() keeps such a descriptor open until the child exits, after it
// has sent its result; the runner takes the result at once and reaps the
// child when it needs to (see probe/runner.cpp). Anywhere else it closes at
// once.
#pragma once

#include "core/fd.hpp"

namespace zc {

// The probe runner's child, before it runs the probe.
void keep_open_until_exit() noexcept;

// Whether keep_open_until_exit() was called in this process.
bool closing_later() noexcept;

// Closes fd now, or at exit after keep_open_until_exit().
void close_later(Fd fd);

// Closes every descriptor close_later() kept, all at the same time (a
// thread each), so their grace periods overlap rather than follow one
// another as they would in exit's close of the file table. The runner's
// child calls it after sending its result, before _exit().
void close_kept() noexcept;

// Hands fd to close_later() when it goes out of scope; declare it after fd.
class CloseLaterGuard {
public:
    explicit CloseLaterGuard(Fd& fd) noexcept : fd_(fd) {}
    CloseLaterGuard(const CloseLaterGuard&) = delete;
    CloseLaterGuard& operator=(const CloseLaterGuard&) = delete;
    ~CloseLaterGuard() { close_later(std::move(fd_)); }

private:
    Fd& fd_;
};

} // namespace zc
