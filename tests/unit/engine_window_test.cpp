#include "engine/window.hpp"

#include <doctest/doctest.h>

using namespace zc::engine;

TEST_CASE("the window fits the receive buffer the kernel granted - within 16 and the wanted window")
{
    // 2 * (1400 + 512) bytes of truesize per packet at most.
    CHECK(window_for_receive_buffer(212992, 1400, 1024) == 212992 / 3824);
    CHECK(window_for_receive_buffer(receive_buffer_request, 1400, 1024) == 1024); // the wanted window caps it
    CHECK(window_for_receive_buffer(receive_buffer_request, 64, 65536) == (32u << 20) / 1152);
    CHECK(window_for_receive_buffer(4096, 1400, 1024) == 16); // never below 16 credits
    CHECK(window_for_receive_buffer(0, 64, 1024) == 16);
    CHECK(window_for_receive_buffer(-1, 64, 1024) == 16); // getsockopt left nothing sensible
}

TEST_CASE("credit_wait keeps at most a window of packets in flight")
{
    CHECK_FALSE(credit_wait(0, 64, 1024).has_value());
    CHECK_FALSE(credit_wait(960, 64, 1024).has_value()); // exactly a window in flight
    REQUIRE(credit_wait(961, 64, 1024).has_value());
    CHECK(*credit_wait(961, 64, 1024) == 1);
    CHECK(*credit_wait(5000, 64, 1024) == 5000 + 64 - 1024);
    // With the target acknowledged, what is in flight after the send is the window.
    for (uint64_t sent : {uint64_t{0}, uint64_t{100}, uint64_t{1000}, uint64_t{123456}}) {
        for (size_t n : {size_t{1}, size_t{32}, size_t{256}}) {
            const auto t = credit_wait(sent, n, 512);
            const uint64_t acked = t ? *t : 0;
            CHECK(sent + n - acked <= 512);
        }
    }
}

TEST_CASE("a guarded sender has enough areas that the window never covers the one being rewritten")
{
    CHECK(areas_for(false, 1024, 64) == 1);
    CHECK(areas_for(true, 1024, 64) == 17);
    CHECK(areas_for(true, 1000, 64) == 17);
    CHECK(areas_for(true, 1024, 1000) == 3);
    for (size_t window : {size_t{16}, size_t{100}, size_t{1024}, size_t{65536}}) {
        for (size_t batch : {size_t{1}, size_t{32}, size_t{64}, size_t{256}}) {
            CAPTURE(window);
            CAPTURE(batch);
            // The other areas together hold at least a window of packets.
            CHECK((areas_for(true, window, batch) - 1) * batch >= window);
        }
    }
}

TEST_CASE("packed batches are half the window - at most 256")
{
    CHECK(packed_batch_limit(1024) == 256);
    CHECK(packed_batch_limit(300) == 150);
    CHECK(packed_batch_limit(16) == 8);
}

TEST_CASE("udp-gso-splice geometry: GSO limits - pipe pages and the window")
{
    const GsoGeometry g = gso_geometry(1400, 1400, 4096, 1024);
    CHECK(g.per_splice == 46); // 65507 / 1400
    CHECK(g.batch == 7 * 46);  // 17 pages a splice in 128 pipe pages
    CHECK(g.pipe_bytes == 112 * 4096);
    CHECK(gso_geometry(64, 64, 4096, 1024).per_splice == 64); // at most 64 segments
    CHECK(gso_geometry(64, 64, 4096, 16).batch == 64);        // one splice at least, window or not
    for (size_t size : {size_t{16}, size_t{64}, size_t{512}, size_t{1400}, size_t{9000}, size_t{65507}}) {
        for (size_t window : {size_t{16}, size_t{256}, size_t{1024}, size_t{65536}}) {
            const GsoGeometry x = gso_geometry(size, size, 4096, window);
            CAPTURE(size);
            CAPTURE(window);
            CHECK(x.per_splice >= 1);
            CHECK(x.per_splice <= 64);
            CHECK(x.per_splice * size <= 65507);
            CHECK(x.batch % x.per_splice == 0);
            if (x.batch > x.per_splice) CHECK(x.batch <= window / 2);
            CHECK(x.pipe_bytes >= x.batch * size + 4096); // a batch, plus the page a misaligned start spills into
            CHECK(x.pipe_bytes % 4096 == 0);
        }
    }
}
