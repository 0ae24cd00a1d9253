// Byte patterns for probes and the witness that tells a copy from a
// reference: the sender overwrites its source after the call returns and the
// receiver's bytes show which version the kernel delivered.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace zc::traffic {

// Deterministic, position-dependent bytes: no two nearby offsets equal and no
// two seeds alike, so a shifted, short or stale buffer never verifies.
void fill_pattern(std::span<uint8_t> dst, uint32_t seed);

// Every probe payload sent through a socket begins with a run tag: a magic
// and the run's identity (core/run_identity.hpp). Receivers on kinds that
// share traffic across the namespace (raw, packet) keep only datagrams with
// their own tag and count the rest as foreign. The tag is written into both
// versions of a witness payload, so the rewrite never touches it.
inline constexpr uint64_t run_tag_magic = 0x45424F5250435A00ULL; // "\0ZCPROBE" read little-endian
inline constexpr size_t run_tag_len = 16;

// Writes the tag for run into dst's first run_tag_len bytes (fewer if dst
// is shorter: such a payload cannot be told apart and is never sent on a
// shared kind).
void stamp_run_tag(std::span<uint8_t> dst, uint64_t run) noexcept;
// Whether got begins with run's tag.
bool carries_run_tag(std::span<const uint8_t> got, uint64_t run) noexcept;
// Whether got begins with any run's tag (a probe payload of some run).
bool carries_any_run_tag(std::span<const uint8_t> got) noexcept;

// The first four bytes of every zcengine packet (engine/wire_format.hpp),
// as they sit in memory on this host: a probe's receiver never takes one.
inline constexpr uint32_t engine_packet_magic = 0x5A43454E; // "ZCEN"

// Whether a datagram that reached a probe's receiver on a kind that shares
// traffic belongs to someone else: another run's tagged probe payload, or an
// engine packet. Anything else is ours: our own tagged payload, or the
// untagged continuation of one a kernel split (splice_straddle on kernels
// before 6.5), which only the probe can judge.
bool is_foreign(std::span<const uint8_t> got, uint64_t run) noexcept;

// fill_pattern(dst, seed), then this run's tag in front: what every probe
// sends through a socket.
void fill_payload(std::span<uint8_t> dst, uint32_t seed);

// The end marker: a small datagram a probe sends through the same sender
// right after its own traffic, so the receiver knows that nothing of that
// traffic is still on its way once the marker is there (socket_kinds.hpp
// receive_to_marker). It is this run's tag and then a fixed text, so it
// passes the receive filter and no probe payload (a fill_pattern) or other
// run's marker reads as it.
inline constexpr size_t end_marker_len = run_tag_len + 16;
std::vector<uint8_t> end_marker(uint64_t run);
bool is_end_marker(std::span<const uint8_t> got, uint64_t run) noexcept;

// Evidence "foreign": how many of another run's datagrams the receiver
// skipped; set only when there were some, so a lone run's evidence is as
// before.
void note_foreign(nlohmann::json& evidence, size_t foreign);

// Offset of the first byte that differs, or std::nullopt when equal (sizes
// must match too; a size difference reports the shorter length).
std::optional<size_t> first_mismatch(std::span<const uint8_t> expected, std::span<const uint8_t> got);

enum class Witness {
    original,    // receiver saw what was there at call time: the data was copied
    overwritten, // receiver saw the later bytes: the kernel referenced our pages
    mixed,       // some of each: referenced, partly (e.g. one page of two)
    neither,     // matches neither: inconclusive
};

// Pure: compares what arrived with the two versions of the source.
Witness classify_witness(std::span<const uint8_t> got, std::span<const uint8_t> original,
                         std::span<const uint8_t> overwritten);

// zero_copy evidence value: true for overwritten/mixed, false for original,
// null for neither.
nlohmann::json witness_zero_copy(Witness w);
const char* witness_name(Witness w);

// "1000,1000,500" for reasons; "none" when nothing arrived.
std::string join_sizes(const std::vector<size_t>& sizes);

} // namespace zc::traffic
