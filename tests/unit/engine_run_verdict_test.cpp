#include "engine/run_verdict.hpp"

#include <doctest/doctest.h>

#include <cerrno>

using namespace zc::engine;
using zc::traffic::Kind;

TEST_CASE("a plan's own skip reason comes first - then the packet size")
{
    const auto skip = refuse_plan(Mode::page, Kind::udp4, "page does not allow udp4", 1400, 4096);
    REQUIRE(skip.has_value());
    CHECK(skip->status == RunStatus::skipped);
    CHECK(skip->reason == "page does not allow udp4");
    const auto small = refuse_plan(Mode::sendto, Kind::raw4_hdrincl, "", 1, 4096);
    REQUIRE(small.has_value());
    CHECK(small->status == RunStatus::skipped);
    CHECK(small->reason.find("below the engine's") != std::string::npos);
    const auto big = refuse_plan(Mode::page, Kind::raw4_hdrincl, "", 4096, 4096);
    REQUIRE(big.has_value());
    CHECK(big->reason.find("one packet per page") != std::string::npos);
    CHECK_FALSE(refuse_plan(Mode::page, Kind::raw4_hdrincl, "", 1400, 4096).has_value());
}

TEST_CASE("a gating probe that did not find the feature makes the mode unavailable")
{
    zc::probe::Result ok;
    ok.status = zc::Status::supported;
    CHECK_FALSE(refuse_by_probe("zerocopy.udp4", ok).has_value());
    for (zc::Status st : {zc::Status::unsupported, zc::Status::blocked, zc::Status::error, zc::Status::skipped}) {
        zc::probe::Result r;
        r.status = st;
        r.reason = "why";
        const auto ref = refuse_by_probe("zerocopy.udp4", r);
        REQUIRE(ref.has_value());
        CHECK(ref->status == RunStatus::unavailable);
        CHECK(ref->probe == "zerocopy.udp4");
        CHECK(ref->reason == "probe zerocopy.udp4 is " + std::string(zc::status_name(st)) + ": why");
    }
}

TEST_CASE("a channel blocked by privilege is unavailable - any other failure failed")
{
    const auto blocked = refuse_channel("socket(AF_PACKET, SOCK_RAW)", EPERM);
    CHECK(blocked.status == RunStatus::unavailable);
    CHECK(blocked.reason.rfind("socket(AF_PACKET, SOCK_RAW) failed: EPERM", 0) == 0);
    CHECK(blocked.reason.find("needs CAP_NET_RAW") != std::string::npos);
    const auto other = refuse_channel("bind", EADDRINUSE);
    CHECK(other.status == RunStatus::failed);
    CHECK(other.reason.find("CAP_NET_RAW") == std::string::npos);
}

namespace {

Measurement run(uint64_t sent, uint64_t verified, uint64_t lost = 0, uint64_t dup = 0, uint64_t bad = 0)
{
    Measurement m;
    m.counts.sent = sent;
    m.counts.received = verified + dup + bad;
    m.counts.verified = verified;
    m.counts.lost = lost;
    m.counts.duplicated = dup;
    m.counts.corrupted = bad;
    return m;
}

} // namespace

TEST_CASE("clean runs are ok - the reason says what was checked")
{
    const std::vector<Measurement> runs{run(100, 100), run(100, 100)};
    const Verdict v = judge_runs(runs, false, true);
    CHECK(v.status == RunStatus::ok);
    CHECK(v.reason == "every packet arrived and every byte verified");
    CHECK(judge_runs(runs, false, false).reason == "every packet arrived and sequence checked");
}

TEST_CASE("one unclean or timed-out run makes the mode unclean - described by the last run")
{
    const Verdict lost = judge_runs({run(100, 99, 1), run(100, 98, 2)}, false, true);
    CHECK(lost.status == RunStatus::unclean);
    CHECK(lost.reason == "2 lost, 0 corrupted, 0 duplicated of 100 sent in the last run");
    // An earlier unclean run is enough, even when the last one was clean.
    CHECK(judge_runs({run(100, 99, 1), run(100, 100)}, false, true).status == RunStatus::unclean);
    Measurement slow = run(50, 50);
    slow.timed_out = true;
    const Verdict timed = judge_runs({slow}, false, true);
    CHECK(timed.status == RunStatus::unclean);
    CHECK(timed.reason == "0 lost, 0 corrupted, 0 duplicated of 50 sent in the last run; the time limit stopped it");
}

TEST_CASE("with --reuse eager - damaged bytes are explained as pages rewritten too early")
{
    const std::string hint = "pages were rewritten while the kernel still referenced them";
    CHECK(judge_runs({run(100, 90, 0, 10)}, true, true).reason.find(hint) != std::string::npos);
    CHECK(judge_runs({run(100, 95, 0, 0, 5)}, true, true).reason.find(hint) != std::string::npos);
    CHECK(judge_runs({run(100, 90, 0, 10)}, false, true).reason.find(hint) == std::string::npos);
    CHECK(judge_runs({run(100, 99, 1)}, true, true).reason.find(hint) == std::string::npos); // loss alone is not
}
