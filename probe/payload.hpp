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

namespace zc::probe {

// Deterministic, position-dependent bytes: no two nearby offsets equal and no
// two seeds alike, so a shifted, short or stale buffer never verifies.
void fill_pattern(std::span<uint8_t> dst, uint32_t seed);

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

} // namespace zc::probe
