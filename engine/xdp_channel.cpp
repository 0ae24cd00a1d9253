#include "engine/xdp_channel.hpp"

#include "core/errno_name.hpp"
#include "core/proc_files.hpp"
#include "core/syscalls.hpp"
#include "core/verdict.hpp"
#include "traffic/netlink.hpp"
#include "traffic/netns_visit.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <sched.h>
#include <sys/socket.h>

namespace zc::engine {

namespace {

// The nested namespace is fresh for every channel, so fixed names never
// collide, with each other or with another run's.
constexpr const char* xsk_end = "zcxdp-tx";
constexpr const char* peer_end = "zcxdp-rx";

traffic::ChannelOutcome fail(std::string call, int err)
{
    traffic::ChannelOutcome out;
    out.failed_call = std::move(call);
    out.err = err;
    return out;
}

traffic::ChannelOutcome open_inside()
{
    // Peer first, so the XSK end has its carrier the moment it comes up
    // (veth_open() turns both carriers on once both ends are up).
    // libnl's errors carry no errno; they name the call and the link.
    if (auto e = netlink::create_veth(xsk_end, peer_end); !e.empty()) return fail(e, 0);
    if (auto e = netlink::set_link_up(peer_end); !e.empty()) return fail(e, 0);
    if (auto e = netlink::set_link_up(xsk_end); !e.empty()) return fail(e, 0);
    std::string error;
    const auto tx_link = netlink::link_info(xsk_end, error);
    const auto rx_link = tx_link ? netlink::link_info(peer_end, error) : std::nullopt;
    if (!tx_link || !rx_link) return fail(error, 0);

    traffic::Channel ch;
    ch.info = &traffic::kind_info(traffic::Kind::packet_raw);
    ch.ifindex = tx_link->ifindex;
    if (auto r = sys::socket(AF_PACKET, SOCK_RAW, htons(traffic::test_ethertype), ch.rx); !r.ok()) {
        return fail("socket(AF_PACKET, SOCK_RAW) for the receiver on the veth peer", r.err);
    }
    sockaddr_ll sll{};
    sll.sll_family = AF_PACKET;
    sll.sll_protocol = htons(traffic::test_ethertype);
    sll.sll_ifindex = rx_link->ifindex;
    if (::bind(ch.rx.get(), reinterpret_cast<const sockaddr*>(&sll), sizeof sll) != 0) {
        return fail("bind() of the packet receiver to the veth peer", errno);
    }
    if (auto r = sys::socket(AF_XDP, SOCK_RAW, 0, ch.tx); !r.ok()) return fail("socket(AF_XDP, SOCK_RAW)", r.err);
    traffic::ChannelOutcome out;
    out.channel = std::move(ch);
    return out;
}

} // namespace

traffic::ChannelOutcome open_xdp_channel()
{
    // A fresh namespace for this thread: the channel's sockets keep it (and
    // its links) alive after we leave; it goes when the last of them closes.
    NetnsVisit ns = NetnsVisit::fresh();
    if (!ns.entered()) {
        return fail(ns.failed_call() == "unshare(CLONE_NEWNET)" ? "unshare(CLONE_NEWNET) for the veth pair's namespace"
                                                                 : ns.failed_call(),
                    ns.err());
    }
    traffic::ChannelOutcome out = open_inside();
    // Every later channel would be made in here: a failed return stops the
    // engine (NetnsVisit's policy).
    ns.leave();
    return out;
}

namespace {

// The capability the failed call checks: unshare(CLONE_NEWNET) needs
// CAP_SYS_ADMIN (unshare_nsproxy_namespaces(), kernel/nsproxy.c), AF_XDP
// and AF_PACKET sockets CAP_NET_RAW (xsk_create(), packet_create()); checked
// against what we hold, so the hint names the cause that applies.
std::string blocked_hint(const std::string& failed_call)
{
    int cap = -1;
    const char* name = "";
    if (failed_call.starts_with("unshare(")) {
        cap = cap_sys_admin, name = "CAP_SYS_ADMIN";
    } else if (failed_call.starts_with("socket(AF_XDP") || failed_call.starts_with("socket(AF_PACKET")) {
        cap = cap_net_raw, name = "CAP_NET_RAW";
    }
    if (cap < 0) return "needs CAP_NET_RAW and CAP_NET_ADMIN";
    if (!has_capability(effective_capabilities(), cap)) return std::string("needs ") + name + ", which this process lacks";
    return std::string("refused although ") + name + " is held: a seccomp filter or an LSM refuses it";
}

} // namespace

Refusal refuse_xdp_channel(const std::string& failed_call, int err)
{
    if (err == 0) {
        return Refusal{RunStatus::unavailable, {},
                       failed_call + "; the kernel may lack veth (CONFIG_VETH) or refuse to make links here"};
    }
    const Status s = classify_errno(err);
    const bool kernel_or_policy = s == Status::unsupported || s == Status::blocked;
    return Refusal{kernel_or_policy ? RunStatus::unavailable : RunStatus::failed, {},
                   failed_call + " failed: " + errno_text(err) +
                       (s == Status::unsupported ? "; the kernel lacks it"
                        : s == Status::blocked  ? "; " + blocked_hint(failed_call)
                                                : "")};
}

} // namespace zc::engine
