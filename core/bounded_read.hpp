// Reading a file someone else named, without trusting it to end: a size
// limit, and a FIFO, pipe or device that never gets a writer or never
// delivers end of file fails after a bounded wait instead of hanging.
#pragma once

#include <string>

namespace zc {

struct BoundedRead {
    std::string text;  // at most limit + 1 bytes, so "over the limit" shows
    std::string error; // "" on success, else "cannot open: ..." / "cannot read: ..."
};

// Reads path up to limit + 1 bytes. A FIFO or pipe gets open_wait_ms for a
// writer to appear and then may go stall_ms without delivering a byte.
BoundedRead read_bounded(const std::string& path, size_t limit, int open_wait_ms, int stall_ms);

} // namespace zc
