#include "engine/transmit.hpp"

#include "engine/tx_common.hpp"

namespace zc::engine {

std::unique_ptr<Transmitter> make_transmitter(const TxConfig& cfg, std::string& error)
{
    switch (cfg.mode) {
    case Mode::page: return tx::make_page_tx(cfg, error);
    case Mode::packed:
    case Mode::udp_splice: return tx::make_packed_tx(cfg, error);
    case Mode::udp_gso_splice: return tx::make_gso_tx(cfg, error);
    case Mode::sendto: return tx::make_copy_tx(cfg, false);
    case Mode::sendmmsg: return tx::make_copy_tx(cfg, true);
    case Mode::msg_zerocopy: return tx::make_zerocopy_tx(cfg, error);
    case Mode::tx_ring: return tx::make_tx_ring_tx(cfg, error);
    case Mode::io_uring_send: return tx::make_uring_tx(cfg, false, error);
    case Mode::io_uring_send_zc: return tx::make_uring_tx(cfg, true, error);
    case Mode::xdp_copy: return tx::make_xdp_tx(cfg, error);
    }
    error = "unknown mode";
    return nullptr;
}

} // namespace zc::engine
