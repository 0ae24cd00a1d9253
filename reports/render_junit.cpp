// JUnit XML (the Jenkins/Ant dialect CI servers read): one testcase per
// probe, and for an engine report a second suite with one testcase per run
// (mode, kind, size). The failures are exactly the report's attention list
// (verdict_view.hpp): an affected CVE, an error, a --require'd probe not
// supported, a probe that differs from its upstream history, an unclean or
// failed engine run. What the run could not tell (blocked, skipped, a CVE
// not determined, an unavailable engine run) is skipped, never passed; an
// unsupported feature is a fact about the kernel and passes, with the
// finding in system-out.
#include "reports/escape.hpp"
#include "reports/render.hpp"
#include "reports/report_view.hpp"
#include "reports/verdict_view.hpp"

#include <sstream>

namespace zc::report {

using nlohmann::json;

namespace {

std::string fixed_seconds(double s)
{
    std::ostringstream out;
    out.setf(std::ios::fixed);
    out.precision(6);
    out << s;
    return out.str();
}

std::string seconds(const json& p)
{
    return fixed_seconds(static_cast<double>(p.value("duration_us", 0LL)) / 1e6);
}

struct Suite {
    std::string name;
    size_t tests = 0, failures = 0, skipped = 0;
    double time_s = 0;
    std::ostringstream cases;
};

void probe_cases(Suite& suite, const json& report, const std::vector<std::string>& require)
{
    for (const auto& p : report.at("probes")) {
        const ProbeVerdict v = probe_verdict(report, p, require);
        const std::string reason = p.at("reason").get<std::string>();
        ++suite.tests;
        suite.time_s += static_cast<double>(p.value("duration_us", 0LL)) / 1e6;
        std::ostringstream& cases = suite.cases;
        cases << "    <testcase classname=\"zcprobe." << xml_escape(p.at("section").get<std::string>()) << "\" name=\""
              << xml_escape(v.id) << "\" time=\"" << seconds(p) << "\"";
        const std::string detail = v.headline() +
                                   (p.at("errno_name").is_string() ? " (" + p["errno_name"].get<std::string>() + ")" : "") +
                                   ": " + (v.cve ? v.cve->label() + ": " : "") + reason;
        if (v.attention) {
            ++suite.failures;
            const std::string message = v.tag == v.word ? v.word : v.tag + ": " + v.word;
            cases << ">\n      <failure message=\"" << xml_escape(message) << "\" type=\"" << xml_escape(v.tag)
                  << "\">" << xml_escape(v.why) << "</failure>\n    </testcase>\n";
        } else if (v.severity == Severity::undetermined && v.status != "supported") {
            ++suite.skipped;
            cases << ">\n      <skipped message=\"" << xml_escape(v.word + ": " + reason) << "\"/>\n    </testcase>\n";
        } else if (v.cve && v.severity == Severity::undetermined) {
            // Supported but without proof of reach: not a pass.
            ++suite.skipped;
            cases << ">\n      <skipped message=\"" << xml_escape(v.word + ": " + v.cve->label() + ": " + reason)
                  << "\"/>\n    </testcase>\n";
        } else {
            cases << ">\n      <system-out>" << xml_escape(detail) << "</system-out>\n    </testcase>\n";
        }
    }
}

void engine_cases(Suite& suite, const json& report)
{
    for (const auto& r : engine_runs(report)) {
        const RunVerdict v = run_verdict(r);
        ++suite.tests;
        suite.time_s += r.elapsed_s;
        std::ostringstream& cases = suite.cases;
        // The mode is in the name too: dashboards that show only the name
        // would otherwise list "raw4_hdrincl 64 B" once per mode.
        cases << "    <testcase classname=\"zcengine." << xml_escape(r.mode) << "\" name=\"" << xml_escape(r.mode) << " "
              << xml_escape(r.kind) << " " << r.size << " B\" time=\"" << fixed_seconds(r.elapsed_s) << "\">\n";
        if (v.attention) {
            ++suite.failures;
            cases << "      <failure message=\"" << xml_escape(v.word + ": " + v.why) << "\" type=\"" << xml_escape(v.word)
                  << "\">" << xml_escape(r.reason.empty() ? v.why : r.reason) << "</failure>\n";
        } else if (v.severity == Severity::undetermined) {
            ++suite.skipped;
            cases << "      <skipped message=\"" << xml_escape(r.status + ": " + r.reason) << "\"/>\n";
        } else if (r.egress && r.egress_sent) {
            // Nothing receives at an egress sink: what was sent and what the
            // loopback pre-check verified (the reason) is all there is.
            cases << "      <system-out>"
                  << xml_escape(std::to_string(*r.egress_sent) + " sent to the egress sink" +
                                (r.reason.empty() ? "" : "; " + r.reason))
                  << "</system-out>\n";
        } else {
            cases << "      <system-out>"
                  << xml_escape(std::to_string(r.counts->verified) + " verified of " + std::to_string(r.counts->sent) +
                                " sent" + (r.reason.empty() ? "" : "; " + r.reason))
                  << "</system-out>\n";
        }
        cases << "    </testcase>\n";
    }
}

} // namespace

std::string render_junit(const json& report, const std::vector<std::string>& require, bool strict)
{
    const json& k = report.at("kernel");
    const std::string release = text_or(k, "release", "unknown");
    std::vector<Suite> suites(1);
    suites[0].name = "zcprobe " + release;
    probe_cases(suites[0], report, require);
    if (report.contains("engine")) {
        suites.emplace_back().name = "zcengine " + release;
        engine_cases(suites.back(), report);
    }
    Suite all;
    for (const auto& s : suites) {
        all.tests += s.tests;
        all.failures += s.failures;
        all.skipped += s.skipped;
        all.time_s += s.time_s;
    }
    std::ostringstream out;
    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        << "<testsuites name=\"zcprobe\" tests=\"" << all.tests << "\" failures=\"" << all.failures
        << "\" errors=\"0\" skipped=\"" << all.skipped << "\" time=\"" << fixed_seconds(all.time_s) << "\">\n";
    for (const auto& s : suites) {
        out << "  <testsuite name=\"" << xml_escape(s.name) << "\" tests=\"" << s.tests << "\" failures=\""
            << s.failures << "\" errors=\"0\" skipped=\"" << s.skipped << "\" time=\"" << fixed_seconds(s.time_s)
            << "\" timestamp=\"" << xml_escape(report.at("generated_at").get<std::string>().substr(0, 19))
            << "\" hostname=\"" << xml_escape(text_or(report.at("environment"), "hostname", "unknown")) << "\">\n"
            << "    <properties>\n"
            << "      <property name=\"kernel.release\" value=\"" << xml_escape(release) << "\"/>\n"
            << "      <property name=\"kernel.machine\" value=\"" << xml_escape(text_or(k, "machine", "unknown"))
            << "\"/>\n"
            << "      <property name=\"tool\" value=\""
            << xml_escape(text_or(report.at("tool"), "name") + " " + text_or(report.at("tool"), "version")) << "\"/>\n"
            << "      <property name=\"strict\" value=\"" << (strict ? "true" : "false") << "\"/>\n"
            << "    </properties>\n"
            << s.cases.str() << "  </testsuite>\n";
    }
    out << "</testsuites>\n";
    return out.str();
}

} // namespace zc::report
