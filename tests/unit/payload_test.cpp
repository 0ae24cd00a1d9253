#include "probe/payload.hpp"

#include <doctest/doctest.h>

#include <vector>

using namespace zc::probe;

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
