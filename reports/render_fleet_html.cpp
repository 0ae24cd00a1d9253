// The fleet view as a self-contained HTML page that leads with what needs
// attention: the hosts with an affected CVE, an error, a --require'd probe
// not supported (#attention), then the hosts that differ from their kernel
// group's majority (#differs), both on the first screen; CVEs, groups,
// probe status counts and unread reports follow. Long host lists fold into
// a <details> after a few names.
#include "reports/escape.hpp"
#include "reports/fleet.hpp"
#include "reports/html_parts.hpp"
#include "reports/render_fleet_parts.hpp"

#include <sstream>

namespace zc::report {

namespace {

std::string names(const std::vector<FleetHost>& hosts)
{
    std::string out = "<span class=\"hosts\">";
    for (size_t i = 0; i < hosts.size() && i < fleet::hosts_shown; ++i) {
        out += (i ? ", " : "") + std::string("<span class=\"host\" title=\"") + xml_escape(hosts[i].path) + "\">" +
               xml_escape(hosts[i].name) + "</span>";
    }
    out += "</span>";
    if (hosts.size() > fleet::hosts_shown) {
        out += " <details class=\"more\"><summary>and " + std::to_string(hosts.size() - fleet::hosts_shown) +
               " more</summary>";
        for (size_t i = fleet::hosts_shown; i < hosts.size(); ++i) {
            out += (i > fleet::hosts_shown ? ", " : "") + xml_escape(hosts[i].name);
        }
        out += "</details>";
    }
    return out;
}

std::string verdict_span(const FleetVerdict& v)
{
    return "<span class=\"sev-" + std::string(severity_name(v.severity)) + "\">" + xml_escape(v.text()) + "</span>";
}

} // namespace

std::string render_fleet_html(const Fleet& f)
{
    std::ostringstream body;
    body << "<h1>zcprobe fleet</h1>\n<p id=\"summary\">" << xml_escape(fleet::summary_line(f)) << "</p>\n";
    body << "<section id=\"attention\"><h2>Needs attention</h2>\n";
    if (f.attention.empty()) {
        body << "<p class=\"all-clear\">Nothing needs attention on any host.</p>\n";
    } else {
        body << "<ul>\n";
        for (const auto& a : f.attention) {
            body << "<li class=\"" << severity_name(a.severity) << "\" data-subject=\"" << xml_escape(a.subject)
                 << "\"><span class=\"tag\">" << xml_escape(a.tag) << "</span> <code>" << xml_escape(a.subject)
                 << "</code> on " << fleet::hosts_count(a.hosts.size()) << ": " << names(a.hosts) << "<br><small>"
                 << xml_escape(a.why) << "</small></li>\n";
        }
        body << "</ul>\n";
    }
    body << "</section>\n<section id=\"differs\"><h2>Hosts that differ from their kernel group's majority</h2>\n";
    if (f.differing_hosts() == 0) {
        body << "<p class=\"all-clear\">Every host has the verdicts of its group's majority.</p>\n";
    } else {
        body << "<ul>\n";
        for (const auto& g : f.groups) {
            for (const auto& c : g.columns) {
                if (c.majority) continue;
                body << "<li class=\"warn\" data-group=\"" << xml_escape(g.kernel_release) << "\"><b>"
                     << xml_escape(fleet::group_label(g)) << "</b>, " << fleet::hosts_count(c.hosts.size()) << ": "
                     << names(c.hosts) << "<br>";
                for (size_t i = 0; i < c.differences.size(); ++i) {
                    const auto& d = c.differences[i];
                    body << (i ? "; " : "") << "<code>" << xml_escape(d.probe) << "</code> " << verdict_span(d.verdict)
                         << " (majority: " << verdict_span(d.majority) << ")";
                }
                body << "</li>\n";
            }
        }
        body << "</ul>\n";
    }
    body << "</section>\n<h2>CVEs</h2>\n";
    if (f.cves.empty()) {
        body << "<p>No report carries a CVE probe.</p>\n";
    } else {
        body << "<table id=\"cves\">\n<tr><th>CVE</th><th>affected</th><th>not affected</th><th>not determined</th></tr>\n";
        for (const auto& c : f.cves) {
            body << "<tr><td>" << xml_escape(c.label) << "</td><td"
                 << (c.affected.empty() ? ">none" : " class=\"sev-danger\">AFFECTED on " + fleet::hosts_count(c.affected.size()) + ": " + names(c.affected))
                 << "</td><td class=\"num\">" << c.not_affected << "</td><td class=\"num\">" << c.undetermined
                 << "</td></tr>\n";
        }
        body << "</table>\n";
    }
    body << "<h2>Kernel groups</h2>\n<table id=\"groups\">\n<tr><th>kernel release (distro)</th><th>hosts</th>"
            "<th>sets of identical verdicts</th><th>majority</th><th>differ</th></tr>\n";
    for (const auto& g : f.groups) {
        body << "<tr><td>" << xml_escape(fleet::group_label(g)) << "</td><td class=\"num\">" << g.hosts
             << "</td><td class=\"num\">" << g.columns.size() << "</td><td>"
             << fleet::hosts_count(g.columns.front().hosts.size()) << ": " << names(g.columns.front().hosts)
             << "</td><td class=\"num\">" << g.differing_hosts() << "</td></tr>\n";
    }
    body << "</table>\n<h2>Probe status counts (hosts)</h2>\n<div class=\"scroll\"><table id=\"probes\">\n<tr><th>probe</th>";
    const auto columns = fleet::status_columns(f);
    for (const auto& c : columns) body << "<th>" << c << "</th>";
    body << "<th>needs attention</th></tr>\n";
    for (const auto& p : f.probes) {
        body << "<tr><td><code>" << xml_escape(p.id) << "</code></td>";
        for (const auto& c : columns) {
            const auto it = p.statuses.find(c);
            body << "<td class=\"num\">" << (it == p.statuses.end() ? 0 : it->second) << "</td>";
        }
        body << "<td class=\"num" << (p.attention ? " bad" : "") << "\">" << p.attention << "</td></tr>\n";
    }
    body << "</table></div>\n";
    if (!f.skipped.empty()) {
        body << "<h2>Reports not read (" << f.bad() << " bad, " << f.foreign() << " foreign)</h2>\n<table id=\"skipped\">\n"
                "<tr><th>file</th><th>why</th></tr>\n";
        for (const auto& s : f.skipped) {
            body << "<tr><td><code>" << xml_escape(s.path) << "</code></td><td>" << xml_escape(s.why) << "</td></tr>\n";
        }
        body << "</table>\n";
    }
    return html::page("zcprobe fleet", body.str());
}

} // namespace zc::report
