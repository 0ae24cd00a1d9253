// The engine's modes: how each one sends, which socket kinds it allows, and
// which probe decides whether this kernel can do it.
#pragma once

#include "traffic/socket_kinds.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zc::engine {

enum class Mode {
    page,
    packed,
    sendto,
    sendmmsg,
    udp_splice,
    udp_gso_splice,
    msg_zerocopy,
    tx_ring,
    io_uring_send,
    io_uring_send_zc,
    xdp_copy,
};

struct ModeInfo {
    Mode mode;
    std::string_view name;
    std::string_view description;
    std::vector<traffic::Kind> kinds; // allowed; the first is the default
    bool splices;                   // user pages reach the socket through a pipe
};

const std::vector<ModeInfo>& all_modes();
const ModeInfo& mode_info(Mode m);
std::optional<Mode> parse_mode(std::string_view name);
bool mode_allows(Mode m, traffic::Kind k);
// "page, packed, ..." for messages.
std::string mode_names();

// Byte offset of the packet inside its page in `page` mode: not 0, so the
// head splice to /dev/null is real, as in the seed technique.
inline constexpr size_t page_mode_offset = 64;

// xdp-copy sends over a veth pair left at the default MTU: the largest
// Ethernet payload it forwards (is_skb_forwardable()).
inline constexpr size_t xdp_veth_mtu = 1500;

// Largest and smallest packet (bytes the receiver gets, engine header
// included) for mode and kind; a one-line reason when size is outside.
std::string check_size(Mode m, traffic::Kind k, size_t size, size_t page);

// Probe ids whose verdicts gate the mode (unavailable unless supported).
std::vector<std::string> gating_probes(Mode m, traffic::Kind k);
// The probe whose evidence.zero_copy says whether the socket stage keeps
// referencing user pages (so they must not be reused early); empty for copy
// modes.
std::string zero_copy_probe(Mode m, traffic::Kind k);

} // namespace zc::engine
