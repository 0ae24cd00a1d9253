// zcreport's command line: validate, render, matrix, diff. Output goes to
// stdout or, with -o, atomically to a file; bad input never leaves a file.
#pragma once

#include <iosfwd>

namespace zc::report {

// Documented in --help and in the README.
inline constexpr int exit_ok = 0;
inline constexpr int exit_gate = 1;     // diff found a regression; a required probe is not supported
inline constexpr int exit_bad_input = 2; // usage or bad input
inline constexpr int exit_internal = 3;

// Streams are parameters so the unit tests can run commands in-process.
int run_zcreport(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

} // namespace zc::report
