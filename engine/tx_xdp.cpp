// xdp-copy: an AF_XDP socket bound XDP_COPY to one end of a veth pair
// (engine/xdp_channel.hpp), frames written into its UMEM.
#include "core/errno_name.hpp"
#include "engine/tx_common.hpp"
#include "traffic/xsk_socket.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/if_ether.h>

#include <chrono>
#include <cstring>
#include <thread>

namespace zc::engine::tx {

namespace {

using clock_type = std::chrono::steady_clock;

// 2048 chunks of 2048 bytes (4 MiB, as tx-ring's ring holds): a chunk holds
// the largest frame veth forwards (1514 bytes), and the chunk size is the
// kernel's minimum (XDP_UMEM_MIN_CHUNK_SIZE). Every ring is as deep as the
// UMEM, so the completion ring never holds transmission back.
constexpr uint32_t umem_frame_size = 2048;
constexpr uint32_t umem_frames = 2048;
// In copy mode one sendto() transmits at most TX_BATCH_SIZE (32)
// descriptors, then returns EAGAIN with the rest left on the ring
// (xsk_generic_xmit(), net/xdp/xsk.c, verified at 002c6ca75289): a batch
// of 32 is one kick.
constexpr size_t kick_batch = 32;
// Broadcast, so the peer takes the frame as addressed to it; a locally
// administered source.
constexpr uint8_t dst_mac[ETH_ALEN] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
constexpr uint8_t src_mac[ETH_ALEN] = {0x02, 0x00, 0x5e, 0x00, 0x53, 0x5a};

// Frames cycle through the UMEM in order, packet p in chunk p % umem_frames.
// In copy mode xsk_build_skb() copies the chunk into a fresh skb and the
// chunk's address returns on the completion ring from that skb's
// destructor (xsk_destruct_skb()). A chunk is rewritten only after its
// completion came back and, with the guard on, after the receiver read the
// packet it carried, as on the other paths that hand user pages over.
class XdpTx : public Base {
public:
    XdpTx(const TxConfig& cfg, traffic::xsk::TxSocket s)
        : Base(cfg), s_(std::move(s)), busy_(umem_frames, 0), done_(umem_frames)
    {
        memory_bytes = s_.layout().bytes();
        const uint16_t type = htons(traffic::test_ethertype);
        for (uint32_t i = 0; i < umem_frames; ++i) {
            uint8_t* f = s_.frame(i);
            std::memcpy(f, dst_mac, ETH_ALEN);
            std::memcpy(f + ETH_ALEN, src_mac, ETH_ALEN);
            std::memcpy(f + 2 * ETH_ALEN, &type, sizeof type);
        }
        const auto zc = s_.zero_copy();
        // A successful XDP_COPY bind is copy mode (xp_assign_dev() forces
        // it); XDP_OPTIONS (5.3+) confirms it where the kernel answers.
        bind_mode = zc && *zc ? "zerocopy" : "copy";
    }
    [[nodiscard]] size_t batch() const override { return kick_batch; }
    TxStep send(uint64_t seq_base, uint64_t first, size_t n) override
    {
        TxStep step;
        // The chunks about to be written last carried packets up to
        // first + n - umem_frames.
        if (cfg_.guard_reuse && wait_acked && first + n > umem_frames &&
            wait_acked(first + n - umem_frames) == WaitOutcome::timed_out) {
            step.timed_out = true;
            return step;
        }
        const auto give_up = clock_type::now() + std::chrono::seconds(10);
        for (size_t k = 0; k < n; ++k) {
            const uint32_t i = next_;
            next_ = (next_ + 1) % umem_frames;
            while (busy_[i] != 0) {
                reap();
                if (busy_[i] == 0) break;
                if (clock_type::now() > give_up) {
                    step.timed_out = true;
                    return step;
                }
                std::this_thread::yield();
            }
            fill(s_.frame(i), seq_base | (first + k));
            // The ring is emptied by every send(), so it has room for a batch.
            // No errno: the ring is ours, nothing in the kernel refused.
            if (!s_.queue(i, static_cast<uint32_t>(frame_))) {
                return failure(k, "queueing on the xsk tx ring (no free slot although every send() empties it)", 0);
            }
            busy_[i] = 1;
            ++outstanding_;
        }
        s_.submit();
        // Kick until the kernel has taken every descriptor. EAGAIN: the
        // per-call budget ran out, the device was busy or the socket's send
        // buffer is full; EBUSY: the device dropped a frame (its completion
        // still comes, the receiver counts it lost). Either way call again.
        while (s_.tx_pending() > 0) {
            const uint32_t before = s_.tx_pending();
            ++syscalls;
            const SysResult r = s_.kick();
            if (!r.ok() && r.err != EAGAIN && r.err != EBUSY) {
                return failure(0, "sendto(MSG_DONTWAIT) kicking the xsk tx ring", r.err);
            }
            reap(); // a full completion ring stops transmission
            const uint32_t left = s_.tx_pending();
            if (left > 0 && clock_type::now() > give_up) {
                step.timed_out = true;
                return step;
            }
            // Nothing taken (the send buffer is full of skbs not yet
            // delivered): let the receiving side run before asking again.
            if (left == before) std::this_thread::yield();
        }
        step.sent = n;
        return step;
    }
    void drain() override
    {
        const auto give_up = clock_type::now() + std::chrono::seconds(5);
        while (outstanding_ > 0 && clock_type::now() < give_up) {
            reap();
            if (outstanding_ > 0) std::this_thread::yield();
        }
    }

private:
    void reap()
    {
        const uint32_t got = s_.reap(done_);
        for (uint32_t j = 0; j < got; ++j) {
            const uint64_t chunk = done_[j] / umem_frame_size;
            if (chunk < umem_frames && busy_[chunk] != 0) {
                busy_[chunk] = 0;
                --outstanding_;
            }
        }
    }

    traffic::xsk::TxSocket s_;
    std::vector<uint8_t> busy_; // handed to the kernel, completion not back yet
    std::vector<uint64_t> done_;
    uint32_t next_ = 0;
    size_t outstanding_ = 0;
};

} // namespace

std::unique_ptr<Transmitter> make_xdp_tx(const TxConfig& cfg, std::string& error)
{
    // The channel's AF_XDP socket was made in the veth pair's namespace; the
    // sender owns a second descriptor of the same socket.
    Fd sock(::fcntl(cfg.ch->tx.get(), F_DUPFD_CLOEXEC, 0));
    if (!sock) {
        error = "fcntl(F_DUPFD_CLOEXEC) of the AF_XDP socket failed: " + errno_text(errno);
        return nullptr;
    }
    traffic::xsk::Options o;
    o.ifindex = cfg.ch->ifindex;
    o.queue_id = 0;
    o.bind_flags = XDP_COPY;
    o.layout = {.frame_size = umem_frame_size, .frame_count = umem_frames};
    o.ring_size = umem_frames;
    traffic::xsk::OpenOutcome oc = traffic::xsk::TxSocket::open(o, std::move(sock));
    if (!oc.socket) {
        error = oc.failed_call + (oc.err != 0 ? " failed: " + errno_text(oc.err) : std::string(" is invalid"));
        return nullptr;
    }
    return std::make_unique<XdpTx>(cfg, std::move(*oc.socket));
}

} // namespace zc::engine::tx
