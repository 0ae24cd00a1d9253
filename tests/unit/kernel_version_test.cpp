#include "core/kernel_version.hpp"

#include <doctest/doctest.h>

using namespace zc;

TEST_CASE("kernel releases from distros parse into numbers and a suffix")
{
    const auto deb = parse_kernel_release("6.1.0-28-cloud-amd64");
    REQUIRE(deb);
    CHECK(deb->major == 6);
    CHECK(deb->minor == 1);
    CHECK(deb->patch == 0);
    CHECK(deb->suffix == "-28-cloud-amd64");
    CHECK(deb->line() == "6.1");

    const auto here = parse_kernel_release("6.18.44-fc-v782");
    REQUIRE(here);
    CHECK(*here == KernelVersion{6, 18, 44, ""});

    const auto rhel = parse_kernel_release("4.18.0-513.5.1.el8_9.x86_64");
    REQUIRE(rhel);
    CHECK(rhel->line() == "4.18");

    const auto two = parse_kernel_release("6.12");
    REQUIRE(two);
    CHECK(two->patch == 0);
    CHECK(two->suffix.empty());

    const auto rc = parse_kernel_release("6.13-rc3");
    REQUIRE(rc);
    CHECK(rc->minor == 13);
    CHECK(rc->suffix == "-rc3");
}

TEST_CASE("garbage is not a kernel release")
{
    CHECK_FALSE(parse_kernel_release(""));
    CHECK_FALSE(parse_kernel_release("linux"));
    CHECK_FALSE(parse_kernel_release("6"));
    CHECK_FALSE(parse_kernel_release("6."));
    CHECK_FALSE(parse_kernel_release(".6.1"));
    CHECK_FALSE(parse_kernel_release("-6.1"));
}

TEST_CASE("versions order numerically")
{
    CHECK(*parse_kernel_release("6.1.0") < *parse_kernel_release("6.12.0"));
    CHECK(*parse_kernel_release("5.19.17") < *parse_kernel_release("6.0.0"));
    CHECK(*parse_kernel_release("4.14.9") < *parse_kernel_release("4.14.10"));
}
