#include "engine/wire_format.hpp"

#include <cstring>

namespace zc::engine {

namespace {

// splitmix64's finalizer: a bijection, so distinct inputs give distinct
// words and one changed input bit changes about half the output bits.
constexpr uint64_t mix64(uint64_t x) noexcept
{
    x ^= x >> 30;
    x *= 0xBF58476D1CE4E5B9ULL;
    x ^= x >> 27;
    x *= 0x94D049BB133111EBULL;
    x ^= x >> 31;
    return x;
}

constexpr uint64_t golden = 0x9E3779B97F4A7C15ULL;

uint32_t header_check(uint32_t length, uint64_t seq) noexcept
{
    return static_cast<uint32_t>(mix64(seq ^ (uint64_t{length} << 40) ^ packet_magic) >> 16);
}

// Payload word j of packet seq: one multiply-free step per word keeps the
// sender's fill and the receiver's check cheap next to the syscalls.
inline uint64_t payload_word(uint64_t base, uint64_t j) noexcept
{
    return base ^ (j * golden);
}

uint32_t load32(const uint8_t* p) noexcept
{
    uint32_t v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

} // namespace

void write_header(std::span<uint8_t> dst, uint64_t seq) noexcept
{
    const auto length = static_cast<uint32_t>(dst.size());
    const uint32_t check = header_check(length, seq);
    uint8_t* p = dst.data();
    std::memcpy(p, &packet_magic, 4);
    std::memcpy(p + 4, &length, 4);
    std::memcpy(p + 8, &seq, 8);
    std::memcpy(p + 16, &check, 4);
}

void write_packet(std::span<uint8_t> dst, uint64_t seq) noexcept
{
    write_header(dst, seq);
    uint8_t* p = dst.data() + packet_header_len;
    const size_t n = dst.size() - packet_header_len;
    const uint64_t base = mix64(seq + golden);
    size_t j = 0;
    for (; (j + 1) * 8 <= n; ++j) {
        const uint64_t w = payload_word(base, j);
        std::memcpy(p + j * 8, &w, 8);
    }
    if (j * 8 < n) {
        const uint64_t w = payload_word(base, j);
        std::memcpy(p + j * 8, &w, n - j * 8);
    }
}

Verdict read_header(std::span<const uint8_t> got) noexcept
{
    Verdict v;
    if (got.size() < packet_header_len) return v;
    const uint8_t* p = got.data();
    const uint32_t length = load32(p + 4);
    uint64_t seq;
    std::memcpy(&seq, p + 8, 8);
    if (load32(p) != packet_magic) {
        v.check = Check::bad_magic;
    } else if (length != got.size()) {
        v.check = Check::bad_length;
    } else if (load32(p + 16) != header_check(length, seq)) {
        v.check = Check::bad_header;
    } else {
        v.check = Check::ok;
        v.seq = seq;
    }
    return v;
}

Verdict verify_packet(std::span<const uint8_t> got) noexcept
{
    Verdict v = read_header(got);
    if (v.check != Check::ok) return v;
    const uint8_t* p = got.data() + packet_header_len;
    const size_t n = got.size() - packet_header_len;
    const uint64_t base = mix64(v.seq + golden);
    size_t j = 0;
    for (; (j + 1) * 8 <= n; ++j) {
        uint64_t w;
        std::memcpy(&w, p + j * 8, 8);
        if (w != payload_word(base, j)) break;
    }
    const size_t from = j * 8;
    if (from < n) {
        uint8_t want[8];
        const uint64_t w = payload_word(base, j);
        std::memcpy(want, &w, 8);
        // Scan from the first differing word to the end byte by byte.
        for (size_t i = from; i < n; ++i) {
            if (i % 8 == 0 && i != from) {
                const uint64_t wi = payload_word(base, i / 8);
                std::memcpy(want, &wi, 8);
            }
            if (p[i] != want[i % 8]) {
                v.check = Check::bad_payload;
                v.bad_offset = packet_header_len + i;
                return v;
            }
        }
    }
    return v;
}

const char* check_name(Check c) noexcept
{
    switch (c) {
    case Check::ok: return "ok";
    case Check::short_packet: return "short_packet";
    case Check::bad_magic: return "bad_magic";
    case Check::bad_length: return "bad_length";
    case Check::bad_header: return "bad_header";
    case Check::bad_payload: return "bad_payload";
    }
    return "unknown";
}

} // namespace zc::engine
