// Raw NETLINK_XFRM for the ESP probes: add one ESP-in-UDP security
// association and read its statistics back. Raw netlink rather than
// libnl-xfrm: two messages do not justify a new library in the static build,
// and the state lives and dies with the probe's private namespace.
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

// socket(AF_NETLINK, SOCK_RAW, NETLINK_XFRM); EPROTONOSUPPORT without xfrm_user.
SysResult open_socket(Fd& out);
// XFRM_MSG_NEWSA; the result carries the kernel's errno from the ack.
SysResult add_esp_sa(int nl, const EspSa& sa);
// XFRM_MSG_GETSA: the SA's integrity_failed counter.
SysResult integrity_failed(int nl, const EspSa& sa, uint32_t& out);

} // namespace zc::probe::xfrm
