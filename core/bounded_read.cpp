#include "core/bounded_read.hpp"

#include "core/fd.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>

namespace zc {

// open(2) of a FIFO for reading blocks until a writer opens it; O_NONBLOCK
// returns at once instead. Then read(2) tells the cases apart: bytes, EAGAIN
// (a writer is there, nothing written yet) or 0 (no writer now). For "no
// writer now" poll(2) says whether one came and went (POLLHUP: end of file)
// or never came: fifo_open() gives a nonblocking reader the current
// w_counter "to suppress EPOLLHUP until we have seen a writer", and
// pipe_poll() reports EPOLLHUP only once w_counter has moved (fs/pipe.c;
// f_version, f_pipe since Christian Brauner's "pipe: use f_pipe", 2024).
// A pipe opened through /dev/fd/N takes the same fifo_open() path.
BoundedRead read_bounded(const std::string& path, size_t limit, int open_wait_ms, int stall_ms)
{
    using Clock = std::chrono::steady_clock;
    BoundedRead out;
    Fd fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
    if (!fd) {
        out.error = std::string("cannot open: ") + std::strerror(errno);
        return out;
    }
    const auto open_deadline = Clock::now() + std::chrono::milliseconds(open_wait_ms);
    bool writer_seen = false;
    // The buffer grows as bytes arrive, up to limit + 1 (one past the limit
    // tells "at the limit" from "over it"): a 16 MiB buffer zeroed for each
    // 90 KB report was a third of zcreport validate's time.
    out.text.resize(std::min<size_t>(limit + 1, 128 * 1024));
    size_t got = 0;
    while (true) {
        if (got == out.text.size()) {
            if (got == limit + 1) break;
            out.text.resize(std::min<size_t>(limit + 1, got * 2));
        }
        const ssize_t n = ::read(fd.get(), out.text.data() + got, out.text.size() - got);
        if (n > 0) {
            got += static_cast<size_t>(n);
            writer_seen = true;
            continue;
        }
        const int err = n < 0 ? errno : 0;
        if (err == EINTR) continue;
        if (n < 0 && err != EAGAIN) {
            out.error = std::string("cannot read: ") + std::strerror(err);
            out.text.clear();
            return out;
        }
        pollfd p{fd.get(), POLLIN, 0};
        if (n == 0) {
            // Regular files and devices end here; so does a pipe whose writer left.
            if (writer_seen || ::poll(&p, 1, 0) != 0) break;
            if (Clock::now() >= open_deadline) {
                out.error = "cannot read: no writer opened it within " + std::to_string(open_wait_ms / 1000) +
                            " s (a FIFO or pipe without a writer)";
                out.text.clear();
                return out;
            }
            ::poll(&p, 1, 100); // a writer arriving with data, or coming and going, ends this
            continue;
        }
        writer_seen = true; // EAGAIN: someone holds the write end
        const int ready = ::poll(&p, 1, stall_ms);
        if (ready == 0) {
            out.error = "cannot read: nothing arrived for " + std::to_string(stall_ms / 1000) +
                        " s and no end of file (a FIFO, pipe or device whose writer stalled)";
            out.text.clear();
            return out;
        }
    }
    out.text.resize(got);
    return out;
}

} // namespace zc
