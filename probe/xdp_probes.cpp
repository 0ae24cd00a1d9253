// AF_XDP (XSK) transmit: the socket family, TX in copy mode through a veth
// pair, a zero-copy bind, and the need_wakeup bind flag. Frames leave a UMEM
// through the TX ring of a TX-only socket (no XDP program) and arrive on the
// veth peer, where an AF_PACKET receiver checks every byte. The pair lives in
// a throwaway nested network namespace inside the probe's private one.
#include "probe/families.hpp"
#include "probe/module_gate.hpp"

#include "core/close_later.hpp"
#include "core/errno_name.hpp"
#include "traffic/netlink.hpp"
#include "traffic/netns_visit.hpp"
#include "core/proc_files.hpp"
#include "traffic/payload.hpp"
#include "traffic/socket_kinds.hpp"
#include "traffic/xsk_socket.hpp"

#include <arpa/inet.h>
#include <net/if.h>
#include <fcntl.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <poll.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace zc::probe {

namespace {

using clock = std::chrono::steady_clock;
using nlohmann::json;

constexpr uint32_t frames_sent = 8;
constexpr size_t payload_len = 1000; // one unfragmented frame on veth's 1500 MTU
constexpr uint8_t src_mac[ETH_ALEN] = {0x02, 0x00, 0x5e, 0x00, 0x53, 0x01}; // locally administered

// The veth pair a -> b in a nested namespace: leaving it lets the kernel tear
// the pair down in the background, and nothing is created in the namespace
// later probes share. Falls back to the probe's namespace (then deletes)
// only where that is one the tool made (own_namespace); in the caller's
// (--host-netns) no pair is made and skip_reason() says why.
class VethPair {
public:
    explicit VethPair(bool own_namespace)
    {
        const std::string pid = std::to_string(::getpid());
        a_ = "zx" + pid + "a";
        b_ = "zx" + pid + "b";
        if (!visit_.entered() && !own_namespace) {
            const int err = visit_.err();
            skip_ = "no namespace of its own for the veth pair: " + visit_.failed_call() + " failed: " + errno_text(err) +
                    (err == EPERM ? " (needs CAP_SYS_ADMIN)" : "") +
                    "; links are created only in a namespace the tool made, never in the caller's (--host-netns)";
            return;
        }
        error_ = netlink::create_veth(a_, b_, &kind_unsupported_);
        created_ = error_.empty();
        // Peer first, so a's carrier is on when it comes up.
        if (created_) error_ = netlink::set_link_up(b_);
        if (error_.empty()) error_ = netlink::set_link_up(a_);
        if (error_.empty()) {
            std::string err;
            const auto ia = netlink::link_info(a_, err);
            const auto ib = ia ? netlink::link_info(b_, err) : std::nullopt;
            if (ia && ib) {
                ifindex_a_ = ia->ifindex;
                ifindex_b_ = ib->ifindex;
            } else {
                error_ = err;
            }
        }
    }
    VethPair(const VethPair&) = delete;
    VethPair& operator=(const VethPair&) = delete;
    // Our sockets are closed by now: leaving the nested namespace drops it
    // (visit_'s destructor, after this; a failed return ends the probe).
    ~VethPair()
    {
        if (!visit_.entered() && created_) netlink::delete_link(a_); // takes the peer too
    }
    [[nodiscard]] const std::string& error() const { return error_; }
    [[nodiscard]] const std::string& skip_reason() const { return skip_; }
    [[nodiscard]] bool kind_unsupported() const { return kind_unsupported_; }
    [[nodiscard]] int tx_ifindex() const { return ifindex_a_; }
    [[nodiscard]] int rx_ifindex() const { return ifindex_b_; }
    [[nodiscard]] json evidence() const
    {
        return {{"links", {a_, b_}}, {"namespace", visit_.entered() ? "nested" : "probe"}};
    }

private:
    NetnsVisit visit_ = NetnsVisit::fresh(); // first: entered before the links, left after them
    std::string a_, b_, error_, skip_;
    bool created_ = false;
    bool kind_unsupported_ = false;
    int ifindex_a_ = 0;
    int ifindex_b_ = 0;
};

// veth through the module gate: creating the pair makes the kernel load
// veth (rtnl_newlink() requests "rtnl-link-veth"), so without
// --load-modules a probe is skipped where veth is a module not loaded; and
// where none can load and the pair is refused, veth is absent (skipped,
// never error).
ModuleCheck veth_check(const Context& ctx)
{
    return check_modules(veth_needs(), ctx.load_modules, "creating a veth link");
}

// The result when the pair could not be made: skipped when veth is absent.
Result veth_failed(const ModuleCheck& check, const VethPair& veth, json ev)
{
    const std::string failure = "veth setup failed: " + veth.error();
    if (auto r = absent_skip(check, veth.kind_unsupported(), failure, ev)) return *r;
    return failed(failure, std::move(ev));
}

// The gate's evidence once the pair exists, with what creating it loaded.
json veth_module_evidence(const ModuleCheck& check)
{
    json ev = check.decision.evidence();
    ev["modules_loaded_by_run"] = modules_loaded_since(check, veth_needs());
    return ev;
}

// Broadcast Ethernet header with our experimental EtherType, then a pattern.
std::vector<uint8_t> test_frame(uint32_t seed)
{
    std::vector<uint8_t> f(ETH_HLEN + payload_len);
    std::memset(f.data(), 0xff, ETH_ALEN);
    std::memcpy(f.data() + ETH_ALEN, src_mac, ETH_ALEN);
    const uint16_t type = htons(traffic::test_ethertype);
    std::memcpy(f.data() + 2 * ETH_ALEN, &type, sizeof type);
    traffic::fill_pattern(std::span(f).subspan(ETH_HLEN), seed);
    return f;
}

SysResult open_receiver(int ifindex, Fd& out)
{
    // Protocol 0 here and the EtherType in bind(): no rehook, so no RCU
    // grace period in bind (see traffic/socket_kinds.cpp open_packet).
    out = Fd(::socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0));
    if (!out) return SysResult{-1, errno};
    sockaddr_ll sll{};
    sll.sll_family = AF_PACKET;
    sll.sll_protocol = htons(traffic::test_ethertype);
    sll.sll_ifindex = ifindex;
    return sys_result(::bind(out.get(), reinterpret_cast<const sockaddr*>(&sll), sizeof sll));
}

// Whole frames as they arrived, until count have come or the wait is over.
std::vector<std::vector<uint8_t>> receive_frames(int fd, uint32_t count, int wait_ms, int& err)
{
    std::vector<std::vector<uint8_t>> got;
    const auto deadline = clock::now() + std::chrono::milliseconds(wait_ms);
    std::vector<uint8_t> buf(4096);
    while (got.size() < count) {
        const SysResult r = sys_result(::recv(fd, buf.data(), buf.size(), MSG_DONTWAIT));
        if (r.ok()) {
            got.emplace_back(buf.begin(), buf.begin() + r.value);
            continue;
        }
        if (r.err != EAGAIN) {
            err = r.err;
            break;
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now()).count();
        if (left <= 0) break;
        pollfd p{fd, POLLIN, 0};
        ::poll(&p, 1, static_cast<int>(left));
    }
    return got;
}

// Kicks until the kernel has taken every descriptor off the TX ring.
// EAGAIN/EBUSY/ENOBUFS: the kernel wants another call (xsk_generic_xmit).
SysResult drain_tx(traffic::xsk::TxSocket& s, int wait_ms, int& kicks)
{
    const auto deadline = clock::now() + std::chrono::milliseconds(wait_ms);
    SysResult last{0, 0};
    while (s.tx_pending() > 0 && clock::now() < deadline) {
        last = s.kick();
        ++kicks;
        if (!last.ok() && last.err != EAGAIN && last.err != EBUSY && last.err != ENOBUFS) return last;
        if (s.tx_pending() > 0) std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    return SysResult{0, 0};
}

std::vector<uint64_t> await_completions(traffic::xsk::TxSocket& s, uint32_t count, int wait_ms)
{
    std::vector<uint64_t> done;
    std::vector<uint64_t> buf(count);
    const auto deadline = clock::now() + std::chrono::milliseconds(wait_ms);
    while (done.size() < count) {
        const uint32_t n = s.reap(buf);
        done.insert(done.end(), buf.begin(), buf.begin() + n);
        if (done.size() >= count || clock::now() >= deadline) break;
        std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    return done;
}

traffic::xsk::Options options_for(int ifindex, uint16_t flags)
{
    traffic::xsk::Options o;
    o.ifindex = ifindex;
    o.bind_flags = flags;
    o.layout = {.frame_size = 2048, .frame_count = 16};
    o.ring_size = 16;
    return o;
}

Result open_failed(const Context& ctx, const traffic::xsk::OpenOutcome& oc, std::string_view hint, json ev)
{
    if (oc.err == 0) return failed(oc.failed_call + " is invalid; cannot test", std::move(ev));
    return from_errno(ctx, oc.failed_call, oc.err, hint, std::move(ev));
}

Result probe_socket(const Context& ctx)
{
    Fd s(::socket(AF_XDP, SOCK_RAW | SOCK_CLOEXEC, 0));
    if (!s) {
        const int err = errno;
        return from_errno(ctx, "socket(AF_XDP, SOCK_RAW)", err,
                          err == EAFNOSUPPORT ? "the kernel lacks AF_XDP (CONFIG_XDP_SOCKETS, 4.18+)" : "");
    }
    return supported("socket(AF_XDP, SOCK_RAW) succeeded");
}

// TX through the copy path: every frame from the UMEM arrives on the peer,
// every completion comes back. The witness: each frame is rewritten in the
// UMEM as soon as the kernel has taken its descriptor, before the receiver
// reads it; the original bytes arriving mean the kernel copied at send time.
Result run_tx(const Context& ctx, uint16_t flags, bool check_wakeup)
{
    json ev = {{"bind_flags", flags},
               {"frames", frames_sent},
               {"frame_len", ETH_HLEN + payload_len},
               {"kicks", nullptr},
               {"completions", nullptr},
               {"completions_match", false},
               {"received", nullptr},
               {"bytes_verified", false},
               {"witness", nullptr},
               {"zero_copy", nullptr},
               {"xdp_options_zerocopy", nullptr},
               {"tx_need_wakeup", nullptr}};
    const ModuleCheck modules = veth_check(ctx);
    if (auto r = gate_skip(modules, ev)) return *r;
    VethPair veth(ctx.isolated);
    if (!veth.skip_reason().empty()) return skipped(veth.skip_reason());
    ev["veth"] = veth.evidence();
    if (!veth.error().empty()) return veth_failed(modules, veth, ev);
    ev["veth_module"] = veth_module_evidence(modules);

    Fd rx;
    const CloseLaterGuard rx_later(rx); // a packet socket: its close waits for a grace period
    if (auto r = open_receiver(veth.rx_ifindex(), rx); !r.ok()) {
        return from_errno(ctx, "socket()/bind() of the packet receiver on the veth peer", r.err, {}, ev);
    }
    auto oc = traffic::xsk::TxSocket::open(options_for(veth.tx_ifindex(), flags));
    if (!oc.socket) {
        std::string_view hint;
        if (oc.err == EINVAL && oc.failed_call.starts_with("bind(")) {
            hint = (flags & XDP_USE_NEED_WAKEUP) ? "the kernel predates XDP_USE_NEED_WAKEUP (5.4)"
                                                 : "the kernel predates the XDP_COPY bind flag (4.19)";
        }
        return open_failed(ctx, oc, hint, ev);
    }
    traffic::xsk::TxSocket& s = *oc.socket;
    if (check_wakeup) {
        const auto w = s.tx_needs_wakeup();
        ev["tx_need_wakeup"] = w ? json(*w) : json(nullptr);
    }

    std::vector<std::vector<uint8_t>> originals, overwritten;
    for (uint32_t i = 0; i < frames_sent; ++i) {
        originals.push_back(test_frame(0x58D00000U + i));
        overwritten.push_back(test_frame(0x58D08000U + i));
        std::memcpy(s.frame(i), originals[i].data(), originals[i].size());
        s.queue(i, static_cast<uint32_t>(originals[i].size()));
    }
    s.submit();
    int kicks = 0;
    const SysResult sent = drain_tx(s, ctx.wait_ms, kicks);
    ev["kicks"] = kicks;
    if (!sent.ok()) return from_errno(ctx, "sendto(MSG_DONTWAIT) on the xsk socket", sent.err, {}, ev);
    if (s.tx_pending() > 0) {
        return failed("the kernel left " + std::to_string(s.tx_pending()) + " of " + std::to_string(frames_sent) +
                          " descriptors on the xsk tx ring",
                      ev);
    }
    // The kernel has taken every descriptor: rewrite the payloads now.
    for (uint32_t i = 0; i < frames_sent; ++i) {
        std::memcpy(s.frame(i) + ETH_HLEN, overwritten[i].data() + ETH_HLEN, payload_len);
    }
    const std::vector<uint64_t> done = await_completions(s, frames_sent, ctx.wait_ms);
    ev["completions"] = done.size();
    std::vector<uint64_t> expected, sorted = done;
    for (uint32_t i = 0; i < frames_sent; ++i) expected.push_back(s.layout().frame_addr(i));
    std::sort(sorted.begin(), sorted.end());
    ev["completions_match"] = sorted == expected;
    const auto zc = s.zero_copy();
    ev["xdp_options_zerocopy"] = zc ? json(*zc) : json(nullptr);

    int rerr = 0;
    const auto got = receive_frames(rx.get(), frames_sent, ctx.wait_ms, rerr);
    ev["received"] = got.size();
    if (rerr != 0) return from_errno(ctx, "recv() on the packet receiver on the veth peer", rerr, {}, ev);

    bool verified = got.size() == frames_sent;
    std::optional<traffic::Witness> witness;
    for (size_t i = 0; verified && i < got.size(); ++i) {
        const std::span<const uint8_t> g(got[i]);
        const bool header_ok = g.size() >= ETH_HLEN && std::equal(g.begin(), g.begin() + ETH_HLEN, originals[i].begin());
        const traffic::Witness w = header_ok ? traffic::classify_witness(g.subspan(ETH_HLEN), std::span(originals[i]).subspan(ETH_HLEN),
                                                       std::span(overwritten[i]).subspan(ETH_HLEN))
                                    : traffic::Witness::neither;
        if (w == traffic::Witness::neither) verified = false;
        // One frame copied and another referenced is reported as mixed.
        witness = !witness || *witness == w ? w : traffic::Witness::mixed;
    }
    ev["bytes_verified"] = verified;
    if (witness && verified) {
        ev["witness"] = traffic::witness_name(*witness);
        ev["zero_copy"] = traffic::witness_zero_copy(*witness);
    }

    if (got.empty()) return failed("no xsk frame reached the packet receiver on the veth peer", ev);
    if (!verified) {
        return failed("xsk frames arrived short or corrupted on the veth peer (" + std::to_string(got.size()) + " of " +
                          std::to_string(frames_sent) + ")",
                      ev);
    }
    if (!ev["completions_match"].get<bool>()) {
        return failed("the completion ring returned " + std::to_string(done.size()) + " of " +
                          std::to_string(frames_sent) + " frame addresses, or wrong ones",
                      ev);
    }
    if (check_wakeup && ev["tx_need_wakeup"] == false) {
        return failed("bind with XDP_USE_NEED_WAKEUP succeeded but the tx ring's XDP_RING_NEED_WAKEUP flag is clear",
                      ev);
    }
    const char* how = *witness == traffic::Witness::original
                          ? "receiver saw the bytes from send time (copied)"
                          : "receiver saw bytes rewritten in the umem after the kernel took them (zero-copy)";
    std::string what = std::to_string(frames_sent) + " frames sent from the umem through a veth pair, all " +
                       "completed, received and verified; " + how;
    if (check_wakeup) what = "bound with XDP_USE_NEED_WAKEUP, tx ring asks for a wakeup; " + what;
    return supported(what, ev);
}

// XDP_ZEROCOPY forces the driver path: xp_assign_dev() fails with
// EOPNOTSUPP unless the link offers NETDEV_XDP_ACT_XSK_ZEROCOPY.
Result probe_zerocopy_bind(const Context& ctx)
{
    json ev = {{"driver", "veth"}, {"xdp_options_zerocopy", nullptr}};
    const ModuleCheck modules = veth_check(ctx);
    if (auto r = gate_skip(modules, ev)) return *r;
    VethPair veth(ctx.isolated);
    if (!veth.skip_reason().empty()) return skipped(veth.skip_reason());
    ev["veth"] = veth.evidence();
    if (!veth.error().empty()) return veth_failed(modules, veth, ev);
    ev["veth_module"] = veth_module_evidence(modules);
    auto oc = traffic::xsk::TxSocket::open(options_for(veth.tx_ifindex(), XDP_ZEROCOPY));
    if (!oc.socket) {
        std::string_view hint;
        if (oc.failed_call.starts_with("bind(")) {
            if (oc.err == EOPNOTSUPP) hint = "the veth driver lacks AF_XDP zero-copy (no XSK zero-copy in its xdp features)";
            if (oc.err == EINVAL) hint = "the kernel predates the XDP_ZEROCOPY bind flag (4.19)";
        }
        return open_failed(ctx, oc, hint, ev);
    }
    const auto zc = oc.socket->zero_copy();
    ev["xdp_options_zerocopy"] = zc ? json(*zc) : json(nullptr);
    if (zc && !*zc) return failed("bind(AF_XDP, XDP_ZEROCOPY) succeeded but XDP_OPTIONS reports copy mode", ev);
    return supported("bind(AF_XDP, XDP_ZEROCOPY) on a veth link succeeded: the driver transmits from the umem", ev);
}

// The driver bound to a link, from the /sys/class/net/NAME/device/driver
// link (absent for virtual links such as veth); null when there is none.
json link_driver(const std::string& name)
{
    char buf[256];
    const std::string path = "/sys/class/net/" + name + "/device/driver";
    const ssize_t n = ::readlink(path.c_str(), buf, sizeof buf - 1);
    if (n <= 0) return nullptr;
    const std::string target(buf, static_cast<size_t>(n));
    return target.substr(target.rfind('/') + 1);
}

// XDP_ZEROCOPY on a link the user named (--xdp-device), in the namespace
// zcprobe started in: the socket is made there (bind() looks the ifindex up
// in the socket's namespace), then the child returns to its private one.
// Nothing is sent: no frame, no kick; the bind alone asks the driver for a
// zero-copy pool on queue 0 (ndo_bpf XDP_SETUP_XSK_POOL, which reconfigures
// that queue). virtio-net answers since 6.13: 21a4e3ce6dc7 "virtio_net:
// xsk: bind/unbind xsk for tx" and 37e0ca657a3d "virtio_net: xdp_features
// add NETDEV_XDP_ACT_XSK_ZEROCOPY"; before that xp_assign_dev() refuses
// with EOPNOTSUPP, as for every driver without the feature.
Result probe_zerocopy_bind_device(const Context& ctx)
{
    if (ctx.xdp_device.empty()) return skipped("no --xdp-device given");
    const std::string& name = ctx.xdp_device;
    json ev = {{"device", name}, {"driver", link_driver(name)}, {"queue", 0}, {"ifindex", nullptr},
               {"xdp_options_zerocopy", nullptr}};
    if (ctx.home_netns_fd < 0) return failed("--xdp-device given but the starting namespace was not kept", ev);
    NetnsVisit start = NetnsVisit::into(ctx.home_netns_fd);
    if (!start.entered()) {
        return from_errno(ctx, start.failed_call() + " into the namespace zcprobe started in", start.err(), {}, ev);
    }
    const unsigned ifindex = ::if_nametoindex(name.c_str());
    const int index_err = errno;
    Fd sock(::socket(AF_XDP, SOCK_RAW | SOCK_CLOEXEC, 0));
    const int sock_err = errno;
    // Back at once: the probe does nothing else in the starting namespace
    // (a failed return ends the probe: NetnsVisit's policy).
    start.leave();
    if (ifindex == 0) return from_errno(ctx, "if_nametoindex(" + name + ")", index_err, {}, ev);
    ev["ifindex"] = ifindex;
    if (!sock) {
        return from_errno(ctx, "socket(AF_XDP, SOCK_RAW)", sock_err,
                          sock_err == EAFNOSUPPORT ? "the kernel lacks AF_XDP (CONFIG_XDP_SOCKETS, 4.18+)" : "", ev);
    }
    auto oc = traffic::xsk::TxSocket::open(options_for(static_cast<int>(ifindex), XDP_ZEROCOPY), std::move(sock));
    if (!oc.socket) {
        std::string_view hint;
        if (oc.failed_call.starts_with("bind(")) {
            if (oc.err == EOPNOTSUPP) hint = "the driver has no AF_XDP zero-copy (no XSK zero-copy in its xdp features)";
            if (oc.err == EINVAL) hint = "the kernel predates XDP_ZEROCOPY (4.19), or the driver refused queue 0 (virtio-net: "
                                          "the device lacks VIRTIO_F_ACCESS_PLATFORM, so no DMA device for the umem)";
            if (oc.err == ENOENT) hint = "the driver could not reset the queue (virtio-net needs the device's ring reset feature)";
            if (oc.err == EBUSY) hint = "queue 0 already has an AF_XDP umem bound";
        }
        return open_failed(ctx, oc, hint, ev);
    }
    const auto zc = oc.socket->zero_copy();
    ev["xdp_options_zerocopy"] = zc ? json(*zc) : json(nullptr);
    if (zc && !*zc) return failed("bind(AF_XDP, XDP_ZEROCOPY) succeeded but XDP_OPTIONS reports copy mode", ev);
    return supported("bind(AF_XDP, XDP_ZEROCOPY) to queue 0 of " + name +
                         " succeeded: the driver offers AF_XDP zero-copy (nothing was sent)",
                     ev);
}

} // namespace

void add_xdp_probes(std::vector<Spec>& out)
{
    // 4.18, c0c77d8fb787 "xsk: add user memory registration support sockopt"
    // added PF_XDP, the socket family and XDP_UMEM_REG.
    out.push_back(Spec{
        .id = "xdp.socket",
        .section = "xdp",
        .title = "AF_XDP socket family",
        .supported_means = "socket(AF_XDP, SOCK_RAW) succeeds",
        .capabilities = {cap_net_raw},
        .history = {change(kc::xsk_umem, "the AF_XDP socket family", expect(Status::supported))},
        .needs_netns = false,
        .run = probe_socket,
    });
    // 4.18, 35fcde7f8deb "xsk: support for Tx": the TX ring and the skb
    // (copy) transmit path, xsk_generic_xmit().
    out.push_back(Spec{
        .id = "xdp.tx_copy",
        .section = "xdp",
        .title = "AF_XDP TX in copy mode (XDP_COPY) on veth",
        .supported_means = "frames placed in a umem and on the tx ring of an XDP_COPY socket leave through a veth "
                           "link, arrive intact on its peer, and every frame returns on the completion ring",
        .capabilities = {cap_net_raw, cap_net_admin},
        .history = {change(kc::xsk_tx, "the tx ring and the copy transmit path", expect(Status::supported))},
        .needs_netns = true,
        .run = [](const Context& ctx) { return run_tx(ctx, XDP_COPY, false); },
    });
    // 4.19, ac98d8aab61b "xsk: wire upp Tx zero-copy functions" (with the
    // XDP_ZEROCOPY bind flag from the same series): the driver sends from
    // the umem. veth has never offered it; virtio-net since 6.13.
    out.push_back(Spec{
        .id = "xdp.zerocopy_bind",
        .section = "xdp",
        .title = "AF_XDP zero-copy bind (XDP_ZEROCOPY) on veth",
        .supported_means = "bind(AF_XDP) with XDP_ZEROCOPY to a veth link succeeds and XDP_OPTIONS reports zero-copy",
        .capabilities = {cap_net_raw, cap_net_admin},
        .history = {change(kc::xsk_tx_zerocopy, "driver zero-copy tx; veth never offered it",
                           expect(Status::unsupported))},
        .needs_netns = true,
        .run = probe_zerocopy_bind,
    });
    // A zero-copy bind on a link the user names: what the driver offers.
    out.push_back(Spec{
        .id = "xdp.zerocopy_bind_device",
        .section = "xdp",
        .title = "AF_XDP zero-copy bind (XDP_ZEROCOPY) on the --xdp-device link",
        .supported_means = "bind(AF_XDP) with XDP_ZEROCOPY to queue 0 of the link named by --xdp-device, in the "
                           "namespace zcprobe started in, succeeds (nothing is sent)",
        .capabilities = {cap_net_raw, cap_net_admin, cap_sys_admin},
        .history = {change(kc::xsk_tx_zerocopy, "driver zero-copy tx, for drivers that offer it"),
                    change(kc::virtio_net_xsk_zerocopy, "virtio-net offers AF_XDP zero-copy")},
        .needs_netns = false,
        .run = probe_zerocopy_bind_device,
    });
    // 5.4, 77cd0d7b3f25 "xsk: add support for need_wakeup flag in AF_XDP
    // rings" (merged Aug 2019, after 5.3-rc1).
    out.push_back(Spec{
        .id = "xdp.need_wakeup",
        .section = "xdp",
        .title = "AF_XDP XDP_USE_NEED_WAKEUP bind flag",
        .supported_means = "bind(AF_XDP) with XDP_COPY|XDP_USE_NEED_WAKEUP succeeds, the tx ring shows "
                           "XDP_RING_NEED_WAKEUP, and frames kicked with sendto() arrive intact",
        .capabilities = {cap_net_raw, cap_net_admin},
        .history = {change(kc::xsk_need_wakeup, "the need_wakeup flag on the rings", expect(Status::supported))},
        .needs_netns = true,
        .run = [](const Context& ctx) { return run_tx(ctx, XDP_COPY | XDP_USE_NEED_WAKEUP, true); },
    });
}

} // namespace zc::probe
