#include "engine/wire_format.hpp"

#include <doctest/doctest.h>

#include <vector>

using namespace zc::engine;

TEST_CASE("a written packet verifies and carries its sequence number")
{
    for (size_t size : {size_t{20}, size_t{21}, size_t{27}, size_t{64}, size_t{1400}, size_t{9000}}) {
        std::vector<uint8_t> p(size);
        write_packet(p, 123456789012ULL);
        const Verdict v = verify_packet(p);
        CAPTURE(size);
        CHECK(v.check == Check::ok);
        CHECK(v.seq == 123456789012ULL);
        CHECK(read_header(p).seq == 123456789012ULL);
    }
}

TEST_CASE("every single-byte corruption is caught, at every offset, for several values")
{
    for (size_t size : {size_t{20}, size_t{29}, size_t{64}, size_t{333}}) {
        std::vector<uint8_t> good(size);
        write_packet(good, 77);
        for (size_t at = 0; at < size; ++at) {
            for (uint8_t flip : {uint8_t{0x01}, uint8_t{0x80}, uint8_t{0xFF}, uint8_t{0x5A}}) {
                std::vector<uint8_t> bad = good;
                bad[at] ^= flip;
                const Verdict v = verify_packet(bad);
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

TEST_CASE("a neighbour's bytes, a short or a long packet never verify")
{
    std::vector<uint8_t> a(1400), b(1400);
    write_packet(a, 5);
    write_packet(b, 6);
    // b's header on a's payload: the stale-page signature.
    std::vector<uint8_t> mixed = a;
    std::copy(b.begin(), b.begin() + packet_header_len, mixed.begin());
    CHECK(verify_packet(mixed).check == Check::bad_payload);
    CHECK(verify_packet(std::span(a).first(1399)).check == Check::bad_length);
    CHECK(verify_packet(std::span(a).first(10)).check == Check::short_packet);
    std::vector<uint8_t> zeros(1400, 0);
    CHECK(verify_packet(zeros).check == Check::bad_magic);
}

TEST_CASE("header-only mode still reads sequence numbers but skips the payload")
{
    std::vector<uint8_t> p(200);
    write_header(p, 9);
    CHECK(read_header(p).check == Check::ok);
    CHECK(read_header(p).seq == 9);
    CHECK(verify_packet(p).check == Check::bad_payload);
}
