// Where the engine's packets go: back over loopback to a receiver that
// verifies every byte (the default), or out through a veth pair whose far
// end drops them (egress), so what a zero-copy transmit saves is not undone
// by the copy the kernel makes when it delivers a zero-copy skb to a local
// socket. Pure decisions, unit-tested.
#pragma once

#include "engine/modes.hpp"
#include "traffic/socket_kinds.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace zc::engine {

enum class Sink { loopback, egress };

std::string_view sink_name(Sink s);
std::optional<Sink> parse_sink(std::string_view name);

// Why (mode, kind) cannot run at the egress sink; empty when it can. The
// splice modes reuse a page safely only after the receiver acknowledged the
// packet it carried, and there is no receiver at an egress sink.
std::string egress_refusal(Mode m, traffic::Kind k);

// Bytes on the egress link's MTU left for our packet behind the kind's
// headers (the Ethernet header does not count against the MTU).
size_t egress_room(traffic::Kind k, unsigned mtu);

// UDP_SEGMENT (gso_size) for a udp4 datagram of `size` bytes at egress: the
// room behind IPv4 and UDP headers when the datagram does not fit the MTU,
// 0 when it does or the kind is not udp4.
size_t egress_gso_size(traffic::Kind k, size_t size, unsigned mtu);

// The packet size limit at egress: a one-line reason when `size` does not fit
// (udp4 goes up to 65507 bytes through UDP GSO; the others up to the MTU).
std::string check_egress_size(Mode m, traffic::Kind k, size_t size, unsigned mtu);

// Packets of the loopback pre-check that runs, fully verified, before every
// egress measurement: enough to cover every reuse area of the mode, few
// enough to be brief.
uint64_t precheck_count(uint64_t count);

} // namespace zc::engine
