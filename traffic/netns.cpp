#include "traffic/netns.hpp"

#include "core/errno_name.hpp"
#include "traffic/netlink.hpp"
#include "core/proc_files.hpp"

#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include <cerrno>
#include <string>

namespace zc {

namespace {

bool write_proc(const std::string& path, const std::string& text)
{
    const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) return false;
    const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    ::close(fd);
    return ok;
}

} // namespace

std::string userns_refusal_cause(int err)
{
    if (const auto v = read_sysctl_int("kernel.unprivileged_userns_clone"); v && *v == 0) {
        return "kernel.unprivileged_userns_clone=0 forbids unprivileged user namespaces";
    }
    if (const auto v = read_sysctl_int("user.max_user_namespaces"); v && *v == 0) {
        return "user.max_user_namespaces=0 forbids user namespaces";
    }
    if (const auto v = read_sysctl_int("kernel.apparmor_restrict_unprivileged_userns"); v && *v == 1) {
        return "kernel.apparmor_restrict_unprivileged_userns=1: AppArmor refuses unprivileged user namespaces";
    }
    if (const auto mode = seccomp_mode(); mode && *mode != 0) {
        return "unshare(CLONE_NEWUSER) refused with " + errno_text(err) + " under seccomp mode " +
               std::to_string(*mode) + " (a filter such as a container runtime's)";
    }
    return "unshare(CLONE_NEWUSER) refused: " + errno_text(err);
}

NetnsOutcome enter_private_netns()
{
    NetnsOutcome out;
    const uid_t uid = ::geteuid();
    const gid_t gid = ::getegid();
    if (::unshare(CLONE_NEWNET) == 0) {
        out.how = "netns";
    } else {
        const int net_err = errno;
        if (::unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0) {
            const int user_err = errno;
            out.how = "host";
            out.reason = "no private network namespace: unshare(CLONE_NEWNET) " + errno_text(net_err) +
                         "; " + userns_refusal_cause(user_err);
            return out;
        }
        // Map ourselves to root inside, so the namespace grants us CAP_NET_RAW
        // and CAP_NET_ADMIN over the new network namespace only.
        write_proc("/proc/self/setgroups", "deny");
        if (!write_proc("/proc/self/uid_map", "0 " + std::to_string(uid) + " 1") ||
            !write_proc("/proc/self/gid_map", "0 " + std::to_string(gid) + " 1")) {
            out.how = "userns+netns";
            out.reason = "user namespace created but writing uid_map/gid_map failed: " + errno_text(errno);
            return out;
        }
        out.how = "userns+netns";
    }
    if (auto err = netlink::set_link_up("lo"); !err.empty()) {
        out.reason = "private namespace created but lo could not be brought up: " + err;
        return out;
    }
    out.isolated = true;
    return out;
}

} // namespace zc
