#include "core/exhaustion.hpp"

#include "core/errno_name.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <algorithm>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <new>

namespace zc {

namespace {

// For the destructors that run while a bad_alloc unwinds: nlohmann's
// flattens a container into a stack of one json (16 bytes) per element, and
// the tools' own documents (not the reports read, which are released
// without allocating) stay far below this. Counts against RLIMIT_AS, so it
// is kept small; whatever it cannot cover ends in on_terminate.
constexpr size_t reserve_bytes = 1024 * 1024;
void* reserve = nullptr;
const char* tool_name = "zc";

void on_allocation_failure()
{
    // Once: free the reserve and fail this allocation, so the caller unwinds
    // with memory to spare. Without a reserve left there is nothing to give.
    std::set_new_handler(nullptr);
    std::free(reserve);
    reserve = nullptr;
    throw std::bad_alloc();
}

[[noreturn]] void on_terminate()
{
    // A bad_alloc that reached std::terminate (thrown from a destructor or
    // a noexcept function): the same line and exit code as one caught in main.
    if (const std::exception_ptr e = std::current_exception()) {
        try {
            std::rethrow_exception(e);
        } catch (const std::bad_alloc&) {
            print_out_of_memory();
            ::_exit(exit_exhausted);
        } catch (...) {
        }
    }
    constexpr char tail[] = ": internal error: terminated\n";
    [[maybe_unused]] auto n = ::write(STDERR_FILENO, tool_name, std::strlen(tool_name));
    n = ::write(STDERR_FILENO, tail, sizeof tail - 1);
    std::abort();
}

} // namespace

void install_exhaustion_handlers(const char* tool) noexcept
{
    tool_name = tool;
    reserve = std::malloc(reserve_bytes);
    std::set_new_handler(on_allocation_failure);
    std::set_terminate(on_terminate);
}

void print_out_of_memory() noexcept
{
    char line[256];
    rlimit as{};
    int n = 0;
    if (::getrlimit(RLIMIT_AS, &as) == 0 && as.rlim_cur != RLIM_INFINITY) {
        n = std::snprintf(line, sizeof line,
                          "%s: out of memory: an allocation failed under the address-space limit of %" PRIu64
                          " bytes (RLIMIT_AS, ulimit -v); raise it or give the run more memory\n",
                          tool_name, static_cast<uint64_t>(as.rlim_cur));
    } else {
        n = std::snprintf(line, sizeof line,
                          "%s: out of memory: an allocation failed (no address-space limit is set: the host or "
                          "the cgroup ran out); give the run more memory\n",
                          tool_name);
    }
    if (n > 0) {
        [[maybe_unused]] const auto w = ::write(STDERR_FILENO, line, std::min(static_cast<size_t>(n), sizeof line - 1));
    }
}

std::string thread_failure_text(int err)
{
    std::string text = "pthread_create() failed: " + errno_text(err);
    if (err != EAGAIN && err != ENOMEM) return text;
    rlimit as{};
    if (::getrlimit(RLIMIT_AS, &as) == 0 && as.rlim_cur != RLIM_INFINITY) {
        text += "; no room for its stack under the address-space limit of " + std::to_string(as.rlim_cur) +
                " bytes (RLIMIT_AS, ulimit -v), or the task limit (RLIMIT_NPROC, pids cgroup) is reached";
    } else {
        text += "; out of memory for its stack, or the task limit (RLIMIT_NPROC, pids cgroup) is reached";
    }
    return text;
}

} // namespace zc
