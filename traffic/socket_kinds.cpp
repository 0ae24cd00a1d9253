#include "traffic/socket_kinds.hpp"

#include "core/close_later.hpp"

#include "core/proc_files.hpp"
#include "core/run_identity.hpp"
#include "core/syscalls.hpp"
#include "traffic/egress_link.hpp"
#include "traffic/payload.hpp"

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/filter.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <system_error>
#include <thread>

namespace zc::traffic {

namespace {

constexpr size_t ipv4_header_len = 20;
constexpr size_t ethernet_header_len = ETH_HLEN;

ChannelOutcome fail(std::string call, int err)
{
    ChannelOutcome out;
    out.failed_call = std::move(call);
    out.err = err;
    return out;
}

sockaddr_in loopback4(uint16_t port = 0)
{
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

sockaddr_in6 loopback6(uint16_t port = 0)
{
    sockaddr_in6 a{};
    a.sin6_family = AF_INET6;
    a.sin6_port = htons(port);
    a.sin6_addr = in6addr_loopback;
    return a;
}

template <class Addr>
SysResult bind_to(int fd, const Addr& a)
{
    return sys_result(::bind(fd, reinterpret_cast<const sockaddr*>(&a), sizeof a));
}

template <class Addr>
SysResult connect_to(int fd, const Addr& a)
{
    return sys_result(::connect(fd, reinterpret_cast<const sockaddr*>(&a), sizeof a));
}

template <class Addr>
Addr local_name(int fd)
{
    Addr a{};
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    return a;
}

ChannelOutcome open_raw(Channel ch, int family, int tx_protocol)
{
    const char* fam = family == AF_INET ? "AF_INET" : "AF_INET6";
    if (auto r = sys::socket(family, SOCK_RAW, test_ip_protocol, ch.rx); !r.ok()) {
        return fail(std::string("socket(") + fam + ", SOCK_RAW, 253) for the receiver", r.err);
    }
    if (auto r = sys::socket(family, SOCK_RAW, tx_protocol, ch.tx); !r.ok()) {
        return fail(std::string("socket(") + fam + ", SOCK_RAW, " +
                        (tx_protocol == IPPROTO_RAW ? "IPPROTO_RAW" : "253") + ")",
                    r.err);
    }
    const SysResult r = family == AF_INET ? connect_to(ch.tx.get(), loopback4()) : connect_to(ch.tx.get(), loopback6());
    if (!r.ok()) {
        return fail("connect() of the raw sender to loopback", r.err);
    }
    ChannelOutcome out;
    out.channel = std::move(ch);
    return out;
}

ChannelOutcome open_udp(Channel ch, int family)
{
    const char* fam = family == AF_INET ? "AF_INET" : "AF_INET6";
    if (auto r = sys::socket(family, SOCK_DGRAM, 0, ch.rx); !r.ok()) {
        return fail(std::string("socket(") + fam + ", SOCK_DGRAM)", r.err);
    }
    if (auto r = sys::socket(family, SOCK_DGRAM, 0, ch.tx); !r.ok()) {
        return fail(std::string("socket(") + fam + ", SOCK_DGRAM)", r.err);
    }
    SysResult r;
    if (family == AF_INET) {
        r = bind_to(ch.rx.get(), loopback4());
        if (r.ok()) r = connect_to(ch.tx.get(), local_name<sockaddr_in>(ch.rx.get()));
    } else {
        r = bind_to(ch.rx.get(), loopback6());
        if (r.ok()) r = connect_to(ch.tx.get(), local_name<sockaddr_in6>(ch.rx.get()));
    }
    if (!r.ok()) return fail("bind/connect of the UDP pair on loopback", r.err);
    // Room for the largest probe datagrams even where rmem_default is small.
    sys::setsockopt_int(ch.rx.get(), SOL_SOCKET, SO_RCVBUF, 1 << 20);
    ChannelOutcome out;
    out.channel = std::move(ch);
    return out;
}

ChannelOutcome open_tcp(Channel ch, int family)
{
    const char* fam = family == AF_INET ? "AF_INET" : "AF_INET6";
    Fd listener;
    if (auto r = sys::socket(family, SOCK_STREAM, 0, listener); !r.ok()) {
        return fail(std::string("socket(") + fam + ", SOCK_STREAM)", r.err);
    }
    if (auto r = sys::socket(family, SOCK_STREAM, 0, ch.tx); !r.ok()) {
        return fail(std::string("socket(") + fam + ", SOCK_STREAM)", r.err);
    }
    SysResult r;
    if (family == AF_INET) {
        r = bind_to(listener.get(), loopback4());
        if (r.ok()) r = sys_result(::listen(listener.get(), 1));
        if (r.ok()) r = connect_to(ch.tx.get(), local_name<sockaddr_in>(listener.get()));
    } else {
        r = bind_to(listener.get(), loopback6());
        if (r.ok()) r = sys_result(::listen(listener.get(), 1));
        if (r.ok()) r = connect_to(ch.tx.get(), local_name<sockaddr_in6>(listener.get()));
    }
    if (!r.ok()) return fail("bind/listen/connect of the TCP pair on loopback", r.err);
    r = sys_result(::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC));
    if (!r.ok()) return fail("accept() of the TCP pair on loopback", r.err);
    ch.rx.reset(static_cast<int>(r.value));
    sys::setsockopt_int(ch.tx.get(), IPPROTO_TCP, TCP_NODELAY, 1);
    ChannelOutcome out;
    out.channel = std::move(ch);
    return out;
}

ChannelOutcome open_packet(Channel ch, int type)
{
    const char* ty = type == SOCK_RAW ? "SOCK_RAW" : "SOCK_DGRAM";
    const unsigned lo = ::if_nametoindex("lo");
    if (lo == 0) return fail("if_nametoindex(lo)", errno);
    ch.ifindex = static_cast<int>(lo);
    // The receiver binds to our EtherType only, so it sees nothing else. It
    // is made with protocol 0 and given the EtherType by bind(): a socket
    // made with a protocol is hooked at once (packet_create), and bind()
    // then unhooks it with synchronize_net(), an RCU grace period (~16 ms
    // here, most of a packet probe's time); an unhooked socket is hooked by
    // bind() without that wait (packet_do_bind; torvalds/linux
    // net/packet/af_packet.c at 006df0173821, unchanged since 5.x).
    if (auto r = sys::socket(AF_PACKET, type, 0, ch.rx); !r.ok()) {
        return fail(std::string("socket(AF_PACKET, ") + ty + ") for the receiver", r.err);
    }
    sockaddr_ll rx_addr{};
    rx_addr.sll_family = AF_PACKET;
    rx_addr.sll_protocol = htons(test_ethertype);
    rx_addr.sll_ifindex = ch.ifindex;
    if (auto r = bind_to(ch.rx.get(), rx_addr); !r.ok()) {
        return fail("bind() of the packet receiver to lo", r.err);
    }
    // The sender binds with protocol 0 so it receives nothing itself; bound
    // to lo so a send without an address (splice, sendfile) has a device.
    if (auto r = sys::socket(AF_PACKET, type, 0, ch.tx); !r.ok()) {
        return fail(std::string("socket(AF_PACKET, ") + ty + ")", r.err);
    }
    sockaddr_ll tx_addr{};
    tx_addr.sll_family = AF_PACKET;
    tx_addr.sll_protocol = type == SOCK_DGRAM ? htons(test_ethertype) : 0;
    tx_addr.sll_ifindex = ch.ifindex;
    if (auto r = bind_to(ch.tx.get(), tx_addr); !r.ok()) {
        return fail("bind() of the packet sender to lo", r.err);
    }
    ChannelOutcome out;
    out.channel = std::move(ch);
    return out;
}

ChannelOutcome open_unix(Channel ch, int type)
{
    int fds[2];
    if (auto r = sys_result(::socketpair(AF_UNIX, type | SOCK_CLOEXEC, 0, fds)); !r.ok()) {
        return fail(std::string("socketpair(AF_UNIX, ") + (type == SOCK_STREAM ? "SOCK_STREAM" : "SOCK_DGRAM") + ")",
                    r.err);
    }
    ch.tx.reset(fds[0]);
    ch.rx.reset(fds[1]);
    sys::setsockopt_int(ch.tx.get(), SOL_SOCKET, SO_SNDBUF, 1 << 20);
    ChannelOutcome out;
    out.channel = std::move(ch);
    return out;
}

// Bytes the receiving socket returns in front of the payload.
size_t rx_prefix(const Channel& ch, std::span<const uint8_t> got)
{
    switch (ch.info->kind) {
    case Kind::raw4_hdrincl:
    case Kind::raw4:
        // IPv4 raw sockets deliver the IP header; IHL says how long it is.
        return got.empty() ? 0 : static_cast<size_t>(got[0] & 0x0F) * 4;
    case Kind::packet_raw:
        return ethernet_header_len;
    default:
        return 0;
    }
}

// A receive filter for the kinds that share traffic: the kernel drops what
// is_foreign() would skip before it reaches our queue, so a concurrent run's
// flood (an engine at line rate on the same protocol) cannot fill the queue
// and push our one datagram out. Classic BPF loads are big-endian words at
// an offset into what the socket receives (raw IPv4: from the IP header,
// raw_rcv() pushes it back; raw IPv6: from the payload; packet SOCK_RAW: from
// the Ethernet header; SOCK_DGRAM: from the payload). A load past the end
// drops the packet, so the length is checked first: anything too short to
// tell is kept, as in user space.
uint32_t be_word(const uint8_t* bytes)
{
    uint32_t w = 0;
    std::memcpy(&w, bytes, 4);
    return ntohl(w);
}

std::vector<sock_filter> foreign_filter(Kind kind, uint64_t run)
{
    uint8_t tag[run_tag_len];
    stamp_run_tag(tag, run);
    uint8_t engine[4];
    std::memcpy(engine, &engine_packet_magic, 4);
    const bool ip4 = kind == Kind::raw4_hdrincl || kind == Kind::raw4;
    const uint32_t fixed = kind == Kind::packet_raw ? ethernet_header_len : 0;
    constexpr uint32_t keep = 0xFFFFFFFF;
    // Jump offsets count instructions after the jump; the layout below is
    // fixed, so they are written out: ACCEPT is the second-last, DROP last.
    std::vector<sock_filter> p;
    auto stmt = [&p](uint16_t code, uint32_t k) { p.push_back(BPF_STMT(code, k)); };
    auto jump = [&p](uint16_t code, uint32_t k, uint8_t jt, uint8_t jf) { p.push_back(BPF_JUMP(code, k, jt, jf)); };
    const uint16_t load = ip4 ? BPF_LD | BPF_W | BPF_IND : BPF_LD | BPF_W | BPF_ABS;
    if (ip4) {
        stmt(BPF_LDX | BPF_B | BPF_MSH, 0);           // 0: X = IP header length
        stmt(BPF_MISC | BPF_TXA, 0);                  // 1: A = X
        stmt(BPF_ALU | BPF_ADD | BPF_K, 4);           // 2: A = X + 4
        stmt(BPF_MISC | BPF_TAX, 0);                  // 3: X = A
        stmt(BPF_LD | BPF_W | BPF_LEN, 0);            // 4: A = len
        jump(BPF_JMP | BPF_JGE | BPF_X, 0, 1, 0);     // 5: len >= X+4 ? 7 : 6
        stmt(BPF_RET | BPF_K, keep);                  // 6: too short to tell
        stmt(BPF_LDX | BPF_B | BPF_MSH, 0);           // 7: X = IP header length again
    } else {
        stmt(BPF_LD | BPF_W | BPF_LEN, 0);
        jump(BPF_JMP | BPF_JGE | BPF_K, fixed + 4, 1, 0);
        stmt(BPF_RET | BPF_K, keep);
    }
    // Then: the tag or the engine magic decides; ACCEPT and DROP close it.
    stmt(load, fixed + 0);                                     // +0  A = word 0
    jump(BPF_JMP | BPF_JEQ | BPF_K, be_word(tag), 0, 6);       // +1  probe magic? else engine check (+8)
    stmt(load, fixed + 4);                                     // +2
    jump(BPF_JMP | BPF_JEQ | BPF_K, be_word(tag + 4), 0, 5);   // +3  rest of the magic? else ACCEPT (+9)
    stmt(load, fixed + 8);                                     // +4  a probe tag: whose run?
    jump(BPF_JMP | BPF_JEQ | BPF_K, be_word(tag + 8), 0, 4);   // +5  else DROP (+10)
    stmt(load, fixed + 12);                                    // +6
    jump(BPF_JMP | BPF_JEQ | BPF_K, be_word(tag + 12), 1, 2);  // +7  ours: ACCEPT, else DROP
    jump(BPF_JMP | BPF_JEQ | BPF_K, be_word(engine), 1, 0);    // +8  engine packet: DROP, else ACCEPT
    stmt(BPF_RET | BPF_K, keep);                               // +9  ACCEPT
    stmt(BPF_RET | BPF_K, 0);                                  // +10 DROP
    return p;
}

} // namespace

const std::vector<KindInfo>& all_kinds()
{
    static const std::vector<KindInfo> kinds = {
        {Kind::raw4_hdrincl, "raw4_hdrincl", false, {cap_net_raw}, "AF_INET SOCK_RAW IPPROTO_RAW (IP_HDRINCL)"},
        {Kind::raw4, "raw4", false, {cap_net_raw}, "AF_INET SOCK_RAW protocol 253"},
        {Kind::raw6, "raw6", false, {cap_net_raw}, "AF_INET6 SOCK_RAW protocol 253"},
        {Kind::udp4, "udp4", false, {}, "AF_INET SOCK_DGRAM (UDP)"},
        {Kind::udp6, "udp6", false, {}, "AF_INET6 SOCK_DGRAM (UDP)"},
        {Kind::tcp4, "tcp4", true, {}, "AF_INET SOCK_STREAM (TCP)"},
        {Kind::tcp6, "tcp6", true, {}, "AF_INET6 SOCK_STREAM (TCP)"},
        {Kind::packet_raw, "packet_raw", false, {cap_net_raw}, "AF_PACKET SOCK_RAW on lo"},
        {Kind::packet_dgram, "packet_dgram", false, {cap_net_raw}, "AF_PACKET SOCK_DGRAM on lo"},
        {Kind::unix_stream, "unix_stream", true, {}, "AF_UNIX SOCK_STREAM socketpair"},
        {Kind::unix_dgram, "unix_dgram", false, {}, "AF_UNIX SOCK_DGRAM socketpair"},
    };
    return kinds;
}

bool shares_traffic(Kind kind) noexcept
{
    switch (kind) {
    case Kind::raw4_hdrincl:
    case Kind::raw4:
    case Kind::raw6:
    case Kind::packet_raw:
    case Kind::packet_dgram: return true;
    default: return false;
    }
}

const KindInfo& kind_info(Kind kind)
{
    for (const auto& k : all_kinds()) {
        if (k.kind == kind) return k;
    }
    return all_kinds().front();
}

std::optional<Kind> parse_kind(std::string_view name)
{
    for (const auto& k : all_kinds()) {
        if (k.name == name) return k.kind;
    }
    return std::nullopt;
}

size_t Channel::header_len() const noexcept
{
    switch (info->kind) {
    case Kind::raw4_hdrincl: return ipv4_header_len;
    case Kind::packet_raw: return ethernet_header_len;
    default: return 0;
    }
}

void Channel::write_header(size_t payload_len, std::span<uint8_t> dst) const
{
    if (info->kind == Kind::raw4_hdrincl) {
        iphdr ip{};
        ip.version = 4;
        ip.ihl = 5;
        ip.ttl = 64;
        ip.protocol = test_ip_protocol;
        ip.tot_len = htons(static_cast<uint16_t>(ipv4_header_len + payload_len));
        ip.saddr = htonl(ipv4_src);
        ip.daddr = htonl(ipv4_dst);
        // id and checksum left 0: with IP_HDRINCL the kernel fills both.
        std::memcpy(dst.data(), &ip, sizeof ip);
    } else if (info->kind == Kind::packet_raw) {
        ethhdr eth{};
        // lo ignores addresses; zero destination and source are accepted.
        eth.h_proto = htons(test_ethertype);
        std::memcpy(dst.data(), &eth, sizeof eth);
    }
}

ChannelOutcome open_kind(Channel ch, Kind kind)
{
    switch (kind) {
    case Kind::raw4_hdrincl: return open_raw(std::move(ch), AF_INET, IPPROTO_RAW);
    case Kind::raw4: return open_raw(std::move(ch), AF_INET, test_ip_protocol);
    case Kind::raw6: return open_raw(std::move(ch), AF_INET6, test_ip_protocol);
    case Kind::udp4: return open_udp(std::move(ch), AF_INET);
    case Kind::udp6: return open_udp(std::move(ch), AF_INET6);
    case Kind::tcp4: return open_tcp(std::move(ch), AF_INET);
    case Kind::tcp6: return open_tcp(std::move(ch), AF_INET6);
    case Kind::packet_raw: return open_packet(std::move(ch), SOCK_RAW);
    case Kind::packet_dgram: return open_packet(std::move(ch), SOCK_DGRAM);
    case Kind::unix_stream: return open_unix(std::move(ch), SOCK_STREAM);
    case Kind::unix_dgram: return open_unix(std::move(ch), SOCK_DGRAM);
    }
    return fail("unknown socket kind", EINVAL);
}

ChannelOutcome open_channel(Kind kind, Admit admit)
{
    Channel ch;
    ch.info = &kind_info(kind);
    ChannelOutcome out = open_kind(std::move(ch), kind);
    if (!out.channel || admit == Admit::everything || !shares_traffic(kind)) return out;
    std::vector<sock_filter> code = foreign_filter(kind, run_identity());
    const sock_fprog prog{static_cast<unsigned short>(code.size()), code.data()};
    if (::setsockopt(out.channel->rx.get(), SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof prog) != 0) {
        return fail("setsockopt(SO_ATTACH_FILTER) on the receiver", errno);
    }
    return out;
}

ChannelOutcome open_egress_channel(Kind kind, int ifindex)
{
    Channel ch;
    ch.info = &kind_info(kind);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(9); // discard; nothing listens anyway
    ::inet_pton(AF_INET, egress_remote, &to.sin_addr);
    switch (kind) {
    case Kind::udp4:
    case Kind::raw4:
    case Kind::raw4_hdrincl: {
        const int type = kind == Kind::udp4 ? SOCK_DGRAM : SOCK_RAW;
        const int proto = kind == Kind::udp4 ? 0 : (kind == Kind::raw4 ? test_ip_protocol : IPPROTO_RAW);
        if (auto r = sys::socket(AF_INET, type, proto, ch.tx); !r.ok()) {
            return fail(std::string("socket(AF_INET, ") + (type == SOCK_DGRAM ? "SOCK_DGRAM" : "SOCK_RAW") +
                            ") for the egress sender",
                        r.err);
        }
        if (kind != Kind::udp4) to.sin_port = 0;
        if (auto r = connect_to(ch.tx.get(), to); !r.ok()) {
            return fail(std::string("connect() of the ") + std::string(ch.info->name) + " sender to " + egress_remote,
                        r.err);
        }
        in_addr a{};
        ::inet_pton(AF_INET, egress_local, &a);
        ch.ipv4_src = ntohl(a.s_addr);
        ch.ipv4_dst = ntohl(to.sin_addr.s_addr);
        break;
    }
    case Kind::packet_raw: {
        ch.ifindex = ifindex;
        if (auto r = sys::socket(AF_PACKET, SOCK_RAW, 0, ch.tx); !r.ok()) {
            return fail("socket(AF_PACKET, SOCK_RAW) for the egress sender", r.err);
        }
        sockaddr_ll tx_addr{};
        tx_addr.sll_family = AF_PACKET;
        tx_addr.sll_ifindex = ifindex;
        if (auto r = bind_to(ch.tx.get(), tx_addr); !r.ok()) {
            return fail(std::string("bind() of the packet sender to ") + egress_link_name, r.err);
        }
        break;
    }
    default: return fail("an egress sender for " + std::string(ch.info->name), EINVAL);
    }
    ChannelOutcome out;
    out.channel = std::move(ch);
    return out;
}

std::vector<uint8_t> frame(const Channel& ch, std::span<const uint8_t> payload)
{
    std::vector<uint8_t> out(ch.header_len() + payload.size());
    ch.write_header(payload.size(), std::span<uint8_t>(out.data(), ch.header_len()));
    std::memcpy(out.data() + ch.header_len(), payload.data(), payload.size());
    return out;
}

CloseTogether::~CloseTogether()
{
    // Only packet sockets wait on close; the others close as usual.
    const bool packet = ch_.info && (ch_.info->kind == Kind::packet_raw || ch_.info->kind == Kind::packet_dgram);
    if (!packet) return;
    if (closing_later()) { // a probe's child: closed at its exit, after its result is sent
        close_later(std::move(ch_.rx));
        close_later(std::move(ch_.tx));
        return;
    }
    if (!ch_.rx || !ch_.tx) return;
    try {
        std::thread other([fd = std::move(ch_.rx)]() mutable { fd.reset(); });
        ch_.tx.reset();
        other.join();
    } catch (const std::system_error&) {
        // No thread: both still close, one after the other.
    }
}

namespace {

// receive() and receive_to_marker(): to_marker ends the wait at this run's
// end marker instead of at expected_bytes.
Received receive_until(const Channel& ch, size_t expected_bytes, int timeout_ms, const std::function<bool()>& lost,
                       bool to_marker)
{
    using clock = std::chrono::steady_clock;
    Received out;
    const auto deadline = clock::now() + std::chrono::milliseconds(timeout_ms);
    std::vector<uint8_t> buf(65536 + 128);
    bool draining = false; // after the expected bytes: take only what is queued
    const bool shared = shares_traffic(ch.info->kind);
    const uint64_t run = run_identity();
    for (;;) {
        if (!to_marker && !draining && out.bytes.size() >= expected_bytes) draining = true;
        int wait_ms = 0;
        if (!draining) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now()).count();
            if (left <= 0) {
                out.timed_out = true;
                return out;
            }
            wait_ms = static_cast<int>(lost ? std::min<int64_t>(left, 2) : left);
        }
        pollfd p{ch.rx.get(), POLLIN, 0};
        const int n = ::poll(&p, 1, wait_ms);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            if (draining) return out;
            if (lost && lost()) return out;
            continue; // deadline check at the top
        }
        sockaddr_ll from{};
        socklen_t from_len = sizeof from;
        const ssize_t got = ::recvfrom(ch.rx.get(), buf.data(), buf.size(), MSG_DONTWAIT,
                                       reinterpret_cast<sockaddr*>(&from), &from_len);
        if (got < 0) {
            if (errno == EAGAIN || errno == EINTR) continue;
            out.err = errno;
            return out;
        }
        if (got == 0 && ch.info->stream) return out; // peer closed
        const bool packet = ch.info->kind == Kind::packet_raw || ch.info->kind == Kind::packet_dgram;
        if (packet && from.sll_pkttype == PACKET_OUTGOING) continue;
        std::span<const uint8_t> data(buf.data(), static_cast<size_t>(got));
        const size_t prefix = std::min(rx_prefix(ch, data), data.size());
        data = data.subspan(prefix);
        if (to_marker && is_end_marker(data, run)) {
            out.ended_by_marker = true;
            return out;
        }
        if (shared && is_foreign(data, run)) {
            ++out.foreign;
            continue;
        }
        out.sizes.push_back(data.size());
        out.bytes.insert(out.bytes.end(), data.begin(), data.end());
    }
}

} // namespace

Received receive(const Channel& ch, size_t expected_bytes, int timeout_ms, const std::function<bool()>& lost)
{
    return receive_until(ch, expected_bytes, timeout_ms, lost, false);
}

Received receive_to_marker(const Channel& ch, int timeout_ms)
{
    return receive_until(ch, 0, timeout_ms, {}, true);
}

int send_end_marker(const Channel& ch)
{
    const std::vector<uint8_t> f = frame(ch, end_marker(run_identity()));
    const ssize_t n = ::write(ch.tx.get(), f.data(), f.size());
    if (n < 0) return errno;
    return static_cast<size_t>(n) == f.size() ? 0 : EMSGSIZE;
}

} // namespace zc::traffic
