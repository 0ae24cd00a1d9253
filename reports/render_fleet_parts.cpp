#include "reports/render_fleet_parts.hpp"

#include "reports/report_view.hpp"

namespace zc::report::fleet {

std::string hosts_count(size_t n) { return std::to_string(n) + (n == 1 ? " host" : " hosts"); }

std::string group_label(const FleetGroup& g)
{
    return g.distro.empty() ? g.kernel_release : g.kernel_release + " (" + g.distro + ")";
}

std::string summary_line(const Fleet& f)
{
    std::string out = std::to_string(f.inputs) + (f.inputs == 1 ? " report: " : " reports: ") + std::to_string(f.read) +
                      " read, " + std::to_string(f.bad()) + " bad, " + std::to_string(f.foreign()) + " foreign; " +
                      std::to_string(f.groups.size()) + (f.groups.size() == 1 ? " kernel group; " : " kernel groups; ") +
                      hosts_count(f.hosts_needing_attention) + " need" + (f.hosts_needing_attention == 1 ? "s" : "") +
                      " attention; " + hosts_count(f.differing_hosts()) + " differ" +
                      (f.differing_hosts() == 1 ? "s" : "") + " from their kernel group's majority";
    return out;
}

std::vector<std::string> status_columns(const Fleet& f)
{
    std::vector<std::string> out = status_names();
    for (const auto& p : f.probes) {
        if (p.statuses.contains("missing")) {
            out.emplace_back("missing");
            break;
        }
    }
    return out;
}

} // namespace zc::report::fleet
