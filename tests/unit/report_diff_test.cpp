#include "report_fixtures.hpp"

#include "reports/diff.hpp"

using namespace zc;
using nlohmann::json;

namespace {

size_t count(const report::Diff& d, report::ChangeKind k)
{
    size_t n = 0;
    for (const auto& c : d.changes) n += c.kind == k ? 1 : 0;
    return n;
}

} // namespace

TEST_CASE("a report against itself has no changes")
{
    const json a = test::fixture("vm-6.18.json");
    const auto d = report::diff_reports(a, a);
    CHECK(d.changes.empty());
    CHECK_FALSE(d.has_regression());
}

TEST_CASE("regressions - improvements - zero-copy and straddle changes")
{
    const auto d = report::diff_reports(test::fixture("vm-6.18.json"), test::fixture("vm-6.19-regressed.json"));
    CHECK(d.has_regression());
    CHECK(count(d, report::ChangeKind::regression) == 2);
    CHECK(count(d, report::ChangeKind::improvement) == 1);
    // splice.udp4 zero-copy -> copy; splice.raw4_hdrincl lost its zero-copy
    // answer with its support, which the regression already says.
    CHECK(count(d, report::ChangeKind::zero_copy) == 1);
    CHECK(count(d, report::ChangeKind::straddle) == 1);
    CHECK(d.changes.front().kind == report::ChangeKind::regression);
    // Reversed, the losses are improvements and nothing regressed but the
    // one probe the later report gained.
    const auto back = report::diff_reports(test::fixture("vm-6.19-regressed.json"), test::fixture("vm-6.18.json"));
    CHECK(count(back, report::ChangeKind::regression) == 1);
    CHECK(count(back, report::ChangeKind::improvement) == 2);
}

TEST_CASE("a supported probe missing from the second report is a regression - a new one is not")
{
    json a = test::fixture("vm-6.18.json");
    json b = a;
    b["probes"].erase(0); // pipe.vmsplice, supported
    CHECK(report::diff_reports(a, b).has_regression());
    CHECK_FALSE(report::diff_reports(b, a).has_regression());
}

TEST_CASE("engine changes count only beyond the measured spread")
{
    json a = test::fixture("vm-6.18.json");
    json b = a;
    a["engine"] = json::array({json{{"mode", "splice"}, {"kind", "udp4"}, {"size", 64}, {"pps", 1000}, {"spread", 0.05}}});
    b["engine"] = json::array({json{{"mode", "splice"}, {"kind", "udp4"}, {"size", 64}, {"pps", 1080}, {"spread", 0.05}}});
    CHECK(report::diff_reports(a, b).changes.empty()); // 80 pps < 50 + 54
    b["engine"][0]["pps"] = 1200;
    const auto d = report::diff_reports(a, b);
    REQUIRE(d.changes.size() == 1);
    CHECK(d.changes[0].kind == report::ChangeKind::engine);
    CHECK(d.changes[0].id == "splice/udp4/64");
    CHECK_FALSE(d.has_regression());
    const auto slower = report::diff_reports(test::fixture("engine/vm-6.18-engine.json"),
                                             test::fixture("engine/vm-6.18-engine-slower.json"));
    CHECK(count(slower, report::ChangeKind::engine) == 5);
}
