#include "core/verdict.hpp"

#include <cerrno>

namespace zc {

std::string_view status_name(Status s) noexcept
{
    switch (s) {
    case Status::supported: return "supported";
    case Status::unsupported: return "unsupported";
    case Status::blocked: return "blocked";
    case Status::skipped: return "skipped";
    case Status::error: return "error";
    }
    return "error";
}

std::optional<Status> parse_status(std::string_view name) noexcept
{
    for (const Status s : all_statuses) {
        if (status_name(s) == name) {
            return s;
        }
    }
    return std::nullopt;
}

Status classify_errno(int err) noexcept
{
    switch (err) {
    case 0: return Status::supported;
    case ENOSYS:
    case EINVAL:
    case EOPNOTSUPP:
    case ENOPROTOOPT:
    case EPROTONOSUPPORT:
    case EAFNOSUPPORT:
    case ESOCKTNOSUPPORT:
    case EPFNOSUPPORT:
        return Status::unsupported;
    case EPERM:
    case EACCES:
        return Status::blocked;
    default:
        return Status::error;
    }
}

} // namespace zc
