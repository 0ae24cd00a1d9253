// What every sender family shares (engine internal, not for the CLI): the
// packet memory split into areas, the base that writes headers and
// payloads, the failure step, and one factory per family. Each family's
// class and its setup live together in its own file (tx_*.cpp).
#pragma once

#include "core/fd.hpp"
#include "core/page_buffer.hpp"
#include "core/run_identity.hpp"
#include "engine/transmit.hpp"
#include "engine/wire_format.hpp"

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace zc::engine::tx {

inline std::string kind_name(const traffic::Channel& ch)
{
    return std::string(ch.info->name);
}

inline TxStep failure(size_t sent, std::string call, int err)
{
    TxStep s;
    s.sent = sent;
    s.failed_call = std::move(call);
    s.err = err;
    return s;
}

// A full device queue or full option memory: the call may be tried again.
inline bool try_again(int err) noexcept
{
    return err == ENOBUFS || err == EAGAIN;
}

// Frames one per cache line, so no two packets share one.
constexpr size_t cache_line_stride(size_t frame) noexcept
{
    return (frame + 63) / 64 * 64;
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
    // The area for packets [first, first+n), waiting for the receiver where
    // the guard is on; nullptr (and step timed out) if that wait timed out.
    uint8_t* next_area(AreaRing& ring, uint64_t first, size_t n, TxStep& step)
    {
        WaitOutcome w;
        uint8_t* area = ring.acquire(first, n, *this, cfg_.guard_reuse, w);
        if (w == WaitOutcome::timed_out) {
            step.timed_out = true;
            return nullptr;
        }
        return area;
    }

    TxConfig cfg_;
    uint64_t run_ = run_identity();
    size_t hdr_;
    size_t frame_;
};

// A pipe of at least `bytes` (0: the default size); false with a one-line
// error naming the call.
bool make_pipe(Pipe& p, size_t bytes, std::string& error);
// After a failed splice: leftovers in the pipe would misalign every later
// packet, so start over with a fresh pipe.
void reset_pipe(Pipe& p);

// One factory per family; each returns nullptr and a one-line error.
std::unique_ptr<Transmitter> make_page_tx(const TxConfig& cfg, std::string& error);
std::unique_ptr<Transmitter> make_packed_tx(const TxConfig& cfg, std::string& error);
std::unique_ptr<Transmitter> make_gso_tx(const TxConfig& cfg, std::string& error);
std::unique_ptr<Transmitter> make_copy_tx(const TxConfig& cfg, bool mmsg);
std::unique_ptr<Transmitter> make_zerocopy_tx(const TxConfig& cfg, std::string& error);
std::unique_ptr<Transmitter> make_tx_ring_tx(const TxConfig& cfg, std::string& error);
std::unique_ptr<Transmitter> make_uring_tx(const TxConfig& cfg, bool zc, std::string& error);
std::unique_ptr<Transmitter> make_xdp_tx(const TxConfig& cfg, std::string& error);

} // namespace zc::engine::tx
