#include "engine/receiver.hpp"

#include "core/exhaustion.hpp"
#include "engine/wire_format.hpp"
#include "traffic/payload.hpp"

#include <linux/if_packet.h>
#include <linux/sock_diag.h>
#include <sys/socket.h>

#include <cstring>
#include <vector>

namespace zc::engine {

using traffic::Kind;

namespace {

constexpr unsigned batch = 64;
// The receiver polls: on an empty queue it sleeps this long instead of
// blocking in recvmmsg(). A blocked reader must be woken for every packet
// that arrives, and over loopback that wake-up runs on the sender's CPU.
constexpr auto idle_poll = std::chrono::microseconds(50);
constexpr size_t control_len = CMSG_SPACE(sizeof(uint32_t));

size_t rx_prefix(Kind k, const uint8_t* data, size_t len)
{
    switch (k) {
    case Kind::raw4_hdrincl:
    case Kind::raw4: return len == 0 ? 0 : static_cast<size_t>(data[0] & 0x0F) * 4;
    case Kind::packet_raw: return 14;
    default: return 0;
    }
}

} // namespace

int64_t socket_drops(int fd)
{
    uint32_t mem[SK_MEMINFO_VARS] = {};
    socklen_t len = sizeof mem;
    if (::getsockopt(fd, SOL_SOCKET, SO_MEMINFO, mem, &len) != 0 || len <= SK_MEMINFO_DROPS * sizeof(uint32_t)) {
        return -1;
    }
    return mem[SK_MEMINFO_DROPS];
}

Receiver::Receiver(const traffic::Channel& ch, size_t size, bool verify, uint64_t first_seq, Flow& flow)
    : ch_(ch), size_(size), verify_(verify), first_(first_seq), flow_(flow)
{
}

Receiver::~Receiver()
{
    stop_.store(true);
    if (thread_.joinable()) thread_.join();
}

void Receiver::start()
{
    flow_.reset(first_);
    drops_at_start_ = socket_drops(ch_.rx.get());
    thread_ = start_thread("the receiver thread", [this] { loop(); });
}

void Receiver::loop()
{
    const size_t slot = size_ + 128; // room for the IP/Ethernet header; bigger is MSG_TRUNC
    std::vector<uint8_t> buffers(slot * batch);
    std::vector<uint8_t> control(control_len * batch);
    std::vector<mmsghdr> msgs(batch);
    std::vector<iovec> iovs(batch);
    std::vector<sockaddr_ll> from(batch);
    const bool packet = ch_.info->kind == Kind::packet_raw;

    while (!stop_.load(std::memory_order_relaxed)) {
        for (unsigned i = 0; i < batch; ++i) {
            iovs[i] = {buffers.data() + i * slot, slot};
            msgs[i].msg_hdr = {};
            msgs[i].msg_hdr.msg_iov = &iovs[i];
            msgs[i].msg_hdr.msg_iovlen = 1;
            msgs[i].msg_hdr.msg_control = control.data() + i * control_len;
            msgs[i].msg_hdr.msg_controllen = control_len;
            if (packet) {
                msgs[i].msg_hdr.msg_name = &from[i];
                msgs[i].msg_hdr.msg_namelen = sizeof from[i];
            }
        }
        const int n = ::recvmmsg(ch_.rx.get(), msgs.data(), batch, MSG_DONTWAIT, nullptr);
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR) {
                empty_reads_.fetch_add(1, std::memory_order_relaxed);
                std::this_thread::sleep_for(idle_poll);
                continue;
            }
            report_.err = errno;
            return;
        }
        for (int i = 0; i < n; ++i) {
            const msghdr& h = msgs[i].msg_hdr;
            if (packet && from[i].sll_pkttype == PACKET_OUTGOING) continue;
            for (cmsghdr* c = CMSG_FIRSTHDR(&h); c != nullptr; c = CMSG_NXTHDR(const_cast<msghdr*>(&h), c)) {
                if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_RXQ_OVFL) {
                    uint32_t v;
                    std::memcpy(&v, CMSG_DATA(c), sizeof v);
                    report_.rxq_ovfl_last = v;
                }
            }
            const uint8_t* data = buffers.data() + static_cast<size_t>(i) * slot;
            size_t len = msgs[i].msg_len;
            const size_t prefix = std::min(rx_prefix(ch_.info->kind, data, len), len);
            data += prefix;
            len -= prefix;
            // Raw and packet sockets read every run's packets of their
            // protocol: another engine run's (an intact header with its
            // identity, possibly truncated when its packets are bigger) and
            // zcprobe's (its payload tag) are counted and skipped.
            const bool truncated = (h.msg_flags & MSG_TRUNC) != 0;
            const Verdict v = verify_ && !truncated ? verify_packet({data, len}, run_) : read_header({data, len}, run_);
            if (v.check == Check::foreign ||
                (v.check == Check::bad_magic && traffic::carries_any_run_tag({data, len}))) {
                tally_.on_foreign();
                continue;
            }
            if (truncated) {
                tally_.on_corrupted();
                continue;
            }
            if (v.check == Check::ok && v.seq < first_) {
                ++report_.stale; // a warm-up or earlier run's packet
                continue;
            }
            if (v.check != Check::ok) {
                tally_.on_corrupted();
                if (report_.first_corruption.empty()) {
                    report_.first_corruption = std::string(check_name(v.check)) +
                                               (v.check == Check::bad_payload
                                                    ? " at byte " + std::to_string(v.bad_offset) + " of seq " +
                                                          std::to_string(v.seq - first_)
                                                    : "") +
                                               " in a " + std::to_string(len) + "-byte packet";
                }
                continue;
            }
            tally_.on_valid(v.seq - first_);
        }
        flow_.publish(first_ + tally_.highest_plus_one());
    }
}

ReceiverReport Receiver::finish(uint64_t sent, int quiet_ms, std::chrono::steady_clock::time_point deadline)
{
    // The receiver thread owns the tally; watch its published progress.
    // Quiet means the receiver read an empty queue, again and again, for
    // quiet_ms: on a starved guest (UML or TCG on a loaded host) the clock
    // can run past quiet_ms while the receiver thread never ran, and the
    // last packets, waiting in the socket, were then counted lost.
    constexpr uint64_t min_empty_reads = 8;
    using clock = std::chrono::steady_clock;
    uint64_t last = flow_.acked();
    auto last_change = clock::now();
    uint64_t empty_at_change = empty_reads_.load(std::memory_order_relaxed);
    while (flow_.acked() < first_ + sent) {
        const auto now = clock::now();
        if (now >= deadline) break;
        const uint64_t a = flow_.acked();
        if (a != last) {
            last = a;
            last_change = now;
            empty_at_change = empty_reads_.load(std::memory_order_relaxed);
        } else if (now - last_change > std::chrono::milliseconds(quiet_ms) &&
                   empty_reads_.load(std::memory_order_relaxed) - empty_at_change >= min_empty_reads) {
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    stop_.store(true);
    if (thread_.joinable()) thread_.join();
    tally_.on_sent(sent);
    report_.counts = tally_.counts();
    const int64_t drops = socket_drops(ch_.rx.get());
    report_.socket_drops = drops >= 0 && drops_at_start_ >= 0 ? drops - drops_at_start_ : -1;
    return report_;
}

} // namespace zc::engine
