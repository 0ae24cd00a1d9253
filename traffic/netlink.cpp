#include "traffic/netlink.hpp"

#include <linux/if.h>
#include <sys/socket.h>
#include <netlink/addr.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/veth.h>
#include <netlink/route/neighbour.h>
#include <linux/neighbour.h>

#include <memory>

#include <unistd.h>

namespace zc::netlink {

namespace {

struct SockFree {
    void operator()(nl_sock* s) const { nl_socket_free(s); }
};
struct LinkFree {
    void operator()(rtnl_link* l) const { rtnl_link_put(l); }
};
struct AddrFree {
    void operator()(nl_addr* a) const { nl_addr_put(a); }
};
struct RtAddrFree {
    void operator()(rtnl_addr* a) const { rtnl_addr_put(a); }
};
struct NeighFree {
    void operator()(rtnl_neigh* n) const { rtnl_neigh_put(n); }
};
using Sock = std::unique_ptr<nl_sock, SockFree>;
using Link = std::unique_ptr<rtnl_link, LinkFree>;
using Addr = std::unique_ptr<nl_addr, AddrFree>;

std::string nl_error(const std::string& what, int rc)
{
    return what + " failed: " + nl_geterror(rc);
}

Sock route_socket(std::string& error)
{
    Sock sock(nl_socket_alloc());
    if (!sock) {
        error = "netlink socket allocation failed";
        return nullptr;
    }
    if (const int rc = nl_connect(sock.get(), NETLINK_ROUTE); rc < 0) {
        error = nl_error("netlink connect (NETLINK_ROUTE)", rc);
        return nullptr;
    }
    return sock;
}

Link get_link(nl_sock* sock, const std::string& name, std::string& error)
{
    rtnl_link* raw = nullptr;
    if (const int rc = rtnl_link_get_kernel(sock, 0, name.c_str(), &raw); rc < 0) {
        error = nl_error("netlink get link " + name, rc);
        return nullptr;
    }
    return Link(raw);
}

} // namespace

std::string set_link_up(const std::string& name)
{
    std::string error;
    Sock sock = route_socket(error);
    if (!sock) return error;
    Link link = get_link(sock.get(), name, error);
    if (!link) return error;
    Link change(rtnl_link_alloc());
    rtnl_link_set_flags(change.get(), IFF_UP);
    if (const int rc = rtnl_link_change(sock.get(), link.get(), change.get(), 0); rc < 0) {
        return nl_error("netlink set link " + name + " up", rc);
    }
    return {};
}

namespace {

LinkInfo describe(rtnl_link* link, const std::string& name)
{
    LinkInfo info;
    info.name = name;
    info.ifindex = rtnl_link_get_ifindex(link);
    info.flags = rtnl_link_get_flags(link);
    info.mtu = rtnl_link_get_mtu(link);
    if (const char* q = rtnl_link_get_qdisc(link); q != nullptr && *q != '\0') {
        info.qdisc = q;
    }
    static const std::pair<unsigned, const char*> known[] = {
        {IFF_UP, "up"},           {IFF_LOWER_UP, "lower_up"}, {IFF_RUNNING, "running"},
        {IFF_LOOPBACK, "loopback"}, {IFF_NOARP, "noarp"},     {IFF_BROADCAST, "broadcast"},
        {IFF_MULTICAST, "multicast"}, {IFF_POINTOPOINT, "pointopoint"}, {IFF_PROMISC, "promisc"},
    };
    for (const auto& [bit, label] : known) {
        if (info.flags & bit) info.flag_names.emplace_back(label);
    }
    return info;
}

struct CacheFree {
    void operator()(nl_cache* c) const { nl_cache_free(c); }
};

} // namespace

std::optional<LinkInfo> link_info(const std::string& name, std::string& error)
{
    Sock sock = route_socket(error);
    if (!sock) return std::nullopt;
    Link link = get_link(sock.get(), name, error);
    if (!link) return std::nullopt;
    return describe(link.get(), name);
}

std::optional<std::vector<LinkInfo>> list_links(std::string& error)
{
    Sock sock = route_socket(error);
    if (!sock) return std::nullopt;
    nl_cache* raw = nullptr;
    if (const int rc = rtnl_link_alloc_cache(sock.get(), AF_UNSPEC, &raw); rc < 0) {
        error = nl_error("netlink list links", rc);
        return std::nullopt;
    }
    const std::unique_ptr<nl_cache, CacheFree> cache(raw);
    std::vector<LinkInfo> out;
    for (nl_object* o = nl_cache_get_first(cache.get()); o != nullptr; o = nl_cache_get_next(o)) {
        auto* link = reinterpret_cast<rtnl_link*>(o);
        const char* name = rtnl_link_get_name(link);
        out.push_back(describe(link, name != nullptr ? name : ""));
    }
    return out;
}

std::string create_veth(const std::string& a, const std::string& b, bool* kind_unsupported)
{
    if (kind_unsupported != nullptr) *kind_unsupported = false;
    std::string error;
    Sock sock = route_socket(error);
    if (!sock) return error;
    // The last argument puts the peer in that process's namespace; libnl
    // sends it even when 0, and the kernel answers pid 0 with ESRCH.
    if (const int rc = rtnl_link_veth_add(sock.get(), a.c_str(), b.c_str(), ::getpid()); rc < 0) {
        // libnl maps the kernel's -EOPNOTSUPP to NLE_OPNOTSUPP (nl_syserr2nlerr).
        if (kind_unsupported != nullptr) *kind_unsupported = rc == -NLE_OPNOTSUPP;
        return nl_error("netlink create veth " + a + "/" + b, rc);
    }
    return {};
}

std::string delete_link(const std::string& name)
{
    std::string error;
    Sock sock = route_socket(error);
    if (!sock) return error;
    Link link = get_link(sock.get(), name, error);
    if (!link) return error;
    if (const int rc = rtnl_link_delete(sock.get(), link.get()); rc < 0) {
        return nl_error("netlink delete link " + name, rc);
    }
    return {};
}

std::string add_ipv4_address(const std::string& link_name, const std::string& address, int prefix_len)
{
    std::string error;
    Sock sock = route_socket(error);
    if (!sock) return error;
    Link link = get_link(sock.get(), link_name, error);
    if (!link) return error;
    nl_addr* raw = nullptr;
    if (const int rc = nl_addr_parse(address.c_str(), AF_INET, &raw); rc < 0) {
        return nl_error("parse address " + address, rc);
    }
    Addr local(raw);
    nl_addr_set_prefixlen(local.get(), prefix_len);
    std::unique_ptr<rtnl_addr, RtAddrFree> addr(rtnl_addr_alloc());
    rtnl_addr_set_ifindex(addr.get(), rtnl_link_get_ifindex(link.get()));
    rtnl_addr_set_local(addr.get(), local.get());
    if (const int rc = rtnl_addr_add(sock.get(), addr.get(), 0); rc < 0) {
        return nl_error("netlink add address " + address + " to " + link_name, rc);
    }
    return {};
}

std::string add_permanent_neighbour(const std::string& link_name, const std::string& ipv4, const std::string& mac)
{
    std::string error;
    Sock sock = route_socket(error);
    if (!sock) return error;
    Link link = get_link(sock.get(), link_name, error);
    if (!link) return error;
    nl_addr* dst_raw = nullptr;
    if (const int rc = nl_addr_parse(ipv4.c_str(), AF_INET, &dst_raw); rc < 0) {
        return nl_error("parse address " + ipv4, rc);
    }
    Addr dst(dst_raw);
    nl_addr* ll_raw = nullptr;
    if (const int rc = nl_addr_parse(mac.c_str(), AF_LLC, &ll_raw); rc < 0) {
        return nl_error("parse mac " + mac, rc);
    }
    Addr ll(ll_raw);
    std::unique_ptr<rtnl_neigh, NeighFree> neigh(rtnl_neigh_alloc());
    rtnl_neigh_set_ifindex(neigh.get(), rtnl_link_get_ifindex(link.get()));
    rtnl_neigh_set_dst(neigh.get(), dst.get());
    rtnl_neigh_set_lladdr(neigh.get(), ll.get());
    rtnl_neigh_set_state(neigh.get(), NUD_PERMANENT);
    if (const int rc = rtnl_neigh_add(sock.get(), neigh.get(), NLM_F_CREATE); rc < 0) {
        return nl_error("netlink add neighbour " + ipv4 + " on " + link_name, rc);
    }
    return {};
}

std::optional<LinkCounters> link_counters(const std::string& name, std::string& error)
{
    Sock sock = route_socket(error);
    if (!sock) return std::nullopt;
    Link link = get_link(sock.get(), name, error);
    if (!link) return std::nullopt;
    LinkCounters c;
    c.tx_packets = rtnl_link_get_stat(link.get(), RTNL_LINK_TX_PACKETS);
    c.tx_dropped = rtnl_link_get_stat(link.get(), RTNL_LINK_TX_DROPPED);
    c.rx_packets = rtnl_link_get_stat(link.get(), RTNL_LINK_RX_PACKETS);
    c.rx_dropped = rtnl_link_get_stat(link.get(), RTNL_LINK_RX_DROPPED);
    return c;
}

} // namespace zc::netlink
