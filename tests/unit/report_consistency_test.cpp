// One truth in every format: a set of fixture reports (among them a real
// report of a healthy host, one with an affected CVE and a real lossy engine
// run) rendered in every format; each format's "needs attention" must be the
// view model's list, no more and no less, and --strict must fail exactly
// when that list is not empty.
#include "report_fixtures.hpp"

#include "apps/zcreport/cli.hpp"
#include "reports/diff.hpp"
#include "reports/matrix.hpp"
#include "reports/render.hpp"
#include "reports/verdict_view.hpp"

#include <regex>
#include <set>
#include <sstream>

using namespace zc;
using nlohmann::json;

namespace {

using Subjects = std::set<std::string>;

Subjects matches(const std::string& text, const std::string& pattern, size_t group = 1)
{
    Subjects out;
    const std::regex re(pattern);
    for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator(); ++it) {
        out.insert((*it)[static_cast<int>(group)].str());
    }
    return out;
}

std::string between(const std::string& text, const std::string& start, const std::string& end)
{
    const auto i = text.find(start);
    if (i == std::string::npos) return "";
    return text.substr(i, text.find(end, i) - i);
}

// "mode kind size B" (a JUnit engine testcase) -> "mode/kind/size".
Subjects junit_failures(const std::string& xml)
{
    Subjects out;
    const std::regex re("<testcase classname=\"([^\"]*)\" name=\"([^\"]*)\"[^>]*>\\s*<failure");
    for (auto it = std::sregex_iterator(xml.begin(), xml.end(), re); it != std::sregex_iterator(); ++it) {
        std::string name = (*it)[2].str();
        if ((*it)[1].str().rfind("zcengine.", 0) == 0) {
            std::smatch m;
            const std::string copy = name;
            if (std::regex_match(copy, m, std::regex("(\\S+) (\\S+) (\\d+) B"))) name = m[1].str() + "/" + m[2].str() + "/" + m[3].str();
        }
        out.insert(name);
    }
    return out;
}

int strict_exit(const std::string& path)
{
    std::vector<const char*> argv = {"zcreport", "render", path.c_str(), "--strict"};
    std::ostringstream out, err;
    return report::run_zcreport(static_cast<int>(argv.size()), argv.data(), out, err);
}

} // namespace

TEST_CASE("consistency: every format shows the same attention list - strict fails exactly on it")
{
    const std::vector<std::string> names = {"vm-6.18.json",          "ci-runner-6.1.json",        "vm-6.19-regressed.json",
                                            "host-6.18-healthy.json", "host-6.18-affected.json", "engine/eager-unclean.json",
                                            "engine/vm-6.18-engine.json"};
    size_t non_empty = 0;
    for (const auto& name : names) {
        CAPTURE(name);
        const json doc = test::fixture(name);
        Subjects want, want_probes, want_runs;
        for (const auto& a : report::attention_list(doc)) {
            want.insert(a.subject);
            (a.subject.find('/') == std::string::npos ? want_probes : want_runs).insert(a.subject);
        }
        non_empty += want.empty() ? 0 : 1;
        const report::RenderOptions plain;

        const std::string text = report::render_report(doc, report::Format::text, plain);
        const std::string text_list = text.substr(text.find("\nneeds attention: "));
        CHECK(matches(text_list, "\n  \\S+ +(\\S+): ") == want);
        CHECK((text_list.rfind("\nneeds attention: nothing", 0) == 0) == want.empty());

        const std::string md = report::render_report(doc, report::Format::markdown, plain);
        CHECK(matches(between(md, "### Needs attention", "\n###"), "\\| \\*\\*[^*]+\\*\\* \\| `([^`]+)` \\|") == want);

        const std::string html = report::render_report(doc, report::Format::html, plain);
        const std::string section = between(html, "<section id=\"attention\">", "</section>");
        CHECK(matches(section, "<code>([^<]+)</code>") == want);
        CHECK((section.find("class=\"all-clear\"") != std::string::npos) == want.empty());

        const std::string xml = report::render_report(doc, report::Format::junit, plain);
        CHECK(junit_failures(xml) == want);

        // A zcengine report exports only zcengine_* (one owner per metric
        // prefix in a shared textfile directory): its runs are its list.
        const std::string prom = report::render_report(doc, report::Format::prometheus, plain);
        const Subjects prom_probes = matches(prom, "\nzcprobe_probe_needs_attention\\{id=\"([^\"]+)\"\\} 1\n");
        Subjects prom_runs;
        const std::regex run_re("\nzcengine_run_needs_attention\\{mode=\"([^\"]+)\",kind=\"([^\"]+)\",size=\"(\\d+)\"\\} 1\n");
        for (auto it = std::sregex_iterator(prom.begin(), prom.end(), run_re); it != std::sregex_iterator(); ++it) {
            prom_runs.insert((*it)[1].str() + "/" + (*it)[2].str() + "/" + (*it)[3].str());
        }
        if (doc.contains("engine")) {
            CHECK(prom_runs == want_runs);
        } else {
            CHECK(prom_probes == want_probes);
        }

        // The matrix: a cell is red (danger) exactly for a probe on the list.
        const auto m = report::build_matrix({doc});
        Subjects red;
        for (const auto& row : m.rows) {
            if (report::needs_attention(row.cells.at(0).severity)) red.insert(row.id);
        }
        CHECK(red == want_probes);

        CHECK(strict_exit(test::reports_dir() + "/fixtures/" + name) == (want.empty() ? 0 : 1));
    }
    CHECK(non_empty >= 2); // the test can fail: the affected CVE and the unclean run are on lists
}

TEST_CASE("consistency: an affected CVE reads AFFECTED and red in every format - matrix and diff included")
{
    const json doc = test::fixture("host-6.18-affected.json");
    const std::string id = "security.cve_2026_46300";
    const auto v = report::probe_verdict(doc, [&] {
        for (const auto& p : doc["probes"]) {
            if (p["id"] == id) return p;
        }
        return json::object();
    }());
    CHECK(v.word == "AFFECTED");
    CHECK(v.severity == report::Severity::danger);

    report::RenderOptions colour;
    colour.colour = true;
    const std::string text = report::render_report(doc, report::Format::text, colour);
    CHECK(text.substr(text.find(id + " "), 80).find(" \x1b[1;31mAFFECTED") != std::string::npos);
    CHECK(report::render_report(doc, report::Format::markdown, {}).find("| CVE-2026-46300 | Fragnesia | **AFFECTED** |") !=
          std::string::npos);
    CHECK(report::render_report(doc, report::Format::html, {}).find("<td class=\"sev-danger\">&#10006; AFFECTED") !=
          std::string::npos);
    const std::string xml = report::render_report(doc, report::Format::junit, {});
    CHECK(xml.find("name=\"" + id + "\" time=") != std::string::npos);
    CHECK(xml.find("<failure message=\"AFFECTED\" type=\"AFFECTED\">CVE-2026-46300 Fragnesia") != std::string::npos);
    const std::string prom = report::render_report(doc, report::Format::prometheus, {});
    CHECK(prom.find("zcprobe_cve_affected{cve=\"CVE-2026-46300\",id=\"" + id + "\"} 1\n") != std::string::npos);
    CHECK(prom.find("zcprobe_cve_affected{cve=\"CVE-2022-0847\",id=\"security.cve_2022_0847\"} 0\n") != std::string::npos);
    // The path absent from this kernel (no esp4, no modules): not affected.
    CHECK(prom.find("zcprobe_cve_affected{cve=\"CVE-2026-43284\",id=\"security.cve_2026_43284\"} 0\n") !=
          std::string::npos);
    // Not determined (the path there, no proof of reach): no
    // zcprobe_cve_affected sample, a 0 in zcprobe_cve_determined.
    json open_path = doc;
    for (auto& p : open_path["probes"]) {
        if (p["id"] == "security.cve_2026_43284") p["evidence"]["path_available"] = true;
    }
    const std::string prom_open = report::render_report(open_path, report::Format::prometheus, {});
    CHECK(prom_open.find("zcprobe_cve_affected{cve=\"CVE-2026-43284\"") == std::string::npos);
    CHECK(prom_open.find("zcprobe_cve_determined{cve=\"CVE-2026-43284\",id=\"security.cve_2026_43284\"} 0\n") !=
          std::string::npos);

    const auto m = report::build_matrix({test::fixture("host-6.18-healthy.json"), doc});
    const std::string matrix_html = report::render_matrix_html(m);
    CHECK(matrix_html.find("<td class=\"sev-danger changed\">&#10006; AFFECTED</td>") != std::string::npos);
    CHECK(report::render_matrix_markdown(m).find("| **AFFECTED** |") != std::string::npos);
    CHECK(report::render_matrix_text(m, true).find("\x1b[1;31mAFFECTED") != std::string::npos);

    const auto d = report::diff_reports(test::fixture("host-6.18-healthy.json"), doc);
    bool seen = false;
    for (const auto& c : d.changes) {
        if (c.id != id) continue;
        seen = true;
        CHECK(c.kind == report::ChangeKind::regression);
        CHECK(c.after == "AFFECTED");
        CHECK(c.after_severity == report::Severity::danger);
    }
    CHECK(seen);
    CHECK(report::render_diff_text(d, "a", "b", true).find("\x1b[1;31mAFFECTED\x1b[0m") != std::string::npos);
    CHECK(report::render_diff_markdown(d, "a", "b").find("| **AFFECTED** |") != std::string::npos);
}

TEST_CASE("consistency: loopback-only MSG_ZEROCOPY and SEND_ZC are not determined - in every format")
{
    const json doc = test::fixture("host-6.18-healthy.json");
    for (const auto& p : doc["probes"]) {
        const std::string id = p["id"];
        const auto v = report::probe_verdict(doc, p);
        if (id == "zerocopy.udp6" || id == "zerocopy.tcp4" || id == "zerocopy.tcp6" || id == "io_uring.send_zc_udp4") {
            CAPTURE(id);
            CHECK(v.zero_copy == "not determined (loopback only)");
            CHECK(v.severity == report::Severity::undetermined);
        }
        if (id == "zerocopy.udp4") CHECK(v.zero_copy == "zero-copy"); // the veth black hole ran
    }
    const std::string prom = report::render_report(doc, report::Format::prometheus, {});
    CHECK(prom.find("zcprobe_probe_zero_copy{id=\"zerocopy.tcp4\"}") == std::string::npos);
    CHECK(prom.find("zcprobe_probe_zero_copy{id=\"io_uring.send_zc_udp4\"}") == std::string::npos);
    CHECK(prom.find("zcprobe_probe_zero_copy{id=\"zerocopy.udp4\"} 1\n") != std::string::npos);
    for (const auto f : {report::Format::text, report::Format::markdown, report::Format::html}) {
        CHECK(report::render_report(doc, f, {}).find("not determined (loopback only)") != std::string::npos);
    }
    // The egress leg, once it ran, answers: a copy there is a copy.
    json egress = doc;
    for (auto& p : egress["probes"]) {
        if (p["id"] == "io_uring.send_zc_udp4") p["evidence"]["egress"] = {{"tried", true}};
    }
    for (const auto& p : egress["probes"]) {
        if (p["id"] == "io_uring.send_zc_udp4") CHECK(report::probe_verdict(egress, p).zero_copy == "copy");
    }
}

TEST_CASE("consistency: a single repeat has no spread - not measured in text - Markdown and HTML")
{
    const json doc = test::fixture("engine/eager-unclean.json");
    for (const auto f : {report::Format::text, report::Format::markdown, report::Format::html}) {
        const std::string out = report::render_report(doc, f, {});
        CHECK(out.find("not measured") != std::string::npos);
    }
    CHECK(report::render_report(doc, report::Format::prometheus, {}).find("zcengine_packets_per_second_spread{") ==
          std::string::npos);
    // Three repeats: a percentage, in both text and HTML.
    const json three = test::fixture("engine/vm-6.18-engine.json");
    CHECK(report::render_report(three, report::Format::html, {}).find("<th>&#177; %</th>") != std::string::npos);
    CHECK(report::render_report(three, report::Format::text, {}).find("not measured") == std::string::npos);
}

TEST_CASE("smaller items: one heading per section - engine Markdown title - virtualization row - errno names")
{
    // The real catalog lists security.cve_2022_0847 before the xdp section
    // and the 2026 CVE probes after it: still one "security" heading.
    const json host = test::fixture("host-6.18-healthy.json");
    const std::string html = report::render_report(host, report::Format::html, {});
    const std::string all = html.substr(html.find("id=\"probe-table\""));
    size_t headings = 0;
    for (auto at = all.find("<th colspan=\"5\">security</th>"); at != std::string::npos;
         at = all.find("<th colspan=\"5\">security</th>", at + 1)) {
        ++headings;
    }
    CHECK(headings == 1);
    const std::string md = report::render_report(host, report::Format::markdown, {});
    CHECK(md.find("| virtualization | hypervisor flag yes; container docker |") != std::string::npos);
    CHECK(md.find("errno=95") == std::string::npos);
    CHECK(md.find("unsupported, errno=EOPNOTSUPP (since 5.18, 869420a8be19)") != std::string::npos);
    // xdp.zerocopy_bind_device's history predicts nothing: no empty prediction.
    CHECK(md.find("| `xdp.zerocopy_bind_device` | skipped |  |  |  | no --xdp-device given |") != std::string::npos);
    const json engine = test::fixture("engine/eager-unclean.json");
    CHECK(report::render_report(engine, report::Format::markdown, {}).rfind("## zcengine report: Linux ", 0) == 0);
    // Engine testcases are unique by name, not only by classname.
    const std::string xml = report::render_report(test::fixture("engine/vm-6.18-engine.json"), report::Format::junit, {});
    std::set<std::string> names;
    size_t cases = 0;
    const std::regex re("<testcase classname=\"zcengine\\.[^\"]*\" name=\"([^\"]*)\"");
    for (auto it = std::sregex_iterator(xml.begin(), xml.end(), re); it != std::sregex_iterator(); ++it, ++cases) {
        names.insert((*it)[1].str());
    }
    CHECK(cases == 16);
    CHECK(names.size() == cases);
}
