#include "traffic/payload.hpp"
#include "traffic/socket_kinds.hpp"

#include <doctest/doctest.h>

#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <vector>

using namespace zc::traffic;

namespace {

// A udp4 channel over a unix datagram socketpair: datagrams keep their
// boundaries and their order, and udp4 adds no header to strip.
Channel pair_channel()
{
    int fds[2];
    REQUIRE(::socketpair(AF_UNIX, SOCK_DGRAM, 0, fds) == 0);
    Channel ch;
    ch.info = &kind_info(Kind::udp4);
    ch.tx.reset(fds[0]);
    ch.rx.reset(fds[1]);
    return ch;
}

void send_payload(const Channel& ch, size_t len, uint32_t seed)
{
    std::vector<uint8_t> p(len);
    fill_payload(p, seed);
    REQUIRE(::write(ch.tx.get(), p.data(), p.size()) == static_cast<ssize_t>(p.size()));
}

} // namespace

TEST_CASE("receive_to_marker takes what came before the marker and ends there - not at its timeout")
{
    const Channel ch = pair_channel();
    send_payload(ch, 280, 1);
    send_payload(ch, 100, 2);
    REQUIRE(send_end_marker(ch) == 0);
    send_payload(ch, 50, 3); // after the marker: not this wait's
    const auto start = std::chrono::steady_clock::now();
    const Received got = receive_to_marker(ch, 10000);
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
    CHECK(got.ended_by_marker);
    CHECK_FALSE(got.timed_out);
    CHECK(got.err == 0);
    CHECK(got.sizes == std::vector<size_t>{280, 100});
    CHECK(got.bytes.size() == 380);
}

TEST_CASE("receive_to_marker without a marker waits for its timeout and keeps what came")
{
    const Channel ch = pair_channel();
    send_payload(ch, 280, 1);
    const auto start = std::chrono::steady_clock::now();
    const Received got = receive_to_marker(ch, 60);
    CHECK(got.timed_out);
    CHECK_FALSE(got.ended_by_marker);
    CHECK(got.sizes == std::vector<size_t>{280});
    CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(50));
}

TEST_CASE("receive counts an end marker as data: only receive_to_marker treats it as the end")
{
    const Channel ch = pair_channel();
    send_payload(ch, 100, 1);
    REQUIRE(send_end_marker(ch) == 0);
    const Received got = receive(ch, 100, 1000);
    CHECK_FALSE(got.ended_by_marker);
    CHECK(got.sizes == std::vector<size_t>{100, end_marker_len});
}
