// msg-zerocopy: send(MSG_ZEROCOPY) per datagram, pages held until the
// kernel's completion on the error queue.
#include "core/errno_name.hpp"
#include "core/sys_result.hpp"
#include "core/syscalls.hpp"
#include "engine/tx_common.hpp"
#include "engine/window.hpp"

#include <linux/errqueue.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>

#ifndef SO_EE_ORIGIN_ZEROCOPY
#define SO_EE_ORIGIN_ZEROCOPY 5
#endif

namespace zc::engine::tx {

namespace {

// MSG_ZEROCOPY: a page may be rewritten only after the kernel's completion
// for the send that carried it (read from the error queue).
class ZerocopyTx : public Base {
public:
    explicit ZerocopyTx(const TxConfig& cfg)
        : Base(cfg), stride_(cache_line_stride(frame_)), ring_(batch_ * stride_, cfg.guard_reuse ? areas_for(cfg.guard_reuse, cfg.window, batch_) : 1)
    {
        memory_bytes = ring_.bytes();
        // The guard waits on completions, not on the receiver.
        wait_for_completions_ = cfg.guard_reuse;
        reports_completions = true;
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
                if (try_again(r.err)) { // optmem full: collect completions first
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
                // One notification covers the sends ee_info..ee_data; the
                // flag says the kernel copied (SO_EE_CODE_ZEROCOPY_COPIED,
                // 52267790ef52 "sock: add MSG_ZEROCOPY", 4.14). Consecutive
                // ranges are merged into one queued notification
                // (skb_zerocopy_notify_extend()), so the flag counts for
                // the whole range it arrives with.
                const uint64_t range = uint64_t{ee.ee_data - ee.ee_info} + 1;
                zc_completed += range;
                if ((ee.ee_code & SO_EE_CODE_ZEROCOPY_COPIED) != 0) zc_copied += range;
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

} // namespace

std::unique_ptr<Transmitter> make_zerocopy_tx(const TxConfig& cfg, std::string& error)
{
    if (const auto r = sys::setsockopt_int(cfg.ch->tx.get(), SOL_SOCKET, SO_ZEROCOPY, 1); !r.ok()) {
        error = "setsockopt(SO_ZEROCOPY) on udp4 socket failed: " + errno_text(r.err);
        return nullptr;
    }
    return std::make_unique<ZerocopyTx>(cfg);
}

} // namespace zc::engine::tx
