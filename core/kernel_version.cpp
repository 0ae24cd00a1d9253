#include "core/kernel_version.hpp"

#include <charconv>

namespace zc {

namespace {

// Reads a decimal number at the front of s and advances s past it.
std::optional<int> take_number(std::string_view& s)
{
    int value = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc{} || value < 0) {
        return std::nullopt;
    }
    s.remove_prefix(static_cast<size_t>(end - s.data()));
    return value;
}

} // namespace

std::string KernelVersion::line() const
{
    return std::to_string(major) + "." + std::to_string(minor);
}

std::optional<KernelVersion> parse_kernel_release(std::string_view release)
{
    KernelVersion v;
    const auto major = take_number(release);
    if (!major || release.empty() || release.front() != '.') {
        return std::nullopt;
    }
    release.remove_prefix(1);
    const auto minor = take_number(release);
    if (!minor) {
        return std::nullopt;
    }
    v.major = *major;
    v.minor = *minor;
    if (!release.empty() && release.front() == '.') {
        std::string_view rest = release.substr(1);
        if (const auto patch = take_number(rest)) {
            v.patch = *patch;
            release = rest;
        }
    }
    v.suffix = std::string(release);
    return v;
}

} // namespace zc
