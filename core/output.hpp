// Where the tools' output goes: stdout, or the path -o names. One
// implementation for zcprobe, zcengine and zcreport, so a path is treated the
// same way and a failed write is never silent:
//   new path or regular file  temp file beside it, fsync, rename (atomic);
//   symlink                   followed; its target is replaced, the link stays;
//   device or FIFO            written through, as a shell redirection would,
//                             no temp file, no rename; a FIFO nobody reads
//                             fails after a bounded wait;
//   directory, socket, loop   refused.
#pragma once

#include <iosfwd>
#include <string>
#include <string_view>

namespace zc {

// A failed or short write of the output (stdout or -o) exits with the same
// code as an unwritable -o found before the run: the usage / bad input code
// of all three tools.
inline constexpr int exit_output_failed = 2;

// How long a FIFO may go without a reader opening it, and how long a reader
// (of a FIFO, pipe or device) may take nothing, before the write fails.
inline constexpr int output_open_wait_ms = 5000;
inline constexpr int output_stall_ms = 30000;

// Empty if path can be written as described above (checked before a run, so
// a bad -o costs nothing); otherwise a one-line error.
std::string check_output_path(const std::string& path);

// Writes content to path as described above. Empty string on success;
// otherwise a one-line error naming the path and the errno.
std::string write_output_file(const std::string& path, std::string_view content);

// Writes content to out (std::cout in the tools) and flushes it. Empty
// string on success; otherwise "cannot write to standard output: ...".
std::string write_stdout(std::ostream& out, std::string_view content);

} // namespace zc
