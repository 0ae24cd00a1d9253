// What every engine packet carries, so the receiver can prove each byte: a
// header (magic, length, sequence number, run identity, header check) and payload bytes
// derived from the sequence number. A stale page (an older or newer packet's
// bytes), a shifted, short or partly rewritten packet never verifies. The
// run identity (core/run_identity.hpp) tells another run's packets, which
// raw and packet receivers sharing a namespace (--host-netns) also read,
// from this run's.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace zc::engine {

inline constexpr uint32_t packet_magic = 0x5A43454E; // "ZCEN"
// magic u32, length u32, sequence u64, run u64, check u64 (over the first
// 24 bytes); 32 bytes keep the payload 8-byte aligned.
inline constexpr size_t packet_header_len = 32;

// Writes the header only (the --no-verify fast path still needs sequence
// numbers for accounting). dst.size() is the packet length, >= header.
void write_header(std::span<uint8_t> dst, uint64_t seq, uint64_t run) noexcept;
// Header and the payload derived from seq.
void write_packet(std::span<uint8_t> dst, uint64_t seq, uint64_t run) noexcept;

enum class Check {
    ok,
    short_packet, // fewer bytes than a header
    bad_magic,
    bad_header,   // header check does not match magic/length/sequence/run
    foreign,      // an intact header of another run (any length): not ours
    bad_length,   // length field differs from the bytes that arrived
    bad_payload,  // a payload byte differs from what seq derives
};

struct Verdict {
    Check check = Check::short_packet;
    uint64_t seq = 0;       // valid when the header checked out (ok, foreign, bad_payload)
    size_t bad_offset = 0;  // first differing byte for bad_payload
};

// Full check for run's packet: header and every payload byte.
Verdict verify_packet(std::span<const uint8_t> got, uint64_t run) noexcept;
// Header only (--no-verify): sequence number for accounting. Also what a
// truncated datagram is judged by: foreign if its header is another run's.
Verdict read_header(std::span<const uint8_t> got, uint64_t run) noexcept;

const char* check_name(Check c) noexcept;

// Payload fill and check run on 32-byte vectors where the CPU has AVX2 and
// 16-byte ones otherwise; both give the same bytes. Tests run each: returns
// whether 32-byte vectors are now in use (never where the CPU lacks AVX2).
bool use_wide_vectors(bool on) noexcept;

} // namespace zc::engine
