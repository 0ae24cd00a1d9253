#include "core/errno_name.hpp"

#include <cstring>

namespace zc {

std::optional<std::string> errno_name(int err)
{
    if (err <= 0) {
        return std::nullopt;
    }
    const char* name = ::strerrorname_np(err);
    if (name == nullptr) {
        return std::nullopt;
    }
    return std::string(name);
}

std::string errno_text(int err)
{
    const auto name = errno_name(err);
    if (!name) {
        return "errno " + std::to_string(err);
    }
    return *name + " (" + ::strerrordesc_np(err) + ")";
}

} // namespace zc
