// The sandbox answer: which layer refused a call, by evidence, and the
// refused probes grouped by fix. Pure: facts in, answer out.
#include "core/proc_files.hpp"
#include "probe/probe.hpp"
#include "probe/sandbox_answer.hpp"

#include <doctest/doctest.h>

#include <cerrno>

using namespace zc;
using namespace zc::probe;

namespace {

constexpr uint64_t bit(int cap) { return 1ULL << cap; }

// Podman's default: 11 capabilities, no NET_RAW, a seccomp filter.
SandboxFacts podman()
{
    SandboxFacts s;
    s.effective = bit(0) | bit(1) | bit(3) | bit(4) | bit(5) | bit(6) | bit(7) | bit(8) | bit(10) | bit(18) | bit(31);
    s.bounding = s.effective;
    s.seccomp_mode = 2;
    s.seccomp_filters = 1;
    return s;
}

CallFacts call(std::string syscall, int err, const SandboxFacts& s)
{
    CallFacts f;
    f.syscall = std::move(syscall);
    f.err = err;
    f.sandbox = s;
    f.effective = s.effective;
    return f;
}

} // namespace

TEST_CASE("a capability is named only when the failed call needs it and the process lacks it")
{
    CHECK(capability_needed("socket(AF_INET, SOCK_RAW, 253)") == cap_net_raw);
    CHECK(capability_needed("socket(AF_PACKET, SOCK_RAW) for the egress sender") == cap_net_raw);
    CHECK(capability_needed("socket(AF_XDP, SOCK_RAW)") == cap_net_raw);
    CHECK_FALSE(capability_needed("socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE)"));
    CHECK_FALSE(capability_needed("socket(AF_INET, SOCK_DGRAM)"));
    CHECK_FALSE(capability_needed("vmsplice into a pipe"));
    CHECK(capability_needed("F_SETPIPE_SZ beyond fs.pipe-max-size (2097152)") == cap_sys_resource);

    // zerocopy.raw4's socket() EPERM: CAP_NET_RAW only, not NET_ADMIN too.
    SandboxFacts s = podman();
    CallFacts f = call("socket", EPERM, s);
    f.needs = capability_needed("socket(AF_INET, SOCK_RAW, 253)");
    const Refusal r = attribute_refusal(f);
    CHECK(r.layer == Layer::capability);
    CHECK(r.detail == "CAP_NET_RAW");
    CHECK(r.fix == "--cap-add NET_RAW");
    CHECK(r.cause_checked);

    // Held in the effective set: EPERM is not a capability refusal.
    f.effective |= bit(cap_net_raw);
    f.sandbox.effective |= bit(cap_net_raw);
    const Refusal held = attribute_refusal(f);
    CHECK(held.layer == Layer::seccomp);
    CHECK_FALSE(held.cause_checked);
    CHECK(held.why.starts_with("probably"));
}

TEST_CASE("outside a container's bounding set the fix is --cap-add and inside it a grant")
{
    SandboxFacts s;
    s.effective = 0;
    s.bounding = ~0ULL;
    CHECK(capability_fix(cap_net_raw, s).starts_with("grant CAP_NET_RAW"));
    s.bounding = 0;
    CHECK(capability_fix(cap_net_raw, s) == "--cap-add NET_RAW");
    CHECK(capabilities_fix({cap_net_raw, cap_net_admin}, s) == "--cap-add NET_RAW --cap-add NET_ADMIN");
}

TEST_CASE("seccomp is checked by a bad-argument retry or by ENOSYS for a syscall the kernel has")
{
    const SandboxFacts s = podman();
    CallFacts f = call("vmsplice", EPERM, s);
    f.filter_answered = true;
    Refusal r = attribute_refusal(f);
    CHECK(r.layer == Layer::seccomp);
    CHECK(r.detail == "vmsplice");
    CHECK(r.fix == "allow vmsplice in the seccomp profile");
    CHECK(r.cause_checked);

    CallFacts u = call("io_uring_setup", ENOSYS, s);
    u.kernel_has_syscall = true;
    u.filter_answered = std::nullopt;
    r = attribute_refusal(u);
    CHECK(r.layer == Layer::seccomp);
    CHECK(r.fix == "allow io_uring_setup, io_uring_enter, io_uring_register in the seccomp profile");
    CHECK(r.cause_checked);

    // The kernel answered the retry itself: the filter let the syscall by,
    // so seccomp is not named; no label, no own namespace: a guess at policy.
    CallFacts k = call("splice", EPERM, s);
    k.filter_answered = false;
    r = attribute_refusal(k);
    CHECK(r.layer != Layer::seccomp);
    CHECK_FALSE(r.cause_checked);
}

TEST_CASE("a refusing sysctl is named with its value and an LSM label when it confines")
{
    SandboxFacts s;
    s.effective = ~0ULL;
    CallFacts f = call("io_uring_setup", EPERM, s);
    f.sysctl = "kernel.io_uring_disabled=2";
    Refusal r = attribute_refusal(f);
    CHECK(r.layer == Layer::sysctl);
    CHECK(r.detail == "kernel.io_uring_disabled=2");
    CHECK(r.fix == "sysctl kernel.io_uring_disabled=0");
    CHECK(r.cause_checked);

    s.lsm_label = "docker-default (enforce)";
    r = attribute_refusal(call("sendfile", EACCES, s));
    CHECK(r.layer == Layer::lsm);
    CHECK(r.detail == "docker-default (enforce)");
    CHECK_FALSE(r.cause_checked);

    s.lsm_label = "unconfined";
    r = attribute_refusal(call("sendfile", EACCES, s));
    CHECK(r.layer == Layer::lsm);
    CHECK(r.detail == "unconfined");
    CHECK(r.why.starts_with("probably"));
}

TEST_CASE("call descriptions name their syscall")
{
    CHECK(syscall_of("vmsplice into a pipe") == "vmsplice");
    CHECK(syscall_of("splice into tcp4 socket") == "splice");
    CHECK(syscall_of("IORING_OP_SEND_ZC on udp4 socket") == "io_uring_enter");
    CHECK(syscall_of("io_uring_queue_init(4) for IORING_OP_SPLICE") == "io_uring_setup");
    CHECK(syscall_of("send(MSG_ZEROCOPY) on tcp4 socket") == "sendto");
    CHECK(syscall_of("second sendfile into udp4 socket") == "sendfile");
    CHECK(syscall_of("F_SETPIPE_SZ to fs.pipe-max-size (1048576)") == "fcntl");
    CHECK(syscall_of("xsk umem layout (bad)") == "");
}

TEST_CASE("kallsyms proves a syscall only with a strong symbol - zero addresses or not")
{
    const std::string text = "0000000000000000 T __x64_sys_io_uring_setup\n"
                             "0000000000000000 W __x64_sys_kexec_load\n"
                             "0000000000000000 t io_uring_setup\n"
                             "0000000000000000 t xsk_create\t[xsk]\n";
    CHECK(kallsyms_lists_syscall(text, "io_uring_setup"));
    CHECK_FALSE(kallsyms_lists_syscall(text, "kexec_load"));
    CHECK_FALSE(kallsyms_lists_syscall(text, "io_uring_enter"));
    CHECK(kallsyms_lists_syscall("ffffffff81000000 T sys_io_uring_setup\n", "io_uring_setup"));
}

TEST_CASE("a result obtained with a capability held only in zcprobe's own user namespace is refused here")
{
    SandboxFacts s = podman();
    s.own_user_namespace = true;
    Result ok = supported("tx ring works");
    SandboxAnswer a = sandbox_answer(ok, {cap_net_raw}, s, false);
    CHECK(a.kind == SandboxAnswer::Kind::refused);
    CHECK(a.refusal.layer == Layer::capability);
    CHECK(a.refusal.fix == "--cap-add NET_RAW");
    CHECK(a.granted == std::vector<std::string>{"CAP_NET_RAW"});
    CHECK(a.refusal.cause_checked);

    // The same result without a namespace of zcprobe's own: allowed.
    s.own_user_namespace = false;
    CHECK(sandbox_answer(ok, {cap_net_raw}, s, false).kind == SandboxAnswer::Kind::allowed);
    // Nothing needed: allowed in its own namespace too.
    s.own_user_namespace = true;
    CHECK(sandbox_answer(ok, {}, s, false).kind == SandboxAnswer::Kind::allowed);

    Result skip = skipped("needs a private network namespace, which could not be made");
    const SandboxAnswer n = sandbox_answer(skip, {}, s, true);
    CHECK(n.kind == SandboxAnswer::Kind::unknown);
    CHECK(n.refusal.layer == Layer::namespace_creation);
    CHECK(n.refusal.fix == "allow unshare (no capability needed)");
}

TEST_CASE("every refused answer names a layer and refusals group by fix - largest first")
{
    SandboxFacts s = podman();
    s.own_user_namespace = true;
    Result blocked = from_errno(Context{}, "socket(AF_INET, SOCK_RAW, 253)", EPERM);
    std::vector<std::pair<std::string, SandboxAnswer>> answers = {
        {"packet.tx_ring_v1", sandbox_answer(supported("ok"), {cap_net_raw}, s, false)},
        {"pipe.tee", sandbox_answer(supported("ok"), {}, s, false)},
        {"zerocopy.raw4", sandbox_answer(blocked, {cap_net_raw}, s, false)},
        {"xdp.tx_copy", sandbox_answer(supported("ok"), {cap_net_raw, cap_net_admin}, s, false)},
        {"packet.tx_ring_v2", sandbox_answer(supported("ok"), {cap_net_raw}, s, false)},
    };
    for (const auto& [id, a] : answers) {
        if (a.kind == SandboxAnswer::Kind::refused) CHECK_MESSAGE(a.refusal.layer != Layer::none, id);
    }
    const auto groups = group_refusals(answers);
    REQUIRE(groups.size() == 3);
    CHECK(groups[0].fix == "--cap-add NET_RAW");
    CHECK(groups[0].layer == "capability");
    CHECK(groups[0].probes == std::vector<std::string>{"packet.tx_ring_v1", "packet.tx_ring_v2"});
    CHECK(groups[2].fix == "--cap-add NET_RAW --cap-add NET_ADMIN");
    const auto j = groups_to_json(groups);
    CHECK(j[0]["probes"].size() == 2);
}
