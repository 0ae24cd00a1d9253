// The copy baselines (sendto, sendmmsg): the kernel copies every packet, so
// one area is rewritten at once.
#include "core/sys_result.hpp"
#include "engine/tx_common.hpp"

#include <sys/socket.h>
#include <sys/uio.h>

namespace zc::engine::tx {

namespace {

// The copy baselines: sendto() per packet or sendmmsg() per batch.
class CopyTx : public Base {
public:
    CopyTx(const TxConfig& cfg, bool mmsg)
        : Base(cfg), mmsg_(mmsg), stride_(cache_line_stride(frame_)), ring_(batch_ * stride_, 1)
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
                    if (try_again(r.err)) { // a full device queue: try again
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
                if (try_again(r.err)) continue;
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

} // namespace

std::unique_ptr<Transmitter> make_copy_tx(const TxConfig& cfg, bool mmsg)
{
    return std::make_unique<CopyTx>(cfg, mmsg);
}

} // namespace zc::engine::tx
