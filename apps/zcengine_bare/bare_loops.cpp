// Bare loops of the same syscalls each zcengine mode makes, with no
// verification, no accounting and no flow control: the yardstick ci/bench-engine
// holds the engine against ("within 15 % of a bare loop"). A receiver thread
// drains the socket as zcengine's does (recvmmsg() without blocking, a 50 µs
// sleep on an empty queue), so both pay the same delivery cost. Runs in its
// own network namespace (root).
//
//   zcengine_bare MODE SIZE COUNT [fill]  ->  {"mode":..., "size":..., "pps":...}
//
// MODE: page, packed, sendto, sendmmsg (raw IP_HDRINCL); udp-splice,
// udp-gso-splice, udp-sendto, udp-sendmmsg, msg-zerocopy, io-uring-send,
// io-uring-send-zc (UDP); tx-ring (AF_PACKET on lo); xdp-copy (AF_XDP bound
// XDP_COPY to one end of a veth pair, the receiver on the other).
#include <arpa/inet.h>
#include <fcntl.h>
#include <liburing.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/if_xdp.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "engine/tx_ring_geometry.hpp"
#include "traffic/netlink.hpp"

#ifndef UDP_SEGMENT
#define UDP_SEGMENT 103
#endif
#ifndef PACKET_IGNORE_OUTGOING
#define PACKET_IGNORE_OUTGOING 23
#endif
#ifndef SOL_XDP
#define SOL_XDP 283
#endif

namespace {

constexpr size_t page = 4096;
constexpr size_t batch = 64;
constexpr uint16_t ethertype = 0x88B5; // zcengine's packet_raw EtherType
constexpr int ip_protocol = 253;

[[noreturn]] void die(const char* what)
{
    std::fprintf(stderr, "zcengine_bare: %s: %s\n", what, std::strerror(errno));
    std::exit(1);
}

void lo_up()
{
    const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
    ifreq ifr{};
    std::strcpy(ifr.ifr_name, "lo");
    if (::ioctl(fd, SIOCGIFFLAGS, &ifr) != 0) die("SIOCGIFFLAGS lo");
    ifr.ifr_flags |= IFF_UP;
    if (::ioctl(fd, SIOCSIFFLAGS, &ifr) != 0) die("SIOCSIFFLAGS lo");
    ::close(fd);
}

uint8_t* pages(size_t n)
{
    void* p = ::mmap(nullptr, n * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) die("mmap");
    std::memset(p, 0x5A, n * page); // pre-fault
    return static_cast<uint8_t*>(p);
}

sockaddr_in loopback(uint16_t port)
{
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

void write_ip(uint8_t* p, size_t payload)
{
    iphdr ip{};
    ip.version = 4;
    ip.ihl = 5;
    ip.ttl = 64;
    ip.protocol = ip_protocol;
    ip.tot_len = htons(static_cast<uint16_t>(20 + payload));
    ip.saddr = ip.daddr = htonl(INADDR_LOOPBACK);
    std::memcpy(p, &ip, sizeof ip);
}

void write_eth(uint8_t* p)
{
    ethhdr eth{};
    eth.h_proto = htons(ethertype);
    std::memcpy(p, &eth, sizeof eth);
}

enum class Family { raw, udp, packet, xdp };

struct Sockets {
    int rx = -1;
    int tx = -1;
    size_t hdr = 0; // bytes in front of the payload that the sender writes
    int ifindex = 0; // xdp: the veth end the AF_XDP socket binds to
};

// xdp: a veth pair in our namespace (it goes with the namespace), the
// receiver on one end, an AF_XDP socket for the other.
Sockets open_xdp_sockets()
{
    for (const std::string& e : {zc::netlink::create_veth("bxdp-tx", "bxdp-rx"), zc::netlink::set_link_up("bxdp-rx"),
                                 zc::netlink::set_link_up("bxdp-tx")}) {
        if (!e.empty()) {
            std::fprintf(stderr, "zcengine_bare: %s\n", e.c_str());
            std::exit(1);
        }
    }
    Sockets s;
    s.ifindex = static_cast<int>(::if_nametoindex("bxdp-tx"));
    s.rx = ::socket(AF_PACKET, SOCK_RAW, htons(ethertype));
    s.tx = ::socket(AF_XDP, SOCK_RAW, 0);
    if (s.rx < 0) die("socket(AF_PACKET)");
    if (s.tx < 0) die("socket(AF_XDP)");
    sockaddr_ll a{};
    a.sll_family = AF_PACKET;
    a.sll_protocol = htons(ethertype);
    a.sll_ifindex = static_cast<int>(::if_nametoindex("bxdp-rx"));
    if (::bind(s.rx, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) die("bind packet receiver to the veth peer");
    s.hdr = ETH_HLEN;
    return s;
}

Sockets open_sockets(Family f)
{
    if (f == Family::xdp) return open_xdp_sockets();
    Sockets s;
    if (f == Family::packet) {
        const int lo = static_cast<int>(::if_nametoindex("lo"));
        s.rx = ::socket(AF_PACKET, SOCK_RAW, htons(ethertype));
        s.tx = ::socket(AF_PACKET, SOCK_RAW, 0);
        if (s.rx < 0 || s.tx < 0) die("socket(AF_PACKET)");
        sockaddr_ll a{};
        a.sll_family = AF_PACKET;
        a.sll_protocol = htons(ethertype);
        a.sll_ifindex = lo;
        if (::bind(s.rx, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) die("bind packet receiver");
        a.sll_protocol = 0;
        if (::bind(s.tx, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) die("bind packet sender");
        const int one = 1;
        ::setsockopt(s.rx, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof one);
        s.hdr = ETH_HLEN;
        return s;
    }
    const bool udp = f == Family::udp;
    s.rx = udp ? ::socket(AF_INET, SOCK_DGRAM, 0) : ::socket(AF_INET, SOCK_RAW, ip_protocol);
    s.tx = udp ? ::socket(AF_INET, SOCK_DGRAM, 0) : ::socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
    if (s.rx < 0 || s.tx < 0) die("socket");
    sockaddr_in dst = loopback(0);
    if (udp) {
        sockaddr_in a = loopback(0);
        ::bind(s.rx, reinterpret_cast<sockaddr*>(&a), sizeof a);
        socklen_t len = sizeof dst;
        ::getsockname(s.rx, reinterpret_cast<sockaddr*>(&dst), &len);
    }
    if (::connect(s.tx, reinterpret_cast<sockaddr*>(&dst), sizeof dst) != 0) die("connect");
    s.hdr = udp ? 0 : 20;
    return s;
}

void write_headers(uint8_t* p, size_t hdr, size_t size)
{
    if (hdr == 20) write_ip(p, size);
    if (hdr == ETH_HLEN) write_eth(p);
}

// With "fill", every packet's payload is written before it is handed to the
// kernel, as any real sender produces its data (and as zcengine writes its
// verifiable bytes): the bare loop then pays for fresh bytes too.
bool fill = false;

inline void produce(uint8_t* payload, size_t len, size_t seq) noexcept
{
    if (fill) std::memset(payload, static_cast<int>(seq & 0xFF), len);
}

struct Pipe {
    int r = -1;
    int w = -1;
};

Pipe make_pipe()
{
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) die("pipe2");
    ::fcntl(fds[1], F_SETPIPE_SZ, 1 << 20);
    return {fds[0], fds[1]};
}

// Each loop sends `count` packets of `frame` bytes and returns.

void page_loop(const Sockets& s, size_t size, size_t frame, size_t count)
{
    const Pipe p = make_pipe();
    const int devnull = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
    uint8_t* mem = pages(1);
    write_headers(mem + 64, s.hdr, size);
    const size_t tail = page - 64 - frame;
    for (size_t sent = 0; sent < count; ++sent) {
        produce(mem + 64 + s.hdr, size, sent);
        iovec iov{mem, page};
        if (::vmsplice(p.w, &iov, 1, SPLICE_F_GIFT) != static_cast<ssize_t>(page)) die("vmsplice");
        ::splice(p.r, nullptr, devnull, nullptr, 64, 0);
        if (::splice(p.r, nullptr, s.tx, nullptr, frame, 0) != static_cast<ssize_t>(frame)) die("splice");
        ::splice(p.r, nullptr, devnull, nullptr, tail, 0);
    }
}

// packed and udp-splice, dense as the engine's default here: as many
// packets as 128 pipe buffers hold, at most 256 per vmsplice.
void packed_loop(const Sockets& s, size_t size, size_t frame, size_t count)
{
    const Pipe p = make_pipe();
    size_t per = 0;
    while (per < 256 && ((per + 1) * frame + page - 1) / page <= 128) ++per;
    uint8_t* mem = pages((per * frame + page - 1) / page);
    for (size_t k = 0; k < per; ++k) write_headers(mem + k * frame, s.hdr, size);
    for (size_t sent = 0; sent < count;) {
        const size_t n = std::min(per, count - sent);
        for (size_t k = 0; k < n; ++k) produce(mem + k * frame + s.hdr, size, sent + k);
        iovec iov{mem, n * frame};
        if (::vmsplice(p.w, &iov, 1, 0) != static_cast<ssize_t>(n * frame)) die("vmsplice");
        for (size_t k = 0; k < n; ++k) {
            if (::splice(p.r, nullptr, s.tx, nullptr, frame, 0) != static_cast<ssize_t>(frame)) die("splice");
        }
        sent += n;
    }
}

void gso_loop(const Sockets& s, size_t size, size_t frame, size_t count)
{
    const Pipe p = make_pipe();
    const size_t per = std::min<size_t>(64, 65507 / size);
    int seg = static_cast<int>(size);
    if (::setsockopt(s.tx, SOL_UDP, UDP_SEGMENT, &seg, sizeof seg) != 0) die("UDP_SEGMENT");
    const size_t pages_per = (per * frame + page - 1) / page + 1;
    const size_t splices = std::max<size_t>(1, 128 / pages_per);
    const size_t n_max = std::min<size_t>(splices * per, 512);
    uint8_t* mem = pages((n_max * frame + page - 1) / page);
    for (size_t sent = 0; sent < count;) {
        const size_t n = std::min(n_max, count - sent);
        for (size_t k = 0; k < n; ++k) produce(mem + k * frame, size, sent + k);
        iovec iov{mem, n * frame};
        if (::vmsplice(p.w, &iov, 1, 0) != static_cast<ssize_t>(n * frame)) die("vmsplice");
        for (size_t k = 0; k < n; k += per) {
            const size_t m = std::min(per, n - k);
            if (::splice(p.r, nullptr, s.tx, nullptr, m * frame, 0) != static_cast<ssize_t>(m * frame)) die("splice");
        }
        sent += n;
    }
}

void sendto_loop(const Sockets& s, size_t size, size_t frame, size_t count)
{
    uint8_t* mem = pages(1 + frame / page);
    write_headers(mem, s.hdr, size);
    for (size_t sent = 0; sent < count;) {
        produce(mem + s.hdr, size, sent);
        if (::sendto(s.tx, mem, frame, 0, nullptr, 0) == static_cast<ssize_t>(frame)) ++sent;
    }
}

void sendmmsg_loop(const Sockets& s, size_t size, size_t frame, size_t count)
{
    uint8_t* mem = pages((batch * frame + page - 1) / page);
    std::vector<mmsghdr> m(batch);
    std::vector<iovec> iov(batch);
    for (size_t k = 0; k < batch; ++k) {
        write_headers(mem + k * frame, s.hdr, size);
        iov[k] = {mem + k * frame, frame};
        m[k].msg_hdr.msg_iov = &iov[k];
        m[k].msg_hdr.msg_iovlen = 1;
    }
    for (size_t sent = 0; sent < count;) {
        const size_t n = std::min(batch, count - sent);
        for (size_t k = 0; k < n; ++k) produce(mem + k * frame + s.hdr, size, sent + k);
        const int r = ::sendmmsg(s.tx, m.data(), static_cast<unsigned>(n), 0);
        if (r > 0) sent += static_cast<size_t>(r);
    }
}

// send(MSG_ZEROCOPY) per datagram; the error queue drained after each
// batch and whenever the socket's option memory runs out, as the engine does.
void zerocopy_loop(const Sockets& s, size_t size, size_t frame, size_t count)
{
    const int one = 1;
    if (::setsockopt(s.tx, SOL_SOCKET, SO_ZEROCOPY, &one, sizeof one) != 0) die("SO_ZEROCOPY");
    uint8_t* mem = pages((batch * frame + page - 1) / page);
    auto drain_errqueue = [&] {
        for (;;) {
            char control[128];
            msghdr h{};
            h.msg_control = control;
            h.msg_controllen = sizeof control;
            if (::recvmsg(s.tx, &h, MSG_ERRQUEUE | MSG_DONTWAIT) < 0) return;
        }
    };
    for (size_t sent = 0; sent < count;) {
        const size_t n = std::min(batch, count - sent);
        for (size_t k = 0; k < n; ++k) produce(mem + k * frame, size, sent + k);
        for (size_t k = 0; k < n;) {
            if (::send(s.tx, mem + k * frame, frame, MSG_ZEROCOPY) == static_cast<ssize_t>(frame)) {
                ++k;
            } else if (errno == ENOBUFS || errno == EAGAIN) {
                drain_errqueue();
            } else {
                die("send(MSG_ZEROCOPY)");
            }
        }
        drain_errqueue();
        sent += n;
    }
}

// One io_uring_enter() per batch of SEND or SEND_ZC SQEs, then every ready
// CQE reaped (SEND_ZC notifications as they come).
void uring_loop(const Sockets& s, size_t size, size_t frame, size_t count, bool zc)
{
    io_uring ring{};
    if (const int r = ::io_uring_queue_init(2 * batch, &ring, 0); r < 0) {
        errno = -r;
        die("io_uring_queue_init");
    }
    uint8_t* mem = pages((batch * frame + page - 1) / page);
    for (size_t sent = 0; sent < count;) {
        const size_t n = std::min(batch, count - sent);
        for (size_t k = 0; k < n; ++k) {
            produce(mem + k * frame, size, sent + k);
            io_uring_sqe* sqe = ::io_uring_get_sqe(&ring);
            if (zc) {
                ::io_uring_prep_send_zc(sqe, s.tx, mem + k * frame, frame, 0, 0);
            } else {
                ::io_uring_prep_send(sqe, s.tx, mem + k * frame, frame, 0);
            }
        }
        if (const int r = ::io_uring_submit_and_wait(&ring, static_cast<unsigned>(n)); r < 0) {
            errno = -r;
            die("io_uring_submit_and_wait");
        }
        size_t results = 0;
        while (results < n) {
            io_uring_cqe* cqe = nullptr;
            if (::io_uring_cq_ready(&ring) == 0 && ::io_uring_wait_cqe(&ring, &cqe) < 0) die("io_uring_wait_cqe");
            unsigned head;
            unsigned seen = 0;
            io_uring_for_each_cqe(&ring, head, cqe)
            {
                ++seen;
                if ((cqe->flags & IORING_CQE_F_NOTIF) != 0) continue;
                if (cqe->res < 0) {
                    errno = -cqe->res;
                    die(zc ? "IORING_OP_SEND_ZC" : "IORING_OP_SEND");
                }
                ++results;
            }
            ::io_uring_cq_advance(&ring, seen);
        }
        sent += n;
    }
    ::io_uring_queue_exit(&ring);
}

// TPACKET_V2 ring sized by the engine's own tx_ring_geometry(); one send()
// per batch.
void tx_ring_loop(const Sockets& s, size_t size, size_t frame, size_t count)
{
    int v = TPACKET_V2;
    if (::setsockopt(s.tx, SOL_PACKET, PACKET_VERSION, &v, sizeof v) != 0) die("PACKET_VERSION");
    const int one = 1;
    ::setsockopt(s.tx, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof one);
    const zc::engine::TxRingGeometry g = zc::engine::tx_ring_geometry(frame, page);
    if (::setsockopt(s.tx, SOL_PACKET, PACKET_TX_RING, &g.req, sizeof g.req) != 0) die("PACKET_TX_RING");
    void* m = ::mmap(nullptr, g.bytes(), PROT_READ | PROT_WRITE, MAP_SHARED, s.tx, 0);
    if (m == MAP_FAILED) die("mmap of the ring");
    auto* ring = static_cast<uint8_t*>(m);
    const size_t frames = g.req.tp_frame_nr;
    for (size_t i = 0; i < frames; ++i) write_headers(ring + i * g.frame_size + g.data_off, s.hdr, size);
    const size_t per_send = std::min<size_t>(64, frames / 2);
    size_t next = 0;
    for (size_t sent = 0; sent < count;) {
        const size_t n = std::min(per_send, count - sent);
        for (size_t k = 0; k < n; ++k) {
            auto* h = reinterpret_cast<tpacket2_hdr*>(ring + next * g.frame_size);
            next = (next + 1) % frames;
            while (__atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE) != TP_STATUS_AVAILABLE) {
                std::this_thread::yield();
            }
            produce(reinterpret_cast<uint8_t*>(h) + g.data_off + s.hdr, size, sent + k);
            h->tp_len = static_cast<uint32_t>(frame);
            __atomic_store_n(&h->tp_status, TP_STATUS_SEND_REQUEST, __ATOMIC_RELEASE);
        }
        if (::send(s.tx, nullptr, 0, 0) < 0) die("send() flushing the ring");
        sent += n;
    }
    ::munmap(ring, g.bytes());
}

// AF_XDP in copy mode: 2048 UMEM chunks of 2048 bytes, every ring 2048
// deep, frames written in order, one sendto(MSG_DONTWAIT) kick per batch of
// 32 (the copy path's per-call budget) and again until the kernel took
// them all; a chunk is reused once its address came back on the completion
// ring. The Ethernet header is written once per chunk. Set up before the
// clock starts (pinning the UMEM and mapping the rings take tens of
// milliseconds, a tenth of a 100000-packet run), as the engine's is.
constexpr uint32_t chunk = 2048, chunks = 2048, per_kick = 32;

struct XskRings {
    uint8_t* umem = nullptr;
    uint32_t* tx_prod = nullptr;
    uint32_t* tx_cons = nullptr;
    xdp_desc* descs = nullptr;
    uint32_t* cq_prod = nullptr;
    uint32_t* cq_cons = nullptr;
    uint64_t* addrs = nullptr;
};

XskRings xdp_setup(const Sockets& s)
{
    uint8_t* umem = pages(size_t{chunk} * chunks / page);
    xdp_umem_reg reg{};
    reg.addr = reinterpret_cast<uintptr_t>(umem);
    reg.len = uint64_t{chunk} * chunks;
    reg.chunk_size = chunk;
    if (::setsockopt(s.tx, SOL_XDP, XDP_UMEM_REG, &reg, sizeof reg) != 0) die("XDP_UMEM_REG");
    const int entries = chunks;
    for (int opt : {XDP_UMEM_FILL_RING, XDP_UMEM_COMPLETION_RING, XDP_TX_RING}) {
        if (::setsockopt(s.tx, SOL_XDP, opt, &entries, sizeof entries) != 0) die("xsk ring setsockopt");
    }
    xdp_mmap_offsets off{};
    socklen_t len = sizeof off;
    if (::getsockopt(s.tx, SOL_XDP, XDP_MMAP_OFFSETS, &off, &len) != 0) die("XDP_MMAP_OFFSETS");
    auto map = [&](const xdp_ring_offset& o, size_t desc, off_t pgoff) {
        void* p = ::mmap(nullptr, o.desc + chunks * desc, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, s.tx,
                         pgoff);
        if (p == MAP_FAILED) die("mmap of an xsk ring");
        return static_cast<uint8_t*>(p);
    };
    uint8_t* tx = map(off.tx, sizeof(xdp_desc), XDP_PGOFF_TX_RING);
    uint8_t* cq = map(off.cr, sizeof(uint64_t), XDP_UMEM_PGOFF_COMPLETION_RING);
    XskRings x;
    x.umem = umem;
    x.tx_prod = reinterpret_cast<uint32_t*>(tx + off.tx.producer);
    x.tx_cons = reinterpret_cast<uint32_t*>(tx + off.tx.consumer);
    x.descs = reinterpret_cast<xdp_desc*>(tx + off.tx.desc);
    x.cq_prod = reinterpret_cast<uint32_t*>(cq + off.cr.producer);
    x.cq_cons = reinterpret_cast<uint32_t*>(cq + off.cr.consumer);
    x.addrs = reinterpret_cast<uint64_t*>(cq + off.cr.desc);
    sockaddr_xdp sa{};
    sa.sxdp_family = AF_XDP;
    sa.sxdp_flags = XDP_COPY;
    sa.sxdp_ifindex = static_cast<uint32_t>(s.ifindex);
    if (::bind(s.tx, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) die("bind(AF_XDP, XDP_COPY)");

    const uint16_t type = htons(ethertype);
    for (uint32_t i = 0; i < chunks; ++i) {
        uint8_t* f = umem + size_t{i} * chunk;
        std::memset(f, 0xff, ETH_ALEN);
        std::memset(f + ETH_ALEN, 0x02, ETH_ALEN);
        std::memcpy(f + 2 * ETH_ALEN, &type, sizeof type);
    }
    return x;
}

void xdp_loop(const XskRings& x, const Sockets& s, size_t size, size_t frame, size_t count)
{
    auto [umem, tx_prod, tx_cons, descs, cq_prod, cq_cons, addrs] = x;
    std::vector<uint8_t> busy(chunks, 0);
    uint32_t prod = __atomic_load_n(tx_prod, __ATOMIC_ACQUIRE);
    auto reap = [&] {
        const uint32_t p = __atomic_load_n(cq_prod, __ATOMIC_ACQUIRE);
        uint32_t c = __atomic_load_n(cq_cons, __ATOMIC_RELAXED);
        for (; c != p; ++c) busy[addrs[c & (chunks - 1)] / chunk] = 0;
        __atomic_store_n(cq_cons, c, __ATOMIC_RELEASE);
    };
    uint32_t next = 0;
    for (size_t sent = 0; sent < count;) {
        const size_t n = std::min<size_t>(per_kick, count - sent);
        for (size_t k = 0; k < n; ++k) {
            const uint32_t i = next;
            next = (next + 1) % chunks;
            while (busy[i] != 0) {
                reap();
                if (busy[i] != 0) std::this_thread::yield(); // as the engine waits
            }
            produce(umem + size_t{i} * chunk + s.hdr, size, sent + k);
            xdp_desc& d = descs[prod & (chunks - 1)];
            d.addr = uint64_t{i} * chunk;
            d.len = static_cast<uint32_t>(frame);
            d.options = 0;
            ++prod;
            busy[i] = 1;
        }
        __atomic_store_n(tx_prod, prod, __ATOMIC_RELEASE);
        while (__atomic_load_n(tx_cons, __ATOMIC_ACQUIRE) != prod) {
            const uint32_t before = __atomic_load_n(tx_cons, __ATOMIC_ACQUIRE);
            if (::sendto(s.tx, nullptr, 0, MSG_DONTWAIT, nullptr, 0) < 0 && errno != EAGAIN && errno != EBUSY) {
                die("sendto(MSG_DONTWAIT) kicking the xsk tx ring");
            }
            reap();
            if (__atomic_load_n(tx_cons, __ATOMIC_ACQUIRE) == before) std::this_thread::yield(); // as the engine
        }
        sent += n;
    }
}

} // namespace

int main(int argc, char** argv)
{
    if (argc != 4 && !(argc == 5 && std::strcmp(argv[4], "fill") == 0)) {
        std::fprintf(stderr, "usage: zcengine_bare MODE SIZE COUNT [fill]\n");
        return 2;
    }
    fill = argc == 5;
    const std::string mode = argv[1];
    const size_t size = std::strtoul(argv[2], nullptr, 10);
    const size_t count = std::strtoul(argv[3], nullptr, 10);
    const bool udp = mode.rfind("udp", 0) == 0 || mode == "msg-zerocopy" || mode.rfind("io-uring", 0) == 0;
    const Family family = mode == "tx-ring"    ? Family::packet
                          : mode == "xdp-copy" ? Family::xdp
                          : udp                ? Family::udp
                                               : Family::raw;
    if (::unshare(CLONE_NEWNET) != 0) die("unshare(CLONE_NEWNET)");
    lo_up();

    const Sockets s = open_sockets(family);
    int big = 32 << 20;
    ::setsockopt(s.rx, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof big);
    const size_t frame = s.hdr + size;

    std::atomic<bool> stop{false};
    std::atomic<size_t> received{0};
    std::thread drain([&] {
        std::vector<uint8_t> buf(batch * (frame + 128));
        std::vector<mmsghdr> m(batch);
        std::vector<iovec> iov(batch);
        while (!stop.load(std::memory_order_relaxed)) {
            for (size_t i = 0; i < batch; ++i) {
                iov[i] = {buf.data() + i * (frame + 128), frame + 128};
                m[i] = {};
                m[i].msg_hdr.msg_iov = &iov[i];
                m[i].msg_hdr.msg_iovlen = 1;
            }
            const int got = ::recvmmsg(s.rx, m.data(), batch, MSG_DONTWAIT, nullptr);
            if (got < 0) {
                std::this_thread::sleep_for(std::chrono::microseconds(50));
            } else {
                received.fetch_add(static_cast<size_t>(got), std::memory_order_relaxed);
            }
        }
    });

    const XskRings xsk = mode == "xdp-copy" ? xdp_setup(s) : XskRings{};
    const auto t0 = std::chrono::steady_clock::now();
    if (mode == "page") {
        page_loop(s, size, frame, count);
    } else if (mode == "packed" || mode == "udp-splice") {
        packed_loop(s, size, frame, count);
    } else if (mode == "udp-gso-splice") {
        gso_loop(s, size, frame, count);
    } else if (mode == "sendto" || mode == "udp-sendto") {
        sendto_loop(s, size, frame, count);
    } else if (mode == "sendmmsg" || mode == "udp-sendmmsg") {
        sendmmsg_loop(s, size, frame, count);
    } else if (mode == "msg-zerocopy") {
        zerocopy_loop(s, size, frame, count);
    } else if (mode == "io-uring-send" || mode == "io-uring-send-zc") {
        uring_loop(s, size, frame, count, mode == "io-uring-send-zc");
    } else if (mode == "tx-ring") {
        tx_ring_loop(s, size, frame, count);
    } else if (mode == "xdp-copy") {
        xdp_loop(xsk, s, size, frame, count);
    } else {
        std::fprintf(stderr, "zcengine_bare: unknown mode %s\n", mode.c_str());
        stop = true;
        drain.join();
        return 2;
    }
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    // Outside the timing: let the receiver take what is still queued (no
    // flow control here, so drops are possible and only reported).
    const auto quiet_until = std::chrono::steady_clock::now() + std::chrono::milliseconds(300);
    while (received.load() < count && std::chrono::steady_clock::now() < quiet_until) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    stop = true;
    drain.join();
    std::printf("{\"mode\": \"%s\", \"size\": %zu, \"fill\": %s, \"sent\": %zu, \"received\": %zu, \"pps\": %.0f}\n",
                mode.c_str(), size, fill ? "true" : "false", count, received.load(), static_cast<double>(count) / secs);
    return 0;
}
