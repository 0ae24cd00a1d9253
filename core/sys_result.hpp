// The one result type for system calls (after Envoy's SysCallResult): the
// return value and a positive errno captured right at the call site. Nothing
// in the kit uses the -errno convention except where a library (liburing)
// hands it to us, and that is converted at once with from_neg_errno().
#pragma once

#include <cerrno>

namespace zc {

struct SysResult {
    long value = -1;
    int err = 0; // positive errno, 0 on success

    [[nodiscard]] bool ok() const noexcept { return err == 0; }
};

// Wraps a libc return value; must be called before anything can clobber errno.
inline SysResult sys_result(long rc) noexcept
{
    return SysResult{rc, rc != -1 ? 0 : errno};
}

// For libraries that return -errno (liburing).
inline SysResult from_neg_errno(long rc) noexcept
{
    return rc < 0 ? SysResult{-1, static_cast<int>(-rc)} : SysResult{rc, 0};
}

} // namespace zc
