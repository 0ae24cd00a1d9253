#include "traffic/netns.hpp"

#include "core/errno_name.hpp"
#include "traffic/netlink.hpp"
#include "core/fd.hpp"
#include "core/proc_files.hpp"

#include <fcntl.h>
#include <net/if.h>
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

NetnsJudgement judge_current_netns(const std::vector<netlink::LinkInfo>& links)
{
    NetnsJudgement j;
    bool lo_up = false;
    bool lo_seen = false;
    std::string up_others;
    std::string down_others;
    for (const auto& l : links) {
        const bool up = (l.flags & IFF_UP) != 0;
        if (l.name == "lo" && (l.flags & IFF_LOOPBACK) != 0) {
            lo_seen = true;
            lo_up = up;
            continue;
        }
        std::string& list = up ? up_others : down_others;
        list += list.empty() ? "" : ", ";
        list += l.name;
    }
    if (!up_others.empty()) {
        j.why = "it has links up besides lo (" + up_others +
                "), which may lead off this machine, so it cannot be told from the host's";
        return j;
    }
    if (!lo_seen) {
        j.why = "it has no loopback link lo";
        return j;
    }
    if (!lo_up) {
        j.why = "its lo is down, and zcprobe changes nothing in a namespace it did not make";
        return j;
    }
    j.safe = true;
    j.why = down_others.empty() ? "it holds only lo, so traffic cannot leave this machine"
                                : "it holds only lo up (" + down_others +
                                      " down), so traffic cannot leave this machine";
    return j;
}

NetnsOutcome current_netns(const std::string& why_not_private)
{
    NetnsOutcome out;
    std::string error;
    const auto links = netlink::list_links(error);
    const NetnsJudgement j = links ? judge_current_netns(*links)
                                   : NetnsJudgement{false, "its links could not be listed (" + error + ")"};
    if (j.safe) {
        out.how = "current";
        out.reason = why_not_private + "; the namespace the run started in is used: " + j.why +
                     "; probes there recognise their own packets by run tag and create links only in "
                     "namespaces they make";
        return out;
    }
    out.how = "host";
    out.reason = why_not_private + "; the namespace the run started in is not used on its own: " + j.why +
                 "; --host-netns runs the probes in it, which is safe where it is a container's own "
                 "(probes send only between their own sockets on this machine, drop other runs' packets by "
                 "run tag and create no link, address or route in it)";
    return out;
}

NetnsOutcome enter_private_netns()
{
    NetnsOutcome out;
    const uid_t uid = ::geteuid();
    const gid_t gid = ::getegid();
    // Kept to come back if a namespace made here turns out unusable.
    const Fd home(::open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC));
    std::string first; // why the plain network namespace is not used
    bool left_home = false;
    if (::unshare(CLONE_NEWNET) == 0) {
        auto err = netlink::set_link_up("lo");
        if (err.empty()) {
            out.how = "netns";
            out.isolated = true;
            return out;
        }
        // CAP_SYS_ADMIN without CAP_NET_ADMIN (a container given SYS_ADMIN
        // only): rtnetlink_rcv_msg() (net/core/rtnetlink.c) refuses every
        // message but a GET, here RTM_NEWLINK raising lo, without
        // CAP_NET_ADMIN over the user namespace owning the network
        // namespace (netlink_net_capable()), here the one we started in.
        left_home = true;
        first = "unshare(CLONE_NEWNET) made a namespace but lo could not be brought up there (" + err + ")" +
                (has_capability(effective_capabilities(), cap_net_admin) ? std::string()
                                                                          : ": that needs CAP_NET_ADMIN, which this "
                                                                            "process lacks");
    } else {
        first = "unshare(CLONE_NEWNET) " + errno_text(errno);
    }
    if (::unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0) {
        const int user_err = errno;
        const std::string why = "no private network namespace: " + first + "; " + userns_refusal_cause(user_err);
        if (left_home && (!home || ::setns(home.get(), CLONE_NEWNET) != 0)) {
            out.how = "netns";
            out.reason = why + "; and setns() back to the starting namespace failed: " + errno_text(errno);
            return out;
        }
        return current_netns(why);
    }
    // Map ourselves to root inside, so the namespace grants us CAP_NET_RAW
    // and CAP_NET_ADMIN over the new network namespace only.
    out.how = "userns+netns";
    write_proc("/proc/self/setgroups", "deny");
    if (!write_proc("/proc/self/uid_map", "0 " + std::to_string(uid) + " 1") ||
        !write_proc("/proc/self/gid_map", "0 " + std::to_string(gid) + " 1")) {
        out.reason = "user namespace created but writing uid_map/gid_map failed: " + errno_text(errno);
        return out;
    }
    if (auto err = netlink::set_link_up("lo"); !err.empty()) {
        out.reason = "private namespace created but lo could not be brought up: " + err;
        return out;
    }
    out.isolated = true;
    if (left_home) out.reason = first + "; a user namespace of its own holds CAP_NET_ADMIN over a fresh network namespace";
    return out;
}

} // namespace zc
