#include "traffic/payload.hpp"

#include "core/run_identity.hpp"

#include <algorithm>
#include <cstring>

namespace zc::traffic {

void fill_pattern(std::span<uint8_t> dst, uint32_t seed)
{
    // xorshift32 keyed by seed: cheap, and a 1-byte shift never lines up.
    uint32_t x = seed * 2654435761U + 0x9E3779B9U;
    if (x == 0) x = 1;
    for (auto& b : dst) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        b = static_cast<uint8_t>(x);
    }
}

bool is_foreign(std::span<const uint8_t> got, uint64_t run) noexcept
{
    if (carries_any_run_tag(got)) return !carries_run_tag(got, run);
    return got.size() >= sizeof engine_packet_magic &&
           std::memcmp(got.data(), &engine_packet_magic, sizeof engine_packet_magic) == 0;
}

void stamp_run_tag(std::span<uint8_t> dst, uint64_t run) noexcept
{
    uint8_t tag[run_tag_len];
    std::memcpy(tag, &run_tag_magic, 8);
    std::memcpy(tag + 8, &run, 8);
    std::memcpy(dst.data(), tag, std::min(dst.size(), run_tag_len));
}

bool carries_run_tag(std::span<const uint8_t> got, uint64_t run) noexcept
{
    if (!carries_any_run_tag(got)) return false;
    return std::memcmp(got.data() + 8, &run, 8) == 0;
}

bool carries_any_run_tag(std::span<const uint8_t> got) noexcept
{
    return got.size() >= run_tag_len && std::memcmp(got.data(), &run_tag_magic, 8) == 0;
}

void fill_payload(std::span<uint8_t> dst, uint32_t seed)
{
    fill_pattern(dst, seed);
    stamp_run_tag(dst, run_identity());
}

namespace {
constexpr char end_marker_text[] = "ZCPROBE END MARK"; // 16 bytes without the NUL
static_assert(sizeof end_marker_text - 1 == end_marker_len - run_tag_len);
} // namespace

std::vector<uint8_t> end_marker(uint64_t run)
{
    std::vector<uint8_t> out(end_marker_len);
    stamp_run_tag(out, run);
    std::memcpy(out.data() + run_tag_len, end_marker_text, end_marker_len - run_tag_len);
    return out;
}

bool is_end_marker(std::span<const uint8_t> got, uint64_t run) noexcept
{
    return got.size() == end_marker_len && carries_run_tag(got, run) &&
           std::memcmp(got.data() + run_tag_len, end_marker_text, end_marker_len - run_tag_len) == 0;
}

void note_foreign(nlohmann::json& evidence, size_t foreign)
{
    if (foreign > 0) evidence["foreign"] = foreign;
}

std::optional<size_t> first_mismatch(std::span<const uint8_t> expected, std::span<const uint8_t> got)
{
    const size_t n = std::min(expected.size(), got.size());
    const auto [a, b] = std::mismatch(expected.begin(), expected.begin() + static_cast<std::ptrdiff_t>(n), got.begin());
    if (a != expected.begin() + static_cast<std::ptrdiff_t>(n)) {
        return static_cast<size_t>(a - expected.begin());
    }
    if (expected.size() != got.size()) return n;
    return std::nullopt;
}

Witness classify_witness(std::span<const uint8_t> got, std::span<const uint8_t> original,
                         std::span<const uint8_t> overwritten)
{
    if (got.size() != original.size() || got.size() != overwritten.size() || got.empty()) {
        return Witness::neither;
    }
    size_t from_original = 0;
    size_t from_overwritten = 0;
    for (size_t i = 0; i < got.size(); ++i) {
        const bool o = got[i] == original[i];
        const bool w = got[i] == overwritten[i];
        if (!o && !w) return Witness::neither;
        if (o && !w) ++from_original;
        if (w && !o) ++from_overwritten;
    }
    if (from_overwritten == 0) return Witness::original;
    if (from_original == 0) return Witness::overwritten;
    return Witness::mixed;
}

nlohmann::json witness_zero_copy(Witness w)
{
    switch (w) {
    case Witness::original: return false;
    case Witness::overwritten:
    case Witness::mixed: return true;
    case Witness::neither: return nullptr;
    }
    return nullptr;
}

const char* witness_name(Witness w)
{
    switch (w) {
    case Witness::original: return "original";
    case Witness::overwritten: return "overwritten";
    case Witness::mixed: return "mixed";
    case Witness::neither: return "neither";
    }
    return "neither";
}

std::string join_sizes(const std::vector<size_t>& sizes)
{
    std::string out;
    for (const size_t s : sizes) {
        if (!out.empty()) out += ',';
        out += std::to_string(s);
    }
    return out.empty() ? "none" : out;
}

} // namespace zc::traffic
