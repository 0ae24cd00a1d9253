#include "traffic/netns_visit.hpp"

#include "core/errno_name.hpp"

#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include <cerrno>

namespace zc {

NetnsVisit::NetnsVisit(bool fresh, int target_fd) : home_(::open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC))
{
    if (!home_) {
        err_ = errno;
        call_ = "open(/proc/self/ns/net)";
        return;
    }
    if (fresh ? ::unshare(CLONE_NEWNET) != 0 : ::setns(target_fd, CLONE_NEWNET) != 0) {
        err_ = errno;
        call_ = fresh ? "unshare(CLONE_NEWNET)" : "setns(CLONE_NEWNET)";
        return;
    }
    entered_ = true;
}

NetnsVisit NetnsVisit::fresh()
{
    return NetnsVisit(true, -1);
}

NetnsVisit NetnsVisit::into(int target_fd)
{
    return NetnsVisit(false, target_fd);
}

void NetnsVisit::leave() noexcept
{
    if (!entered_) return;
    if (::setns(home_.get(), CLONE_NEWNET) != 0) stranded_in_netns(errno);
    entered_ = false;
}

void stranded_in_netns(int err) noexcept
{
    // Plain write(2): no allocation, no stdio state shared with the caller.
    const std::string line = "setns() back to the network namespace this process left failed: " + errno_text(err) +
                             "; stopping, so nothing runs in the wrong namespace\n";
    [[maybe_unused]] const ssize_t n = ::write(STDERR_FILENO, line.data(), line.size());
    ::_exit(stranded_exit_status);
}

} // namespace zc
