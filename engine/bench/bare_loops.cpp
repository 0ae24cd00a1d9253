// Bare loops of the same syscalls each zcengine mode makes, with no
// verification, no accounting and no flow control: the yardstick ci/bench-engine
// holds the engine against ("within 15 % of a bare loop"). A receiver thread
// drains the socket with recvmmsg() as zcengine's does, so both pay the same
// delivery cost. Runs in its own network namespace (root).
//
//   zcengine_bare MODE SIZE COUNT   ->  {"mode":..., "size":..., "pps":...}
#include <arpa/inet.h>
#include <fcntl.h>
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

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#ifndef UDP_SEGMENT
#define UDP_SEGMENT 103
#endif

namespace {

constexpr size_t page = 4096;

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
    ip.protocol = 253;
    ip.tot_len = htons(static_cast<uint16_t>(20 + payload));
    ip.saddr = ip.daddr = htonl(INADDR_LOOPBACK);
    std::memcpy(p, &ip, sizeof ip);
}

} // namespace

int main(int argc, char** argv)
{
    if (argc != 4) {
        std::fprintf(stderr, "usage: zcengine_bare MODE SIZE COUNT\n");
        return 2;
    }
    const std::string mode = argv[1];
    const size_t size = std::strtoul(argv[2], nullptr, 10);
    const size_t count = std::strtoul(argv[3], nullptr, 10);
    if (::unshare(CLONE_NEWNET) != 0) die("unshare(CLONE_NEWNET)");
    lo_up();

    const bool udp = mode.rfind("udp", 0) == 0;
    const int rx = udp ? ::socket(AF_INET, SOCK_DGRAM, 0) : ::socket(AF_INET, SOCK_RAW, 253);
    const int tx = udp ? ::socket(AF_INET, SOCK_DGRAM, 0) : ::socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
    if (rx < 0 || tx < 0) die("socket");
    int big = 32 << 20;
    ::setsockopt(rx, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof big);
    timeval tv{0, 20000};
    ::setsockopt(rx, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    sockaddr_in dst = loopback(0);
    if (udp) {
        sockaddr_in a = loopback(0);
        ::bind(rx, reinterpret_cast<sockaddr*>(&a), sizeof a);
        socklen_t len = sizeof dst;
        ::getsockname(rx, reinterpret_cast<sockaddr*>(&dst), &len);
    }
    if (::connect(tx, reinterpret_cast<sockaddr*>(&dst), sizeof dst) != 0) die("connect");
    const size_t hdr = udp ? 0 : 20;
    const size_t frame = hdr + size;

    std::atomic<bool> stop{false};
    std::thread drain([&] {
        std::vector<uint8_t> buf(64 * (frame + 128));
        std::vector<mmsghdr> m(64);
        std::vector<iovec> iov(64);
        while (!stop.load(std::memory_order_relaxed)) {
            for (size_t i = 0; i < 64; ++i) {
                iov[i] = {buf.data() + i * (frame + 128), frame + 128};
                m[i] = {};
                m[i].msg_hdr.msg_iov = &iov[i];
                m[i].msg_hdr.msg_iovlen = 1;
            }
            ::recvmmsg(rx, m.data(), 64, MSG_WAITFORONE, nullptr);
        }
    });

    int pfd[2];
    if (::pipe2(pfd, O_CLOEXEC) != 0) die("pipe2");
    ::fcntl(pfd[1], F_SETPIPE_SZ, 1 << 20);
    const int devnull = ::open("/dev/null", O_WRONLY | O_CLOEXEC);

    size_t sent = 0;
    const auto t0 = std::chrono::steady_clock::now();
    if (mode == "page") {
        uint8_t* p = pages(1);
        write_ip(p + 64, size);
        const size_t tail = page - 64 - frame;
        while (sent < count) {
            iovec iov{p, page};
            if (::vmsplice(pfd[1], &iov, 1, SPLICE_F_GIFT) != static_cast<ssize_t>(page)) die("vmsplice");
            ::splice(pfd[0], nullptr, devnull, nullptr, 64, 0);
            if (::splice(pfd[0], nullptr, tx, nullptr, frame, 0) != static_cast<ssize_t>(frame)) die("splice");
            ::splice(pfd[0], nullptr, devnull, nullptr, tail, 0);
            ++sent;
        }
    } else if (mode == "packed" || mode == "udp-splice") {
        // Dense, the engine's default here: as many packets as 128 pipe
        // buffers hold, at most 256 per vmsplice.
        size_t batch = 0;
        while (batch < 256 && ((batch + 1) * frame + page - 1) / page <= 128) ++batch;
        uint8_t* p = pages((batch * frame + page - 1) / page);
        for (size_t k = 0; k < batch; ++k) {
            if (hdr != 0) write_ip(p + k * frame, size);
        }
        while (sent < count) {
            const size_t n = std::min(batch, count - sent);
            iovec iov{p, n * frame};
            if (::vmsplice(pfd[1], &iov, 1, 0) != static_cast<ssize_t>(n * frame)) die("vmsplice");
            for (size_t k = 0; k < n; ++k) {
                if (::splice(pfd[0], nullptr, tx, nullptr, frame, 0) != static_cast<ssize_t>(frame)) die("splice");
            }
            sent += n;
        }
    } else if (mode == "udp-gso-splice") {
        const size_t per = std::min<size_t>(64, 65507 / size);
        int seg = static_cast<int>(size);
        if (::setsockopt(tx, SOL_UDP, UDP_SEGMENT, &seg, sizeof seg) != 0) die("UDP_SEGMENT");
        const size_t pages_per = (per * frame + page - 1) / page + 1;
        const size_t splices = std::max<size_t>(1, 128 / pages_per);
        const size_t batch = std::min<size_t>(splices * per, 512);
        uint8_t* p = pages((batch * frame + page - 1) / page);
        while (sent < count) {
            const size_t n = std::min(batch, count - sent);
            iovec iov{p, n * frame};
            if (::vmsplice(pfd[1], &iov, 1, 0) != static_cast<ssize_t>(n * frame)) die("vmsplice");
            for (size_t k = 0; k < n; k += per) {
                const size_t m = std::min(per, n - k);
                if (::splice(pfd[0], nullptr, tx, nullptr, m * frame, 0) != static_cast<ssize_t>(m * frame)) {
                    die("splice");
                }
            }
            sent += n;
        }
    } else if (mode == "sendto" || mode == "udp-sendto") {
        uint8_t* p = pages(1 + frame / page);
        if (hdr != 0) write_ip(p, size);
        while (sent < count) {
            if (::sendto(tx, p, frame, 0, nullptr, 0) == static_cast<ssize_t>(frame)) ++sent;
        }
    } else if (mode == "sendmmsg" || mode == "udp-sendmmsg") {
        uint8_t* p = pages((64 * frame + page - 1) / page);
        std::vector<mmsghdr> m(64);
        std::vector<iovec> iov(64);
        for (size_t k = 0; k < 64; ++k) {
            if (hdr != 0) write_ip(p + k * frame, size);
            iov[k] = {p + k * frame, frame};
            m[k].msg_hdr.msg_iov = &iov[k];
            m[k].msg_hdr.msg_iovlen = 1;
        }
        while (sent < count) {
            const int r = ::sendmmsg(tx, m.data(), static_cast<unsigned>(std::min<size_t>(64, count - sent)), 0);
            if (r > 0) sent += static_cast<size_t>(r);
        }
    } else {
        std::fprintf(stderr, "zcengine_bare: unknown mode %s\n", mode.c_str());
        return 2;
    }
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    stop = true;
    drain.join();
    std::printf("{\"mode\": \"%s\", \"size\": %zu, \"sent\": %zu, \"pps\": %.0f}\n", mode.c_str(), size, sent,
                static_cast<double>(sent) / s);
    return 0;
}
