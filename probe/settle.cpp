// await_settled(): a quiet probe's wait for earlier probes' exits.
#include "probe/probe.hpp"

#include <poll.h>

#include <cerrno>
#include <chrono>
#include <vector>

namespace zc::probe {

namespace {
int64_t waited_us = 0; // this process's (a probe child's) time in await_settled
}

int64_t settle_wait_us() noexcept
{
    return waited_us;
}

bool await_settled(const Context& ctx)
{
    if (ctx.settle_fds.empty()) return true;
    const auto began = std::chrono::steady_clock::now();
    struct Count {
        std::chrono::steady_clock::time_point began;
        ~Count()
        {
            waited_us += std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - began)
                             .count();
        }
    } count{began};
    std::vector<pollfd> fds;
    fds.reserve(ctx.settle_fds.size());
    for (const int fd : ctx.settle_fds) fds.push_back({fd, POLLIN, 0});
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ctx.wait_ms);
    for (;;) {
        std::erase_if(fds, [](const pollfd& p) { return (p.revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL)) != 0; });
        if (fds.empty()) return true;
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
        if (left <= 0) return false;
        for (auto& p : fds) p.revents = 0;
        const int n = ::poll(fds.data(), fds.size(), static_cast<int>(left));
        if (n < 0 && errno != EINTR) return false;
    }
}

} // namespace zc::probe
