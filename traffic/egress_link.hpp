// The egress sink: a veth pair in the private namespace whose far end drops
// every frame, so packets really leave through veth_xmit() and nothing in
// the namespace receives them (no local delivery, hence no copy of a
// zero-copy skb on the way in).
#pragma once

#include <string>

namespace zc::traffic {

// RFC 2544's benchmarking range: never routed, and apart from the TEST-NET
// addresses the probes' own veth pairs use in the same namespace.
inline constexpr const char* egress_local = "198.18.0.1";
inline constexpr const char* egress_remote = "198.18.0.2";
// Not the peer's own (random) address: eth_type_trans() on the peer marks
// each frame PACKET_OTHERHOST and ip_rcv_core() drops it before any
// protocol work (the check is as old as git history, 1da177e4c3f4; read in
// net/ipv4/ip_input.c as of 6.18), so nothing delivers it locally and no
// zero-copy skb is copied (____dev_forward_skb()'s skb_orphan_frags() keeps
// MSG_ZEROCOPY's pages: SKBFL_DONT_ORPHAN);
// frames of the engine's test EtherType have no handler and are dropped in
// __netif_receive_skb_core(). Either way the drop is the cheapest there is
// and is the same for every sender (trafgen included).
inline constexpr const char* egress_remote_mac = "02:00:5e:00:53:12";
inline constexpr const char* egress_link_name = "zcegress0";
inline constexpr const char* egress_peer_name = "zcegress1";
inline constexpr unsigned egress_mtu = 1500;

struct EgressLink {
    int ifindex = 0;      // of egress_link_name
    std::string error;    // one line when setting up failed
    bool veth_kind_unsupported = false; // the kernel refused the veth link kind (EOPNOTSUPP)
};

// Creates the pair once per process (both ends up, egress_local/24 on the
// near end, a permanent neighbour for egress_remote) and returns it; later
// calls return the same. Only inside a private namespace: the caller checks.
const EgressLink& egress_link();

} // namespace zc::traffic
