#include "traffic/netns.hpp"
#include "traffic/netns_visit.hpp"

#include <doctest/doctest.h>

#include <fcntl.h>
#include <linux/capability.h>
#include <net/if.h>
#include <sched.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

using zc::netlink::LinkInfo;

namespace {

LinkInfo make_link(const std::string& name, unsigned flags)
{
    LinkInfo l;
    l.name = name;
    l.flags = flags;
    return l;
}

constexpr unsigned lo_up = IFF_LOOPBACK | IFF_UP;

} // namespace

TEST_CASE("judge_current_netns: only lo up is safe and named so")
{
    const auto j = zc::judge_current_netns({make_link("lo", lo_up)});
    CHECK(j.safe);
    CHECK(j.why.find("only lo") != std::string::npos);
}

TEST_CASE("judge_current_netns: links that are down (fallback tunnels) keep it safe and are listed")
{
    const auto j = zc::judge_current_netns({make_link("lo", lo_up), make_link("tunl0", 0), make_link("sit0", 0)});
    CHECK(j.safe);
    CHECK(j.why.find("tunl0, sit0 down") != std::string::npos);
}

TEST_CASE("judge_current_netns: a link up besides lo is not safe and is named")
{
    const auto j = zc::judge_current_netns({make_link("lo", lo_up), make_link("eth0", IFF_UP | IFF_BROADCAST)});
    CHECK_FALSE(j.safe);
    CHECK(j.why.find("eth0") != std::string::npos);
}

TEST_CASE("judge_current_netns: lo down or missing is not safe")
{
    CHECK_FALSE(zc::judge_current_netns({make_link("lo", IFF_LOOPBACK)}).safe);
    CHECK_FALSE(zc::judge_current_netns({}).safe);
    // A link merely named lo is not the loopback device.
    CHECK_FALSE(zc::judge_current_netns({make_link("lo", IFF_UP)}).safe);
}

namespace {

ino_t netns_inode()
{
    struct stat st {};
    return ::stat("/proc/self/ns/net", &st) == 0 ? st.st_ino : 0;
}

// In a child: entering a namespace and returning need CAP_SYS_ADMIN over
// both; as another user a user namespace of its own owning the starting
// network namespace gives it (as in zcprobe's userns+netns). False where
// neither is possible.
bool may_enter_namespaces()
{
    if (::geteuid() == 0) return true;
    return ::unshare(CLONE_NEWUSER | CLONE_NEWNET) == 0;
}

// Drops CAP_SYS_ADMIN from the effective set, so setns() is refused.
bool drop_sys_admin()
{
    __user_cap_header_struct hdr{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[2]{};
    if (::syscall(SYS_capget, &hdr, data) != 0) return false;
    data[CAP_SYS_ADMIN / 32].effective &= ~(1U << (CAP_SYS_ADMIN % 32));
    return ::syscall(SYS_capset, &hdr, data) == 0;
}

struct ChildExit {
    int status = -1;
    std::string err;
};

template <class F>
ChildExit in_child(F body)
{
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        ::dup2(fds[1], STDERR_FILENO);
        ::close(fds[0]);
        ::_exit(body());
    }
    ::close(fds[1]);
    ChildExit out;
    char buf[512];
    for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;) out.err.append(buf, static_cast<size_t>(n));
    ::close(fds[0]);
    ::waitpid(pid, &out.status, 0);
    return out;
}

} // namespace

TEST_CASE("NetnsVisit: a fresh namespace is entered and left back to the same namespace")
{
    const ChildExit c = in_child([] {
        if (!may_enter_namespaces()) return 77;
        const ino_t home = netns_inode();
        {
            zc::NetnsVisit v = zc::NetnsVisit::fresh();
            if (!v.entered()) return 77;
            if (netns_inode() == home) return 1; // not in another namespace
        }
        return netns_inode() == home ? 0 : 2;
    });
    REQUIRE(WIFEXITED(c.status));
    if (WEXITSTATUS(c.status) == 77) {
        MESSAGE("network namespaces cannot be made here; the return policy is not exercised");
        return;
    }
    CHECK(WEXITSTATUS(c.status) == 0);
}

TEST_CASE("NetnsVisit: a refused return ends the process with stranded_exit_status and one line naming setns")
{
    const ChildExit c = in_child([] {
        if (!may_enter_namespaces()) return 77;
        zc::NetnsVisit v = zc::NetnsVisit::fresh();
        if (!v.entered()) return 77;
        if (!drop_sys_admin()) return 78;
        v.leave(); // setns() back needs CAP_SYS_ADMIN: refused, so this must not return
        return 0;
    });
    REQUIRE(WIFEXITED(c.status));
    if (WEXITSTATUS(c.status) == 77) {
        MESSAGE("network namespaces cannot be made here; the return policy is not exercised");
        return;
    }
    CHECK(WEXITSTATUS(c.status) == zc::stranded_exit_status);
    CHECK(c.err.find("setns() back to the network namespace") != std::string::npos);
    CHECK(c.err.find("EPERM") != std::string::npos);
}
