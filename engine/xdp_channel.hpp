// xdp-copy's channel: a veth pair made in a nested network namespace, an
// AF_XDP socket (made there, bound later by the sender) for one end and the
// engine's packet receiver on the other. The sockets keep the namespace, and
// with it the pair, alive; when they close the kernel tears both down, so
// nothing is left in the engine's namespace or, with --host-netns, the host's.
#pragma once

#include "engine/run_verdict.hpp"
#include "traffic/socket_kinds.hpp"

namespace zc::engine {

// The channel: tx is the unbound AF_XDP socket, ifindex the veth end it is
// to bind to, rx an AF_PACKET SOCK_RAW receiver for the engine's EtherType
// on the peer (info is packet_raw's: the receiver strips 14 bytes). On
// failure failed_call names the call; where err is 0 it is libnl's whole
// line ("netlink create veth a/b failed: ...").
traffic::ChannelOutcome open_xdp_channel();

// Why the channel did not open, as a mode result (pure): the kernel lacking
// AF_XDP or veth, or policy refusing them, is unavailable; anything else
// failed.
Refusal refuse_xdp_channel(const std::string& failed_call, int err);

} // namespace zc::engine
