#include "core/proc_files.hpp"
#include "probe/runner.hpp"

#include <doctest/doctest.h>

using namespace zc;
using namespace zc::probe;

TEST_CASE("results survive the trip from the probe's child to the runner")
{
    Result r = unsupported("splice into raw6 socket failed: EINVAL", {{"zero_copy", nullptr}, {"sizes", {1, 2}}});
    r.err = 22;
    r.duration_us = 1234;
    const auto back = result_from_wire(nlohmann::json::parse(result_to_wire(r).dump()));
    REQUIRE(back);
    CHECK(back->status == Status::unsupported);
    CHECK(back->err == 22);
    CHECK(back->reason == r.reason);
    CHECK(back->evidence == r.evidence);
    CHECK(back->duration_us == 1234);
    CHECK_FALSE(back->refusal);

    Result refused = from_errno(Context{}, "socket(AF_INET, SOCK_RAW, 253)", EPERM);
    const auto again = result_from_wire(nlohmann::json::parse(result_to_wire(refused).dump()));
    REQUIRE(again);
    REQUIRE(again->refusal);
    CHECK(again->refusal->layer == Layer::capability);
    CHECK(again->refusal->detail == "CAP_NET_RAW");
    CHECK(again->refusal->cause_checked);
}

TEST_CASE("a damaged wire message is rejected - not half-read")
{
    CHECK_FALSE(result_from_wire(nlohmann::json::object()));
    CHECK_FALSE(result_from_wire({{"status", "maybe"}, {"err", 0}, {"reason", "x"}, {"evidence", nlohmann::json::object()},
                                  {"duration_us", 1}}));
    CHECK_FALSE(result_from_wire({{"status", "supported"}, {"err", "zero"}, {"reason", "x"},
                                  {"evidence", nlohmann::json::object()}, {"duration_us", 1}}));
    CHECK_FALSE(result_from_wire({{"status", "supported"}, {"err", 0}, {"reason", "x"}, {"evidence", 3},
                                  {"duration_us", 1}}));
}

TEST_CASE("from_errno names the call - the errno and what it means")
{
    Context ctx;
    ctx.capabilities = 0;
    ctx.required_capabilities = {cap_net_raw};
    const auto blocked = from_errno(ctx, "socket(AF_PACKET, SOCK_RAW)", EPERM);
    CHECK(blocked.status == Status::blocked);
    CHECK(blocked.err == EPERM);
    CHECK(blocked.reason == "socket(AF_PACKET, SOCK_RAW) failed: EPERM (Operation not permitted); missing CAP_NET_RAW "
                            "(fix: grant CAP_NET_RAW to the process (file capability, ambient set, or run as root))");
    REQUIRE(blocked.refusal);
    CHECK(blocked.refusal->layer == Layer::capability);
    CHECK(blocked.refusal->cause_checked);

    // No bad-argument retry exists for openat, so seccomp stays a guess.
    ctx.capabilities = ~0ULL;
    ctx.seccomp = 2;
    const auto guessed = from_errno(ctx, "open /dev/null", EPERM);
    CHECK(guessed.reason.find("probably the seccomp filter in force refuses openat") != std::string::npos);
    REQUIRE(guessed.refusal);
    CHECK(guessed.refusal->layer == Layer::seccomp);
    CHECK_FALSE(guessed.refusal->cause_checked);

    const auto gap = from_errno(ctx, "splice into raw4 socket", EINVAL, "kernel lacks splice for this socket type");
    CHECK(gap.status == Status::unsupported);
    CHECK(gap.reason ==
          "splice into raw4 socket failed: EINVAL (Invalid argument); kernel lacks splice for this socket type");

    const auto odd = from_errno(ctx, "recv", EIO);
    CHECK(odd.status == Status::error);
    CHECK(odd.reason.find("inconclusive") != std::string::npos);
}
