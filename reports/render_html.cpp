// One report as a self-contained HTML page that reads at a glance: what
// needs attention first (affected CVEs, required probes not supported,
// behaviour the kernel's version does not predict, errors), the CVE
// verdicts, the transmit grid (socket kind x operation), the engine table
// and chart, and the whole probe table folded away at the end.
#include "reports/escape.hpp"
#include "reports/html_parts.hpp"
#include "reports/render.hpp"
#include "reports/report_view.hpp"

#include "core/glob.hpp"

#include <sstream>

namespace zc::report {

using nlohmann::json;

namespace {

std::string optional_cell(const std::optional<double>& v, int precision, bool bad_when_positive = false)
{
    if (!v) return "<td class=\"num\">-</td>";
    const bool bad = bad_when_positive && *v > 0;
    return std::string("<td class=\"num") + (bad ? " bad" : "") + "\">" + html::fixed(*v, precision) + "</td>";
}

// One line: a tag that says why, the id, and what happened; long reasons
// of the "differs" kind go to the tooltip, so the list stays short.
std::string attention_item(const char* cls, const char* tag, const std::string& id, const std::string& text,
                           const std::string& tooltip = "")
{
    return std::string("<li class=\"") + cls + "\"" + (tooltip.empty() ? "" : " title=\"" + xml_escape(tooltip) + "\"") +
           "><span class=\"tag\">" + tag + "</span> <code>" + xml_escape(id) + "</code> " + xml_escape(text) + "</li>\n";
}

// Each probe once, under the first heading that applies, the most urgent
// first: affected CVEs, required probes not supported, errors, then
// behaviour that differs from what the probe's upstream history predicts
// for this kernel (a backport, a distro patch or a regression).
void attention(std::ostringstream& body, const json& report, const std::vector<std::string>& require)
{
    std::string affected, required, errors, differs;
    const std::string line = text_or(report.at("kernel"), "line", "?");
    for (const auto& p : report.at("probes")) {
        const std::string id = p.at("id").get<std::string>();
        const std::string status = p.at("status").get<std::string>();
        const std::string reason = p.at("reason").get<std::string>();
        const auto cve = security_verdict(p);
        bool must = false;
        for (const auto& pattern : require) must = must || glob_match(pattern, id);
        const std::string flag = prediction_flag(report, p);
        if (cve && cve->state == SecurityVerdict::State::affected) {
            affected += attention_item("affected", "&#10006; AFFECTED", id, cve->label() + ": " + reason);
        } else if (must && status != "supported") {
            required += attention_item("required", "&#9888; required", id, "is " + status + ": " + reason);
        } else if (status == "error") {
            errors += attention_item("error", "! error", id, reason);
        } else if (!flag.empty()) {
            differs += attention_item("differs", "&#9650; differs", id, flag, reason);
        }
    }
    for (const auto& r : engine_results(report)) {
        if (r.corrupted && *r.corrupted > 0) {
            errors += attention_item("error", "! corrupted", r.key(),
                                     html::fixed(*r.corrupted, 0) + " packets arrived corrupted in the engine run");
        }
    }
    body << "<section id=\"attention\">\n<h2>Needs attention</h2>\n";
    const std::string all = affected + required + errors + differs;
    if (all.empty()) {
        body << "<p class=\"all-clear\">&#10004; Nothing: no CVE affected, no required probe missing, no error, and "
                "no probe differs from what upstream history predicts for kernel "
             << xml_escape(line) << ".</p>\n";
    } else {
        body << "<ul>\n" << all << "</ul>\n";
    }
    body << "</section>\n";
}

void security(std::ostringstream& body, const json& report)
{
    std::ostringstream rows;
    for (const auto& p : report.at("probes")) {
        const auto v = security_verdict(p);
        if (!v) continue;
        const char* cls = v->state == SecurityVerdict::State::affected       ? "cve-affected"
                          : v->state == SecurityVerdict::State::not_affected ? "cve-not-affected"
                                                                             : "cve-untested";
        const char* mark = v->state == SecurityVerdict::State::affected       ? "&#10006; "
                           : v->state == SecurityVerdict::State::not_affected ? "&#10004; "
                                                                              : "? ";
        rows << "<tr><td><b>" << xml_escape(v->cve) << "</b></td><td>" << xml_escape(v->common_name) << "</td><td class=\""
             << cls << "\">" << mark << xml_escape(v->verdict()) << "</td><td><code>" << xml_escape(v->fix_commit)
             << "</code></td><td>"
             << (v->path_errno.empty() ? "" : "path unavailable (" + xml_escape(v->path_errno) + "); ")
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

void engine(std::ostringstream& body, const json& report)
{
    const auto results = engine_results(report);
    if (results.empty()) return;
    body << "<h2>Engine throughput</h2>\n<table id=\"engine-table\">\n<tr><th>mode</th><th>kind</th><th>size "
            "(B)</th><th>packets/s</th><th>&#177; (pps)</th><th>Gbit/s</th><th>verified</th><th>lost</th>"
            "<th>corrupted</th><th>syscalls/packet</th><th>vs page</th><th>vs sendmmsg</th></tr>\n";
    for (const auto& r : results) {
        body << "<tr><td>" << xml_escape(r.mode) << "</td><td>" << xml_escape(r.kind) << "</td><td class=\"num\">"
             << r.size << "</td><td class=\"num\">" << html::fixed(r.pps, 0) << "</td><td class=\"num\">"
             << html::fixed(r.pps_spread, 0) << "</td><td class=\"num\">" << html::fixed(r.gbit_per_s, 3) << "</td>"
             << optional_cell(r.verified, 0) << optional_cell(r.lost, 0, true) << optional_cell(r.corrupted, 0, true)
             << optional_cell(r.syscalls_per_packet, 3) << optional_cell(r.ratio_vs_page, 2)
             << optional_cell(r.ratio_vs_sendmmsg, 2) << "</tr>\n";
    }
    body << "</table>\n" << html::engine_chart(engine_series(report, ""));
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
        body << "; " << (cves.affected > 0 ? "<b>AFFECTED</b> by " : "affected by ") << cves.affected << " of "
             << cves.probes << " CVEs tested";
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
    if (tool == "zcengine") engine(body, report);
    security(body, report);
    grid(body, report);
    if (tool != "zcengine") engine(body, report);

    body << "<details id=\"all-probes\">\n<summary>All " << report.at("probes").size() << " probes</summary>\n"
         << html::legend()
         << "<table id=\"probe-table\">\n<tr><th>probe</th><th>status</th><th>errno</th><th>introduced</th>"
            "<th>reason</th></tr>\n";
    std::string section;
    for (const auto& p : report.at("probes")) {
        const std::string s = p.at("section").get<std::string>();
        if (s != section) {
            body << "<tr><th colspan=\"5\">" << xml_escape(s) << "</th></tr>\n";
            section = s;
        }
        const auto cve = security_verdict(p);
        body << "<tr><td><code>" << xml_escape(p.at("id").get<std::string>()) << "</code></td>"
             << html::status_cell(p.at("status").get<std::string>(), zero_copy_mark(p)) << "<td>"
             << xml_escape(text_or(p, "errno_name", "")) << "</td><td>"
             << xml_escape(text_or(p.value("introduced", json::object()), "version", "")) << "</td><td>"
             << (cve ? xml_escape(cve->label() + ", " + cve->verdict()) + ": " : "")
             << xml_escape(p.at("reason").get<std::string>()) << "</td></tr>\n";
    }
    body << "</table>\n</details>\n";
    return html::page(title, body.str());
}

} // namespace zc::report
