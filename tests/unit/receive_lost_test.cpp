#include "traffic/socket_kinds.hpp"

#include <doctest/doctest.h>

#include <unistd.h>

#include <chrono>

using namespace zc::traffic;

namespace {

// A udp4 channel whose receiver is a pipe nobody writes: nothing arrives.
Channel silent_channel()
{
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    Channel ch;
    ch.info = &kind_info(Kind::udp4);
    ch.tx.reset(fds[1]);
    ch.rx.reset(fds[0]);
    return ch;
}

} // namespace

TEST_CASE("receive stops waiting once lost says the datagram will not come")
{
    const Channel ch = silent_channel();
    int asked = 0;
    const auto start = std::chrono::steady_clock::now();
    const Received got = receive(ch, 100, 10000, [&asked] { return ++asked == 3; });
    const auto took = std::chrono::steady_clock::now() - start;
    CHECK(asked == 3);
    CHECK(got.bytes.empty());
    CHECK(got.err == 0);
    CHECK(took < std::chrono::seconds(5)); // not the 10 s timeout
}

TEST_CASE("without lost receive waits for its timeout")
{
    const Channel ch = silent_channel();
    const auto start = std::chrono::steady_clock::now();
    const Received got = receive(ch, 100, 60);
    CHECK(got.timed_out);
    CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(50)); // whole ms left, rounded down
}
