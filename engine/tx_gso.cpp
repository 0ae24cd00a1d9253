// udp-gso-splice: UDP_SEGMENT on the socket, so one splice of up to 64
// back-to-back datagrams leaves as one GSO super-packet, cut into datagrams
// of `size`.
#include "core/errno_name.hpp"
#include "core/syscalls.hpp"
#include "engine/tx_common.hpp"
#include "engine/window.hpp"

#include <netinet/in.h>
#include <netinet/udp.h>
#include <sys/uio.h>

#include <algorithm>

#ifndef UDP_SEGMENT
#define UDP_SEGMENT 103
#endif

namespace zc::engine::tx {

namespace {

class GsoTx : public Base {
public:
    GsoTx(const TxConfig& cfg, Pipe pipe, size_t per_splice, size_t batch)
        : Base(cfg), pipe_(std::move(pipe)), per_splice_(per_splice), batch_(batch),
          ring_(batch * frame_, areas_for(cfg.guard_reuse, cfg.window, batch))
    {
        memory_bytes = ring_.bytes();
        layout_used = "dense";
    }
    [[nodiscard]] size_t batch() const override { return batch_; }
    TxStep send(uint64_t seq_base, uint64_t first, size_t n) override
    {
        TxStep step;
        uint8_t* area = next_area(ring_, first, n, step);
        if (area == nullptr) return step;
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
                reset_pipe(pipe_);
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

} // namespace

std::unique_ptr<Transmitter> make_gso_tx(const TxConfig& cfg, std::string& error)
{
    const GsoGeometry g = gso_geometry(cfg.size, cfg.ch->header_len() + cfg.size, page_size(), cfg.window);
    if (const auto r = sys::setsockopt_int(cfg.ch->tx.get(), SOL_UDP, UDP_SEGMENT, static_cast<int>(cfg.size));
        !r.ok()) {
        error = "setsockopt(UDP_SEGMENT) on udp4 socket failed: " + errno_text(r.err);
        return nullptr;
    }
    Pipe p;
    if (!make_pipe(p, g.pipe_bytes, error)) return nullptr;
    return std::make_unique<GsoTx>(cfg, std::move(p), g.per_splice, g.batch);
}

} // namespace zc::engine::tx
