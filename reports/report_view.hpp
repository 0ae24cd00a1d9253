// Read-only accessors the renderers, the matrix and the diff share. They
// work on validated reports, and read the optional "engine" section
// (zcengine throughput results) defensively: an entry lacking mode, kind,
// size or pps, or one marked "measured": false, is skipped; an absent
// section is an empty list.
#pragma once

#include "core/kernel_version.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace zc::report {

// j[key] as text; fallback when absent or null; non-strings are dumped.
std::string text_or(const nlohmann::json& j, const char* key, const char* fallback = "-");

// evidence.zero_copy: true, false, or nullopt (absent or null).
std::optional<bool> zero_copy_of(const nlohmann::json& probe);

// "zc", "copy", "?" (null) or "" (the probe does not report it).
std::string zero_copy_mark(const nlohmann::json& probe);

// evidence.outcome for straddle probes, "" when absent or null.
std::string straddle_outcome(const nlohmann::json& probe);

struct EngineResult {
    std::string mode;  // e.g. "splice", "sendmsg"
    std::string kind;  // socket kind, e.g. "raw4"
    long long size = 0; // packet size in bytes
    double pps = 0;
    double gbit_per_s = 0;
    // Absolute spread of pps over the repeated runs (the measurement's own
    // noise): max - min when pps is zcengine's {median, min, max, spread}
    // object; otherwise "spread" as a fraction of pps, or an object with
    // "pps" (absolute) or "min"/"max". 0 when the report gives none.
    double pps_spread = 0;
    // A spread needs two repeats or more: false when the entry says
    // "repeats": 1 (renderers say "not measured", not 0).
    bool spread_measured = true;
    // Accounting and cost, nullopt when the report does not give them.
    std::optional<double> verified, lost, corrupted, syscalls_per_packet, ratio_vs_page, ratio_vs_sendmmsg;
    std::string key() const { return mode + "/" + kind + "/" + std::to_string(size); }
};
std::vector<EngineResult> engine_results(const nlohmann::json& report);

// Every engine entry with its outcome, measured or not: JUnit and Prometheus
// report unavailable, skipped and failed runs too, and count what a measured
// run lost. An entry lacking mode, kind, size or status is skipped; counts
// are nullopt unless the entry carries all of them (a run never measured).
struct EngineRun {
    std::string mode;
    std::string kind;
    long long size = 0;
    std::string status; // "ok", "unclean", "failed", "unavailable", "skipped"
    std::string reason; // "" when null
    struct Counts {
        long long sent = 0, verified = 0, lost = 0, corrupted = 0, duplicated = 0;
        bool clean() const { return lost == 0 && corrupted == 0 && duplicated == 0; }
    };
    std::optional<Counts> counts;
    // "sink": "egress": nothing received the packets, so only what was sent
    // is known (counts stays nullopt: no packet counts as verified or lost).
    bool egress = false;
    std::optional<long long> egress_sent;
    double elapsed_s = 0; // all repeats together; 0 when not measured
    std::string key() const { return mode + "/" + kind + "/" + std::to_string(size); }
};
std::vector<EngineRun> engine_runs(const nlohmann::json& report);

// The report's kernel as numbers for comparing with a probe's history: the
// release ("6.1.0-28-cloud-amd64" -> 6.1.0), with the patch level taken from
// a Debian kernel.version ("#1 SMP ... Debian 6.1.192-1 (...)" -> 6.1.192)
// when it names the same major.minor, since Debian's release says x.y.0.
// nullopt when the release does not parse.
std::optional<KernelVersion> running_version(const nlohmann::json& report);

// What a probe's history predicts for a kernel and whether the observation
// agrees. The entry that applies is the last one (histories are oldest
// first) whose version is at or below the kernel's, or one of whose stable
// releases the kernel's line carries (same major.minor, patch at or above).
// Below the first entry nothing is predicted. matches is nullopt when
// nothing is predicted, when the probe could not observe (blocked,
// skipped, error), when the kernel lacks the socket family altogether
// (EAFNOSUPPORT and kin: a build choice, not history) or when a predicted
// field was not observed (null).
struct Prediction {
    nlohmann::json change = nullptr; // the history entry; null when none applies
    std::optional<bool> matches;
};
Prediction predict(const std::optional<KernelVersion>& kernel, const nlohmann::json& probe);

// One line for a probe whose observation differs from its prediction, ""
// otherwise (also for reports without histories):
// "differs from upstream history: 6.1.192 predicted supported, zero_copy=true
// (since 2.6.17, 5274f052e7b3); observed supported, zero_copy=false: a
// backport, a distro patch or a regression".
std::string prediction_flag(const nlohmann::json& report, const nlohmann::json& probe);

// A predicted or observed field as text: an errno by its name
// ("EOPNOTSUPP", "ENOTSUPP" for the kernel-internal 524), else the value.
std::string field_text(const std::string& key, const nlohmann::json& value);
// A history entry's "predicts" as "unsupported, errno=EOPNOTSUPP"; "" when
// it predicts nothing (null or empty: the behaviour depends on the driver).
std::string predicts_text(const nlohmann::json& predicts);

// Sets "predicted" and "matches_prediction" on every probe that carries a
// history (zcprobe does this before writing its report); probes without
// one are left as they are.
void annotate_predictions(nlohmann::json& report);

// A security probe's verdict (ids "security.cve_YYYY_NNNNN"). The model:
// unsupported with evidence.vulnerable true = affected; supported with
// evidence.reached true (the page-cache page reached the vulnerable
// operation, reach_proof says how) = not affected; anything else
// (supported without that proof, as in reports older than "reached",
// blocked, skipped, error) = not determined, with why. Names come from the
// report only: evidence.cve, else the id turned into CVE-YYYY-NNNNN;
// evidence.common_name, else the parenthesis closing the title; evidence
// .fix_commit, else introduced.commit (a security probe's "introduced" is
// the fix).
struct SecurityVerdict {
    enum class State { not_affected, affected, undetermined };
    State state = State::undetermined;
    std::string status;      // the probe's status
    std::string cve;         // "CVE-2022-0847"
    std::string common_name; // "Dirty Pipe"; "" when the report names none
    std::string fix_commit;  // "" when unknown
    std::string path_errno;  // evidence.path_errno when the path is unavailable, else ""
    std::string reach_proof; // evidence.reach_proof, "" when absent
    // Why it is not determined: "not reached", "no proof of reach", the
    // status ("skipped", "blocked", "error"); "" when determined.
    std::string undetermined_why;
    // "not affected", "AFFECTED", "not determined (no proof of reach)".
    std::string verdict() const;
    // "CVE-2022-0847 Dirty Pipe, fix 9d2231c5d74e" (parts omitted when unknown).
    std::string label() const;
};
// nullopt for a probe that is not a CVE probe.
std::optional<SecurityVerdict> security_verdict(const nlohmann::json& probe);

struct CveCount {
    size_t probes = 0;       // security probes naming a CVE
    size_t affected = 0;
    size_t undetermined = 0; // neither affected nor proven not affected
    size_t determined() const { return probes - undetermined; }
};
CveCount count_cves(const nlohmann::json& report);

// "affected by 1 of 3 CVEs tested, 1 not determined", "" without CVE probes.
std::string cve_summary(const CveCount& n);

// The transmit grid: socket kind x operation, each cell one word a reader
// can compare at a glance. Operations are the probe families splice,
// splice_straddle, sendfile and zerocopy (MSG_ZEROCOPY); kinds are the
// suffixes of their ids, in report order. A cell's verdict is "zero-copy",
// "copy" or "inconclusive" (splice, sendfile, MSG_ZEROCOPY when supported),
// "whole", "split" or "truncated" (straddle; a byte stream that arrived in
// order is whole), otherwise the status ("unsupported", "blocked",
// "skipped", "error"), or "" when the report lacks the probe.
struct GridCell {
    std::string verdict;
    std::string probe_id; // "" when absent
    std::string reason;
};
struct TransmitGrid {
    std::vector<std::string> operations; // display names: splice, straddle, sendfile, MSG_ZEROCOPY
    std::vector<std::string> kinds;
    std::vector<std::vector<GridCell>> cells; // [kind][operation]
};
TransmitGrid transmit_grid(const nlohmann::json& report);

// Short column label: hostname (or "?") and kernel release.
std::string report_label(const nlohmann::json& report);

// v with exactly `precision` digits after the point ("1234.0"), for every
// format's numbers.
std::string fixed(double v, int precision);

// "supported", ... in the schema's order, for tables and legends.
const std::vector<std::string>& status_names();

} // namespace zc::report
