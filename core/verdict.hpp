// Verdicts and the pure mapping from an errno to one.
#pragma once

#include <optional>
#include <string_view>

namespace zc {

enum class Status {
    supported,   // the behaviour works as described by the probe
    unsupported, // the kernel lacks it
    blocked,     // policy refused it: capability, seccomp, sysctl, LSM
    skipped,     // not run: not selected or a prerequisite is missing
    error,       // inconclusive: unexpected errno, crash, time-out
};

inline constexpr Status all_statuses[] = {Status::supported, Status::unsupported, Status::blocked,
                                          Status::skipped, Status::error};

std::string_view status_name(Status s) noexcept;
std::optional<Status> parse_status(std::string_view name) noexcept;

// What a failed call's errno says about the kernel. ENOSYS, EINVAL,
// EOPNOTSUPP, ENOPROTOOPT, EPROTONOSUPPORT, EAFNOSUPPORT, ESOCKTNOSUPPORT and
// EPFNOSUPPORT mean the kernel (or its build) lacks the feature; EPERM and
// EACCES mean policy refused it; anything else is inconclusive.
Status classify_errno(int err) noexcept;

} // namespace zc
