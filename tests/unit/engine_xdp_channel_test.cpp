#include "engine/xdp_channel.hpp"

#include <doctest/doctest.h>

#include <cerrno>

using namespace zc::engine;

TEST_CASE("an xdp channel the kernel or policy refuses is unavailable - anything else failed")
{
    const auto no_family = refuse_xdp_channel("socket(AF_XDP, SOCK_RAW)", EAFNOSUPPORT);
    CHECK(no_family.status == RunStatus::unavailable);
    CHECK(no_family.reason.find("socket(AF_XDP, SOCK_RAW) failed: EAFNOSUPPORT") == 0);
    CHECK(no_family.reason.find("the kernel lacks it") != std::string::npos);
    const auto denied = refuse_xdp_channel("unshare(CLONE_NEWNET) for the veth pair's namespace", EPERM);
    CHECK(denied.status == RunStatus::unavailable);
    // unshare(CLONE_NEWNET) checks CAP_SYS_ADMIN; the hint names it whether
    // or not this process holds it (then an LSM or seccomp is the cause).
    CHECK(denied.reason.find("CAP_SYS_ADMIN") != std::string::npos);
    CHECK(denied.reason.find("CAP_NET_ADMIN") == std::string::npos);
    const auto no_raw = refuse_xdp_channel("socket(AF_XDP, SOCK_RAW)", EPERM);
    CHECK(no_raw.reason.find("CAP_NET_RAW") != std::string::npos);
    // libnl names its call and reason itself and carries no errno.
    const auto veth = refuse_xdp_channel("netlink create veth zcxdp-tx/zcxdp-rx failed: Operation not supported", 0);
    CHECK(veth.status == RunStatus::unavailable);
    CHECK(veth.reason.find("CONFIG_VETH") != std::string::npos);
    CHECK(refuse_xdp_channel("bind() of the packet receiver to the veth peer", EIO).status == RunStatus::failed);
}
