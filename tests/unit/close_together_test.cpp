#include "traffic/socket_kinds.hpp"

#include <doctest/doctest.h>

#include <fcntl.h>
#include <unistd.h>

using namespace zc::traffic;

namespace {

bool open_fd(int fd) { return ::fcntl(fd, F_GETFD) != -1; }

// A channel of the kind whose descriptors are two ends of a pipe: the guard
// only closes them, it does not care what they are.
Channel pipe_channel(Kind kind)
{
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    Channel ch;
    ch.info = &kind_info(kind);
    ch.tx.reset(fds[1]);
    ch.rx.reset(fds[0]);
    return ch;
}

} // namespace

TEST_CASE("CloseTogether closes both descriptors of a packet channel when it goes out of scope")
{
    for (const Kind kind : {Kind::packet_raw, Kind::packet_dgram}) {
        Channel ch = pipe_channel(kind);
        const int tx = ch.tx.get(), rx = ch.rx.get();
        {
            const CloseTogether closing(ch);
            CHECK(open_fd(tx));
            CHECK(open_fd(rx));
        }
        CHECK_FALSE(ch.tx);
        CHECK_FALSE(ch.rx);
        CHECK_FALSE(open_fd(tx));
        CHECK_FALSE(open_fd(rx));
    }
}

TEST_CASE("CloseTogether leaves other kinds and half-open channels to the channel itself")
{
    Channel udp = pipe_channel(Kind::udp4);
    {
        const CloseTogether closing(udp);
    }
    CHECK(open_fd(udp.tx.get()));
    CHECK(open_fd(udp.rx.get()));

    Channel half = pipe_channel(Kind::packet_raw);
    half.rx.reset();
    const int tx = half.tx.get();
    {
        const CloseTogether closing(half);
    }
    CHECK(open_fd(tx)); // closed with the channel, as before
}
