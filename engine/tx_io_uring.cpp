// io-uring-send and io-uring-send-zc: IORING_OP_SEND / IORING_OP_SEND_ZC
// through liburing.
#include "core/errno_name.hpp"
#include "engine/tx_common.hpp"
#include "engine/window.hpp"
#include "probe/io_uring_compat.hpp"

#include <liburing.h>

#include <cerrno>

namespace zc::engine::tx {

namespace {

// io_uring IORING_OP_SEND or IORING_OP_SEND_ZC: a batch of SQEs, one
// io_uring_enter() submits them and waits for their completions. For
// SEND_ZC an area is rewritten only after every notification CQE for the
// packets it carried (the kernel's "done with your pages").
class UringTx : public Base {
public:
    UringTx(const TxConfig& cfg, bool zc)
        : Base(cfg), zc_(zc), stride_(cache_line_stride(frame_)),
          ring_area_(batch_ * stride_, zc && cfg.guard_reuse ? areas_for(cfg.guard_reuse, cfg.window, batch_) : 1),
          pending_(ring_area_.areas(), 0)
    {
        memory_bytes = ring_area_.bytes();
        reports_completions = zc && cfg.zc_report_usage;
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
                ::io_uring_prep_send_zc(sqe, cfg_.ch->tx.get(), p, frame_, 0, cfg_.zc_report_usage ? IORING_SEND_ZC_REPORT_USAGE : 0);
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
                if (!reports_completions) continue;
                ++zc_completed;
                if ((static_cast<unsigned>(cqe->res) & IORING_NOTIF_USAGE_ZC_COPIED) != 0) ++zc_copied;
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

} // namespace

std::unique_ptr<Transmitter> make_uring_tx(const TxConfig& cfg, bool zc, std::string& error)
{
    auto tx = std::make_unique<UringTx>(cfg, zc);
    if (const int err = tx->init(); err != 0) {
        error = "io_uring_queue_init failed: " + errno_text(err);
        return nullptr;
    }
    return tx;
}

} // namespace zc::engine::tx
