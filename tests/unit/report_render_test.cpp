// Golden files for every renderer, plus the properties a golden file alone
// would not pin down (escaping, required probes, engine sections).
#include "report_fixtures.hpp"

#include "reports/diff.hpp"
#include "reports/matrix.hpp"
#include "reports/render.hpp"
#include "reports/render_text.hpp"
#include "reports/report_view.hpp"
#include "reports/verdict_view.hpp"

#include <algorithm>

using namespace zc;
using nlohmann::json;

TEST_CASE("golden: a Podman-default report shows what the sandbox refuses - grouped by fix")
{
    // Taken by ci/sandbox-matrix (podman-default, 6.18): the kernel supports
    // raw, packet and AF_XDP sockets; the sandbox refuses them.
    const json doc = test::fixture("podman-default-6.18.json");
    report::RenderOptions plain;
    const std::string text = report::render_report(doc, report::Format::text, plain);
    const std::string md = report::render_report(doc, report::Format::markdown, plain);
    const std::string html = report::render_report(doc, report::Format::html, plain);
    test::check_golden("podman-default-6.18.txt", text);
    test::check_golden("podman-default-6.18.md", md);
    for (const std::string* out : {&text, &md, &html}) {
        CHECK(out->find("Refused in this sandbox") != std::string::npos);
        CHECK(out->find("allow vmsplice in the seccomp profile: 26 probes") != std::string::npos);
    }
    CHECK(text.find("--cap-add NET_RAW: 15 probes") != std::string::npos);
    CHECK(html.find("--cap-add NET_RAW: 15 probes") != std::string::npos);
    CHECK(md.find("--cap-add NET\\_RAW: 15 probes") != std::string::npos); // Markdown escapes the underscore
    // The same lines as the JSON list, from one place (verdict_view).
    const auto lines = report::sandbox_refusals(doc);
    REQUIRE(lines.size() == doc.at("sandbox_refusals").size());
    CHECK(lines.front().text() == "allow vmsplice in the seccomp profile: 26 probes");

    // A required probe the kernel supports but the sandbox refuses needs
    // attention in every format, JUnit included.
    report::RenderOptions gate;
    gate.require = {"packet.tx_ring_v3"};
    const auto attention = report::attention_list(doc, gate.require);
    REQUIRE(attention.size() == 1);
    CHECK(attention.front().tag == "required");
    CHECK(attention.front().text.find("refused in this sandbox (capability CAP_NET_RAW); fix: --cap-add NET_RAW") !=
          std::string::npos);
    CHECK(report::render_report(doc, report::Format::junit, gate).find("refused in this sandbox") != std::string::npos);

    // An older report without the list renders without the section.
    CHECK(report::render_report(test::fixture("vm-6.18.json"), report::Format::text, plain).find(
              "Refused in this sandbox") == std::string::npos);
}

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

TEST_CASE("junit: not supported fails only when required - strict fails only what needs attention")
{
    const json doc = test::fixture("vm-6.18.json");
    const std::string none = report::render_junit(doc, {}, false);
    CHECK(none.find("<failure") == std::string::npos);
    CHECK(none.find("failures=\"0\"") != std::string::npos);
    const std::string one = report::render_junit(doc, {"zerocopy.raw4"}, false);
    CHECK(one.find("failures=\"1\"") != std::string::npos);
    // Unsupported by design (SO_ZEROCOPY on raw sockets) and blocked are
    // no failures, even with --strict: nothing in the fixture needs attention.
    const std::string all = report::render_junit(doc, {}, true);
    CHECK(all.find("failures=\"0\"") != std::string::npos);
    CHECK(all.find("<property name=\"strict\" value=\"true\"/>") != std::string::npos);
}

TEST_CASE("junit: an engine run fails on lost - corrupted or duplicated packets and on failure")
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
    CHECK(xml.find("<failure message=\"failed: recvmmsg failed\" type=\"failed\">recvmmsg failed</failure>") !=
          std::string::npos);
}

TEST_CASE("prometheus: an engine report exports only zcengine series - with its packet counts")
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
    const std::string html = report::render_html(doc, {});
    CHECK(html.find("<b>&\"") == std::string::npos);
    CHECK(html.find("&lt;b&gt;&amp;&quot;quote&quot;") != std::string::npos);
    CHECK(html.find("h&quot;&lt;x&gt;") != std::string::npos);
    const std::string md = report::render_markdown(doc);
    CHECK(md.find("\\| pipe") != std::string::npos);
    CHECK(md.find("ctl\nnewline") == std::string::npos);
    doc["probes"][0]["id"] = "pipe.x";
    doc["kernel"]["release"] = "6.1\"\\\nx";
    const std::string prom = report::render_prometheus(doc);
    CHECK(prom.find("kernel_release=\"6.1\\\"\\\\\\nx\"") != std::string::npos);
}

TEST_CASE("engine section: absent - malformed entries skipped - spread read three ways")
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
    CHECK_NOTHROW(report::render_html(doc, {}));
    CHECK_NOTHROW(report::render_prometheus(doc));
}

TEST_CASE("formats: names parse - unknown ones do not")
{
    for (const char* name : {"text", "json", "markdown", "junit", "prometheus", "html"}) {
        CHECK(report::parse_format(name).has_value());
    }
    CHECK_FALSE(report::parse_format("yaml").has_value());
    CHECK_FALSE(report::parse_format("").has_value());
}

namespace {

// The fixture with Dirty Pipe turned affected (as the probe reports it:
// unsupported, evidence.vulnerable true) and two CVE probes written the way
// the newer probes write them.
json with_cves()
{
    json doc = test::fixture("vm-6.18.json");
    for (auto& p : doc["probes"]) {
        if (p["id"] == "security.cve_2022_0847") {
            p["status"] = "unsupported";
            p["evidence"]["vulnerable"] = true;
            p["reason"] = "changed 1 bytes; kernel is affected by CVE-2022-0847 (dirty pipe)";
        }
    }
    json copy_fail = doc["probes"].back();
    copy_fail["id"] = "security.cve_2026_31431";
    copy_fail["status"] = "supported";
    copy_fail["title"] = "protected against CVE-2026-31431 (copy fail)";
    copy_fail["evidence"] = {{"vulnerable", false}, {"cve", "CVE-2026-31431"}, {"common_name", "Copy Fail"},
                             {"fix_commit", "a664bf3d603d"}, {"path_available", true}};
    copy_fail["introduced"] = {{"version", nullptr}, {"commit", "a664bf3d603d"}, {"summary", nullptr}};
    doc["probes"].push_back(copy_fail);
    json frag = copy_fail;
    frag["id"] = "security.cve_2026_43284";
    frag["status"] = "error";
    frag["evidence"] = {{"vulnerable", nullptr}, {"cve", "CVE-2026-43284"}, {"common_name", "Dirty Frag"},
                        {"fix_commit", "f4c50a4034e6"}};
    doc["probes"].push_back(frag);
    return doc;
}

} // namespace

TEST_CASE("security verdicts: names from the report - affected only with vulnerable evidence")
{
    const json doc = with_cves();
    const json& probes = doc["probes"];
    const auto find = [&](const char* id) {
        for (const auto& p : probes) {
            if (p["id"] == id) return report::security_verdict(p);
        }
        return std::optional<report::SecurityVerdict>{};
    };
    const auto pipe = find("security.cve_2022_0847");
    REQUIRE(pipe);
    CHECK(pipe->cve == "CVE-2022-0847");         // from the id: the evidence has none
    CHECK(pipe->common_name == "Dirty Pipe");    // from the title's parenthesis
    CHECK(pipe->fix_commit == "9d2231c5d74e");   // from introduced.commit
    CHECK(pipe->verdict() == "AFFECTED");
    const auto fail = find("security.cve_2026_31431");
    REQUIRE(fail);
    // Supported without evidence.reached true: no proof the page got to the
    // vulnerable operation, so not a pass.
    CHECK(fail->verdict() == "not determined (no proof of reach)");
    {
        // The vulnerable code absent from the kernel (path_available false):
        // nothing can reach it, which is proof enough.
        json absent = probes[probes.size() - 2];
        absent["evidence"]["path_available"] = false;
        absent["evidence"]["path_errno"] = "EAFNOSUPPORT";
        const auto v = report::security_verdict(absent);
        CHECK(v->verdict() == "not affected");
        CHECK(v->path_errno == "EAFNOSUPPORT");
    }
    CHECK(fail->label() == "CVE-2026-31431 Copy Fail, fix a664bf3d603d");
    const auto frag = find("security.cve_2026_43284");
    REQUIRE(frag);
    CHECK(frag->verdict() == "not determined (error)");
    // unsupported without vulnerable evidence is not a finding of "affected"
    json p = probes[0];
    p["id"] = "security.cve_2022_0847";
    p["status"] = "unsupported";
    p["evidence"] = json::object();
    CHECK(report::security_verdict(p)->verdict() == "not determined (unsupported)");
    p["status"] = "supported";
    p["evidence"] = {{"reached", true}, {"reach_proof", "the write went to the page-cache page"}};
    CHECK(report::security_verdict(p)->verdict() == "not affected");
    CHECK(report::security_verdict(p)->reach_proof == "the write went to the page-cache page");
    p["evidence"]["reached"] = false;
    CHECK(report::security_verdict(p)->verdict() == "not determined (not reached)");
    p["status"] = "skipped"; // "exposure not determined": ran, never reached
    CHECK(report::security_verdict(p)->verdict() == "not determined (not reached)");
    p["evidence"].erase("reached"); // skipped before it could run
    CHECK(report::security_verdict(p)->verdict() == "not determined (skipped)");
    p["status"] = "supported";
    p["id"] = "security.cve_2022_0847";
    p["id"] = "security.something_else";
    CHECK_FALSE(report::security_verdict(p));
    CHECK_FALSE(report::security_verdict(probes[0])); // pipe.vmsplice
    const auto n = report::count_cves(doc);
    CHECK(n.probes == 3);
    CHECK(n.affected == 1);
    CHECK(n.undetermined == 2); // Copy Fail without proof of reach, Dirty Frag's error

    const std::string text = report::render_report(doc, report::Format::text, {});
    const auto pipe_line = text.substr(text.find("security.cve_2022_0847 "), 200);
    CHECK(pipe_line.find(" AFFECTED ") != std::string::npos);
    CHECK(pipe_line.find("CVE-2022-0847 Dirty Pipe, fix 9d2231c5d74e: changed 1 bytes") != std::string::npos);
    CHECK(text.find("not determined (no proof of reach)") != std::string::npos);
    CHECK(text.find("; AFFECTED by 1 of 1 CVEs tested, 2 not determined") != std::string::npos);
    const std::string md = report::render_markdown(doc);
    CHECK(md.find("| CVE-2022-0847 | Dirty Pipe | **AFFECTED** | `9d2231c5d74e` |") != std::string::npos);
    CHECK(md.find("**AFFECTED** by 1 of 1 CVEs tested, 2 not determined") != std::string::npos);
    const std::string html = report::render_html(doc, {"io_uring.*"});
    const auto attention = html.substr(html.find("id=\"attention\""), html.find("</section>") - html.find("id=\"attention\""));
    CHECK(attention.find("<li class=\"danger\"><span class=\"tag\">&#10006; AFFECTED") != std::string::npos);
    CHECK(attention.find("security.cve_2022_0847") < attention.find("security.cve_2026_43284")); // affected first
    CHECK(attention.find("! error</span> <code>security.cve_2026_43284") != std::string::npos); // Dirty Frag's error
    CHECK(html.find("class=\"sev-danger\">&#10006; AFFECTED") != std::string::npos);
    // JUnit: the affected CVE and the error fail; Copy Fail is skipped, not passed.
    const std::string xml = report::render_junit(doc, {}, false);
    CHECK(xml.find("failures=\"2\"") != std::string::npos);
    CHECK(xml.find("<skipped message=\"not determined (no proof of reach): CVE-2026-31431") != std::string::npos);
    // Prometheus: one series per determined CVE; not determined is its own gauge.
    const std::string prom = report::render_prometheus(doc);
    CHECK(prom.find("zcprobe_cve_affected{cve=\"CVE-2022-0847\",id=\"security.cve_2022_0847\"} 1\n") != std::string::npos);
    CHECK(prom.find("zcprobe_cve_affected{cve=\"CVE-2026-31431\"") == std::string::npos);
    CHECK(prom.find("zcprobe_cve_determined{cve=\"CVE-2026-31431\",id=\"security.cve_2026_31431\"} 0\n") !=
          std::string::npos);
}

TEST_CASE("html attention: required probes - behaviour upstream history does not predict - or nothing")
{
    json doc = test::fixture("vm-6.18.json");
    const std::string plain = report::render_html(doc, {});
    CHECK(plain.find("&#9888; required") == std::string::npos);
    // Every probe of the 6.18 fixture does what its history predicts.
    CHECK(plain.find("id=\"differs\"") == std::string::npos);
    const std::string gated = report::render_html(doc, {"zerocopy.raw*"});
    CHECK(gated.find("<li class=\"danger\"><span class=\"tag\">&#9888; required</span> <code>zerocopy.raw4</code>") !=
          std::string::npos);
    for (auto& p : doc["probes"]) {
        if (p["id"] == "splice.udp6") p["evidence"]["zero_copy"] = false; // 6.5 predicts zero-copy
    }
    const std::string copied = report::render_html(doc, {});
    // A difference is shown beside the attention list, not in it.
    CHECK(copied.find("class=\"all-clear\"") != std::string::npos);
    CHECK(copied.find("<li class=\"warn\" title=") != std::string::npos);
    CHECK(copied.find("<code>splice.udp6</code> differs from upstream history: 6.18.44 predicted supported, "
                      "zero_copy=true (since 6.5, 6d8192bd69bb); observed supported, zero_copy=false") !=
          std::string::npos);
    // A report without histories (older zcprobe) flags nothing.
    for (auto& p : doc["probes"]) p.erase("history");
    for (auto& p : doc["probes"]) p["status"] = "supported";
    CHECK(report::render_html(doc, {}).find("class=\"all-clear\"") != std::string::npos);
}

namespace {

// A probe with a two-step history: zero-copy predicted from 6.5, copy
// before it, and a stable backport of the change to 6.1.80.
json history_probe(const std::string& status, json zero_copy)
{
    return {{"id", "splice.udp6"},
            {"status", status},
            {"errno_name", nullptr},
            {"evidence", {{"zero_copy", zero_copy}}},
            {"history",
             {{{"version", "2.6.17"}, {"stable", json::array()}, {"commit", "5274f052e7b3"}, {"subject", "s"},
               {"what", "w"}, {"predicts", {{"status", "supported"}, {"zero_copy", false}}}},
              {{"version", "6.5"}, {"stable", {"6.1.80"}}, {"commit", "6d8192bd69bb"}, {"subject", "s"}, {"what", "w"},
               {"predicts", {{"status", "supported"}, {"zero_copy", true}}}}}}};
}

std::optional<KernelVersion> kernel_of(const std::string& release, const std::string& version = "")
{
    return report::running_version({{"kernel", {{"release", release}, {"version", version}}}});
}

} // namespace

TEST_CASE("running version: the release - with Debian's patch level from kernel.version")
{
    CHECK(*kernel_of("6.1.0-28-cloud-amd64") == KernelVersion{6, 1, 0, ""});
    CHECK(*kernel_of("5.10.262") == KernelVersion{5, 10, 262, ""});
    CHECK(*kernel_of("6.1.0-57-cloud-amd64", "#1 SMP PREEMPT_DYNAMIC Debian 6.1.192-1 (2026-01-01)") ==
          KernelVersion{6, 1, 192, ""});
    // Another line in kernel.version is not this kernel's patch level.
    CHECK(*kernel_of("6.12.0-1-amd64", "#1 SMP Debian 6.1.192-1") == KernelVersion{6, 12, 0, ""});
    CHECK_FALSE(kernel_of("garbage").has_value());
    CHECK_FALSE(report::running_version(json::object()).has_value());
}

TEST_CASE("prediction: below the first entry - exactly at - between - above - stable backports")
{
    const json copy = history_probe("supported", false);
    const json zc = history_probe("supported", true);
    // Below the first entry: nothing predicted.
    auto p = report::predict(kernel_of("2.6.16"), copy);
    CHECK(p.change.is_null());
    CHECK_FALSE(p.matches.has_value());
    // Exactly at the first entry, and between the two.
    p = report::predict(kernel_of("2.6.17"), copy);
    CHECK(p.change.at("version") == "2.6.17");
    CHECK(p.matches == std::optional<bool>(true));
    p = report::predict(kernel_of("6.1.0-28-cloud-amd64"), zc);
    CHECK(p.change.at("version") == "2.6.17");
    CHECK(p.matches == std::optional<bool>(false));
    // Exactly at and above the second.
    CHECK(report::predict(kernel_of("6.5"), zc).matches == std::optional<bool>(true));
    CHECK(report::predict(kernel_of("7.2.13+deb14-cloud-amd64"), copy).matches == std::optional<bool>(false));
    // The stable release that carries the change, and one before it.
    CHECK(report::predict(kernel_of("6.1.80"), zc).change.at("version") == "6.5");
    CHECK(report::predict(kernel_of("6.1.0-57-cloud-amd64", "#1 SMP Debian 6.1.192-1"), zc).matches ==
          std::optional<bool>(true));
    CHECK(report::predict(kernel_of("6.1.79"), zc).matches == std::optional<bool>(false));
    // Unknown kernel: nothing.
    CHECK(report::predict(std::nullopt, zc).change.is_null());
}

TEST_CASE("prediction: a CVE probe whose exposure was not determined differs from its history")
{
    json cve = {{"status", "skipped"},
                {"evidence", {{"cve", "CVE-2026-46300"}, {"reached", false}, {"vulnerable", nullptr}}},
                {"history", {{{"version", "4.11"}, {"predicts", {{"status", "unsupported"}, {"vulnerable", true}}}},
                             {{"version", "7.1"}, {"predicts", {{"status", "supported"}, {"vulnerable", false}}}}}}};
    CHECK(report::predict(kernel_of("6.1.0-48-cloud-amd64"), cve).matches == std::optional<bool>(false));
    CHECK(report::predict(kernel_of("7.2"), cve).matches == std::optional<bool>(false));
    // Skipped before it began (no evidence of the CVE): nothing to compare.
    cve["evidence"] = json::object();
    CHECK_FALSE(report::predict(kernel_of("6.1.0-48-cloud-amd64"), cve).matches.has_value());
}

TEST_CASE("prediction: what cannot be compared is null - not a difference")
{
    const auto k = kernel_of("6.12.0");
    for (const char* status : {"blocked", "skipped", "error"}) {
        const auto p = report::predict(k, history_probe(status, nullptr));
        CHECK_FALSE(p.change.is_null());
        CHECK_FALSE(p.matches.has_value());
    }
    // Supported but the witness was inconclusive.
    CHECK_FALSE(report::predict(k, history_probe("supported", nullptr)).matches.has_value());
    // A kernel built without the family is a build choice, not history.
    json nofamily = history_probe("unsupported", nullptr);
    nofamily["errno_name"] = "EAFNOSUPPORT";
    CHECK_FALSE(report::predict(k, nofamily).matches.has_value());
    // Any other refusal differs.
    nofamily["errno_name"] = "EINVAL";
    CHECK(report::predict(k, nofamily).matches == std::optional<bool>(false));
    // A report without history predicts nothing.
    json old = history_probe("supported", true);
    old.erase("history");
    CHECK(report::predict(k, old).change.is_null());
    // Predicted fields outside evidence: the result's own errno.
    json refused = {{"status", "unsupported"}, {"errno", 524}, {"errno_name", nullptr}, {"evidence", json::object()},
                    {"history", {{{"version", "4.14"}, {"predicts", {{"status", "unsupported"}, {"errno", 524}}}},
                                 {{"version", "5.18"}, {"predicts", {{"status", "unsupported"}, {"errno", 95}}}}}}};
    CHECK(report::predict(kernel_of("5.10.262"), refused).matches == std::optional<bool>(true));
    CHECK(report::predict(kernel_of("6.1.0"), refused).matches == std::optional<bool>(false));
    // A predicted refusal (ENOTSUPP) where the family is missing (UML
    // without IPv6): still a build choice, nothing to compare.
    refused["errno"] = 97;
    refused["errno_name"] = "EAFNOSUPPORT";
    CHECK_FALSE(report::predict(kernel_of("5.10.46"), refused).matches.has_value());
}

TEST_CASE("prediction: a CVE probe that could not prove reach differs - never null")
{
    // Before the fix history predicts AFFECTED; a probe that could only say
    // "exposure not determined" (skipped) did not confirm it.
    json cve = {{"id", "security.cve_2026_46300"},
                {"status", "skipped"},
                {"errno_name", nullptr},
                {"evidence", {{"cve", "CVE-2026-46300"}, {"vulnerable", nullptr}, {"reached", false}}},
                {"history",
                 {{{"version", "3.9"}, {"predicts", {{"status", "unsupported"}, {"vulnerable", true}}}},
                  {{"version", "7.1"}, {"predicts", {{"status", "supported"}, {"vulnerable", false}}}}}}};
    CHECK(report::predict(kernel_of("6.1.0-48-cloud-amd64"), cve).matches == std::optional<bool>(false));
    // The same status on an ordinary probe cannot be compared.
    json other = cve;
    other["id"] = "splice.udp4";
    other["evidence"] = {{"zero_copy", nullptr}};
    CHECK_FALSE(report::predict(kernel_of("6.1.0-48-cloud-amd64"), other).matches.has_value());
    // The vulnerable code absent from this build: nothing to compare before
    // the fix, agreement after it.
    json absent = cve;
    absent["status"] = "supported";
    absent["evidence"] = {{"cve", "CVE-2026-46300"}, {"vulnerable", false}, {"reached", false}, {"path_available", false}};
    CHECK_FALSE(report::predict(kernel_of("6.1.0-48-cloud-amd64"), absent).matches.has_value());
    CHECK(report::predict(kernel_of("7.1"), absent).matches == std::optional<bool>(true));
    // Observed AFFECTED where history predicts it: agrees.
    cve["status"] = "unsupported";
    cve["evidence"] = {{"vulnerable", true}, {"reached", true}};
    CHECK(report::predict(kernel_of("6.1.0-48-cloud-amd64"), cve).matches == std::optional<bool>(true));
}

TEST_CASE("prediction flag: one line naming both sides - empty when they agree")
{
    const json report = {{"kernel", {{"release", "6.1.0-57-cloud-amd64"}, {"version", "#1 SMP Debian 6.1.192-1"}}}};
    json probe = history_probe("supported", false);
    probe["history"][1]["stable"] = json::array();
    probe["history"][0]["predicts"]["zero_copy"] = true;
    CHECK(report::prediction_flag(report, probe) ==
          "differs from upstream history: 6.1.192 predicted supported, zero_copy=true (since 2.6.17, 5274f052e7b3); "
          "observed supported, zero_copy=false: a backport, a distro patch or a regression");
    probe["evidence"]["zero_copy"] = true;
    CHECK(report::prediction_flag(report, probe).empty());
    json annotated = report;
    annotated["probes"] = {probe, history_probe("supported", true)};
    annotated["probes"][1].erase("history");
    report::annotate_predictions(annotated);
    CHECK(annotated["probes"][0]["matches_prediction"] == true);
    CHECK(annotated["probes"][0]["predicted"]["version"] == "2.6.17");
    CHECK_FALSE(annotated["probes"][1].contains("matches_prediction"));
}

TEST_CASE("transmit grid: kind x operation - straddle outcomes - status otherwise")
{
    json doc = test::fixture("vm-6.18.json");
    for (auto& p : doc["probes"]) {
        if (p["id"] == "splice_straddle.udp4") {
            p["status"] = "unsupported";
            p["evidence"]["outcome"] = "split";
        }
        if (p["id"] == "sendfile.tcp6") p["status"] = "error";
    }
    const auto g = report::transmit_grid(doc);
    CHECK(g.operations == std::vector<std::string>{"splice", "straddle", "sendfile", "MSG_ZEROCOPY"});
    REQUIRE(g.kinds.size() == 11);
    const auto cell = [&](const std::string& kind, size_t op) {
        const auto k = std::find(g.kinds.begin(), g.kinds.end(), kind);
        REQUIRE(k != g.kinds.end());
        return g.cells[static_cast<size_t>(k - g.kinds.begin())][op].verdict;
    };
    CHECK(cell("udp4", 0) == "zero-copy");
    CHECK(cell("raw4", 0) == "copy");
    CHECK(cell("udp4", 1) == "split");
    CHECK(cell("tcp4", 1) == "whole"); // a byte stream in order
    CHECK(cell("tcp6", 2) == "error");
    CHECK(cell("raw4", 3) == "unsupported");
    const std::string html = report::render_html(doc, {});
    CHECK(html.find("<td class=\"g g-split\" title=\"splice_straddle.udp4: ") != std::string::npos);
}

TEST_CASE("matrix: labels name the columns - changed cells marked in differing rows")
{
    const std::vector<json> docs = {test::fixture("ci-runner-6.1.json"), test::fixture("vm-6.19-regressed.json")};
    const auto m = report::build_matrix(docs, {"old", "new"});
    CHECK(m.columns[0].label == "old");
    CHECK(m.columns[1].label == "new");
    const std::string html = report::render_matrix_html(m);
    CHECK(html.find("<th>old</th><th>new</th>") != std::string::npos);
    CHECK(html.find(" changed\"") != std::string::npos);
    // only inside a differing row, never in the first column
    size_t rows_with_change = 0;
    for (size_t at = html.find("<tr"); at != std::string::npos; at = html.find("<tr", at + 1)) {
        const std::string row = html.substr(at, html.find("</tr>", at) - at);
        if (row.find(" changed\"") == std::string::npos) continue;
        ++rows_with_change;
        CHECK(row.find("class=\"differs\"") != std::string::npos);
    }
    size_t differing = 0;
    for (const auto& r : m.rows) differing += r.differs ? 1 : 0;
    CHECK(rows_with_change == differing);
}

TEST_CASE("matrix: a cell that differs from its upstream history is marked - reports without history are not")
{
    const std::vector<json> docs = {test::fixture("ci-runner-6.1.json"), test::fixture("vm-6.19-regressed.json")};
    const auto m = report::build_matrix(docs, {"old", "new"});
    const auto row = std::find_if(m.rows.begin(), m.rows.end(), [](const auto& r) { return r.id == "splice.udp6"; });
    REQUIRE(row != m.rows.end());
    CHECK(row->cells[0].differs_from_history);       // 6.1.119 predicts copy, the fixture shows zero-copy
    CHECK_FALSE(row->cells[1].differs_from_history); // vm-6.19-regressed carries no history
    CHECK(report::any_differs_from_history(m));
    CHECK(report::render_matrix_text(m, false).find("supported zc !") != std::string::npos);
}
