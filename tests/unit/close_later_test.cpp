#include "core/close_later.hpp"

#include <doctest/doctest.h>

#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace zc;

namespace {

// Whether the pipe's read end sees EOF (every write end closed) within ms.
bool eof_within(int fd, int ms)
{
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, ms) != 1) return false;
    char c;
    return ::read(fd, &c, 1) == 0;
}

} // namespace

TEST_CASE("close_later closes at once outside a probe's child")
{
    int p[2];
    REQUIRE(::pipe(p) == 0);
    Fd read(p[0]);
    close_later(Fd(p[1]));
    CHECK(eof_within(read.get(), 0));
}

TEST_CASE("in a probe's child close_later keeps the descriptor open until the child exits")
{
    int p[2], go[2];
    REQUIRE(::pipe(p) == 0);
    REQUIRE(::pipe(go) == 0);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        ::close(p[0]);
        ::close(go[1]);
        keep_open_until_exit();
        {
            Fd w(p[1]);
            const CloseLaterGuard later(w);
        }
        char c;
        [[maybe_unused]] const ssize_t n = ::read(go[0], &c, 1); // until the parent has looked
        ::_exit(0);
    }
    ::close(p[1]);
    ::close(go[0]);
    Fd read(p[0]), go_write(go[1]);
    CHECK_FALSE(eof_within(read.get(), 50)); // the guard went out of scope, the pipe stayed open
    go_write.reset();
    CHECK(eof_within(read.get(), 5000)); // closed by the exit
    int status = 0;
    ::waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status));
}
