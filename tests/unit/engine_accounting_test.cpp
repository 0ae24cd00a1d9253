#include "engine/accounting.hpp"
#include "engine/run_mode.hpp"

#include <doctest/doctest.h>

using namespace zc::engine;

TEST_CASE("all arrived in order: clean")
{
    Tally t;
    t.on_sent(100);
    for (uint64_t s = 0; s < 100; ++s) CHECK(t.on_valid(s));
    const Counts c = t.counts();
    CHECK(c.verified == 100);
    CHECK(c.lost == 0);
    CHECK(c.reordered == 0);
    CHECK(clean(c));
    CHECK(damaged(c) == 0);
}

TEST_CASE("sent = verified + corrupted + lost - duplicates and reordering on the side")
{
    Tally t;
    t.on_sent(10);
    for (uint64_t s : {0, 1, 3, 2, 2, 5, 9}) t.on_valid(s);
    t.on_corrupted();
    const Counts c = t.counts();
    CHECK(c.received == 8);
    CHECK(c.verified == 6);   // 0 1 3 2 5 9
    CHECK(c.duplicated == 1); // the second 2
    CHECK(c.reordered == 1);  // 2 after 3
    CHECK(c.corrupted == 1);
    CHECK(c.lost == 3);       // 10 - 6 - 1
    CHECK(c.sent == c.verified + c.corrupted + c.lost);
    CHECK_FALSE(clean(c));
    CHECK(damaged(c) == 2);
}

TEST_CASE("a valid packet of this run beyond what was sent is unsent damage - not verified")
{
    Tally t;
    t.on_sent(2);
    t.on_valid(0);
    t.on_valid(1);
    t.on_valid(1000);
    const Counts c = t.counts();
    CHECK(c.verified == 2);
    CHECK(c.unsent == 1);
    CHECK(c.foreign == 0);
    CHECK(damaged(c) == 1);
    CHECK_FALSE(clean(c));
}

TEST_CASE("another run's packets are counted apart and leave a clean run clean")
{
    Tally t;
    t.on_sent(2);
    t.on_valid(0);
    t.on_foreign();
    t.on_foreign();
    t.on_valid(1);
    const Counts c = t.counts();
    CHECK(c.foreign == 2);
    CHECK(c.received == 2);
    CHECK(c.verified == 2);
    CHECK(c.lost == 0);
    CHECK(damaged(c) == 0);
    CHECK(clean(c));
}

TEST_CASE("nothing arrived: everything lost")
{
    Tally t;
    t.on_sent(5);
    const Counts c = t.counts();
    CHECK(c.lost == 5);
    CHECK_FALSE(clean(c));
}

TEST_CASE("median and spread over repeats")
{
    CHECK(median_of({3, 1, 2}) == 2);
    CHECK(median_of({4, 1, 2, 3}) == 2.5);
    CHECK(median_of({}) == 0);
    std::vector<Measurement> runs(3);
    runs[0].counts.sent = 100;
    runs[0].elapsed_s = 1;
    runs[1].counts.sent = 300;
    runs[1].elapsed_s = 1;
    runs[2].counts.sent = 200;
    runs[2].elapsed_s = 1;
    const Spread s = pps_spread(runs);
    CHECK(s.median == 200);
    CHECK(s.min == 100);
    CHECK(s.max == 300);
}
