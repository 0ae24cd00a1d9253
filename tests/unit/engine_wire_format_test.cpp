#include "engine/wire_format.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstring>
#include <vector>

using namespace zc::engine;

namespace {
constexpr uint64_t run = 0x0123456789ABCDEFULL;
}

TEST_CASE("a written packet verifies and carries its sequence number")
{
    for (size_t size : {size_t{32}, size_t{33}, size_t{39}, size_t{64}, size_t{1400}, size_t{9000}}) {
        std::vector<uint8_t> p(size);
        write_packet(p, 123456789012ULL, run);
        const Verdict v = verify_packet(p, run);
        CAPTURE(size);
        CHECK(v.check == Check::ok);
        CHECK(v.seq == 123456789012ULL);
        CHECK(read_header(p, run).seq == 123456789012ULL);
    }
}

TEST_CASE("every single-byte corruption is caught - at every offset - for several values")
{
    for (size_t size : {size_t{32}, size_t{41}, size_t{64}, size_t{333}}) {
        std::vector<uint8_t> good(size);
        write_packet(good, 77, run);
        for (size_t at = 0; at < size; ++at) {
            for (uint8_t flip : {uint8_t{0x01}, uint8_t{0x80}, uint8_t{0xFF}, uint8_t{0x5A}}) {
                std::vector<uint8_t> bad = good;
                bad[at] ^= flip;
                const Verdict v = verify_packet(bad, run);
                CAPTURE(size);
                CAPTURE(at);
                CHECK(v.check != Check::ok);
                if (at >= packet_header_len) {
                    CHECK(v.check == Check::bad_payload);
                    CHECK(v.bad_offset == at);
                }
            }
        }
    }
}

TEST_CASE("a neighbour's bytes - a short or a long packet never verify")
{
    std::vector<uint8_t> a(1400), b(1400);
    write_packet(a, 5, run);
    write_packet(b, 6, run);
    // b's header on a's payload: the stale-page signature.
    std::vector<uint8_t> mixed = a;
    std::copy(b.begin(), b.begin() + packet_header_len, mixed.begin());
    CHECK(verify_packet(mixed, run).check == Check::bad_payload);
    CHECK(verify_packet(std::span(a).first(1399), run).check == Check::bad_length);
    CHECK(verify_packet(std::span(a).first(10), run).check == Check::short_packet);
    std::vector<uint8_t> zeros(1400, 0);
    CHECK(verify_packet(zeros, run).check == Check::bad_magic);
}

TEST_CASE("another run's packet is foreign - also truncated - a damaged run field is ours and corrupted")
{
    constexpr uint64_t other = run ^ 0x8000000000000000ULL;
    std::vector<uint8_t> p(1400);
    write_packet(p, 5, other);
    CHECK(verify_packet(p, other).check == Check::ok);
    CHECK(verify_packet(p, run).check == Check::foreign);
    CHECK(verify_packet(p, run).seq == 5);
    CHECK(read_header(p, run).check == Check::foreign);
    // A bigger packet of another run cut to our receive buffer.
    CHECK(read_header(std::span(p).first(200), run).check == Check::foreign);
    CHECK(read_header(std::span(p).first(200), other).check == Check::bad_length);
    CHECK(read_header(std::span(p).first(packet_header_len - 1), run).check == Check::short_packet);
    // One flipped bit in the run field: the check fails, never "foreign".
    std::vector<uint8_t> ours(1400);
    write_packet(ours, 5, run);
    for (size_t at = 16; at < 24; ++at) {
        std::vector<uint8_t> bad = ours;
        bad[at] ^= 0x04;
        CAPTURE(at);
        CHECK(verify_packet(bad, run).check == Check::bad_header);
    }
}

TEST_CASE("header-only mode still reads sequence numbers but skips the payload")
{
    std::vector<uint8_t> p(200);
    write_header(p, 9, run);
    CHECK(read_header(p, run).check == Check::ok);
    CHECK(read_header(p, run).seq == 9);
    CHECK(verify_packet(p, run).check == Check::bad_payload);
}

namespace {

// The payload's definition, written out plainly: the vector paths must give
// exactly these bytes (the wire format does not depend on the CPU).
std::vector<uint8_t> reference_payload(const std::vector<uint8_t>& packet)
{
    auto mix64 = [](uint64_t x) {
        x ^= x >> 30;
        x *= 0xBF58476D1CE4E5B9ULL;
        x ^= x >> 27;
        x *= 0x94D049BB133111EBULL;
        return x ^ (x >> 31);
    };
    uint64_t seq;
    std::memcpy(&seq, packet.data() + 8, 8);
    const uint64_t base = mix64(seq + 0x9E3779B97F4A7C15ULL);
    std::vector<uint8_t> out(packet.size() - packet_header_len);
    for (size_t i = 0; i < out.size(); ++i) {
        const uint64_t w = base ^ (i / 8 * 0x9E3779B97F4A7C15ULL);
        uint8_t bytes[8];
        std::memcpy(bytes, &w, 8);
        out[i] = bytes[i % 8];
    }
    return out;
}

} // namespace

TEST_CASE("16- and 32-byte vector paths write the reference bytes and catch every flip at any alignment")
{
    for (const bool wide : {false, true}) {
        if (use_wide_vectors(wide) != wide) continue; // no AVX2 here
        CAPTURE(wide);
        for (size_t size = packet_header_len; size <= 200; ++size) {
            for (size_t shift : {size_t{0}, size_t{1}, size_t{3}, size_t{8}}) {
                std::vector<uint8_t> storage(size + shift);
                const std::span<uint8_t> p(storage.data() + shift, size);
                write_packet(p, 1000 + size, run);
                const std::vector<uint8_t> packet(p.begin(), p.end());
                const auto want = reference_payload(packet);
                CAPTURE(size);
                CAPTURE(shift);
                REQUIRE(std::equal(want.begin(), want.end(), p.begin() + packet_header_len));
                REQUIRE(verify_packet(p, run).check == Check::ok);
                for (size_t at = packet_header_len; at < size; ++at) {
                    p[at] ^= 0x10;
                    const Verdict v = verify_packet(p, run);
                    p[at] ^= 0x10;
                    REQUIRE(v.check == Check::bad_payload);
                    REQUIRE(v.bad_offset == at);
                }
            }
        }
        std::vector<uint8_t> big(9000);
        write_packet(big, 42, run);
        CHECK(std::equal(big.begin() + packet_header_len, big.end(), reference_payload(big).begin()));
        big[8999] ^= 1;
        CHECK(verify_packet(big, run).bad_offset == 8999);
    }
    use_wide_vectors(true); // back to the default: the widest the CPU has
}
