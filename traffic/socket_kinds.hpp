// The socket kinds the probes and the engine send through, each as a
// connected sender plus a receiver on the namespace's loopback.
#pragma once

#include "core/fd.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace zc::traffic {

enum class Kind {
    raw4_hdrincl, // AF_INET SOCK_RAW IPPROTO_RAW: the seed's socket, we write the IP header
    raw4,         // AF_INET SOCK_RAW with protocol test_ip_protocol
    raw6,         // AF_INET6 SOCK_RAW with protocol test_ip_protocol
    udp4,
    udp6,
    tcp4,
    tcp6,
    packet_raw,   // AF_PACKET SOCK_RAW on lo, we write the Ethernet header
    packet_dgram, // AF_PACKET SOCK_DGRAM on lo
    unix_stream,
    unix_dgram,
};

// IANA "use for experimentation and testing" (RFC 3692): never a real protocol.
inline constexpr int test_ip_protocol = 253;
// IEEE local experimental EtherType 1.
inline constexpr uint16_t test_ethertype = 0x88B5;

struct KindInfo {
    Kind kind;
    std::string_view name;
    bool stream;          // byte stream (tcp, unix_stream) rather than datagrams
    std::vector<int> capabilities;
    std::string_view description; // "AF_INET SOCK_RAW IPPROTO_RAW (IP_HDRINCL)"
};

const std::vector<KindInfo>& all_kinds();
// Raw and packet receivers see every packet of their protocol or EtherType
// in the namespace, whoever sent it; UDP and TCP pairs bind ephemeral ports
// and unix pairs are socketpairs, so those see only their own sender.
bool shares_traffic(Kind kind) noexcept;
const KindInfo& kind_info(Kind kind);
std::optional<Kind> parse_kind(std::string_view name);

// A connected sender and its receiver. The sender writes header_len() bytes
// of protocol header (write_header) in front of each payload; the receiver's
// helpers strip what the kernel adds, so callers compare payloads only.
struct Channel {
    const KindInfo* info = nullptr;
    Fd tx;
    Fd rx;
    int ifindex = 0; // lo, for packet kinds
    // IPv4 source and destination (host order) of raw4_hdrincl headers:
    // loopback, or the egress sink's addresses.
    uint32_t ipv4_src = 0x7F000001;
    uint32_t ipv4_dst = 0x7F000001;

    [[nodiscard]] size_t header_len() const noexcept;
    // Writes the header for a payload of payload_len bytes into dst
    // (dst.size() == header_len()).
    void write_header(size_t payload_len, std::span<uint8_t> dst) const;
};

// Closes a channel's two descriptors at the same time when it goes out of
// scope: closing an AF_PACKET socket waits for an RCU grace period
// (packet_release's synchronize_net(), twice with a tx ring), and two
// closes in flight together share grace periods instead of waiting for them
// one after the other. Other kinds close as usual. Declare it after the
// channel it closes.
class CloseTogether {
public:
    explicit CloseTogether(Channel& ch) noexcept : ch_(ch) {}
    CloseTogether(const CloseTogether&) = delete;
    CloseTogether& operator=(const CloseTogether&) = delete;
    ~CloseTogether();

private:
    Channel& ch_;
};

struct ChannelOutcome {
    std::optional<Channel> channel;
    std::string failed_call; // "socket(AF_PACKET, SOCK_RAW)" when it failed
    int err = 0;
};

// What a receiver takes in. A probe's receiver (this_run) on a kind that
// shares traffic gets a kernel filter that keeps out other runs' probe
// payloads and engine packets (payload.hpp is_foreign), so a concurrent
// run's flood cannot crowd ours out of the queue; the engine takes
// everything here and attaches its own (engine/receive_filter.hpp).
enum class Admit { this_run, everything };

// Opens tx and rx for the kind on loopback in the current namespace.
ChannelOutcome open_channel(Kind kind, Admit admit = Admit::this_run);

// Opens only a sender for the kind, addressed to the egress sink: UDP and
// raw IPv4 connected to egress_remote, packet_raw bound to ifindex. rx stays
// empty (nothing receives at an egress sink). udp4, raw4, raw4_hdrincl and
// packet_raw only.
ChannelOutcome open_egress_channel(Kind kind, int ifindex);

// What the receiver got.
struct Received {
    std::vector<uint8_t> bytes;  // payloads concatenated, headers stripped
    std::vector<size_t> sizes;   // one per datagram (per read for streams)
    int err = 0;                 // errno of a failed receive, 0 if none
    bool timed_out = false;      // deadline passed before expected_bytes arrived
    size_t foreign = 0;          // datagrams of another run (no run tag of ours), skipped
    bool ended_by_marker = false; // receive_to_marker: this run's end marker arrived
};

// Receives until expected_bytes of payload have arrived or timeout_ms passes,
// then takes whatever else is already queued (so extra datagrams are seen).
// On kinds that share traffic, a datagram whose payload does not begin with
// this run's tag (payload.hpp) is another run's: counted in foreign and
// skipped, and the wait goes on within the same deadline.
// lost, when given, is asked every few ms while nothing arrives; true means
// the kernel has said the datagram will not come (a counter the caller owns
// rose), and the wait ends without the timeout.
Received receive(const Channel& ch, size_t expected_bytes, int timeout_ms,
                 const std::function<bool()>& lost = {});

// Sends this run's end marker (payload.hpp end_marker) through ch's sender
// as one datagram, framed like any payload (frame()). Returns the errno of a
// failed or short write, 0 when it was sent. Datagram kinds only: on a byte
// stream the marker would join the data.
int send_end_marker(const Channel& ch);

// Receives every datagram until this run's end marker arrives (not counted
// in bytes or sizes; ended_by_marker set) or timeout_ms passes (timed_out).
// Sound only when every datagram the caller waits for was queued ahead of
// the marker on one path: see the caller's comment for why it holds there.
// Foreign datagrams are skipped as in receive(). Datagram kinds only.
Received receive_to_marker(const Channel& ch, int timeout_ms);

// Protocol header + payload, ready to send with write().
std::vector<uint8_t> frame(const Channel& ch, std::span<const uint8_t> payload);

} // namespace zc::traffic
