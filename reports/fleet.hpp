// A fleet view over many reports (zcreport fleet): one report is read,
// validated and reduced at a time to what the view needs (its host, kernel
// group, each probe's verdict, its CVE verdicts and what needs attention),
// so memory grows with the number of hosts, not with the reports' size.
//
// The view answers the fleet's questions, most urgent first:
//   - what needs attention, and on which hosts (affected CVEs, errors,
//     --require'd probes not supported, unclean or failed engine runs);
//   - which hosts differ from the majority of their kernel group (kernel
//     release and distro), and in which probes;
//   - per CVE, the affected hosts; per probe, the status counts;
//   - per kernel group, its hosts collapsed into columns of identical
//     verdicts (a count and a host list each).
// Every verdict word and severity comes from verdict_view.hpp.
#pragma once

#include "reports/verdict_view.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <istream>
#include <map>
#include <string>
#include <vector>

namespace zc::report {

struct FleetOptions {
    std::vector<std::string> require; // ids or globs whose non-support needs attention
    unsigned threads = 0;             // readers at once; 0: one per processor (at most 4)
};

// A report that could not be read: unreadable, malformed, invalid, or a
// valid report of another tool (foreign: a zcengine report).
struct FleetSkipped {
    std::string path;
    std::string why;
    bool foreign = false;
};

// One verdict as every format shows it (verdict_view.hpp).
struct FleetVerdict {
    std::string status;    // the probe's status; "" when the report lacks the probe
    std::string word;      // "supported", "AFFECTED", ... ("missing" when absent)
    std::string zero_copy; // zero_copy_mark(): "zc", "copy", "?", "" ...
    Severity severity = Severity::info;
    std::string text() const; // "supported, zc" / "unsupported"
    bool operator<(const FleetVerdict& o) const;
    bool operator==(const FleetVerdict& o) const = default;
};

struct FleetHost {
    std::string name; // environment.hostname, or the path when the report names none
    std::string path;
};

// A probe whose verdict on a column's hosts is not the group majority's.
struct FleetDifference {
    std::string probe;
    FleetVerdict verdict;  // on these hosts
    FleetVerdict majority; // on the group's majority
};

// Hosts of one kernel group with identical verdicts for every probe.
struct FleetColumn {
    std::vector<FleetHost> hosts; // input order
    bool majority = false;
    std::vector<FleetDifference> differences; // empty for the majority
};

struct FleetGroup {
    std::string kernel_release;
    std::string distro; // "debian 12"; "" when the report names none
    size_t hosts = 0;
    std::vector<FleetColumn> columns; // the majority first, then by size (largest first)
    std::vector<std::pair<std::string, FleetVerdict>> majority_verdicts; // probe id -> verdict, report order
    size_t differing_hosts() const;
};

// Everything that needs attention for one subject (a probe id or an engine
// run "mode/kind/size") and tag ("AFFECTED", "error", "required",
// "unclean", "failed"), with the hosts it applies to.
struct FleetAttention {
    std::string subject;
    std::string tag;
    Severity severity = Severity::danger;
    std::string why; // the first host's line (verdict_view.hpp)
    std::vector<FleetHost> hosts;
};

struct FleetCve {
    std::string cve;   // "CVE-2022-0847"
    std::string label; // "CVE-2022-0847 Dirty Pipe, fix 9d2231c5d74e"
    std::vector<FleetHost> affected;
    size_t not_affected = 0;
    size_t undetermined = 0;
};

struct FleetProbe {
    std::string id;
    std::string section;
    std::map<std::string, size_t> statuses; // status_names() -> hosts; "missing" for reports without it
    size_t attention = 0;                   // hosts where it needs attention
};

struct Fleet {
    size_t inputs = 0; // reports named (files found, paths listed)
    size_t read = 0;   // valid zcprobe reports in the view
    std::vector<FleetSkipped> skipped; // input order
    std::vector<FleetAttention> attention; // AFFECTED first, then by hosts (most first)
    std::vector<FleetGroup> groups;        // by hosts (most first), then release
    std::vector<FleetCve> cves;            // by CVE id
    std::vector<FleetProbe> probes;        // in the first report's order
    std::vector<std::string> require;
    size_t bad() const;     // skipped, not foreign
    size_t foreign() const; // skipped, foreign
    size_t hosts_needing_attention = 0;
    size_t differing_hosts() const;
};

// The reports to read: files as given; a directory gives its *.json files
// (recursively, sorted); "-" gives the paths listed on stdin, one a line.
// Problems (a missing path, an empty directory) become skipped entries.
struct FleetInputs {
    std::vector<std::string> paths;
    std::vector<FleetSkipped> problems;
};
FleetInputs fleet_inputs(const std::vector<std::string>& args, std::istream& stdin_list);

// Reads, validates and reduces every path (options.threads at once), and
// builds the view in input order: the same inputs give the same view
// whatever the thread count. Throws only std::bad_alloc.
Fleet build_fleet(const std::vector<std::string>& paths, const FleetOptions& options);

nlohmann::json fleet_json(const Fleet& f);
std::string render_fleet_text(const Fleet& f, bool colour);
std::string render_fleet_markdown(const Fleet& f);
std::string render_fleet_html(const Fleet& f);

} // namespace zc::report
