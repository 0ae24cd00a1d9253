#include "engine/wire_format.hpp"

#include <algorithm>
#include <atomic>
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

uint64_t header_check(uint32_t length, uint64_t seq, uint64_t run) noexcept
{
    return mix64(mix64(run + golden) ^ seq ^ (uint64_t{length} << 40) ^ packet_magic);
}

// Payload word j of packet seq: one multiply-free step per word keeps the
// sender's fill and the receiver's check cheap next to the syscalls.
inline uint64_t payload_word(uint64_t base, uint64_t j) noexcept
{
    return base ^ (j * golden);
}

// The same words, a vector at a time (GCC/Clang vector extensions: SSE2 on
// any x86-64, AVX2 where the CPU has it, NEON elsewhere). Lane i of a vector
// holds word j+i and lanes lie in memory in order, each as the scalar word's
// memcpy would, so every path writes and expects the same bytes. They work
// in whole vectors and leave the tail to the caller.
template <int Lanes>
struct vector_of;
template <>
struct vector_of<2> {
    typedef uint64_t type __attribute__((vector_size(16)));
};
template <>
struct vector_of<4> {
    typedef uint64_t type __attribute__((vector_size(32)));
};
template <int Lanes>
using words = typename vector_of<Lanes>::type;

// Word indices j, j+1, ... times golden for the first vector (by reference:
// a 32-byte vector return would change the ABI outside the AVX2 functions).
template <int Lanes>
[[gnu::always_inline]] inline void first_index(words<Lanes>& v) noexcept
{
    for (int i = 0; i < Lanes; ++i) v[i] = static_cast<uint64_t>(i) * golden;
}

template <int Lanes>
[[gnu::always_inline]] inline size_t fill_words(uint8_t* p, size_t n, uint64_t base) noexcept
{
    words<Lanes> idx;
    first_index<Lanes>(idx);
    const words<Lanes> step = (words<Lanes>{} + Lanes) * golden;
    const words<Lanes> b = words<Lanes>{} + base;
    size_t j = 0;
    for (; j + sizeof idx <= n; j += sizeof idx) {
        const words<Lanes> w = idx ^ b;
        std::memcpy(p + j, &w, sizeof w);
        idx += step;
    }
    return j;
}

// True when every vector-width chunk matches; branch-free inside.
template <int Lanes>
[[gnu::always_inline]] inline bool check_words(const uint8_t* p, size_t n, uint64_t base, size_t& done) noexcept
{
    words<Lanes> idx;
    first_index<Lanes>(idx);
    const words<Lanes> step = (words<Lanes>{} + Lanes) * golden;
    const words<Lanes> b = words<Lanes>{} + base;
    words<Lanes> diff{};
    size_t j = 0;
    for (; j + sizeof idx <= n; j += sizeof idx) {
        words<Lanes> w;
        std::memcpy(&w, p + j, sizeof w);
        diff |= w ^ idx ^ b;
        idx += step;
    }
    done = j;
    uint64_t any = 0;
    for (int i = 0; i < Lanes; ++i) any |= diff[i];
    return any == 0;
}

size_t fill_sse(uint8_t* p, size_t n, uint64_t base) noexcept { return fill_words<2>(p, n, base); }
bool check_sse(const uint8_t* p, size_t n, uint64_t base, size_t& done) noexcept
{
    return check_words<2>(p, n, base, done);
}

#if defined(__x86_64__)
[[gnu::target("avx2")]] size_t fill_avx2(uint8_t* p, size_t n, uint64_t base) noexcept
{
    return fill_words<4>(p, n, base);
}
[[gnu::target("avx2")]] bool check_avx2(const uint8_t* p, size_t n, uint64_t base, size_t& done) noexcept
{
    return check_words<4>(p, n, base, done);
}
bool cpu_has_avx2() noexcept
{
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") != 0;
}
#else
bool cpu_has_avx2() noexcept { return false; }
size_t fill_avx2(uint8_t* p, size_t n, uint64_t base) noexcept { return fill_sse(p, n, base); }
bool check_avx2(const uint8_t* p, size_t n, uint64_t base, size_t& done) noexcept
{
    return check_sse(p, n, base, done);
}
#endif

std::atomic<bool> wide{cpu_has_avx2()};

uint32_t load32(const uint8_t* p) noexcept
{
    uint32_t v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

} // namespace

void write_header(std::span<uint8_t> dst, uint64_t seq, uint64_t run) noexcept
{
    const auto length = static_cast<uint32_t>(dst.size());
    const uint64_t check = header_check(length, seq, run);
    uint8_t* p = dst.data();
    std::memcpy(p, &packet_magic, 4);
    std::memcpy(p + 4, &length, 4);
    std::memcpy(p + 8, &seq, 8);
    std::memcpy(p + 16, &run, 8);
    std::memcpy(p + 24, &check, 8);
}

void write_packet(std::span<uint8_t> dst, uint64_t seq, uint64_t run) noexcept
{
    write_header(dst, seq, run);
    uint8_t* p = dst.data() + packet_header_len;
    const size_t n = dst.size() - packet_header_len;
    const uint64_t base = mix64(seq + golden);
    const size_t vec = wide.load(std::memory_order_relaxed) ? fill_avx2(p, n, base) : fill_sse(p, n, base);
    for (size_t j = vec / 8; j * 8 < n; ++j) {
        const uint64_t w = payload_word(base, j);
        std::memcpy(p + j * 8, &w, std::min<size_t>(8, n - j * 8));
    }
}

Verdict read_header(std::span<const uint8_t> got, uint64_t run) noexcept
{
    Verdict v;
    if (got.size() < packet_header_len) return v;
    const uint8_t* p = got.data();
    const uint32_t length = load32(p + 4);
    uint64_t seq, sender, check;
    std::memcpy(&seq, p + 8, 8);
    std::memcpy(&sender, p + 16, 8);
    std::memcpy(&check, p + 24, 8);
    // The check covers the length field, not the bytes that arrived, so an
    // intact header of another run is known as such even when truncated;
    // a damaged run field fails the check and counts as ours, corrupted.
    if (load32(p) != packet_magic) {
        v.check = Check::bad_magic;
    } else if (check != header_check(length, seq, sender)) {
        v.check = Check::bad_header;
    } else if (sender != run) {
        v.check = Check::foreign;
        v.seq = seq;
    } else if (length != got.size()) {
        v.check = Check::bad_length;
    } else {
        v.check = Check::ok;
        v.seq = seq;
    }
    return v;
}

Verdict verify_packet(std::span<const uint8_t> got, uint64_t run) noexcept
{
    Verdict v = read_header(got, run);
    if (v.check != Check::ok) return v;
    const uint8_t* p = got.data() + packet_header_len;
    const size_t n = got.size() - packet_header_len;
    const uint64_t base = mix64(v.seq + golden);
    size_t done = 0;
    const bool vectors_match = wide.load(std::memory_order_relaxed) ? check_avx2(p, n, base, done)
                                                                     : check_sse(p, n, base, done);
    // Byte by byte from the tail, or from the start to find the first
    // differing byte when a vector did not match.
    const size_t from = vectors_match ? done : 0;
    uint8_t want[8];
    for (size_t i = from; i < n; ++i) {
        if (i == from || i % 8 == 0) {
            const uint64_t w = payload_word(base, i / 8);
            std::memcpy(want, &w, 8);
        }
        if (p[i] != want[i % 8]) {
            v.check = Check::bad_payload;
            v.bad_offset = packet_header_len + i;
            return v;
        }
    }
    return v;
}

bool use_wide_vectors(bool on) noexcept
{
    wide.store(on && cpu_has_avx2(), std::memory_order_relaxed);
    return wide.load(std::memory_order_relaxed);
}

const char* check_name(Check c) noexcept
{
    switch (c) {
    case Check::ok: return "ok";
    case Check::short_packet: return "short_packet";
    case Check::bad_magic: return "bad_magic";
    case Check::bad_length: return "bad_length";
    case Check::foreign: return "foreign";
    case Check::bad_header: return "bad_header";
    case Check::bad_payload: return "bad_payload";
    }
    return "unknown";
}

} // namespace zc::engine
