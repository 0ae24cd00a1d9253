#include "traffic/payload.hpp"

#include "core/run_identity.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstring>
#include <vector>

using namespace zc::traffic;

TEST_CASE("patterns differ by seed and by position")
{
    std::vector<uint8_t> a(4096), b(4096);
    fill_pattern(a, 1);
    fill_pattern(b, 2);
    CHECK(first_mismatch(a, b).has_value());
    std::vector<uint8_t> again(4096);
    fill_pattern(again, 1);
    CHECK_FALSE(first_mismatch(a, again).has_value());
    // A one-byte shift must never verify.
    CHECK(first_mismatch(std::span(a).subspan(1), std::span(a).first(4095)).has_value());
}

TEST_CASE("every single-byte corruption is caught at its offset")
{
    std::vector<uint8_t> a(1500);
    fill_pattern(a, 9);
    for (size_t i = 0; i < a.size(); ++i) {
        auto b = a;
        b[i] ^= 0x01;
        REQUIRE(first_mismatch(a, b) == i);
    }
}

TEST_CASE("length differences are mismatches")
{
    std::vector<uint8_t> a(100);
    fill_pattern(a, 3);
    std::vector<uint8_t> shorter(a.begin(), a.begin() + 60);
    CHECK(first_mismatch(a, shorter) == 60u);
}

TEST_CASE("the witness tells copies from references")
{
    std::vector<uint8_t> orig(64), over(64);
    fill_pattern(orig, 1);
    fill_pattern(over, 2);
    CHECK(classify_witness(orig, orig, over) == Witness::original);
    CHECK(classify_witness(over, orig, over) == Witness::overwritten);
    auto mixed = orig;
    std::copy(over.begin() + 32, over.end(), mixed.begin() + 32);
    CHECK(classify_witness(mixed, orig, over) == Witness::mixed);
    auto garbage = orig;
    garbage[5] = static_cast<uint8_t>(orig[5] ^ over[5] ^ 0xFF);
    if (garbage[5] == over[5]) garbage[5] ^= 0x10;
    CHECK(classify_witness(garbage, orig, over) == Witness::neither);
    CHECK(classify_witness(std::span(orig).first(10), orig, over) == Witness::neither);
    CHECK(classify_witness({}, {}, {}) == Witness::neither);

    CHECK(witness_zero_copy(Witness::original) == false);
    CHECK(witness_zero_copy(Witness::overwritten) == true);
    CHECK(witness_zero_copy(Witness::mixed) == true);
    CHECK(witness_zero_copy(Witness::neither).is_null());
}

TEST_CASE("the run tag tells this run's payloads from another run's and from untagged bytes")
{
    constexpr uint64_t mine = 0x1122334455667788ULL;
    constexpr uint64_t theirs = 0x1122334455667789ULL;
    std::vector<uint8_t> p(600);
    fill_pattern(p, 7);
    CHECK_FALSE(carries_any_run_tag(p));
    CHECK_FALSE(carries_run_tag(p, mine));
    stamp_run_tag(p, mine);
    CHECK(carries_any_run_tag(p));
    CHECK(carries_run_tag(p, mine));
    CHECK_FALSE(carries_run_tag(p, theirs));
    // Too short to carry a whole tag: never ours.
    CHECK_FALSE(carries_run_tag(std::span(p).first(run_tag_len - 1), mine));
    CHECK(carries_run_tag(std::span(p).first(run_tag_len), mine));
    // A damaged magic is not a tag, whatever follows.
    p[0] ^= 1;
    CHECK_FALSE(carries_run_tag(p, mine));
    std::vector<uint8_t> tiny(4, 0xAA);
    stamp_run_tag(tiny, mine); // writes what fits, no overrun
    CHECK_FALSE(carries_any_run_tag(tiny));
}

TEST_CASE("tagged payloads keep the zero-copy witness: the tag is in both versions - the rest differs")
{
    std::vector<uint8_t> original(1000), overwritten(1000);
    fill_payload(original, 0x100);
    fill_payload(overwritten, 0x100 ^ 0x5A5A5A5AU);
    CHECK(std::equal(original.begin(), original.begin() + run_tag_len, overwritten.begin()));
    CHECK(classify_witness(original, original, overwritten) == Witness::original);
    CHECK(classify_witness(overwritten, original, overwritten) == Witness::overwritten);
    std::vector<uint8_t> mixed = original;
    std::copy(overwritten.begin() + 500, overwritten.end(), mixed.begin() + 500);
    CHECK(classify_witness(mixed, original, overwritten) == Witness::mixed);
    CHECK(carries_run_tag(original, zc::run_identity()));
    CHECK(carries_run_tag(overwritten, zc::run_identity()));
}

TEST_CASE("evidence names foreign datagrams only when some came")
{
    nlohmann::json ev = nlohmann::json::object();
    note_foreign(ev, 0);
    CHECK_FALSE(ev.contains("foreign"));
    note_foreign(ev, 3);
    CHECK(ev["foreign"] == 3);
}

TEST_CASE("foreign: another run's tag or an engine packet - our tag and an untagged split tail are ours")
{
    const uint64_t run = 0x1122334455667788ULL;
    std::vector<uint8_t> ours(64), theirs(64), tail(64, 0x5A), engine(64, 0);
    fill_pattern(ours, 1);
    stamp_run_tag(ours, run);
    fill_pattern(theirs, 1);
    stamp_run_tag(theirs, run + 1);
    std::memcpy(engine.data(), &engine_packet_magic, sizeof engine_packet_magic);
    CHECK_FALSE(is_foreign(ours, run));
    CHECK(is_foreign(theirs, run));
    CHECK(is_foreign(engine, run));
    CHECK_FALSE(is_foreign(tail, run));
    CHECK_FALSE(is_foreign(std::span<const uint8_t>(tail.data(), 2), run)); // too short to carry anything
}

TEST_CASE("the end marker is this run's only: not another run's marker - a payload or a cut marker")
{
    const uint64_t run = zc::run_identity();
    const std::vector<uint8_t> marker = end_marker(run);
    CHECK(marker.size() == end_marker_len);
    CHECK(is_end_marker(marker, run));
    CHECK_FALSE(is_end_marker(marker, run + 1));
    CHECK_FALSE(is_end_marker(end_marker(run + 1), run));
    // The marker is ours to the receive filter's test, so it is never skipped as foreign.
    CHECK_FALSE(is_foreign(marker, run));
    std::vector<uint8_t> payload(end_marker_len);
    fill_payload(payload, 0x57AD);
    CHECK_FALSE(is_end_marker(payload, run));
    CHECK_FALSE(is_end_marker(std::span(marker).first(end_marker_len - 1), run));
    std::vector<uint8_t> longer = marker;
    longer.push_back(0);
    CHECK_FALSE(is_end_marker(longer, run));
}
