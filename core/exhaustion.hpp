// Running out of memory or threads ends a tool with exit 3 and one line that
// names what ran out, never with an abort. Three layers (README "Safety"):
// big documents are released by code that does not allocate
// (reports/report_reader), a reserve is freed at the first failed
// allocation so the unwinding that follows can finish (nlohmann::json's
// destructor allocates a stack), and a terminate handler turns a bad_alloc
// that still ends in std::terminate into the same line and exit 3.
#pragma once

#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <utility>

namespace zc {

inline constexpr int exit_exhausted = 3; // the tools' exit_internal

// A resource other than the heap ran out; what() is the line's text after
// "TOOL: " ("cannot start the receiver thread: ...").
struct ResourceExhausted : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Installs the reserve, the new_handler and the terminate handler for tool
// ("zcreport"). First thing in main, before any thread exists.
void install_exhaustion_handlers(const char* tool) noexcept;

// Writes "TOOL: out of memory: ..." with the address-space limit, if one
// is set, to stderr with write(2); allocates nothing.
void print_out_of_memory() noexcept;

// Why pthread_create failed, naming the limits that explain err.
std::string thread_failure_text(int err);

// std::thread, or ResourceExhausted("cannot start WHAT: ...").
template <class F>
std::thread start_thread(const char* what, F&& fn)
{
    try {
        return std::thread(std::forward<F>(fn));
    } catch (const std::system_error& e) {
        throw ResourceExhausted(std::string("cannot start ") + what + ": " + thread_failure_text(e.code().value()));
    }
}

} // namespace zc
