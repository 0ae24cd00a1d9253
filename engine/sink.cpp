#include "engine/sink.hpp"

namespace zc::engine {

using traffic::Kind;

namespace {
constexpr size_t ipv4_header = 20;
constexpr size_t udp_header = 8;
constexpr size_t udp_max_payload = 65535 - ipv4_header - udp_header;
} // namespace

std::string_view sink_name(Sink s)
{
    return s == Sink::egress ? "egress" : "loopback";
}

std::optional<Sink> parse_sink(std::string_view name)
{
    if (name == "loopback") return Sink::loopback;
    if (name == "egress") return Sink::egress;
    return std::nullopt;
}

std::string egress_refusal(Mode m, Kind k)
{
    if (mode_info(m).splices) {
        return std::string(mode_info(m).name) +
               " reuses a page only after the receiver acknowledged it, and an egress sink has no receiver";
    }
    // xdp-copy already leaves through a veth pair of its own and counts on
    // its receiver there; an egress variant (no receiver on the peer) is not
    // built yet, so it is refused rather than sent down the wrong channel.
    if (m == Mode::xdp_copy) {
        return "xdp-copy sends through its own veth pair with a receiver on the peer; it has no egress variant yet";
    }
    switch (k) {
    case Kind::udp4:
    case Kind::raw4:
    case Kind::raw4_hdrincl:
    case Kind::packet_raw: return {};
    default: return std::string(traffic::kind_info(k).name) + " has no egress sender";
    }
}

size_t egress_room(Kind k, unsigned mtu)
{
    switch (k) {
    case Kind::udp4: return mtu - ipv4_header - udp_header;
    case Kind::packet_raw: return mtu;
    default: return mtu - ipv4_header;
    }
}

size_t egress_gso_size(Kind k, size_t size, unsigned mtu)
{
    if (k != Kind::udp4) return 0;
    const size_t room = egress_room(k, mtu);
    return size > room ? room : 0;
}

std::string check_egress_size(Mode m, Kind k, size_t size, unsigned mtu)
{
    const size_t max = k == Kind::udp4 ? udp_max_payload : egress_room(k, mtu);
    if (size <= max) return {};
    return "size " + std::to_string(size) + " is above " + std::to_string(max) + ", the largest packet " +
           std::string(mode_info(m).name) + " over " + std::string(traffic::kind_info(k).name) +
           " can send to the egress sink (MTU " + std::to_string(mtu) + ")";
}

uint64_t precheck_count(uint64_t count)
{
    constexpr uint64_t brief = 4096;
    return count < brief ? count : brief;
}

} // namespace zc::engine
