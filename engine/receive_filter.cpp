#include "engine/receive_filter.hpp"

#include "engine/wire_format.hpp"
#include "traffic/payload.hpp"

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <sys/socket.h>

#include <cstring>

namespace zc::engine {

namespace {

// Classic BPF loads big-endian words at an offset into what the socket
// receives (raw IPv4: from the IP header; packet SOCK_RAW: from the
// Ethernet header; others: from the payload).
uint32_t be_word(const uint8_t* bytes)
{
    uint32_t w = 0;
    std::memcpy(&w, bytes, 4);
    return ntohl(w);
}

constexpr size_t run_offset = 16; // wire_format.hpp: magic, length, sequence, run

} // namespace

std::vector<sock_filter> engine_receive_filter(traffic::Kind kind, uint64_t run)
{
    uint8_t magic[4];
    std::memcpy(magic, &packet_magic, 4);
    uint8_t ours[8];
    std::memcpy(ours, &run, 8);
    uint8_t tag[traffic::run_tag_len];
    traffic::stamp_run_tag(tag, run); // its first 8 bytes are the same for every run
    const bool ip4 = kind == traffic::Kind::raw4 || kind == traffic::Kind::raw4_hdrincl;
    const uint32_t fixed = kind == traffic::Kind::packet_raw ? ETH_HLEN : 0;
    constexpr uint32_t keep = 0xFFFFFFFF;
    constexpr uint32_t need = run_offset + 8;
    std::vector<sock_filter> p;
    auto stmt = [&p](uint16_t code, uint32_t k) { p.push_back(BPF_STMT(code, k)); };
    auto jump = [&p](uint16_t code, uint32_t k, uint8_t jt, uint8_t jf) { p.push_back(BPF_JUMP(code, k, jt, jf)); };
    const uint16_t load = ip4 ? BPF_LD | BPF_W | BPF_IND : BPF_LD | BPF_W | BPF_ABS;
    if (ip4) {
        stmt(BPF_LDX | BPF_B | BPF_MSH, 0);       // X = IP header length
        stmt(BPF_MISC | BPF_TXA, 0);              // A = X
        stmt(BPF_ALU | BPF_ADD | BPF_K, need);    // A = X + need
        stmt(BPF_MISC | BPF_TAX, 0);              // X = A
        stmt(BPF_LD | BPF_W | BPF_LEN, 0);        // A = len
        jump(BPF_JMP | BPF_JGE | BPF_X, 0, 1, 0); // len >= X ? on : keep
        stmt(BPF_RET | BPF_K, keep);              // too short to tell
        stmt(BPF_LDX | BPF_B | BPF_MSH, 0);       // X = IP header length again
    } else {
        stmt(BPF_LD | BPF_W | BPF_LEN, 0);
        jump(BPF_JMP | BPF_JGE | BPF_K, fixed + need, 1, 0);
        stmt(BPF_RET | BPF_K, keep);
    }
    // Jump offsets count instructions after the jump; ACCEPT is +9, DROP +10.
    stmt(load, fixed + 0);                                              // +0  A = word 0
    jump(BPF_JMP | BPF_JEQ | BPF_K, be_word(magic), 0, 4);              // +1  engine packet? else +6
    stmt(load, fixed + run_offset);                                     // +2
    jump(BPF_JMP | BPF_JEQ | BPF_K, be_word(ours), 0, 6);               // +3  our run? else DROP
    stmt(load, fixed + run_offset + 4);                                 // +4
    jump(BPF_JMP | BPF_JEQ | BPF_K, be_word(ours + 4), 3, 4);           // +5  ours: ACCEPT, else DROP
    jump(BPF_JMP | BPF_JEQ | BPF_K, be_word(tag), 0, 2);                // +6  probe magic? else ACCEPT
    stmt(load, fixed + 4);                                              // +7
    jump(BPF_JMP | BPF_JEQ | BPF_K, be_word(tag + 4), 1, 0);            // +8  a probe payload: DROP
    stmt(BPF_RET | BPF_K, keep);                                        // +9  ACCEPT
    stmt(BPF_RET | BPF_K, 0);                                           // +10 DROP
    return p;
}

SysResult attach_engine_filter(int fd, traffic::Kind kind, uint64_t run)
{
    if (!traffic::shares_traffic(kind)) return SysResult{0, 0};
    std::vector<sock_filter> code = engine_receive_filter(kind, run);
    const sock_fprog prog{static_cast<unsigned short>(code.size()), code.data()};
    return sys_result(::setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof prog));
}

} // namespace zc::engine
