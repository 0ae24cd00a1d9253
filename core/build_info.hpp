// Which source the tools were built from, for --version and the reports: the
// project version (CMake's project()) and the git commit, which
// cmake/git_commit.cmake writes at build time so a commit made after
// configuring shows.
#pragma once

#include <string>
#include <string_view>

namespace zc {

// "5b235ef", "5b235ef-dirty" (tracked files differed from that commit), or ""
// when unknown (built from a source tarball, or without git).
const char* build_commit() noexcept;

// The --version line, without a newline: "zcprobe 0.1.0 (git 5b235ef)",
// "zcprobe 0.1.0 (git 5b235ef, dirty)" or "zcprobe 0.1.0 (git unknown)".
std::string version_line(std::string_view tool, std::string_view version, std::string_view commit);

// This build's version line.
std::string version_line(std::string_view tool);

} // namespace zc
