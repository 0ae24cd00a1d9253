#include "probe/xfrm_netlink.hpp"

#include "core/syscalls.hpp"

#include <linux/netlink.h>
#include <linux/xfrm.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>

namespace zc::probe::xfrm {

namespace {

// UDP_ENCAP_ESPINUDP from linux/udp.h; spelled here so a libc header that
// lacks it does not break the build.
constexpr uint16_t encap_espinudp = 2;

class Message {
public:
    Message(uint16_t type, uint16_t flags)
    {
        nlmsghdr h{};
        h.nlmsg_type = type;
        h.nlmsg_flags = flags;
        h.nlmsg_seq = 1;
        append(&h, sizeof h);
    }
    void append(const void* data, size_t len)
    {
        const auto* p = static_cast<const uint8_t*>(data);
        buf_.insert(buf_.end(), p, p + len);
        buf_.resize(NLMSG_ALIGN(buf_.size()), 0);
    }
    void attribute(uint16_t type, const void* data, size_t len)
    {
        nlattr a{};
        a.nla_len = static_cast<uint16_t>(NLA_HDRLEN + len);
        a.nla_type = type;
        const size_t at = buf_.size();
        buf_.resize(at + NLA_HDRLEN + NLA_ALIGN(len), 0);
        std::memcpy(buf_.data() + at, &a, sizeof a);
        std::memcpy(buf_.data() + at + NLA_HDRLEN, data, len);
    }
    std::vector<uint8_t>& finish()
    {
        auto* h = reinterpret_cast<nlmsghdr*>(buf_.data());
        h->nlmsg_len = static_cast<uint32_t>(buf_.size());
        return buf_;
    }

private:
    std::vector<uint8_t> buf_;
};

SysResult send_message(int nl, std::vector<uint8_t>& msg)
{
    sockaddr_nl to{};
    to.nl_family = AF_NETLINK;
    return sys_result(::sendto(nl, msg.data(), msg.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to));
}

// Reads one reply; an NLMSG_ERROR carries the kernel's errno (0 = ack).
SysResult receive(int nl, std::vector<uint8_t>& reply)
{
    reply.assign(16384, 0);
    for (;;) {
        const SysResult r = sys_result(::recv(nl, reply.data(), reply.size(), 0));
        if (!r.ok() && r.err == EINTR) continue;
        if (!r.ok()) return r;
        reply.resize(static_cast<size_t>(r.value));
        if (reply.size() < sizeof(nlmsghdr)) return SysResult{-1, EPROTO};
        const auto* h = reinterpret_cast<const nlmsghdr*>(reply.data());
        if (h->nlmsg_type == NLMSG_ERROR) {
            if (reply.size() < NLMSG_HDRLEN + sizeof(nlmsgerr)) return SysResult{-1, EPROTO};
            const auto* e = reinterpret_cast<const nlmsgerr*>(reply.data() + NLMSG_HDRLEN);
            return e->error == 0 ? SysResult{0, 0} : SysResult{-1, -e->error};
        }
        return SysResult{static_cast<long>(reply.size()), 0};
    }
}

} // namespace

SysResult open_socket(Fd& out)
{
    return sys::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_XFRM, out);
}

SysResult add_esp_sa(int nl, const EspSa& sa)
{
    Message m(XFRM_MSG_NEWSA, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL);
    xfrm_usersa_info info{};
    info.id.daddr.a4 = sa.address;
    info.id.spi = htonl(sa.spi);
    info.id.proto = IPPROTO_ESP;
    info.saddr.a4 = sa.address;
    info.family = AF_INET;
    info.mode = XFRM_MODE_TRANSPORT;
    info.flags = XFRM_STATE_ESN;
    info.sel.family = AF_INET;
    info.lft.soft_byte_limit = XFRM_INF;
    info.lft.hard_byte_limit = XFRM_INF;
    info.lft.soft_packet_limit = XFRM_INF;
    info.lft.hard_packet_limit = XFRM_INF;
    m.append(&info, sizeof info);

    std::vector<uint8_t> auth(sizeof(xfrm_algo_auth) + sa.auth_key.size(), 0);
    auto* a = reinterpret_cast<xfrm_algo_auth*>(auth.data());
    std::strncpy(a->alg_name, "hmac(sha256)", sizeof a->alg_name - 1);
    a->alg_key_len = static_cast<unsigned>(sa.auth_key.size() * 8);
    a->alg_trunc_len = sa.auth_trunc_bits;
    std::memcpy(auth.data() + sizeof(xfrm_algo_auth), sa.auth_key.data(), sa.auth_key.size());
    m.attribute(XFRMA_ALG_AUTH_TRUNC, auth.data(), auth.size());

    std::vector<uint8_t> enc(sizeof(xfrm_algo) + sa.enc_key.size(), 0);
    auto* e = reinterpret_cast<xfrm_algo*>(enc.data());
    std::strncpy(e->alg_name, "cbc(aes)", sizeof e->alg_name - 1);
    e->alg_key_len = static_cast<unsigned>(sa.enc_key.size() * 8);
    std::memcpy(enc.data() + sizeof(xfrm_algo), sa.enc_key.data(), sa.enc_key.size());
    m.attribute(XFRMA_ALG_CRYPT, enc.data(), enc.size());

    xfrm_encap_tmpl encap{};
    encap.encap_type = encap_espinudp;
    encap.encap_sport = htons(sa.encap_sport);
    encap.encap_dport = htons(sa.encap_dport);
    m.attribute(XFRMA_ENCAP, &encap, sizeof encap);

    // ESN needs a replay state with a window (xfrm_init_replay); one bitmap
    // word covers 32 packets, enough for the one this probe sends.
    std::vector<uint8_t> replay(sizeof(xfrm_replay_state_esn) + sizeof(uint32_t), 0);
    auto* rs = reinterpret_cast<xfrm_replay_state_esn*>(replay.data());
    rs->bmp_len = 1;
    rs->replay_window = 32;
    m.attribute(XFRMA_REPLAY_ESN_VAL, replay.data(), replay.size());

    if (const SysResult s = send_message(nl, m.finish()); !s.ok()) return s;
    std::vector<uint8_t> reply;
    return receive(nl, reply);
}

SysResult integrity_failed(int nl, const EspSa& sa, uint32_t& out)
{
    Message m(XFRM_MSG_GETSA, NLM_F_REQUEST);
    xfrm_usersa_id id{};
    id.daddr.a4 = sa.address;
    id.spi = htonl(sa.spi);
    id.family = AF_INET;
    id.proto = IPPROTO_ESP;
    m.append(&id, sizeof id);
    if (const SysResult s = send_message(nl, m.finish()); !s.ok()) return s;
    std::vector<uint8_t> reply;
    const SysResult r = receive(nl, reply);
    if (!r.ok()) return r;
    const auto* h = reinterpret_cast<const nlmsghdr*>(reply.data());
    if (h->nlmsg_type != XFRM_MSG_NEWSA || reply.size() < NLMSG_HDRLEN + sizeof(xfrm_usersa_info)) {
        return SysResult{-1, EPROTO};
    }
    xfrm_usersa_info info{};
    std::memcpy(&info, reply.data() + NLMSG_HDRLEN, sizeof info);
    out = info.stats.integrity_failed;
    return SysResult{0, 0};
}

} // namespace zc::probe::xfrm
