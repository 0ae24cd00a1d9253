// The fleet view as terminal text: what needs attention first, then the
// hosts that differ from their kernel group, CVEs, groups, probe status
// counts and the reports that could not be read. Host lists stop after a
// few names ("and N more"); --format json lists every host.
#include "reports/escape.hpp"
#include "reports/fleet.hpp"
#include "reports/render_fleet_parts.hpp"

#include <sstream>

namespace zc::report {

namespace {

std::string names(const std::vector<FleetHost>& hosts)
{
    std::string out;
    for (size_t i = 0; i < hosts.size() && i < fleet::hosts_shown; ++i) out += (i ? ", " : "") + text_escape(hosts[i].name);
    if (hosts.size() > fleet::hosts_shown) out += " (and " + std::to_string(hosts.size() - fleet::hosts_shown) + " more)";
    return out;
}

std::string coloured(const std::string& text, Severity s, bool colour)
{
    return colour ? std::string(terminal_colour(s)) + text + "\x1b[0m" : text;
}

} // namespace

std::string render_fleet_text(const Fleet& f, bool colour)
{
    std::ostringstream out;
    out << "zcreport fleet: " << text_escape(fleet::summary_line(f)) << "\n";
    if (!f.require.empty()) {
        std::string req;
        for (const auto& r : f.require) req += (req.empty() ? "" : ", ") + r;
        out << "required: " << text_escape(req) << "\n";
    }
    out << "\nNEEDS ATTENTION\n";
    if (f.attention.empty()) out << "  nothing needs attention\n";
    for (const auto& a : f.attention) {
        out << "  " << coloured(text_escape(a.tag), a.severity, colour) << "  " << text_escape(a.subject) << " on "
            << fleet::hosts_count(a.hosts.size()) << ": " << names(a.hosts) << "\n      " << text_escape(a.why) << "\n";
    }
    out << "\nHOSTS THAT DIFFER FROM THEIR KERNEL GROUP'S MAJORITY\n";
    if (f.differing_hosts() == 0) out << "  none: every host has the verdicts of its group's majority\n";
    for (const auto& g : f.groups) {
        if (g.differing_hosts() == 0) continue;
        out << "  " << text_escape(fleet::group_label(g)) << ": " << g.differing_hosts() << " of "
            << fleet::hosts_count(g.hosts) << " differ\n";
        size_t shown = 0;
        for (const auto& c : g.columns) {
            if (c.majority) continue;
            if (shown++ == fleet::columns_shown) {
                out << "    ... and " << g.columns.size() - 1 - fleet::columns_shown
                    << " more sets of hosts (--format json lists every one)\n";
                break;
            }
            out << "    " << fleet::hosts_count(c.hosts.size()) << ": " << names(c.hosts) << "\n";
            for (const auto& d : c.differences) {
                out << "      " << text_escape(d.probe) << ": " << coloured(text_escape(d.verdict.text()), d.verdict.severity, colour)
                    << " (majority: " << text_escape(d.majority.text()) << ")\n";
            }
        }
    }
    out << "\nCVES\n";
    if (f.cves.empty()) out << "  no report carries a CVE probe\n";
    for (const auto& c : f.cves) {
        out << "  " << text_escape(c.label) << ": ";
        if (!c.affected.empty()) {
            out << coloured("AFFECTED", Severity::danger, colour) << " on " << fleet::hosts_count(c.affected.size())
                << " (" << names(c.affected) << "), ";
        } else {
            out << "affected on no host, ";
        }
        out << "not affected on " << c.not_affected << ", not determined on " << c.undetermined << "\n";
    }
    out << "\nKERNEL GROUPS\n";
    for (const auto& g : f.groups) {
        out << "  " << text_escape(fleet::group_label(g)) << ": " << fleet::hosts_count(g.hosts) << "; "
            << g.columns.size() << (g.columns.size() == 1 ? " set" : " sets") << " of identical verdicts, the majority "
            << fleet::hosts_count(g.columns.front().hosts.size()) << " (" << names(g.columns.front().hosts) << ")\n";
    }
    out << "\nPROBE STATUS COUNTS (hosts)\n";
    const auto columns = fleet::status_columns(f);
    size_t id_w = 5;
    for (const auto& p : f.probes) id_w = std::max(id_w, text_escape(p.id).size());
    out << "  " << std::string("probe") << std::string(id_w - 5, ' ');
    for (const auto& c : columns) out << "  " << c;
    out << "\n";
    for (const auto& p : f.probes) {
        const std::string id = text_escape(p.id);
        out << "  " << id << std::string(id_w - id.size(), ' ');
        for (const auto& c : columns) {
            const auto it = p.statuses.find(c);
            const std::string n = std::to_string(it == p.statuses.end() ? 0 : it->second);
            out << "  " << std::string(c.size() > n.size() ? c.size() - n.size() : 0, ' ') << n;
        }
        out << "\n";
    }
    if (!f.skipped.empty()) {
        out << "\nREPORTS NOT READ (" << f.bad() << " bad, " << f.foreign() << " foreign)\n";
        for (const auto& s : f.skipped) out << "  " << text_escape(s.path) << ": " << text_escape(s.why) << "\n";
    }
    return out.str();
}

} // namespace zc::report
