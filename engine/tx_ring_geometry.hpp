// The PACKET_TX_RING zcengine asks for (TPACKET_V2): frames a power of two
// that hold the header and the frame, up to 1024 of them in at most 4 MiB.
// Header-only so the bare loop (engine/bench) sizes its ring the same way.
#pragma once

#include <linux/if_packet.h>

#include <algorithm>
#include <cstddef>

namespace zc::engine {

struct TxRingGeometry {
    tpacket_req req{};
    size_t data_off = 0;   // where a frame's packet starts
    size_t frame_size = 0; // bytes per frame slot
    [[nodiscard]] size_t bytes() const noexcept { return size_t{req.tp_block_size} * req.tp_block_nr; }
};

inline TxRingGeometry tx_ring_geometry(size_t frame, size_t page) noexcept
{
    TxRingGeometry g;
    g.data_off = TPACKET_ALIGN(sizeof(tpacket2_hdr));
    g.frame_size = TPACKET_ALIGNMENT;
    while (g.frame_size < g.data_off + frame) g.frame_size *= 2;
    const size_t block = std::max(page, g.frame_size);
    const size_t frames = std::max<size_t>(64, std::min<size_t>(1024, (size_t{4} << 20) / g.frame_size));
    const size_t per_block = block / g.frame_size;
    g.req.tp_block_size = static_cast<unsigned>(block);
    g.req.tp_frame_size = static_cast<unsigned>(g.frame_size);
    g.req.tp_block_nr = static_cast<unsigned>((frames + per_block - 1) / per_block);
    g.req.tp_frame_nr = g.req.tp_block_nr * static_cast<unsigned>(per_block);
    return g;
}

} // namespace zc::engine
