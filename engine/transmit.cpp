#include "engine/transmit.hpp"

#include "core/errno_name.hpp"
#include "core/fd.hpp"
#include "core/page_buffer.hpp"
#include "core/run_identity.hpp"
#include "core/syscalls.hpp"
#include "engine/tx_ring_geometry.hpp"
#include "engine/wire_format.hpp"

#include <fcntl.h>
#include <liburing.h>
#include <linux/errqueue.h>
#include <linux/if_packet.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <thread>
#include <vector>

#ifndef UDP_SEGMENT
#define UDP_SEGMENT 103
#endif
#ifndef SO_EE_ORIGIN_ZEROCOPY
#define SO_EE_ORIGIN_ZEROCOPY 5
#endif

namespace zc::engine {

namespace {

std::string kind_name(const traffic::Channel& ch)
{
    return std::string(ch.info->name);
}

TxStep failure(size_t sent, std::string call, int err)
{
    TxStep s;
    s.sent = sent;
    s.failed_call = std::move(call);
    s.err = err;
    return s;
}

// Packet memory split into `areas` equal parts used round robin. With the
// guard on, an area is rewritten only after the receiver acknowledged the
// last packet its previous occupant carried.
class AreaRing {
public:
    AreaRing(size_t area_bytes, size_t areas)
        : area_bytes_((area_bytes + page_size() - 1) / page_size() * page_size()), areas_(areas),
          pages_(area_bytes_ * areas), end_(areas, 0)
    {
    }
    // The next area for packets [first, first+n); nullptr if waiting failed.
    uint8_t* acquire(uint64_t first, size_t n, const Transmitter& tx, bool guard, WaitOutcome& outcome)
    {
        const size_t a = next_;
        next_ = (next_ + 1) % areas_;
        outcome = WaitOutcome::reached;
        if (guard && end_[a] > 0 && tx.wait_acked) outcome = tx.wait_acked(end_[a]);
        end_[a] = first + n;
        return pages_.data() + a * area_bytes_;
    }
    [[nodiscard]] size_t bytes() const noexcept { return pages_.size(); }
    [[nodiscard]] uint8_t* base() const noexcept { return pages_.data(); }
    [[nodiscard]] size_t area_bytes() const noexcept { return area_bytes_; }
    [[nodiscard]] size_t areas() const noexcept { return areas_; }

private:
    size_t area_bytes_;
    size_t areas_;
    PageBuffer pages_;
    std::vector<uint64_t> end_;
    size_t next_ = 0;
};

size_t areas_for(const TxConfig& cfg, size_t batch)
{
    // Enough areas that the window of packets in flight never covers the
    // area being rewritten; one when the kernel copies or --reuse eager.
    return cfg.guard_reuse ? (cfg.window + batch - 1) / batch + 1 : 1;
}

class Base : public Transmitter {
public:
    explicit Base(const TxConfig& cfg) : cfg_(cfg), hdr_(cfg.ch->header_len()), frame_(hdr_ + cfg.size) {}

protected:
    // The protocol header is the same for every packet of a size: written
    // once into every frame slot, so the hot loop writes only our packet.
    void write_headers(uint8_t* base, const std::vector<size_t>& offsets, size_t stride_areas, size_t area_bytes)
    {
        if (hdr_ == 0) return;
        for (size_t a = 0; a < stride_areas; ++a) {
            for (size_t off : offsets) cfg_.ch->write_header(cfg_.size, {base + a * area_bytes + off, hdr_});
        }
    }
    void fill(uint8_t* frame, uint64_t seq) const noexcept
    {
        const std::span<uint8_t> pkt(frame + hdr_, cfg_.size);
        if (cfg_.verify) {
            write_packet(pkt, seq, run_);
        } else {
            write_header(pkt, seq, run_);
        }
    }
    bool guard_wait(AreaRing& ring, uint64_t first, size_t n, uint8_t*& area, TxStep& step)
    {
        WaitOutcome w;
        area = ring.acquire(first, n, *this, cfg_.guard_reuse, w);
        if (w == WaitOutcome::timed_out) {
            step.timed_out = true;
            return false;
        }
        return true;
    }

    TxConfig cfg_;
    uint64_t run_ = run_identity();
    size_t hdr_;
    size_t frame_;
};

// The seed technique exactly: 4 syscalls per packet.
class PageTx : public Base {
public:
    PageTx(const TxConfig& cfg, Pipe pipe, Fd devnull)
        : Base(cfg), pipe_(std::move(pipe)), devnull_(std::move(devnull)),
          ring_(batch_ * page_size(), areas_for(cfg, batch_))
    {
        std::vector<size_t> offsets;
        for (size_t k = 0; k < batch_; ++k) offsets.push_back(k * page_size() + page_mode_offset);
        write_headers(ring_.base(), offsets, ring_.areas(), ring_.area_bytes());
        memory_bytes = ring_.bytes();
    }
    [[nodiscard]] size_t batch() const override { return batch_; }
    TxStep send(uint64_t seq_base, uint64_t first, size_t n) override
    {
        TxStep step;
        uint8_t* area = nullptr;
        if (!guard_wait(ring_, first, n, area, step)) return step;
        const size_t page = page_size();
        const size_t tail = page - page_mode_offset - frame_;
        for (size_t k = 0; k < n; ++k) {
            uint8_t* p = area + k * page;
            fill(p + page_mode_offset, seq_base | (first + k));
            const iovec iov{p, page};
            ++syscalls;
            auto r = sys::vmsplice(pipe_.write.get(), &iov, 1, SPLICE_F_GIFT);
            if (!r.ok() || static_cast<size_t>(r.value) != page) return failure(k, "vmsplice of a page into a pipe", r.err);
            ++syscalls;
            r = sys::splice(pipe_.read.get(), nullptr, devnull_.get(), nullptr, page_mode_offset, 0);
            if (!r.ok() || static_cast<size_t>(r.value) != page_mode_offset) {
                return failure(k, "splice of the page head to /dev/null", r.err);
            }
            ++syscalls;
            r = sys::splice(pipe_.read.get(), nullptr, cfg_.ch->tx.get(), nullptr, frame_, 0);
            if (!r.ok() || static_cast<size_t>(r.value) != frame_) {
                return failure(k, "splice into " + kind_name(*cfg_.ch) + " socket", r.err);
            }
            ++syscalls;
            r = sys::splice(pipe_.read.get(), nullptr, devnull_.get(), nullptr, tail, 0);
            if (!r.ok() || static_cast<size_t>(r.value) != tail) {
                return failure(k, "splice of the page tail to /dev/null", r.err);
            }
            ++step.sent;
        }
        return step;
    }

private:
    static constexpr size_t batch_ = 32;
    Pipe pipe_;
    Fd devnull_;
    AreaRing ring_;
};

// Many packets per page: one vmsplice per batch, one splice per packet.
class PackedTx : public Base {
public:
    PackedTx(const TxConfig& cfg, Pipe pipe, Layout layout)
        : Base(cfg), pipe_(std::move(pipe)), layout_(std::move(layout)),
          ring_(layout_.pages * page_size(), areas_for(cfg, layout_.offsets.size()))
    {
        write_headers(ring_.base(), layout_.offsets, ring_.areas(), ring_.area_bytes());
        memory_bytes = ring_.bytes();
        layout_used = layout_name(layout_.policy);
        iov_.reserve(layout_.segments.size());
    }
    [[nodiscard]] size_t batch() const override { return layout_.offsets.size(); }
    TxStep send(uint64_t seq_base, uint64_t first, size_t n) override
    {
        TxStep step;
        uint8_t* area = nullptr;
        if (!guard_wait(ring_, first, n, area, step)) return step;
        for (size_t k = 0; k < n; ++k) fill(area + layout_.offsets[k], seq_base | (first + k));
        // The segments that hold exactly the first n packets.
        iov_.clear();
        size_t total = 0;
        for (const Segment& s : layout_.segments) {
            if (total >= n * frame_) break;
            const size_t len = std::min(s.len, n * frame_ - total);
            iov_.push_back({area + s.offset, len});
            total += len;
        }
        ++syscalls;
        const auto v = sys::vmsplice(pipe_.write.get(), iov_.data(), iov_.size(), 0);
        if (!v.ok() || static_cast<size_t>(v.value) != total) {
            return failure(0, "vmsplice of a batch of pages into a pipe", v.err);
        }
        for (size_t k = 0; k < n; ++k) {
            ++syscalls;
            const auto r = sys::splice(pipe_.read.get(), nullptr, cfg_.ch->tx.get(), nullptr, frame_, 0);
            if (!r.ok() || static_cast<size_t>(r.value) != frame_) {
                // Leftovers would misalign every later packet: start over.
                reset_pipe();
                return failure(k, "splice into " + kind_name(*cfg_.ch) + " socket", r.err);
            }
            ++step.sent;
        }
        return step;
    }

private:
    void reset_pipe()
    {
        Pipe fresh;
        if (sys::pipe(fresh, O_CLOEXEC).ok()) pipe_ = std::move(fresh);
    }
    Pipe pipe_;
    Layout layout_;
    AreaRing ring_;
    std::vector<iovec> iov_;
};

// UDP_SEGMENT on the socket: one splice of up to 64 back-to-back datagrams
// leaves as one GSO super-packet, cut into datagrams of `size`.
class GsoTx : public Base {
public:
    GsoTx(const TxConfig& cfg, Pipe pipe, size_t per_splice, size_t batch)
        : Base(cfg), pipe_(std::move(pipe)), per_splice_(per_splice), batch_(batch),
          ring_(batch * frame_, areas_for(cfg, batch))
    {
        memory_bytes = ring_.bytes();
        layout_used = "dense";
    }
    [[nodiscard]] size_t batch() const override { return batch_; }
    TxStep send(uint64_t seq_base, uint64_t first, size_t n) override
    {
        TxStep step;
        uint8_t* area = nullptr;
        if (!guard_wait(ring_, first, n, area, step)) return step;
        for (size_t k = 0; k < n; ++k) fill(area + k * frame_, seq_base | (first + k));
        const iovec iov{area, n * frame_};
        ++syscalls;
        const auto v = sys::vmsplice(pipe_.write.get(), &iov, 1, 0);
        if (!v.ok() || static_cast<size_t>(v.value) != iov.iov_len) {
            return failure(0, "vmsplice of a batch into a pipe", v.err);
        }
        for (size_t k = 0; k < n; k += per_splice_) {
            const size_t m = std::min(per_splice_, n - k);
            ++syscalls;
            const auto r = sys::splice(pipe_.read.get(), nullptr, cfg_.ch->tx.get(), nullptr, m * frame_, 0);
            if (!r.ok() || static_cast<size_t>(r.value) != m * frame_) {
                Pipe fresh;
                if (sys::pipe(fresh, O_CLOEXEC).ok()) pipe_ = std::move(fresh);
                return failure(k, "splice with UDP_SEGMENT into udp4 socket", r.err);
            }
            step.sent += m;
        }
        return step;
    }

private:
    Pipe pipe_;
    size_t per_splice_;
    size_t batch_;
    AreaRing ring_;
};

// The copy baselines: sendto() per packet or sendmmsg() per batch.
class CopyTx : public Base {
public:
    CopyTx(const TxConfig& cfg, bool mmsg)
        : Base(cfg), mmsg_(mmsg), stride_((frame_ + 63) / 64 * 64), ring_(batch_ * stride_, 1)
    {
        std::vector<size_t> offsets;
        for (size_t k = 0; k < batch_; ++k) offsets.push_back(k * stride_);
        write_headers(ring_.base(), offsets, 1, ring_.area_bytes());
        memory_bytes = ring_.bytes();
        msgs_.resize(batch_);
        iovs_.resize(batch_);
    }
    [[nodiscard]] size_t batch() const override { return batch_; }
    TxStep send(uint64_t seq_base, uint64_t first, size_t n) override
    {
        TxStep step;
        uint8_t* area = ring_.base(); // the kernel copies: reuse at once is safe
        for (size_t k = 0; k < n; ++k) fill(area + k * stride_, seq_base | (first + k));
        const int fd = cfg_.ch->tx.get();
        if (!mmsg_) {
            for (size_t k = 0; k < n; ++k) {
                ++syscalls;
                const auto r = sys_result(::sendto(fd, area + k * stride_, frame_, 0, nullptr, 0));
                if (!r.ok()) {
                    if (r.err == ENOBUFS || r.err == EAGAIN) { // a full device queue: try again
                        --k;
                        continue;
                    }
                    return failure(k, "sendto on " + kind_name(*cfg_.ch) + " socket", r.err);
                }
                ++step.sent;
            }
            return step;
        }
        for (size_t k = 0; k < n; ++k) {
            iovs_[k] = {area + k * stride_, frame_};
            msgs_[k] = {};
            msgs_[k].msg_hdr.msg_iov = &iovs_[k];
            msgs_[k].msg_hdr.msg_iovlen = 1;
        }
        size_t done = 0;
        while (done < n) {
            ++syscalls;
            const auto r = sys_result(::sendmmsg(fd, msgs_.data() + done, static_cast<unsigned>(n - done), 0));
            if (!r.ok()) {
                if (r.err == ENOBUFS || r.err == EAGAIN) continue;
                return failure(done, "sendmmsg on " + kind_name(*cfg_.ch) + " socket", r.err);
            }
            done += static_cast<size_t>(r.value);
        }
        step.sent = n;
        return step;
    }

private:
    static constexpr size_t batch_ = 64;
    bool mmsg_;
    size_t stride_;
    AreaRing ring_;
    std::vector<mmsghdr> msgs_;
    std::vector<iovec> iovs_;
};

// MSG_ZEROCOPY: a page may be rewritten only after the kernel's completion
// for the send that carried it (read from the error queue).
class ZerocopyTx : public Base {
public:
    explicit ZerocopyTx(const TxConfig& cfg)
        : Base(cfg), stride_((frame_ + 63) / 64 * 64), ring_(batch_ * stride_, cfg.guard_reuse ? areas_for(cfg, batch_) : 1)
    {
        memory_bytes = ring_.bytes();
        // The guard waits on completions, not on the receiver.
        wait_for_completions_ = cfg.guard_reuse;
    }
    [[nodiscard]] size_t batch() const override { return batch_; }
    TxStep send(uint64_t seq_base, uint64_t first, size_t n) override
    {
        TxStep step;
        const size_t a = next_area_;
        next_area_ = (next_area_ + 1) % ring_.areas();
        if (wait_for_completions_ && area_end_.size() == ring_.areas() && area_end_[a] > 0) {
            if (!wait_completed(area_end_[a])) {
                step.timed_out = true;
                return step;
            }
        }
        area_end_.resize(ring_.areas(), 0);
        area_end_[a] = sends_ + n;
        uint8_t* area = ring_.base() + a * ring_.area_bytes();
        for (size_t k = 0; k < n; ++k) fill(area + k * stride_, seq_base | (first + k));
        for (size_t k = 0; k < n; ++k) {
            ++syscalls;
            const auto r = sys_result(::send(cfg_.ch->tx.get(), area + k * stride_, frame_, MSG_ZEROCOPY));
            if (!r.ok()) {
                if (r.err == ENOBUFS || r.err == EAGAIN) { // optmem full: collect completions first
                    read_completions(20);
                    --k;
                    continue;
                }
                return failure(k, "send(MSG_ZEROCOPY) on udp4 socket", r.err);
            }
            ++sends_;
            ++step.sent;
        }
        read_completions(0);
        return step;
    }
    void drain() override { wait_completed(sends_); }
    uint64_t copied_completions = 0; // completions flagged SO_EE_CODE_ZEROCOPY_COPIED

private:
    bool wait_completed(uint64_t target)
    {
        for (int tries = 0; completed_ < target && tries < 2000; ++tries) read_completions(5);
        return completed_ >= target;
    }
    void read_completions(int timeout_ms)
    {
        const int fd = cfg_.ch->tx.get();
        if (timeout_ms > 0) {
            pollfd p{fd, 0, 0}; // POLLERR is always reported
            ++syscalls;
            ::poll(&p, 1, timeout_ms);
        }
        for (;;) {
            char control[128];
            msghdr h{};
            h.msg_control = control;
            h.msg_controllen = sizeof control;
            ++syscalls;
            if (::recvmsg(fd, &h, MSG_ERRQUEUE | MSG_DONTWAIT) < 0) return;
            for (cmsghdr* c = CMSG_FIRSTHDR(&h); c != nullptr; c = CMSG_NXTHDR(&h, c)) {
                if (c->cmsg_level != SOL_IP || c->cmsg_type != IP_RECVERR) continue;
                sock_extended_err ee;
                std::memcpy(&ee, CMSG_DATA(c), sizeof ee);
                if (ee.ee_origin != SO_EE_ORIGIN_ZEROCOPY) continue;
                completed_ = std::max<uint64_t>(completed_, uint64_t{ee.ee_data} + 1);
                if ((ee.ee_code & SO_EE_CODE_ZEROCOPY_COPIED) != 0) ++copied_completions;
            }
        }
    }
    static constexpr size_t batch_ = 64;
    size_t stride_;
    AreaRing ring_;
    bool wait_for_completions_;
    std::vector<uint64_t> area_end_;
    size_t next_area_ = 0;
    uint64_t sends_ = 0;
    uint64_t completed_ = 0;
};


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

// io_uring IORING_OP_SEND or IORING_OP_SEND_ZC: a batch of SQEs, one
// io_uring_enter() submits them and waits for their completions. For
// SEND_ZC an area is rewritten only after every notification CQE for the
// packets it carried (the kernel's "done with your pages").
class UringTx : public Base {
public:
    UringTx(const TxConfig& cfg, bool zc)
        : Base(cfg), zc_(zc), stride_((frame_ + 63) / 64 * 64),
          ring_area_(batch_ * stride_, zc && cfg.guard_reuse ? areas_for(cfg, batch_) : 1),
          pending_(ring_area_.areas(), 0)
    {
        memory_bytes = ring_area_.bytes();
    }
    ~UringTx() override
    {
        if (live_) ::io_uring_queue_exit(&ring_);
    }
    UringTx(const UringTx&) = delete;
    UringTx& operator=(const UringTx&) = delete;
    int init()
    {
        const int r = ::io_uring_queue_init(2 * batch_, &ring_, 0);
        live_ = r == 0;
        return r < 0 ? -r : 0;
    }
    [[nodiscard]] size_t batch() const override { return batch_; }
    TxStep send(uint64_t seq_base, uint64_t first, size_t n) override
    {
        TxStep step;
        const size_t a = next_area_;
        next_area_ = (next_area_ + 1) % ring_area_.areas();
        if (zc_ && cfg_.guard_reuse) {
            for (int tries = 0; pending_[a] > 0; ++tries) {
                if (tries > 20000) {
                    step.timed_out = true;
                    return step;
                }
                if (!reap(true, step)) return step;
            }
        }
        uint8_t* area = ring_area_.base() + a * ring_area_.area_bytes();
        for (size_t k = 0; k < n; ++k) {
            uint8_t* p = area + k * stride_;
            fill(p, seq_base | (first + k));
            io_uring_sqe* sqe = ::io_uring_get_sqe(&ring_);
            if (zc_) {
                ::io_uring_prep_send_zc(sqe, cfg_.ch->tx.get(), p, frame_, 0, 0);
            } else {
                ::io_uring_prep_send(sqe, cfg_.ch->tx.get(), p, frame_, 0);
            }
            ::io_uring_sqe_set_data64(sqe, a);
        }
        ++syscalls;
        const int r = ::io_uring_submit_and_wait(&ring_, static_cast<unsigned>(n));
        if (r < 0) return failure(0, std::string("io_uring_submit_and_wait of ") + (zc_ ? "SEND_ZC" : "SEND"), -r);
        if (zc_) pending_[a] += n;
        results_ = 0;
        while (results_ < n) {
            if (!reap(results_ < n, step)) return step;
        }
        step.sent = n;
        return step;
    }
    void drain() override
    {
        TxStep ignored;
        for (int tries = 0; tries < 20000; ++tries) {
            size_t left = 0;
            for (size_t p : pending_) left += p;
            if (left == 0 || !reap(true, ignored)) return;
        }
    }

private:
    // Takes every ready CQE (waiting for one if asked); false on an error.
    bool reap(bool wait, TxStep& step)
    {
        io_uring_cqe* cqe = nullptr;
        if (wait && ::io_uring_cq_ready(&ring_) == 0) {
            ++syscalls;
            __kernel_timespec ts{0, 5'000'000};
            const int r = ::io_uring_wait_cqe_timeout(&ring_, &cqe, &ts);
            if (r < 0 && r != -ETIME && r != -EINTR) {
                step.failed_call = "io_uring_wait_cqe";
                step.err = -r;
                return false;
            }
        }
        unsigned head;
        unsigned seen = 0;
        bool ok = true;
        io_uring_for_each_cqe(&ring_, head, cqe)
        {
            ++seen;
            const size_t a = static_cast<size_t>(::io_uring_cqe_get_data64(cqe));
            if ((cqe->flags & IORING_CQE_F_NOTIF) != 0) {
                if (a < pending_.size() && pending_[a] > 0) --pending_[a];
                continue;
            }
            ++results_;
            if (zc_ && (cqe->flags & IORING_CQE_F_MORE) == 0 && a < pending_.size() && pending_[a] > 0) {
                --pending_[a]; // no notification will follow this one
            }
            if (cqe->res < 0 && ok) {
                step.failed_call = std::string(zc_ ? "IORING_OP_SEND_ZC" : "IORING_OP_SEND") + " on udp4 socket";
                step.err = -cqe->res;
                ok = false;
            }
        }
        ::io_uring_cq_advance(&ring_, seen);
        return ok;
    }
    static constexpr size_t batch_ = 64;
    bool zc_;
    size_t stride_;
    AreaRing ring_area_;
    std::vector<size_t> pending_;
    io_uring ring_{};
    bool live_ = false;
    size_t next_area_ = 0;
    size_t results_ = 0;
};

bool make_pipe(Pipe& p, size_t bytes, std::string& error)
{
    if (const auto r = sys::pipe(p, O_CLOEXEC); !r.ok()) {
        error = "pipe() failed: " + errno_text(r.err);
        return false;
    }
    if (bytes > 0) {
        const auto r = sys::fcntl(p.write.get(), F_SETPIPE_SZ, static_cast<long>(bytes));
        if (!r.ok() || static_cast<size_t>(r.value) < bytes) {
            error = "fcntl(F_SETPIPE_SZ, " + std::to_string(bytes) + ") failed: " + errno_text(r.err) +
                    "; raise fs.pipe-max-size or use smaller packets";
            return false;
        }
    }
    return true;
}

} // namespace

std::unique_ptr<Transmitter> make_transmitter(const TxConfig& cfg, std::string& error)
{
    const size_t page = page_size();
    const size_t frame = cfg.ch->header_len() + cfg.size;
    switch (cfg.mode) {
    case Mode::page: {
        Pipe p;
        if (!make_pipe(p, 0, error)) return nullptr;
        Fd devnull;
        if (const auto r = sys::open("/dev/null", O_WRONLY | O_CLOEXEC, devnull); !r.ok()) {
            error = "open(/dev/null) failed: " + errno_text(r.err);
            return nullptr;
        }
        return std::make_unique<PageTx>(cfg, std::move(p), std::move(devnull));
    }
    case Mode::packed:
    case Mode::udp_splice: {
        const size_t max_packets = std::min<size_t>(256, cfg.window / 2);
        auto layout = compute_layout(cfg.layout, frame, page, 128, max_packets, &error);
        if (!layout) return nullptr;
        Pipe p;
        if (!make_pipe(p, layout->pipe_buffers * page, error)) return nullptr;
        return std::make_unique<PackedTx>(cfg, std::move(p), std::move(*layout));
    }
    case Mode::udp_gso_splice: {
        const size_t per_splice = std::max<size_t>(1, std::min<size_t>(64, 65507 / cfg.size));
        const size_t pages_per_splice = (per_splice * frame + page - 1) / page + 1;
        size_t splices = std::max<size_t>(1, 128 / pages_per_splice);
        while (splices > 1 && splices * per_splice > cfg.window / 2) --splices;
        const size_t batch = splices * per_splice;
        if (const auto r = sys::setsockopt_int(cfg.ch->tx.get(), SOL_UDP, UDP_SEGMENT, static_cast<int>(cfg.size));
            !r.ok()) {
            error = "setsockopt(UDP_SEGMENT) on udp4 socket failed: " + errno_text(r.err);
            return nullptr;
        }
        Pipe p;
        if (!make_pipe(p, ((batch * frame + page - 1) / page + 1) * page, error)) return nullptr;
        return std::make_unique<GsoTx>(cfg, std::move(p), per_splice, batch);
    }
    case Mode::sendto: return std::make_unique<CopyTx>(cfg, false);
    case Mode::sendmmsg: return std::make_unique<CopyTx>(cfg, true);
    case Mode::msg_zerocopy: {
        if (const auto r = sys::setsockopt_int(cfg.ch->tx.get(), SOL_SOCKET, SO_ZEROCOPY, 1); !r.ok()) {
            error = "setsockopt(SO_ZEROCOPY) on udp4 socket failed: " + errno_text(r.err);
            return nullptr;
        }
        return std::make_unique<ZerocopyTx>(cfg);
    }
    case Mode::tx_ring: {
        const int fd = cfg.ch->tx.get();
        if (const auto r = sys::setsockopt_int(fd, SOL_PACKET, PACKET_VERSION, TPACKET_V2); !r.ok()) {
            error = "setsockopt(PACKET_VERSION, TPACKET_V2) failed: " + errno_text(r.err);
            return nullptr;
        }
        // Where available; without it frames go through the qdisc layer.
        sys::setsockopt_int(fd, SOL_PACKET, PACKET_QDISC_BYPASS, 1);
        const TxRingGeometry g = tx_ring_geometry(frame, page);
        if (::setsockopt(fd, SOL_PACKET, PACKET_TX_RING, &g.req, sizeof g.req) != 0) {
            error = "setsockopt(PACKET_TX_RING) failed: " + errno_text(errno);
            return nullptr;
        }
        void* ring = ::mmap(nullptr, g.bytes(), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        if (ring == MAP_FAILED) {
            error = "mmap of the PACKET_TX_RING failed: " + errno_text(errno);
            return nullptr;
        }
        return std::make_unique<TxRingTx>(cfg, static_cast<uint8_t*>(ring), g.bytes(), g.frame_size,
                                          g.req.tp_frame_nr, g.data_off);
    }
    case Mode::io_uring_send:
    case Mode::io_uring_send_zc: {
        auto tx = std::make_unique<UringTx>(cfg, cfg.mode == Mode::io_uring_send_zc);
        if (const int err = tx->init(); err != 0) {
            error = "io_uring_queue_init failed: " + errno_text(err);
            return nullptr;
        }
        return tx;
    }
    }
    error = "unknown mode";
    return nullptr;
}

} // namespace zc::engine
