// The fleet view as Markdown (a ticket or a wiki page): the same sections
// and words as the text format, lists stopping after a few hosts.
#include "reports/escape.hpp"
#include "reports/fleet.hpp"
#include "reports/render_fleet_parts.hpp"

#include <sstream>

namespace zc::report {

namespace {

std::string names(const std::vector<FleetHost>& hosts)
{
    std::string out;
    for (size_t i = 0; i < hosts.size() && i < fleet::hosts_shown; ++i) out += (i ? ", " : "") + markdown_code(hosts[i].name);
    if (hosts.size() > fleet::hosts_shown) out += " (and " + std::to_string(hosts.size() - fleet::hosts_shown) + " more)";
    return out;
}

} // namespace

std::string render_fleet_markdown(const Fleet& f)
{
    std::ostringstream out;
    out << "# zcprobe fleet\n\n" << markdown_escape(fleet::summary_line(f)) << "\n\n## Needs attention\n\n";
    if (f.attention.empty()) out << "Nothing needs attention on any host.\n";
    for (const auto& a : f.attention) {
        out << "- **" << markdown_escape(a.tag) << "** " << markdown_code(a.subject) << " on "
            << fleet::hosts_count(a.hosts.size()) << ": " << names(a.hosts) << "  \n  " << markdown_escape(a.why) << "\n";
    }
    out << "\n## Hosts that differ from their kernel group's majority\n\n";
    if (f.differing_hosts() == 0) out << "Every host has the verdicts of its group's majority.\n";
    for (const auto& g : f.groups) {
        size_t shown = 0;
        for (const auto& c : g.columns) {
            if (c.majority) continue;
            if (shown++ == fleet::columns_shown) {
                out << "- " << markdown_escape(fleet::group_label(g)) << ": and " << g.columns.size() - 1 - fleet::columns_shown
                    << " more sets of hosts (`--format json` lists every one)\n";
                break;
            }
            out << "- " << markdown_escape(fleet::group_label(g)) << ", " << fleet::hosts_count(c.hosts.size()) << ": "
                << names(c.hosts) << "  \n  ";
            for (size_t i = 0; i < c.differences.size(); ++i) {
                const auto& d = c.differences[i];
                out << (i ? "; " : "") << markdown_code(d.probe) << " " << markdown_escape(d.verdict.text())
                    << " (majority: " << markdown_escape(d.majority.text()) << ")";
            }
            out << "\n";
        }
    }
    out << "\n## CVEs\n\n";
    if (f.cves.empty()) {
        out << "No report carries a CVE probe.\n";
    } else {
        out << "| CVE | affected | not affected | not determined |\n|---|---|---:|---:|\n";
        for (const auto& c : f.cves) {
            out << "| " << markdown_escape(c.label) << " | "
                << (c.affected.empty() ? std::string("none") : "**AFFECTED** on " + fleet::hosts_count(c.affected.size()) + ": " + names(c.affected))
                << " | " << c.not_affected << " | " << c.undetermined << " |\n";
        }
    }
    out << "\n## Kernel groups\n\n| kernel release (distro) | hosts | sets of identical verdicts | majority | differ |\n"
           "|---|---:|---:|---|---:|\n";
    for (const auto& g : f.groups) {
        out << "| " << markdown_escape(fleet::group_label(g)) << " | " << g.hosts << " | " << g.columns.size() << " | "
            << fleet::hosts_count(g.columns.front().hosts.size()) << ": " << names(g.columns.front().hosts) << " | "
            << g.differing_hosts() << " |\n";
    }
    const auto columns = fleet::status_columns(f);
    out << "\n## Probe status counts (hosts)\n\n| probe |";
    for (const auto& c : columns) out << " " << c << " |";
    out << " needs attention |\n|---|";
    for (size_t i = 0; i <= columns.size(); ++i) out << "---:|";
    out << "\n";
    for (const auto& p : f.probes) {
        out << "| " << markdown_code(p.id) << " |";
        for (const auto& c : columns) {
            const auto it = p.statuses.find(c);
            out << " " << (it == p.statuses.end() ? 0 : it->second) << " |";
        }
        out << " " << p.attention << " |\n";
    }
    if (!f.skipped.empty()) {
        out << "\n## Reports not read (" << f.bad() << " bad, " << f.foreign() << " foreign)\n\n";
        for (const auto& s : f.skipped) out << "- " << markdown_code(s.path) << ": " << markdown_escape(s.why) << "\n";
    }
    return out.str();
}

} // namespace zc::report
