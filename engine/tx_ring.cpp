// tx-ring: AF_PACKET PACKET_TX_RING (TPACKET_V2), sized by tx_ring_geometry().
#include "core/errno_name.hpp"
#include "core/sys_result.hpp"
#include "core/syscalls.hpp"
#include "engine/tx_common.hpp"
#include "engine/tx_ring_geometry.hpp"

#include <linux/if_packet.h>
#include <sys/mman.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

namespace zc::engine::tx {

namespace {

// AF_PACKET PACKET_TX_RING (TPACKET_V2): frames written into the mmap()ed
// ring, one send() flushes a batch. The kernel hands a frame back
// (TP_STATUS_AVAILABLE) from the skb's destructor, but loopback_xmit()
// orphans the skb before delivery, so the frame comes back while the
// receiver's queued packet still points into it. With the guard on, a frame
// is also rewritten only after the receiver read the packet it carried.
class TxRingTx : public Base {
public:
    TxRingTx(const TxConfig& cfg, uint8_t* ring, size_t ring_bytes, size_t frame_size, size_t frames, size_t data_off)
        : Base(cfg), ring_(ring), ring_bytes_(ring_bytes), frame_size_(frame_size), frames_(frames),
          data_off_(data_off)
    {
        memory_bytes = ring_bytes;
        std::memset(ring_, 0, ring_bytes_); // pre-fault the shared ring
        for (size_t i = 0; i < frames_; ++i) {
            cfg_.ch->write_header(cfg_.size, {slot(i) + data_off_, hdr_});
            tpacket2_hdr* h = header(i);
            __atomic_store_n(&h->tp_status, TP_STATUS_AVAILABLE, __ATOMIC_RELEASE);
        }
    }
    ~TxRingTx() override { ::munmap(ring_, ring_bytes_); }
    TxRingTx(const TxRingTx&) = delete;
    TxRingTx& operator=(const TxRingTx&) = delete;
    [[nodiscard]] size_t batch() const override { return std::min<size_t>(64, frames_ / 2); }
    TxStep send(uint64_t seq_base, uint64_t first, size_t n) override
    {
        TxStep step;
        // Packet index p lives in frame p % frames_: the frames about to be
        // written last carried packets up to first + n - frames_.
        if (cfg_.guard_reuse && wait_acked && first + n > frames_ &&
            wait_acked(first + n - frames_) == WaitOutcome::timed_out) {
            step.timed_out = true;
            return step;
        }
        const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        for (size_t k = 0; k < n; ++k) {
            const size_t i = next_;
            next_ = (next_ + 1) % frames_;
            tpacket2_hdr* h = header(i);
            for (;;) {
                const unsigned st = __atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE);
                if (st == TP_STATUS_AVAILABLE) break;
                if ((st & TP_STATUS_WRONG_FORMAT) != 0) return failure(k, "PACKET_TX_RING frame rejected", EINVAL);
                if (std::chrono::steady_clock::now() > give_up) {
                    step.timed_out = true;
                    return step;
                }
                std::this_thread::yield();
            }
            fill(slot(i) + data_off_, seq_base | (first + k));
            h->tp_len = static_cast<uint32_t>(frame_);
            __atomic_store_n(&h->tp_status, TP_STATUS_SEND_REQUEST, __ATOMIC_RELEASE);
        }
        ++syscalls;
        const auto r = sys_result(::send(cfg_.ch->tx.get(), nullptr, 0, 0));
        if (!r.ok()) return failure(0, "send() flushing the PACKET_TX_RING", r.err);
        step.sent = n;
        return step;
    }

private:
    uint8_t* slot(size_t i) const noexcept { return ring_ + i * frame_size_; }
    tpacket2_hdr* header(size_t i) const noexcept { return reinterpret_cast<tpacket2_hdr*>(slot(i)); }
    uint8_t* ring_;
    size_t ring_bytes_;
    size_t frame_size_;
    size_t frames_;
    size_t data_off_;
    size_t next_ = 0;
};

} // namespace

std::unique_ptr<Transmitter> make_tx_ring_tx(const TxConfig& cfg, std::string& error)
{
    const int fd = cfg.ch->tx.get();
    if (const auto r = sys::setsockopt_int(fd, SOL_PACKET, PACKET_VERSION, TPACKET_V2); !r.ok()) {
        error = "setsockopt(PACKET_VERSION, TPACKET_V2) failed: " + errno_text(r.err);
        return nullptr;
    }
    // Where available; without it frames go through the qdisc layer.
    sys::setsockopt_int(fd, SOL_PACKET, PACKET_QDISC_BYPASS, 1);
    const TxRingGeometry g = tx_ring_geometry(cfg.ch->header_len() + cfg.size, page_size());
    if (::setsockopt(fd, SOL_PACKET, PACKET_TX_RING, &g.req, sizeof g.req) != 0) {
        error = "setsockopt(PACKET_TX_RING) failed: " + errno_text(errno);
        return nullptr;
    }
    void* ring = ::mmap(nullptr, g.bytes(), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (ring == MAP_FAILED) {
        error = "mmap of the PACKET_TX_RING failed: " + errno_text(errno);
        return nullptr;
    }
    return std::make_unique<TxRingTx>(cfg, static_cast<uint8_t*>(ring), g.bytes(), g.frame_size, g.req.tp_frame_nr,
                                      g.data_off);
}

} // namespace zc::engine::tx
