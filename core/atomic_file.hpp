// Writing an output file so that readers see either the old file or the whole
// new one, never a partial one: temp file in the same directory, fsync,
// rename.
#pragma once

#include <string>
#include <string_view>

namespace zc {

// Empty string on success; otherwise a one-line error naming the path.
std::string write_file_atomically(const std::string& path, std::string_view content);

// Empty string if path's directory exists and is writable by us; otherwise a
// one-line error. Lets the CLI refuse a bad -o before running anything.
std::string check_writable_destination(const std::string& path);

} // namespace zc
