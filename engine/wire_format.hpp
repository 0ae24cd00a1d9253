// What every engine packet carries, so the receiver can prove each byte: a
// header (magic, length, sequence number, header check) and payload bytes
// derived from the sequence number. A stale page (an older or newer packet's
// bytes), a shifted, short or partly rewritten packet never verifies.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace zc::engine {

inline constexpr uint32_t packet_magic = 0x5A43454E; // "ZCEN"
// magic u32, length u32, sequence u64, check u32 (over the first 16 bytes).
inline constexpr size_t packet_header_len = 20;

// Writes the header only (the --no-verify fast path still needs sequence
// numbers for accounting). dst.size() is the packet length, >= header.
void write_header(std::span<uint8_t> dst, uint64_t seq) noexcept;
// Header and the payload derived from seq.
void write_packet(std::span<uint8_t> dst, uint64_t seq) noexcept;

enum class Check {
    ok,
    short_packet, // fewer bytes than a header
    bad_magic,
    bad_length,   // length field differs from the bytes that arrived
    bad_header,   // header check does not match magic/length/sequence
    bad_payload,  // a payload byte differs from what seq derives
};

struct Verdict {
    Check check = Check::short_packet;
    uint64_t seq = 0;       // valid when the header checked out
    size_t bad_offset = 0;  // first differing byte for bad_payload
};

// Full check: header and every payload byte.
Verdict verify_packet(std::span<const uint8_t> got) noexcept;
// Header only (--no-verify): sequence number for accounting.
Verdict read_header(std::span<const uint8_t> got) noexcept;

const char* check_name(Check c) noexcept;

// Payload fill and check run on 32-byte vectors where the CPU has AVX2 and
// 16-byte ones otherwise; both give the same bytes. Tests run each: returns
// whether 32-byte vectors are now in use (never where the CPU lacks AVX2).
bool use_wide_vectors(bool on) noexcept;

} // namespace zc::engine
