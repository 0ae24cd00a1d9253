// Raw NETLINK_XFRM for the ESP probes: add one ESP-in-UDP security
// association and read its statistics back. Raw netlink rather than libnl:
// libnl turns the kernel's errno into its own NLE_* codes (several errnos
// to one), and the probes report the errno the kernel returned. Replies are
// matched to their request as libbpf's netlink code does
// (tools/lib/bpf/netlink.c libbpf_netlink_recv): by sequence number and
// the socket's port id, reading every message of every datagram until the
// ack, the error or the answer.
#pragma once

#include "core/fd.hpp"
#include "core/sys_result.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace zc::probe::xfrm {

// An inbound transport-mode ESP SA for IPv4, UDP-encapsulated (RFC 3948),
// authencesn(hmac(sha256),cbc(aes)) with extended sequence numbers.
struct EspSa {
    uint32_t spi = 0;            // host order
    uint32_t address = 0;        // IPv4, network order (source and destination)
    uint16_t encap_sport = 0;    // host order
    uint16_t encap_dport = 0;    // host order
    std::vector<uint8_t> auth_key; // hmac(sha256)
    unsigned auth_trunc_bits = 128;
    std::vector<uint8_t> enc_key;  // cbc(aes)
};

// What one request ended with: err is an errno the kernel (or a syscall)
// returned; cause says what went wrong when no errno did (a reply of the
// wrong shape). Both empty: success.
struct Outcome {
    int err = 0;
    std::string cause;
    [[nodiscard]] bool ok() const noexcept { return err == 0 && cause.empty(); }
};

// A NETLINK_XFRM socket bound to a kernel-assigned port id, and the next
// sequence number.
struct Socket {
    Fd fd;
    uint32_t port_id = 0;
    uint32_t seq = 0;
};

// socket(AF_NETLINK, SOCK_RAW, NETLINK_XFRM), bind, getsockname;
// EPROTONOSUPPORT without xfrm_user.
SysResult open_socket(Socket& out);
// XFRM_MSG_NEWSA; the outcome carries the kernel's errno from the ack.
Outcome add_esp_sa(Socket& nl, const EspSa& sa);
// XFRM_MSG_GETSA: the SA's integrity_failed counter.
Outcome integrity_failed(Socket& nl, const EspSa& sa, uint32_t& out);

// The messages of one datagram that answer request `seq` on port
// `port_id`: an NLMSG_ERROR (its error, 0 for an ack), or the first other
// message (its type and payload). Messages for other requests are skipped.
// Pure, for the unit tests.
struct Reply {
    bool matched = false;   // a message for this request was found
    bool is_error = false;  // NLMSG_ERROR (ack when error == 0)
    int error = 0;          // positive errno of an NLMSG_ERROR
    uint16_t type = 0;      // type of a non-error message
    std::vector<uint8_t> payload; // after the nlmsghdr
    std::string malformed;  // a truncated message: what was wrong
};
Reply match_reply(const uint8_t* data, size_t len, uint32_t seq, uint32_t port_id);

} // namespace zc::probe::xfrm
