// The vmsplice + splice senders: `page` (the seed technique, one packet per
// gifted page) and `packed` / `udp-splice` (many packets per page).
#include "core/errno_name.hpp"
#include "core/syscalls.hpp"
#include "engine/tx_common.hpp"
#include "engine/window.hpp"

#include <fcntl.h>
#include <sys/uio.h>

#include <algorithm>

namespace zc::engine::tx {

namespace {

// The seed technique exactly: 4 syscalls per packet.
class PageTx : public Base {
public:
    PageTx(const TxConfig& cfg, Pipe pipe, Fd devnull)
        : Base(cfg), pipe_(std::move(pipe)), devnull_(std::move(devnull)),
          ring_(batch_ * page_size(), areas_for(cfg.guard_reuse, cfg.window, batch_))
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
        uint8_t* area = next_area(ring_, first, n, step);
        if (area == nullptr) return step;
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
          ring_(layout_.pages * page_size(), areas_for(cfg.guard_reuse, cfg.window, layout_.offsets.size()))
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
        uint8_t* area = next_area(ring_, first, n, step);
        if (area == nullptr) return step;
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
                reset_pipe(pipe_);
                return failure(k, "splice into " + kind_name(*cfg_.ch) + " socket", r.err);
            }
            ++step.sent;
        }
        return step;
    }

private:
    Pipe pipe_;
    Layout layout_;
    AreaRing ring_;
    std::vector<iovec> iov_;
};

} // namespace

std::unique_ptr<Transmitter> make_page_tx(const TxConfig& cfg, std::string& error)
{
    Pipe p;
    if (!make_pipe(p, 0, error)) return nullptr;
    Fd devnull;
    if (const auto r = sys::open("/dev/null", O_WRONLY | O_CLOEXEC, devnull); !r.ok()) {
        error = "open(/dev/null) failed: " + errno_text(r.err);
        return nullptr;
    }
    return std::make_unique<PageTx>(cfg, std::move(p), std::move(devnull));
}

std::unique_ptr<Transmitter> make_packed_tx(const TxConfig& cfg, std::string& error)
{
    const size_t page = page_size();
    const size_t frame = cfg.ch->header_len() + cfg.size;
    auto layout = compute_layout(cfg.layout, frame, page, 128, packed_batch_limit(cfg.window), &error);
    if (!layout) return nullptr;
    Pipe p;
    if (!make_pipe(p, layout->pipe_buffers * page, error)) return nullptr;
    return std::make_unique<PackedTx>(cfg, std::move(p), std::move(*layout));
}

} // namespace zc::engine::tx
