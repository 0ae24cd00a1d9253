#include "probe/xfrm_netlink.hpp"

#include "core/syscalls.hpp"

#include <linux/netlink.h>
#include <linux/xfrm.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>
#include <ctime>

namespace zc::probe::xfrm {

namespace {

// UDP_ENCAP_ESPINUDP from linux/udp.h; spelled here so a libc header that
// lacks it does not break the build.
constexpr uint16_t encap_espinudp = 2;

class Message {
public:
    Message(uint16_t type, uint16_t flags, uint32_t seq)
    {
        nlmsghdr h{};
        h.nlmsg_type = type;
        h.nlmsg_flags = flags;
        h.nlmsg_seq = seq;
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

// Sends one request and reads datagrams until one holds the reply to it.
Outcome request(Socket& nl, Message& m, uint32_t seq, Reply& reply)
{
    std::vector<uint8_t>& msg = m.finish();
    sockaddr_nl to{};
    to.nl_family = AF_NETLINK;
    const SysResult s =
        sys_result(::sendto(nl.fd.get(), msg.data(), msg.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to));
    if (!s.ok()) return {s.err, ""};
    std::vector<uint8_t> buf(32768);
    for (;;) {
        const SysResult r = sys_result(::recv(nl.fd.get(), buf.data(), buf.size(), 0));
        if (!r.ok() && r.err == EINTR) continue;
        if (!r.ok()) return {r.err, ""};
        reply = match_reply(buf.data(), static_cast<size_t>(r.value), seq, nl.port_id);
        if (!reply.malformed.empty()) return {0, "netlink reply to request " + std::to_string(seq) + ": " + reply.malformed};
        if (!reply.matched) continue; // an answer to an earlier request
        if (reply.is_error) return {reply.error, ""};
        return {};
    }
}

} // namespace

Reply match_reply(const uint8_t* data, size_t len, uint32_t seq, uint32_t port_id)
{
    Reply out;
    size_t at = 0;
    while (len - at >= NLMSG_HDRLEN) {
        nlmsghdr h{};
        std::memcpy(&h, data + at, sizeof h);
        if (h.nlmsg_len < NLMSG_HDRLEN || h.nlmsg_len > len - at) {
            out.malformed = "a message whose length " + std::to_string(h.nlmsg_len) + " does not fit the " +
                            std::to_string(len - at) + " bytes left";
            return out;
        }
        const uint8_t* payload = data + at + NLMSG_HDRLEN;
        const size_t payload_len = h.nlmsg_len - NLMSG_HDRLEN;
        at += std::min<size_t>(NLMSG_ALIGN(h.nlmsg_len), len - at);
        if (h.nlmsg_seq != seq || h.nlmsg_pid != port_id) continue; // another request's answer
        out.matched = true;
        if (h.nlmsg_type == NLMSG_ERROR) {
            if (payload_len < sizeof(nlmsgerr)) {
                out.malformed = "NLMSG_ERROR shorter than struct nlmsgerr";
                return out;
            }
            nlmsgerr e{};
            std::memcpy(&e, payload, sizeof e);
            out.is_error = true;
            out.error = -e.error;
            return out;
        }
        out.type = h.nlmsg_type;
        out.payload.assign(payload, payload + payload_len);
        return out;
    }
    return out;
}

SysResult open_socket(Socket& out)
{
    if (const SysResult r = sys::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_XFRM, out.fd); !r.ok()) return r;
    sockaddr_nl sa{};
    sa.nl_family = AF_NETLINK;
    if (::bind(out.fd.get(), reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) return SysResult{-1, errno};
    socklen_t len = sizeof sa;
    if (::getsockname(out.fd.get(), reinterpret_cast<sockaddr*>(&sa), &len) != 0) return SysResult{-1, errno};
    out.port_id = sa.nl_pid;
    out.seq = static_cast<uint32_t>(::time(nullptr));
    return SysResult{0, 0};
}

Outcome add_esp_sa(Socket& nl, const EspSa& sa)
{
    const uint32_t seq = ++nl.seq;
    Message m(XFRM_MSG_NEWSA, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, seq);
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

    Reply reply;
    const Outcome o = request(nl, m, seq, reply);
    if (!o.ok()) return o;
    if (!reply.is_error) return {0, "XFRM_MSG_NEWSA answered with message type " + std::to_string(reply.type) + ", not an ack"};
    return {};
}

Outcome integrity_failed(Socket& nl, const EspSa& sa, uint32_t& out)
{
    const uint32_t seq = ++nl.seq;
    Message m(XFRM_MSG_GETSA, NLM_F_REQUEST, seq);
    xfrm_usersa_id id{};
    id.daddr.a4 = sa.address;
    id.spi = htonl(sa.spi);
    id.family = AF_INET;
    id.proto = IPPROTO_ESP;
    m.append(&id, sizeof id);
    Reply reply;
    const Outcome o = request(nl, m, seq, reply);
    if (!o.ok()) return o;
    if (reply.type != XFRM_MSG_NEWSA || reply.payload.size() < sizeof(xfrm_usersa_info)) {
        return {0, "XFRM_MSG_GETSA answered with message type " + std::to_string(reply.type) + " of " +
                       std::to_string(reply.payload.size()) + " bytes, not an xfrm_usersa_info"};
    }
    xfrm_usersa_info info{};
    std::memcpy(&info, reply.payload.data(), sizeof info);
    out = info.stats.integrity_failed;
    return {};
}

} // namespace zc::probe::xfrm
