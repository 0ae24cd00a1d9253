// zerocopy.<kind>: SO_ZEROCOPY + send(MSG_ZEROCOPY) and the completion the
// kernel queues on the socket's error queue. Over loopback the kernel copies
// the pinned user pages by design (skb_orphan_frags_rx on local delivery),
// so for IPv4 datagram kinds the probe also sends through a veth pair into a
// black hole (a permanent neighbour with a MAC nobody owns): the packet leaves
// a real device and is dropped at the far end without reaching a socket, and
// the completion then says whether the pages went out uncopied.
#include "probe/families.hpp"
#include "probe/module_gate.hpp"

#include "core/errno_name.hpp"
#include "traffic/netlink.hpp"
#include "traffic/netns_visit.hpp"
#include "core/page_buffer.hpp"
#include "core/proc_files.hpp"
#include "core/syscalls.hpp"
#include "traffic/payload.hpp"
#include "traffic/socket_kinds.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/errqueue.h>
#include <linux/if_packet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

namespace zc::probe {

namespace {

using nlohmann::json;
using clock = std::chrono::steady_clock;

// One unfragmented datagram even on veth's 1500-byte MTU: fragmenting makes
// the kernel copy, which would hide the answer.
constexpr size_t payload_len = 1200;
// Kernel-internal ENOTSUPP: what SO_ZEROCOPY returned for other socket types
// until it was changed to EOPNOTSUPP.
constexpr int enotsupp = 524;

// TEST-NET-1 (RFC 5737, documentation only) and a locally administered MAC
// that no interface here owns.
constexpr const char* veth_local = "192.0.2.1";
constexpr const char* veth_remote = "192.0.2.2";
constexpr const char* veth_remote_mac = "02:00:5e:00:53:02";

int64_t micros_since(clock::time_point t)
{
    return std::chrono::duration_cast<std::chrono::microseconds>(clock::now() - t).count();
}

SysResult enable_zerocopy(int fd) { return sys::setsockopt_int(fd, SOL_SOCKET, SO_ZEROCOPY, 1); }

SysResult send_zerocopy(int fd, std::span<const uint8_t> bytes, PageBuffer& buf)
{
    // Pinned pages, not a std::vector: MSG_ZEROCOPY holds them until the
    // completion, and our buffer must outlive that.
    buf = PageBuffer(bytes.size());
    std::memcpy(buf.data(), bytes.data(), bytes.size());
    return sys_result(::send(fd, buf.data(), bytes.size(), MSG_ZEROCOPY));
}

struct Completion {
    bool received = false;
    std::optional<bool> copied;
    uint32_t lo = 0;
    uint32_t hi = 0;
    int err = 0; // errno of a failed recvmsg(MSG_ERRQUEUE)
};

json completion_json(const Completion& c)
{
    return {{"completion_received", c.received},
            {"copied", c.copied ? json(*c.copied) : json(nullptr)},
            {"completion_range", c.received ? json::array({c.lo, c.hi}) : json(nullptr)}};
}

bool carries_extended_err(const cmsghdr& cm)
{
    return (cm.cmsg_level == SOL_IP && cm.cmsg_type == IP_RECVERR) ||
           (cm.cmsg_level == SOL_IPV6 && cm.cmsg_type == IPV6_RECVERR) ||
           (cm.cmsg_level == SOL_PACKET && cm.cmsg_type == PACKET_TX_TIMESTAMP);
}

// Reads the first zerocopy notification from the error queue, waiting up to
// timeout_ms for POLLERR.
Completion await_completion(int fd, int timeout_ms)
{
    Completion c;
    const auto deadline = clock::now() + std::chrono::milliseconds(timeout_ms);
    for (;;) {
        alignas(cmsghdr) char control[256];
        msghdr msg{};
        msg.msg_control = control;
        msg.msg_controllen = sizeof control;
        const SysResult r = sys_result(::recvmsg(fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT));
        if (r.ok()) {
            for (cmsghdr* cm = CMSG_FIRSTHDR(&msg); cm != nullptr; cm = CMSG_NXTHDR(&msg, cm)) {
                if (!carries_extended_err(*cm) || cm->cmsg_len < CMSG_LEN(sizeof(sock_extended_err))) continue;
                sock_extended_err e{};
                std::memcpy(&e, CMSG_DATA(cm), sizeof e);
                if (e.ee_origin != SO_EE_ORIGIN_ZEROCOPY || e.ee_errno != 0) continue;
                c.received = true;
                c.lo = e.ee_info;
                c.hi = e.ee_data;
                c.copied = (e.ee_code & SO_EE_CODE_ZEROCOPY_COPIED) != 0;
                return c;
            }
            continue; // something else was queued; look again
        }
        if (r.err != EAGAIN && r.err != EINTR) {
            c.err = r.err;
            return c;
        }
        if (r.err == EAGAIN) {
            // POLLERR also reports a pending socket error, which the error
            // queue read does not clear; take it so poll does not spin.
            int pending = 0;
            socklen_t len = sizeof pending;
            ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &pending, &len);
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now()).count();
        if (left <= 0) return c;
        pollfd p{fd, 0, 0}; // POLLERR is always reported
        ::poll(&p, 1, static_cast<int>(left));
    }
}

std::string completion_text(const Completion& c)
{
    if (c.received) return *c.copied ? "copied" : "not copied (zero-copy)";
    if (c.err != 0) return "error queue read failed: " + errno_text(c.err);
    return "no completion arrived within the probe's wait";
}

// Why the veth black hole is not tried for this kind; nullopt when it is.
std::optional<std::string> veth_skip_reason(traffic::Kind kind)
{
    switch (kind) {
    case traffic::Kind::udp4:
    case traffic::Kind::raw4:
        return std::nullopt;
    case traffic::Kind::tcp4:
    case traffic::Kind::tcp6:
        return "tcp cannot connect to a black hole, so only loopback is tested";
    case traffic::Kind::udp6:
    case traffic::Kind::raw6:
        return "the black hole is set up for ipv4 only";
    default:
        return "no black-hole path for this socket kind";
    }
}

bool veth_capable(traffic::Kind kind) { return kind == traffic::Kind::udp4 || kind == traffic::Kind::raw4; }

struct VethOutcome {
    std::optional<std::string> why_not; // not tried: no namespace we may make links in
    json evidence;
    Completion completion;
    std::string error; // first failing step, "" if none
    bool veth_kind_unsupported = false; // the kernel refused the veth link kind (EOPNOTSUPP)
};

// Sends payload from a fresh socket of the kind's type to the black hole.
std::string send_into_black_hole(traffic::Kind kind, std::span<const uint8_t> payload, const std::string& link,
                                 int wait_ms, VethOutcome& out)
{
    const bool raw = kind == traffic::Kind::raw4;
    Fd s;
    if (auto r = sys::socket(AF_INET, raw ? SOCK_RAW : SOCK_DGRAM, raw ? traffic::test_ip_protocol : 0, s); !r.ok()) {
        return "socket() for the veth sender failed: " + errno_text(r.err);
    }
    if (auto r = enable_zerocopy(s.get()); !r.ok()) {
        return "setsockopt(SO_ZEROCOPY) on the veth sender failed: " + errno_text(r.err);
    }
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = raw ? 0 : htons(9); // discard
    ::inet_pton(AF_INET, veth_remote, &to.sin_addr);
    if (auto r = sys_result(::connect(s.get(), reinterpret_cast<const sockaddr*>(&to), sizeof to)); !r.ok()) {
        return std::string("connect() to ") + veth_remote + " failed: " + errno_text(r.err);
    }
    std::string err;
    const auto before = netlink::link_counters(link, err);
    PageBuffer buf;
    if (auto r = send_zerocopy(s.get(), payload, buf); !r.ok()) {
        return std::string("send(MSG_ZEROCOPY) to ") + veth_remote + " failed: " + errno_text(r.err);
    }
    out.completion = await_completion(s.get(), wait_ms);
    // The counters show the packet really left through the device rather
    // than being dropped before it.
    const auto after = netlink::link_counters(link, err);
    if (before && after) {
        out.evidence["tx_packets"] = after->tx_packets - before->tx_packets;
        out.evidence["tx_dropped"] = after->tx_dropped - before->tx_dropped;
    }
    return {};
}

// Why a leg that needs links is not tried: no nested namespace, and the
// current one is the caller's (--host-netns), where we create nothing.
std::string no_namespace_for_links(int err)
{
    return "no namespace of its own for the veth pair: unshare(CLONE_NEWNET) failed: " + errno_text(err) +
           (err == EPERM ? " (needs CAP_SYS_ADMIN)" : "") +
           "; links are created only in a namespace the tool made, never in the caller's (--host-netns)";
}

// own_namespace: the probe runs in a namespace the tool made, where the pair
// may live if no nested one can be made; otherwise it is not tried.
VethOutcome run_veth(traffic::Kind kind, std::span<const uint8_t> payload, int wait_ms, bool own_namespace)
{
    VethOutcome out;
    // Unique per probe process in case the pair has to live in the runner's
    // namespace (no nested one), which later probes share.
    const std::string pid = std::to_string(::getpid());
    const std::string a = "zc" + pid + "a";
    const std::string b = "zc" + pid + "b";
    out.evidence = {{"tried", true}, {"links", {a, b}}, {"tx_packets", nullptr}, {"tx_dropped", nullptr}};
    const auto setup_start = clock::now();
    // A throwaway network namespace for the pair: when the probe leaves it,
    // the kernel tears the pair down in the background (cleanup_net), where
    // an explicit delete costs 15-25 ms of synchronous RCU waits; and nothing
    // is ever created in the runner's namespace, even if the probe dies.
    NetnsVisit ns = NetnsVisit::fresh();
    if (!ns.entered() && !own_namespace) {
        out.why_not = no_namespace_for_links(ns.err());
        return out;
    }
    out.evidence["namespace"] = ns.entered() ? "nested" : "runner";
    std::string err = netlink::create_veth(a, b, &out.veth_kind_unsupported);
    const bool created = err.empty();
    if (created) {
        // Peer first: a then opens with its carrier already on, so its queue
        // is active at once instead of after the link watcher runs.
        err = netlink::set_link_up(b);
        if (err.empty()) err = netlink::set_link_up(a);
        if (err.empty()) err = netlink::add_ipv4_address(a, veth_local, 24);
        if (err.empty()) err = netlink::add_permanent_neighbour(a, veth_remote, veth_remote_mac);
    }
    out.evidence["setup_us"] = micros_since(setup_start);
    if (err.empty()) err = send_into_black_hole(kind, payload, a, wait_ms, out);
    const auto teardown_start = clock::now();
    std::string teardown_error;
    if (ns.entered()) {
        // Our sockets are closed; leaving drops the last reference (a failed
        // return ends the probe: NetnsVisit's policy).
        ns.leave();
    } else if (created) {
        teardown_error = netlink::delete_link(a); // deletes the peer too
    }
    out.evidence["teardown_us"] = micros_since(teardown_start);
    out.evidence["teardown_error"] = teardown_error.empty() ? json(nullptr) : json(teardown_error);
    out.error = err;
    return out;
}

Result refusal(const Context& ctx, const std::string& name, int err, json evidence)
{
    const std::string what = "setsockopt(SO_ZEROCOPY) on " + name + " socket";
    if (err == enotsupp) {
        Result r = unsupported(what + " failed: errno 524 (ENOTSUPP, kernel-internal); "
                                      "the kernel does not offer MSG_ZEROCOPY on this socket type",
                               std::move(evidence));
        r.err = err;
        return r;
    }
    std::string_view hint;
    if (err == EOPNOTSUPP) hint = "the kernel does not offer MSG_ZEROCOPY on this socket type";
    if (err == ENOPROTOOPT) hint = "the kernel predates SO_ZEROCOPY (4.14)";
    return from_errno(ctx, what, err, hint, std::move(evidence));
}

Result probe_zerocopy(const Context& ctx, traffic::Kind kind)
{
    const std::string name(traffic::kind_info(kind).name);
    traffic::ChannelOutcome opened = open_channel(kind);
    if (!opened.channel) return from_errno(ctx, opened.failed_call, opened.err);
    const traffic::CloseTogether closing(*opened.channel);
    const traffic::Channel& ch = *opened.channel;

    json ev = {{"so_zerocopy_accepted", false}, {"sent", nullptr},  {"received", nullptr},
               {"bytes_verified", nullptr},     {"path", nullptr},  {"completion_received", nullptr},
               {"copied", nullptr},             {"zero_copy", nullptr}};
    if (auto r = enable_zerocopy(ch.tx.get()); !r.ok()) return refusal(ctx, name, r.err, ev);
    ev["so_zerocopy_accepted"] = true;

    std::vector<uint8_t> payload(payload_len);
    traffic::fill_payload(payload, 0x2C0D0000U + static_cast<uint32_t>(kind));
    PageBuffer buf;
    const SysResult sent = send_zerocopy(ch.tx.get(), traffic::frame(ch, payload), buf);
    if (!sent.ok()) return from_errno(ctx, "send(MSG_ZEROCOPY) on " + name + " socket", sent.err, {}, ev);
    ev["sent"] = sent.value;
    // Receive first: for TCP the peer's ACK is what frees the skb and queues
    // the completion.
    const traffic::Received got = receive(ch, payload_len, ctx.wait_ms);
    const bool verified = !traffic::first_mismatch(payload, got.bytes);
    ev["received"] = got.bytes.size();
    ev["bytes_verified"] = verified;
    traffic::note_foreign(ev, got.foreign);
    const Completion loop = await_completion(ch.tx.get(), ctx.wait_ms);
    ev["loopback"] = completion_json(loop);

    std::optional<VethOutcome> veth;
    auto skip = veth_skip_reason(kind);
    // veth through the module gate: creating the pair loads veth where it
    // is a module not loaded, so without --load-modules the leg is not tried.
    std::optional<ModuleCheck> modules;
    if (!skip) {
        modules = check_modules(veth_needs(), ctx.load_modules, "creating a veth link");
        if (modules->decision.gate == ModuleGate::need_load) skip = modules->decision.reason;
    }
    if (!skip) veth = run_veth(kind, payload, ctx.wait_ms, ctx.isolated);
    if (veth && veth->why_not) {
        ev["veth"] = {{"tried", false}, {"why_not", *veth->why_not}};
        if (modules) ev["veth"]["module"] = modules->decision.evidence();
        skip = *veth->why_not; // the reason reads it: "veth not tried: ..."
        veth.reset();
    } else if (veth) {
        veth->evidence.update(completion_json(veth->completion));
        veth->evidence["error"] = veth->error.empty() ? json(nullptr) : json(veth->error);
        veth->evidence["module"] = modules->decision.evidence();
        veth->evidence["module"]["modules_loaded_by_run"] = modules_loaded_since(*modules, veth_needs());
        ev["veth"] = veth->evidence;
        // veth absent and no module can load: the leg was never possible.
        if (!veth->error.empty()) {
            if (const auto why = module_absent_reason(modules->decision, veth->veth_kind_unsupported); !why.empty()) {
                ev["veth"]["why_not"] = why;
                skip = why;
            }
        }
    } else {
        ev["veth"] = {{"tried", false}, {"why_not", *skip}};
        if (modules) ev["veth"]["module"] = modules->decision.evidence();
    }
    // The leg that decided: the black hole, where it ran, alone answers the
    // zero-copy question (loopback copies whatever the kernel can do on a
    // real egress path); where it was not tried or failed, loopback.
    const bool veth_decides = veth && veth->error.empty();
    const Completion& verdict = veth_decides ? veth->completion : loop;
    ev["path"] = veth_decides ? "veth_blackhole" : "loopback";
    ev["completion_received"] = verdict.received;
    ev["copied"] = verdict.copied ? json(*verdict.copied) : json(nullptr);
    ev["zero_copy"] = verdict.copied ? json(!*verdict.copied) : json(nullptr);

    if (!verified) {
        return failed("send(MSG_ZEROCOPY) on " + name + " socket: receiver got " + std::to_string(got.bytes.size()) +
                          " of " + std::to_string(payload_len) + " bytes, not matching what was sent" +
                          (got.err != 0 ? "; receive failed: " + errno_text(got.err) : ""),
                      ev);
    }
    if (!loop.received) {
        return failed("send(MSG_ZEROCOPY) on " + name + " socket succeeded but " + completion_text(loop) +
                          " on its error queue; verdict inconclusive",
                      ev);
    }
    std::string reason = "SO_ZEROCOPY accepted; " + std::to_string(payload_len) +
                         " bytes sent with MSG_ZEROCOPY over loopback and verified; loopback completion: " +
                         completion_text(loop);
    if (*loop.copied) reason += " (local delivery copies by design)";
    if (veth && veth->error.empty()) {
        reason += "; through a veth black hole: " + completion_text(veth->completion);
    } else if (veth && !skip) {
        reason += "; veth black hole failed: " + veth->error + " (verdict from loopback)";
    } else {
        reason += "; veth not tried: " + *skip;
    }
    return supported(std::move(reason), ev);
}

// tcp and udp: supported from the release that enabled the datapath
// (whether the pages went out uncopied depends on the path, so only the
// status is predicted). Every other kind: SO_ZEROCOPY is refused, first with
// the kernel-internal ENOTSUPP (524), from 5.18 with EOPNOTSUPP.
History zerocopy_history(traffic::Kind kind)
{
    switch (kind) {
    case traffic::Kind::tcp4:
    case traffic::Kind::tcp6:
        return {change(kc::tcp_zerocopy, "MSG_ZEROCOPY on tcp sockets", expect(Status::supported))};
    case traffic::Kind::udp4:
    case traffic::Kind::udp6:
        return {change(kc::udp_zerocopy, "MSG_ZEROCOPY on udp sockets", expect(Status::supported))};
    default:
        return {change(kc::so_zerocopy, "SO_ZEROCOPY refused for this socket kind with ENOTSUPP (524)",
                       expect(Status::unsupported, "errno", enotsupp)),
                change(kc::so_zerocopy_eopnotsupp, "the refusal becomes EOPNOTSUPP",
                       expect(Status::unsupported, "errno", EOPNOTSUPP))};
    }
}

bool is_unix(traffic::Kind kind) { return kind == traffic::Kind::unix_stream || kind == traffic::Kind::unix_dgram; }

} // namespace

void add_zerocopy_probes(std::vector<Spec>& out)
{
    // SO_ZEROCOPY arrived with 76851d1212c1 "sock: add SOCK_ZEROCOPY sockopt"
    // (4.14) and the datapaths with f214f915e7db "tcp: enable MSG_ZEROCOPY"
    // (4.14) and b5947e5d1e71 "udp: msg_zerocopy" (5.0). sk_setsockopt()
    // refuses it for every other inet and packet socket and for AF_UNIX
    // (ENOTSUPP, later EOPNOTSUPP), which is what those kinds record.
    for (const auto& k : traffic::all_kinds()) {
        const traffic::Kind kind = k.kind;
        std::vector<int> caps = k.capabilities;
        if (veth_capable(kind)) caps.push_back(cap_net_admin); // the veth black hole
        out.push_back({"zerocopy." + std::string(k.name), "zerocopy",
                       "MSG_ZEROCOPY send on " + std::string(k.description),
                       "SO_ZEROCOPY is accepted, a MSG_ZEROCOPY send arrives intact and its completion is queued on "
                       "the error queue; evidence.zero_copy says whether the pages went out uncopied on the path "
                       "in evidence.path (loopback always copies)",
                       caps, zerocopy_history(kind),
                       !is_unix(kind), // unix socketpairs send no network traffic
                       [kind](const Context& c) { return probe_zerocopy(c, kind); }});
    }
}

} // namespace zc::probe
