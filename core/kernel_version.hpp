// Parsing of kernel release strings such as "6.1.0-28-cloud-amd64". Used only
// to label reports and group them into kernel lines; verdicts never come from
// a version (distros backport, so version strings lie).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace zc {

struct KernelVersion {
    int major = 0;
    int minor = 0;
    int patch = 0;
    std::string suffix; // everything after the numbers, e.g. "-28-cloud-amd64"

    [[nodiscard]] std::string line() const; // "6.1"
    friend auto operator<=>(const KernelVersion& a, const KernelVersion& b)
    {
        if (auto c = a.major <=> b.major; c != 0) return c;
        if (auto c = a.minor <=> b.minor; c != 0) return c;
        return a.patch <=> b.patch;
    }
    friend bool operator==(const KernelVersion& a, const KernelVersion& b)
    {
        return a.major == b.major && a.minor == b.minor && a.patch == b.patch;
    }
};

// std::nullopt unless the string starts with "MAJOR.MINOR".
std::optional<KernelVersion> parse_kernel_release(std::string_view release);

} // namespace zc
