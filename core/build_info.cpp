#include "core/build_info.hpp"

namespace zc {

std::string version_line(std::string_view tool, std::string_view version, std::string_view commit)
{
    constexpr std::string_view dirty = "-dirty";
    std::string git;
    if (commit.empty()) {
        git = "unknown";
    } else if (commit.size() > dirty.size() && commit.substr(commit.size() - dirty.size()) == dirty) {
        git = std::string(commit.substr(0, commit.size() - dirty.size())) + ", dirty";
    } else {
        git = commit;
    }
    return std::string(tool) + " " + std::string(version) + " (git " + git + ")";
}

std::string version_line(std::string_view tool)
{
    return version_line(tool, ZC_VERSION, build_commit());
}

} // namespace zc
