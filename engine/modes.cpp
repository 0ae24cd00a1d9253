#include "engine/modes.hpp"

#include "engine/wire_format.hpp"

namespace zc::engine {

using traffic::Kind;

namespace {

// Headers between our packet and the wire limit for each kind.
size_t header_room(Kind k)
{
    switch (k) {
    case Kind::udp4: return 20 + 8;
    case Kind::packet_raw: return 0; // checked against lo's MTU below
    default: return 20;
    }
}

} // namespace

const std::vector<ModeInfo>& all_modes()
{
    static const std::vector<ModeInfo> modes = {
        {Mode::page, "page",
         "one packet per page: vmsplice the page (SPLICE_F_GIFT), splice head to /dev/null, packet to the socket, "
         "tail to /dev/null",
         {Kind::raw4_hdrincl, Kind::raw4, Kind::udp4, Kind::packet_raw}, true},
        {Mode::packed, "packed", "many packets per page; one vmsplice per batch of pages, one splice per packet",
         {Kind::raw4_hdrincl, Kind::raw4, Kind::udp4, Kind::packet_raw}, true},
        {Mode::sendto, "sendto", "one send() per packet (the kernel copies)",
         {Kind::raw4_hdrincl, Kind::raw4, Kind::udp4, Kind::packet_raw}, false},
        {Mode::sendmmsg, "sendmmsg", "sendmmsg() of a batch of packets (the kernel copies)",
         {Kind::raw4_hdrincl, Kind::raw4, Kind::udp4, Kind::packet_raw}, false},
        {Mode::udp_splice, "udp-splice", "vmsplice a batch of pages, one splice per UDP datagram", {Kind::udp4}, true},
        {Mode::udp_gso_splice, "udp-gso-splice",
         "UDP_SEGMENT set: vmsplice a batch, one splice sends up to 64 datagrams", {Kind::udp4}, true},
        {Mode::msg_zerocopy, "msg-zerocopy",
         "send(MSG_ZEROCOPY) per datagram, completions drained from the error queue", {Kind::udp4}, false},
        {Mode::tx_ring, "tx-ring",
         "AF_PACKET PACKET_TX_RING (TPACKET_V2, PACKET_QDISC_BYPASS where available): one send() per batch",
         {Kind::packet_raw}, false},
        {Mode::io_uring_send, "io-uring-send", "io_uring IORING_OP_SEND: one io_uring_enter() per batch",
         {Kind::udp4}, false},
        {Mode::io_uring_send_zc, "io-uring-send-zc",
         "io_uring IORING_OP_SEND_ZC: one io_uring_enter() per batch, pages reused after the notification",
         {Kind::udp4}, false},
        {Mode::xdp_copy, "xdp-copy",
         "AF_XDP socket bound XDP_COPY to one end of a veth pair: frames written into the UMEM, one sendto() kick "
         "per batch of 32, received on the peer",
         {Kind::packet_raw}, false},
    };
    return modes;
}

const ModeInfo& mode_info(Mode m)
{
    for (const auto& i : all_modes()) {
        if (i.mode == m) return i;
    }
    return all_modes().front();
}

std::optional<Mode> parse_mode(std::string_view name)
{
    for (const auto& i : all_modes()) {
        if (i.name == name) return i.mode;
    }
    return std::nullopt;
}

bool mode_allows(Mode m, Kind k)
{
    for (Kind a : mode_info(m).kinds) {
        if (a == k) return true;
    }
    return false;
}

std::string mode_names()
{
    std::string out;
    for (const auto& i : all_modes()) out += (out.empty() ? "" : ", ") + std::string(i.name);
    return out;
}

std::string check_size(Mode m, Kind k, size_t size, size_t page)
{
    const std::string what = std::string(mode_info(m).name) + " over " + std::string(traffic::kind_info(k).name);
    if (size < packet_header_len) {
        return "size " + std::to_string(size) + " is below the engine's " + std::to_string(packet_header_len) +
               "-byte packet header; use at least " + std::to_string(packet_header_len);
    }
    size_t max = 65535 - header_room(k);
    if (k == Kind::packet_raw) max = 65535 - 14; // lo's MTU 65536 bounds the Ethernet payload
    if (m == Mode::xdp_copy) max = xdp_veth_mtu;
    if (m == Mode::page) {
        // head (page_mode_offset bytes) and a tail of at least one byte.
        const size_t frame_room = page - page_mode_offset - 1;
        const size_t hdr = k == Kind::raw4_hdrincl ? 20 : (k == Kind::packet_raw ? 14 : 0);
        if (frame_room - hdr < max) max = frame_room - hdr;
    }
    if (size > max) {
        return "size " + std::to_string(size) + " is above " + std::to_string(max) + ", the largest packet " + what +
               " can send" + (m == Mode::page ? " (one packet per page, with a head and a tail)" : "") +
               (m == Mode::xdp_copy ? " (the veth link's MTU)" : "");
    }
    return {};
}

std::vector<std::string> gating_probes(Mode m, Kind k)
{
    const std::string kind(traffic::kind_info(k).name);
    switch (m) {
    case Mode::page: return {"pipe.vmsplice_gift", "pipe.splice_devnull", "splice." + kind};
    case Mode::packed: return {"pipe.vmsplice", "pipe.setpipe_sz", "splice." + kind};
    case Mode::udp_splice: return {"pipe.vmsplice", "splice.udp4"};
    case Mode::udp_gso_splice: return {"pipe.vmsplice", "udp.gso_splice"};
    case Mode::msg_zerocopy: return {"zerocopy.udp4"};
    case Mode::tx_ring: return {"packet.tx_ring_v2"};
    case Mode::io_uring_send: return {"io_uring.setup"};
    case Mode::io_uring_send_zc: return {"io_uring.setup", "io_uring.op_send_zc"};
    case Mode::xdp_copy: return {"xdp.socket", "xdp.tx_copy"};
    case Mode::sendto:
    case Mode::sendmmsg: return {};
    }
    return {};
}

std::string zero_copy_probe(Mode m, Kind k)
{
    switch (m) {
    case Mode::page:
    case Mode::packed: return "splice." + std::string(traffic::kind_info(k).name);
    case Mode::udp_splice: return "splice.udp4";
    case Mode::udp_gso_splice: return "udp.gso_splice";
    default: return {};
    }
}

} // namespace zc::engine
