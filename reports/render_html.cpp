// One report as a self-contained HTML page: environment, colour-coded probe
// table with a legend, and the engine chart when engine results are present.
#include "reports/html_parts.hpp"
#include "reports/escape.hpp"
#include "reports/render.hpp"
#include "reports/report_view.hpp"

#include <sstream>

namespace zc::report {

using nlohmann::json;

std::string render_html(const json& report)
{
    const json& k = report.at("kernel");
    const json& env = report.at("environment");
    std::ostringstream body;
    const std::string title = "zcprobe report: Linux " + text_or(k, "release", "unknown");
    body << "<h1>" << xml_escape(title) << "</h1>\n<table id=\"environment\">\n"
         << "<tr><th>kernel</th><td>" << xml_escape(text_or(k, "release")) << " (" << xml_escape(text_or(k, "machine"))
         << ") " << xml_escape(text_or(k, "version")) << "</td></tr>\n"
         << "<tr><th>distribution</th><td>" << xml_escape(text_or(env.value("distro", json::object()), "pretty_name"))
         << "</td></tr>\n"
         << "<tr><th>host</th><td>" << xml_escape(text_or(env, "hostname")) << "</td></tr>\n"
         << "<tr><th>euid</th><td>" << xml_escape(text_or(env, "euid")) << "</td></tr>\n"
         << "<tr><th>namespace</th><td>" << xml_escape(text_or(env.value("netns", json::object()), "mode"))
         << "</td></tr>\n"
         << "<tr><th>tool</th><td>" << xml_escape(text_or(report.at("tool"), "name") + " " +
                                                  text_or(report.at("tool"), "version"))
         << ", " << xml_escape(text_or(report, "generated_at")) << "</td></tr>\n<tr><th>summary</th><td>";
    const json& sum = report.at("summary");
    for (const auto& st : status_names()) body << sum.value(st, 0) << " " << st << (st == "error" ? "" : ", ");
    body << "</td></tr>\n</table>\n" << html::legend();
    body << "<table id=\"probe-table\">\n<tr><th>probe</th><th>status</th><th>errno</th><th>introduced</th>"
            "<th>reason</th></tr>\n";
    std::string section;
    for (const auto& p : report.at("probes")) {
        const std::string s = p.at("section").get<std::string>();
        if (s != section) {
            body << "<tr><th colspan=\"5\">" << xml_escape(s) << "</th></tr>\n";
            section = s;
        }
        body << "<tr><td><code>" << xml_escape(p.at("id").get<std::string>()) << "</code></td>"
             << html::status_cell(p.at("status").get<std::string>(), zero_copy_mark(p)) << "<td>"
             << xml_escape(text_or(p, "errno_name", "")) << "</td><td>"
             << xml_escape(text_or(p.value("introduced", json::object()), "version", "")) << "</td><td>"
             << xml_escape(p.at("reason").get<std::string>()) << "</td></tr>\n";
    }
    body << "</table>\n";
    if (const std::string chart = html::engine_chart(engine_series(report, "")); !chart.empty()) {
        body << "<h2>Engine throughput</h2>\n" << chart;
    }
    return html::page(title, body.str());
}

} // namespace zc::report
