// Every tool's main(): the exhaustion handlers, the interrupt handling
// (installed before any thread or child exists), and one line on stderr
// with the tool's internal-error exit code for whatever escapes the tool:
// out of memory, an exhausted resource, any other exception.
#pragma once

#include <functional>

namespace zc {

// start_interrupts: start the interrupt thread at once (a tool that never
// enters a namespace); otherwise the tool starts it itself, after
// unshare(), which needs a single-threaded process.
int guarded_main(const char* tool, int exit_internal, bool start_interrupts, const std::function<int()>& run);

} // namespace zc
