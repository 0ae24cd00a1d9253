#include "core/errno_name.hpp"
#include "core/verdict.hpp"

#include <doctest/doctest.h>

#include <cerrno>

using namespace zc;

TEST_CASE("errno values that mean the kernel lacks a feature are unsupported")
{
    for (const int e : {ENOSYS, EINVAL, EOPNOTSUPP, ENOPROTOOPT, EPROTONOSUPPORT, EAFNOSUPPORT, ESOCKTNOSUPPORT,
                        EPFNOSUPPORT}) {
        CAPTURE(e);
        CHECK(classify_errno(e) == Status::unsupported);
    }
}

TEST_CASE("policy refusals are blocked - everything else is an error")
{
    CHECK(classify_errno(EPERM) == Status::blocked);
    CHECK(classify_errno(EACCES) == Status::blocked);
    for (const int e : {EAGAIN, EIO, EFAULT, ENOMEM, EBADF, EBUSY, ENOBUFS, EMSGSIZE, ECONNREFUSED}) {
        CAPTURE(e);
        CHECK(classify_errno(e) == Status::error);
    }
    CHECK(classify_errno(0) == Status::supported);
}

TEST_CASE("status names round-trip and unknown names are rejected")
{
    for (const Status s : all_statuses) {
        CHECK(parse_status(status_name(s)) == s);
    }
    CHECK_FALSE(parse_status("Supported").has_value());
    CHECK_FALSE(parse_status("").has_value());
}

TEST_CASE("errno names come from libc and unknown numbers are said plainly")
{
    CHECK(errno_name(EINVAL) == "EINVAL");
    CHECK(errno_name(EOPNOTSUPP) == "EOPNOTSUPP");
    CHECK_FALSE(errno_name(0).has_value());
    CHECK_FALSE(errno_name(99999).has_value());
    CHECK(errno_text(EPERM) == "EPERM (Operation not permitted)");
    CHECK(errno_text(99999) == "errno 99999");
}
