#include "traffic/egress_link.hpp"

#include "traffic/netlink.hpp"

#include <net/if.h>

namespace zc::traffic {

namespace {

EgressLink set_up()
{
    EgressLink out;
    std::string err = netlink::create_veth(egress_link_name, egress_peer_name, &out.veth_kind_unsupported);
    // Peer first: the near end then opens with its carrier on, so its queue
    // is active at once (as in the probes' veth pairs).
    if (err.empty()) err = netlink::set_link_up(egress_peer_name);
    if (err.empty()) err = netlink::set_link_up(egress_link_name);
    if (err.empty()) err = netlink::add_ipv4_address(egress_link_name, egress_local, 24);
    if (err.empty()) err = netlink::add_permanent_neighbour(egress_link_name, egress_remote, egress_remote_mac);
    if (err.empty()) {
        out.ifindex = static_cast<int>(::if_nametoindex(egress_link_name));
        if (out.ifindex == 0) err = std::string("if_nametoindex(") + egress_link_name + ") failed";
    }
    if (!err.empty()) out.error = "setting up the egress veth pair failed: " + err;
    return out;
}

} // namespace

const EgressLink& egress_link()
{
    static const EgressLink link = set_up();
    return link;
}

} // namespace zc::traffic
