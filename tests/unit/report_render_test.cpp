// Golden files for every renderer, plus the properties a golden file alone
// would not pin down (escaping, required probes, engine sections).
#include "report_fixtures.hpp"

#include "reports/diff.hpp"
#include "reports/matrix.hpp"
#include "reports/render.hpp"
#include "reports/render_text.hpp"

using namespace zc;
using nlohmann::json;

TEST_CASE("golden: single report in every format")
{
    const json doc = test::fixture("vm-6.18.json");
    report::RenderOptions plain;
    test::check_golden("vm-6.18.txt", report::render_report(doc, report::Format::text, plain));
    test::check_golden("vm-6.18.md", report::render_report(doc, report::Format::markdown, plain));
    test::check_golden("vm-6.18.prom", report::render_report(doc, report::Format::prometheus, plain));
    test::check_golden("vm-6.18.html", report::render_report(doc, report::Format::html, plain));
    report::RenderOptions gate;
    gate.require = {"splice.*", "zerocopy.raw4"};
    test::check_golden("vm-6.18-require.junit.xml", report::render_report(doc, report::Format::junit, gate));
    test::check_golden("vm-6.18.json", report::render_report(doc, report::Format::json, plain));

    const json old = test::fixture("ci-runner-6.1.json");
    report::RenderOptions strict;
    strict.strict = true;
    test::check_golden("ci-runner-6.1-strict.junit.xml", report::render_report(old, report::Format::junit, strict));
    test::check_golden("ci-runner-6.1.md", report::render_report(old, report::Format::markdown, plain));
}

TEST_CASE("golden: engine results in every format that shows them")
{
    const json doc = test::fixture("engine/vm-6.18-engine.json");
    report::RenderOptions plain;
    test::check_golden("engine.txt", report::render_report(doc, report::Format::text, plain));
    test::check_golden("engine.md", report::render_report(doc, report::Format::markdown, plain));
    test::check_golden("engine.prom", report::render_report(doc, report::Format::prometheus, plain));
    test::check_golden("engine.junit.xml", report::render_report(doc, report::Format::junit, plain));
    test::check_golden("engine.html", report::render_report(doc, report::Format::html, plain));
}

TEST_CASE("golden: matrix and diff")
{
    std::vector<json> docs = {test::fixture("ci-runner-6.1.json"), test::fixture("vm-6.18.json"),
                              test::fixture("vm-6.18-nobody.json"), test::fixture("vm-6.19-regressed.json")};
    const auto m = report::build_matrix(docs);
    test::check_golden("matrix.txt", report::render_matrix_text(m, false));
    test::check_golden("matrix.md", report::render_matrix_markdown(m));
    test::check_golden("matrix.json", report::matrix_json(m).dump(2) + "\n");
    docs.push_back(test::fixture("engine/vm-6.18-engine.json"));
    docs.push_back(test::fixture("engine/vm-6.18-engine-slower.json"));
    test::check_golden("matrix-engine.html", report::render_matrix_html(report::build_matrix(docs)));

    const auto d = report::diff_reports(test::fixture("vm-6.18.json"), test::fixture("vm-6.19-regressed.json"));
    test::check_golden("diff.txt", report::render_diff_text(d, "a", "b"));
    test::check_golden("diff.md", report::render_diff_markdown(d, "a", "b"));
    test::check_golden("diff.json", report::diff_json(d, "a", "b").dump(2) + "\n");
}

TEST_CASE("junit: not supported fails only when required")
{
    const json doc = test::fixture("vm-6.18.json");
    const std::string none = report::render_junit(doc, {}, false);
    CHECK(none.find("<failure") == std::string::npos);
    CHECK(none.find("failures=\"0\"") != std::string::npos);
    const std::string one = report::render_junit(doc, {"zerocopy.raw4"}, false);
    CHECK(one.find("failures=\"1\"") != std::string::npos);
    const std::string all = report::render_junit(doc, {}, true);
    CHECK(all.find("failures=\"8\"") != std::string::npos); // 7 unsupported + 1 blocked in the fixture
}

TEST_CASE("junit: an engine run fails on lost, corrupted or duplicated packets and on failure")
{
    json doc = test::fixture("engine/vm-6.18-engine.json");
    const std::string clean = report::render_junit(doc, {}, false);
    CHECK(clean.find("<testsuite name=\"zcengine 6.18.44-fc-v782\" tests=\"16\" failures=\"0\" errors=\"0\" "
                     "skipped=\"1\"") != std::string::npos);
    CHECK(clean.find("<failure") == std::string::npos);
    for (const char* field : {"lost", "corrupted", "duplicated"}) {
        json bad = doc;
        bad["engine"][2][field] = 3;
        bad["engine"][2]["status"] = "unclean";
        const std::string xml = report::render_junit(bad, {}, false);
        CHECK(xml.find("<testsuites name=\"zcprobe\" tests=\"81\" failures=\"1\"") != std::string::npos);
        CHECK(xml.find("type=\"unclean\"") != std::string::npos);
        CHECK(xml.find(std::string("3 ") + field) != std::string::npos);
        // The counts are the verdict even where the status claims "ok".
        bad["engine"][2]["status"] = "ok";
        CHECK(report::render_junit(bad, {}, false).find("failures=\"1\"") != std::string::npos);
    }
    json failed = doc;
    failed["engine"][0] = {{"mode", "udp-splice"}, {"kind", "udp4"},   {"size", 64},     {"status", "failed"},
                           {"reason", "recvmmsg failed"}, {"probe", nullptr}, {"layout", nullptr},
                           {"layout_reason", nullptr}, {"reuse", nullptr}, {"verify", true}, {"measured", false}};
    const std::string xml = report::render_junit(failed, {}, false);
    CHECK(xml.find("<failure message=\"run failed\" type=\"failed\">recvmmsg failed</failure>") != std::string::npos);
}

TEST_CASE("prometheus: an engine report exports zcengine_* only, with its packet counts")
{
    const std::string prom = report::render_prometheus(test::fixture("engine/vm-6.18-engine.json"));
    CHECK(prom.find("zcprobe_") == std::string::npos);
    CHECK(prom.find("zcengine_packets_lost{mode=\"udp-splice\",kind=\"udp4\",size=\"64\"} 0\n") != std::string::npos);
    CHECK(prom.find("zcengine_run_status{mode=\"msg-zerocopy\",kind=\"udp4\",size=\"64\",status=\"unavailable\"} 1\n") !=
          std::string::npos);
    // An unmeasured run has a status but no counts.
    CHECK(prom.find("zcengine_packets_sent{mode=\"msg-zerocopy\"") == std::string::npos);
    const std::string probe = report::render_prometheus(test::fixture("vm-6.18.json"));
    CHECK(probe.find("zcengine_") == std::string::npos);
}

TEST_CASE("escaping: hostile text stays text in every format")
{
    json doc = test::fixture("vm-6.18.json");
    doc["probes"][0]["reason"] = "a <b>&\"quote\" | pipe `tick` \x01 ctl\nnewline \\ back";
    doc["environment"]["hostname"] = "h\"<x>";
    const std::string xml = report::render_junit(doc, {}, true);
    CHECK(xml.find("<b>") == std::string::npos);
    CHECK(xml.find("&lt;b&gt;&amp;&quot;quote&quot;") != std::string::npos);
    CHECK(xml.find('\x01') == std::string::npos);
    const std::string html = report::render_html(doc);
    CHECK(html.find("<b>&") == std::string::npos);
    CHECK(html.find("h&quot;&lt;x&gt;") != std::string::npos);
    const std::string md = report::render_markdown(doc);
    CHECK(md.find("\\| pipe") != std::string::npos);
    CHECK(md.find("ctl\nnewline") == std::string::npos);
    doc["probes"][0]["id"] = "pipe.x";
    doc["kernel"]["release"] = "6.1\"\\\nx";
    const std::string prom = report::render_prometheus(doc);
    CHECK(prom.find("kernel_release=\"6.1\\\"\\\\\\nx\"") != std::string::npos);
}

TEST_CASE("engine section: absent; malformed entries skipped; spread read three ways")
{
    json doc = test::fixture("vm-6.18.json");
    CHECK(report::engine_results(doc).empty());
    doc["engine"] = json::array({json{{"mode", "splice"}, {"kind", "udp4"}, {"size", 64}, {"pps", 1000}, {"spread", 0.1}},
                                 json{{"mode", "splice"}, {"kind", "udp4"}, {"size", "big"}, {"pps", 1}},
                                 json{{"mode", "x"}},
                                 json("nonsense"),
                                 json{{"mode", "sendmsg"}, {"kind", "udp4"}, {"size", 64}, {"pps", 500},
                                      {"spread", {{"pps", 7}}}},
                                 json{{"mode", "sendmmsg"}, {"kind", "udp4"}, {"size", 64}, {"pps", 500},
                                      {"spread", {{"min", 490}, {"max", 510}}}}});
    const auto r = report::engine_results(doc);
    REQUIRE(r.size() == 3);
    CHECK(r[0].pps_spread == doctest::Approx(100));
    CHECK(r[0].gbit_per_s == doctest::Approx(1000.0 * 64 * 8 / 1e9));
    CHECK(r[1].pps_spread == doctest::Approx(7));
    CHECK(r[2].pps_spread == doctest::Approx(20));
    doc["engine"] = "not an array";
    CHECK(report::engine_results(doc).empty());
    CHECK_NOTHROW(report::render_html(doc));
    CHECK_NOTHROW(report::render_prometheus(doc));
}

TEST_CASE("formats: names parse; unknown ones do not")
{
    for (const char* name : {"text", "json", "markdown", "junit", "prometheus", "html"}) {
        CHECK(report::parse_format(name).has_value());
    }
    CHECK_FALSE(report::parse_format("yaml").has_value());
    CHECK_FALSE(report::parse_format("").has_value());
}
