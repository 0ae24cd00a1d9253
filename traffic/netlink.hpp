// Link configuration through libnl-route: bring a link up, read what the
// kernel says about it, create a veth pair, add an address and a permanent
// neighbour. Every function returns an empty string on success or a one-line
// error naming the object and libnl's reason.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace zc::netlink {

struct LinkInfo {
    std::string name;
    int ifindex = 0;
    unsigned flags = 0;
    std::vector<std::string> flag_names; // "up", "loopback", "running", ...
    unsigned mtu = 0;
    std::optional<std::string> qdisc;
};

std::string set_link_up(const std::string& name);
// Every link of this network namespace, with its flags; std::nullopt with
// error set when netlink cannot list them.
std::optional<std::vector<LinkInfo>> list_links(std::string& error);
std::optional<LinkInfo> link_info(const std::string& name, std::string& error);

// A veth pair a <-> b, both left down. kind_unsupported, when given, is set
// when the kernel refused with EOPNOTSUPP (no veth link kind: the module is
// neither loaded nor built in, and could not be loaded).
std::string create_veth(const std::string& a, const std::string& b, bool* kind_unsupported = nullptr);
std::string delete_link(const std::string& name);
// IPv4 address in dotted form with a prefix length, e.g. ("192.0.2.1", 24).
std::string add_ipv4_address(const std::string& link, const std::string& address, int prefix_len);
// A NUD_PERMANENT neighbour so traffic leaves at once without ARP.
std::string add_permanent_neighbour(const std::string& link, const std::string& ipv4, const std::string& mac);

// Packet counters the kernel keeps for a link (IFLA_STATS64).
struct LinkCounters {
    uint64_t tx_packets = 0;
    uint64_t tx_dropped = 0;
    uint64_t rx_packets = 0;
    uint64_t rx_dropped = 0;
};
std::optional<LinkCounters> link_counters(const std::string& name, std::string& error);

} // namespace zc::netlink
