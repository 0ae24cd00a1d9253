// One report as a self-contained HTML page that reads at a glance: what
// needs attention first (affected CVEs, required probes not supported,
// behaviour the kernel's version does not predict, errors), the CVE
// verdicts, the transmit grid (socket kind x operation), the engine table
// and chart, and the whole probe table folded away at the end.
#include "reports/escape.hpp"
#include "reports/html_parts.hpp"
#include "reports/render.hpp"
#include "reports/report_view.hpp"
#include "reports/verdict_view.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

namespace zc::report {

using nlohmann::json;

namespace {

std::string optional_cell(const std::optional<double>& v, int precision, bool bad_when_positive = false)
{
    if (!v) return "<td class=\"num\">-</td>";
    const bool bad = bad_when_positive && *v > 0;
    return std::string("<td class=\"num") + (bad ? " bad" : "") + "\">" + fixed(*v, precision) + "</td>";
}

// One line: a tag that says why, the id, and what happened; long reasons
// of the "differs" kind go to the tooltip, so the list stays short.
std::string attention_item(const AttentionItem& a)
{
    const bool differs = a.tag == "differs"; // long: the full text also goes to the tooltip
    const char* mark = a.tag == "AFFECTED" ? "&#10006; " : differs ? "&#9650; " : a.tag == "required" ? "&#9888; " : "! ";
    return std::string("<li class=\"") + severity_name(a.severity) + "\"" +
           (differs ? " title=\"" + xml_escape(a.text) + "\"" : "") + "><span class=\"tag\">" + mark +
           xml_escape(a.tag) + "</span> <code>" + xml_escape(a.subject) + "</code> " + xml_escape(a.text) + "</li>\n";
}

// The one attention list (verdict_view.hpp), most urgent first.
void attention(std::ostringstream& body, const json& report, const std::vector<std::string>& require)
{
    const std::string line = text_or(report.at("kernel"), "line", "?");
    const auto items = attention_list(report, require);
    body << "<section id=\"attention\">\n<h2>Needs attention</h2>\n";
    if (items.empty()) {
        body << "<p class=\"all-clear\">&#10004; Nothing: no CVE affected, no error, no required probe missing, no "
                "unclean or failed engine run.</p>\n";
    } else {
        body << "<ul>\n";
        for (const auto& a : items) body << attention_item(a);
        body << "</ul>\n";
    }
    body << "</section>\n";
    if (const auto differs = differs_list(report); !differs.empty()) {
        body << "<section id=\"differs\">\n<h2>Differs from upstream history</h2>\n<p>Not what the probe's upstream "
                "history predicts for kernel "
             << xml_escape(line) << " (a backport, a distro patch or a regression):</p>\n<ul>\n";
        for (const auto& a : differs) body << attention_item(a);
        body << "</ul>\n</section>\n";
    }
}

// What this sandbox refuses, one line per fix (verdict_view.hpp).
void refused(std::ostringstream& body, const json& report)
{
    const auto refusals = sandbox_refusals(report);
    if (refusals.empty()) return;
    body << "<section id=\"sandbox-refusals\">\n<h2>" << refused_heading
         << "</h2>\n<p>The kernel's answer aside, what this sandbox's policy refuses, grouped by the smallest "
            "fix:</p>\n<ul>\n";
    for (const auto& r : refusals) {
        body << "<li class=\"undetermined\"><span class=\"tag\">" << xml_escape(r.layer) << "</span> <b>"
             << xml_escape(r.text()) << "</b>:";
        for (const auto& id : r.probes) body << " <code>" << xml_escape(id) << "</code>";
        body << "</li>\n";
    }
    body << "</ul>\n</section>\n";
}

void security(std::ostringstream& body, const json& report)
{
    std::ostringstream rows;
    for (const auto& p : report.at("probes")) {
        const ProbeVerdict pv = probe_verdict(report, p);
        if (!pv.cve) continue;
        const SecurityVerdict& v = *pv.cve;
        const char* mark = v.state == SecurityVerdict::State::affected       ? "&#10006; "
                           : v.state == SecurityVerdict::State::not_affected ? "&#10004; "
                                                                             : "? ";
        rows << "<tr><td><b>" << xml_escape(v.cve) << "</b></td><td>" << xml_escape(v.common_name) << "</td><td class=\"sev-"
             << severity_name(pv.severity) << "\">" << mark << xml_escape(pv.word) << "</td><td><code>"
             << xml_escape(v.fix_commit) << "</code></td><td>"
             << (v.path_errno.empty() ? "" : "path unavailable (" + xml_escape(v.path_errno) + "); ")
             << (v.reach_proof.empty() ? "" : "reached: " + xml_escape(v.reach_proof) + "; ")
             << xml_escape(p.at("reason").get<std::string>()) << "</td></tr>\n";
    }
    if (rows.str().empty()) return;
    body << "<h2>Security</h2>\n<table id=\"security\">\n<tr><th>CVE</th><th>name</th><th>verdict</th><th>fix "
            "commit</th><th>detail</th></tr>\n"
         << rows.str() << "</table>\n";
}

void grid(std::ostringstream& body, const json& report)
{
    const TransmitGrid g = transmit_grid(report);
    if (g.kinds.empty()) return;
    body << "<h2>Transmit paths by socket kind</h2>\n" << html::grid_legend()
         << "<table id=\"transmit-grid\">\n<tr><th>socket kind</th>";
    for (const auto& op : g.operations) body << "<th>" << xml_escape(op) << "</th>";
    body << "</tr>\n";
    for (size_t k = 0; k < g.kinds.size(); ++k) {
        body << "<tr><th>" << xml_escape(g.kinds[k]) << "</th>";
        for (const auto& c : g.cells[k]) body << html::grid_cell(c.verdict, c.probe_id + ": " + c.reason);
        body << "</tr>\n";
    }
    body << "</table>\n";
}

// A packet count, red when a loss, corruption or duplicate; "-" without counts.
std::string count_cell(const EngineRun::Counts* counts, long long EngineRun::Counts::*field)
{
    if (counts == nullptr) return "<td class=\"num\">-</td>";
    const long long v = counts->*field;
    return std::string("<td class=\"num") + (v > 0 ? " bad" : "") + "\">" + std::to_string(v) + "</td>";
}

// Every run with its verdict, measured or not; the unclean ones in red,
// their bars in the chart marked.
void engine(std::ostringstream& body, const json& report)
{
    const auto verdicts = run_verdicts(report);
    if (verdicts.empty()) return;
    std::map<std::string, EngineResult> measured;
    for (const auto& r : engine_results(report)) measured.try_emplace(r.key(), r);
    std::map<std::string, EngineRun> runs;
    for (const auto& r : engine_runs(report)) runs.try_emplace(r.key(), r);
    body << "<h2>Engine runs</h2>\n<div class=\"scroll\"><table id=\"engine-table\">\n<tr><th>mode</th><th>kind</th><th>size "
            "(B)</th><th>verdict</th><th>packets/s</th><th>&#177; %</th><th>Gbit/s</th><th>verified</th><th>lost</th>"
            "<th>corrupted</th><th>duplicated</th><th>syscalls/packet</th><th>vs page</th><th>vs sendmmsg</th></tr>\n";
    std::set<std::string> unclean;
    for (const auto& v : verdicts) {
        if (v.attention) unclean.insert(v.key);
        body << "<tr><td>" << xml_escape(v.mode) << "</td><td>" << xml_escape(v.kind) << "</td><td class=\"num\">"
             << v.size << "</td><td class=\"sev-" << severity_name(v.severity) << "\""
             << (v.why.empty() ? "" : " title=\"" + xml_escape(v.why) + "\"") << ">" << (v.attention ? "&#10006; " : "")
             << xml_escape(v.word) << "</td>";
        if (const auto m = measured.find(v.key); m != measured.end()) {
            const EngineResult& r = m->second;
            body << "<td class=\"num\">" << fixed(r.pps, 0) << "</td><td class=\"num\">"
                 << (r.spread_measured ? fixed(r.pps > 0 ? 100 * r.pps_spread / r.pps / 2 : 0, 1) : "not measured")
                 << "</td><td class=\"num\">" << fixed(r.gbit_per_s, 3) << "</td>";
        } else {
            body << "<td class=\"num\">-</td><td class=\"num\">-</td><td class=\"num\">-</td>";
        }
        const auto c = runs.find(v.key);
        const EngineRun::Counts* counts = c != runs.end() && c->second.counts ? &*c->second.counts : nullptr;
        body << "<td class=\"num\">" << (counts ? std::to_string(counts->verified) : "-") << "</td>"
             << count_cell(counts, &EngineRun::Counts::lost) << count_cell(counts, &EngineRun::Counts::corrupted)
             << count_cell(counts, &EngineRun::Counts::duplicated);
        if (const auto m = measured.find(v.key); m != measured.end()) {
            const EngineResult& r = m->second;
            body << optional_cell(r.syscalls_per_packet, 3) << optional_cell(r.ratio_vs_page, 2)
                 << optional_cell(r.ratio_vs_sendmmsg, 2);
        } else {
            body << "<td class=\"num\">-</td><td class=\"num\">-</td><td class=\"num\">-</td>";
        }
        body << "</tr>\n";
    }
    body << "</table></div>\n";
    auto series = engine_series(report, "");
    for (auto& s : series) {
        for (const auto& [size, gbit] : s.points) {
            if (unclean.contains(s.mode + "/" + s.kind + "/" + std::to_string(size))) s.unclean.insert(size);
        }
    }
    body << html::engine_chart(series);
}

} // namespace

std::string render_html(const json& report, const std::vector<std::string>& require)
{
    const json& k = report.at("kernel");
    const json& env = report.at("environment");
    std::ostringstream body;
    // The page says which tool wrote it: a zcengine report is read for its
    // throughput, a zcprobe report for its verdicts.
    const std::string tool = text_or(report.at("tool"), "name", "zcprobe") == "zcengine" ? "zcengine" : "zcprobe";
    const std::string title = tool + " report: Linux " + text_or(k, "release", "unknown");
    body << "<h1>" << xml_escape(title) << "</h1>\n<p id=\"summary\">";
    const json& sum = report.at("summary");
    for (const auto& st : status_names()) body << sum.value(st, 0) << " " << st << (st == "error" ? "" : ", ");
    body << " (" << sum.value("total", 0) << " probes)";
    if (const CveCount cves = count_cves(report); cves.probes > 0) {
        const std::string text = xml_escape(cve_summary(cves));
        body << "; " << (cves.affected > 0 ? "<b class=\"danger\">AFFECTED</b>" + text.substr(8) : text);
    }
    body << "</p>\n<table id=\"environment\">\n"
         << "<tr><th>kernel</th><td>" << xml_escape(text_or(k, "release")) << " (" << xml_escape(text_or(k, "machine"))
         << ") " << xml_escape(text_or(k, "version")) << "</td></tr>\n"
         << "<tr><th>distribution</th><td>" << xml_escape(text_or(env.value("distro", json::object()), "pretty_name"))
         << "</td></tr>\n"
         << "<tr><th>host</th><td>" << xml_escape(text_or(env, "hostname")) << ", euid "
         << xml_escape(text_or(env, "euid")) << ", namespace "
         << xml_escape(text_or(env.value("netns", json::object()), "mode")) << "</td></tr>\n"
         << "<tr><th>tool</th><td>"
         << xml_escape(text_or(report.at("tool"), "name") + " " + text_or(report.at("tool"), "version")) << ", "
         << xml_escape(text_or(report, "generated_at")) << "</td></tr>\n</table>\n";
    attention(body, report, require);
    refused(body, report);
    if (tool == "zcengine") engine(body, report);
    security(body, report);
    grid(body, report);
    if (tool != "zcengine") engine(body, report);

    // Grouped by section in order of first appearance: a catalog that lists
    // a section twice (security.cve_2022_0847, then the 2026 family after
    // xdp) still gets one heading per section.
    std::vector<std::string> sections;
    for (const auto& p : report.at("probes")) {
        const std::string s = p.at("section").get<std::string>();
        if (std::find(sections.begin(), sections.end(), s) == sections.end()) sections.push_back(s);
    }
    body << "<details id=\"all-probes\">\n<summary>All " << report.at("probes").size() << " probes</summary>\n"
         << html::legend()
         << "<table id=\"probe-table\">\n<tr><th>probe</th><th>verdict</th><th>errno</th><th>introduced</th>"
            "<th>reason</th></tr>\n";
    for (const auto& section : sections) {
        body << "<tr><th colspan=\"5\">" << xml_escape(section) << "</th></tr>\n";
        for (const auto& p : report.at("probes")) {
            if (p.at("section").get<std::string>() != section) continue;
            const ProbeVerdict v = probe_verdict(report, p, require);
            body << "<tr><td><code>" << xml_escape(v.id) << "</code></td>" << html::verdict_cell(v.word, v.zero_copy_mark(), v.severity)
                 << "<td>" << xml_escape(text_or(p, "errno_name", "")) << "</td><td>"
                 << xml_escape(text_or(p.value("introduced", json::object()), "version", "")) << "</td><td>"
                 << (v.cve ? xml_escape(v.cve->label()) + ": " : "") << xml_escape(p.at("reason").get<std::string>())
                 << (v.tag == "differs" ? "<br><b>" + xml_escape(v.why) + "</b>" : "") << "</td></tr>\n";
        }
    }
    body << "</table>\n</details>\n";
    return html::page(title, body.str());
}

} // namespace zc::report
