// Replacing a regular output file so that readers see either the old file or
// the whole new one, never a partial one: temp file in the same directory,
// fsync, rename. core/output.hpp decides when this is the right way to write.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>

namespace zc {

// What the new file takes over from the one it replaces.
struct FileOwnership {
    mode_t mode = 0; // permission bits only
    uid_t uid = 0;
    gid_t gid = 0;
};

// Writes content to path, a regular file or no file yet. A replaced file's
// mode (and owner, where we may chown) carries over; a new file gets
// 0666 & ~umask, as open(2) would give it. Empty string on success;
// otherwise a one-line error naming the file, and no temp file is left.
std::string write_file_atomically(const std::string& path, std::string_view content,
                                  const std::optional<FileOwnership>& replaced);

} // namespace zc
