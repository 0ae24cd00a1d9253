#include "traffic/xsk_socket.hpp"

#include <doctest/doctest.h>

#include <cstdint>

using namespace zc::traffic::xsk;

TEST_CASE("ring sizes must be powers of two")
{
    CHECK(is_power_of_two(1));
    CHECK(is_power_of_two(2048));
    CHECK_FALSE(is_power_of_two(0));
    CHECK_FALSE(is_power_of_two(3));
    CHECK_FALSE(is_power_of_two(2047));
}

TEST_CASE("ring slots wrap at the ring size")
{
    CHECK(ring_slot(0, 16) == 0);
    CHECK(ring_slot(15, 16) == 15);
    CHECK(ring_slot(16, 16) == 0);
    CHECK(ring_slot(UINT32_MAX, 16) == 15);
}

TEST_CASE("used and free entries survive u32 wrap-around of the indexes")
{
    CHECK(ring_used(10, 10) == 0);
    CHECK(ring_free(16, 10, 10) == 16);
    CHECK(ring_used(26, 10) == 16);
    CHECK(ring_free(16, 26, 10) == 0);
    // The producer has wrapped past zero, the consumer not yet.
    const uint32_t cons = UINT32_MAX - 2; // 3 steps before wrap
    const uint32_t prod = 4;              // 7 entries after cons
    CHECK(ring_used(prod, cons) == 7);
    CHECK(ring_free(16, prod, cons) == 9);
}

TEST_CASE("aligned umem frames sit at index times frame size")
{
    const UmemLayout l{.frame_size = 2048, .frame_count = 16};
    CHECK(l.bytes() == 32768);
    CHECK(l.frame_addr(0) == 0);
    CHECK(l.frame_addr(1) == 2048);
    CHECK(l.frame_addr(15) == 30720);
    // 64-bit addresses: no overflow for a large umem.
    const UmemLayout big{.frame_size = 4096, .frame_count = 2u << 20};
    CHECK(big.frame_addr((2u << 20) - 1) == uint64_t{4096} * ((2u << 20) - 1));
}

TEST_CASE("layouts the kernel would refuse in XDP_UMEM_REG are named")
{
    CHECK_FALSE(layout_error({.frame_size = 2048, .frame_count = 16}, 4096).has_value());
    CHECK_FALSE(layout_error({.frame_size = 4096, .frame_count = 1}, 4096).has_value());
    CHECK(layout_error({.frame_size = 3000, .frame_count = 16}, 4096).has_value()); // not a power of two
    CHECK(layout_error({.frame_size = 1024, .frame_count = 16}, 4096).has_value()); // below the 2048 minimum
    CHECK(layout_error({.frame_size = 8192, .frame_count = 16}, 4096).has_value()); // above a page
    CHECK(layout_error({.frame_size = 2048, .frame_count = 1}, 4096).has_value());  // half a page
    CHECK(layout_error({.frame_size = 2048, .frame_count = 0}, 4096).has_value());
}
