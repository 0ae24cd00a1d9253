// The one place that decides what a result means to a reader: for every
// probe result and every engine run its word ("AFFECTED", "not affected",
// "not determined", "supported", "zero-copy", "copy", "unclean", ...), its
// severity and whether it needs attention. Every renderer (text, Markdown,
// HTML, JUnit, Prometheus, matrix, diff) reads these and decides nothing on
// its own, so a danger cannot read as a pass in one format only.
//
// The rules, in order (the first that applies decides):
//   probe
//     CVE probe (security.cve_*): AFFECTED (danger) when unsupported with
//       evidence.vulnerable true; "not affected" (ok) only when supported
//       AND evidence.reached is true (proof that the page-cache page reached
//       the vulnerable operation); an error is "not determined (error)"
//       (danger); anything else is "not determined (why)" (undetermined).
//     error: danger.
//     required (--require) and not supported: danger; also when supported
//       but the sandbox answer is refused (the gate is about deploying here).
//     observation differs from the probe's upstream history: warn (worth a
//       line in a ticket: a backport, a distro patch or a regression; the
//       history itself may be wrong, so it is not a failure).
//     supported: ok; blocked or skipped: undetermined (the run could not
//       tell); unsupported: info (a fact about the kernel, not a failure:
//       e.g. SO_ZEROCOPY on raw sockets, XDP_ZEROCOPY on veth).
//     A supported probe's zero-copy answer is its own word: "zero-copy",
//     "copy", "inconclusive" (null), or "not determined (loopback only)"
//     when a MSG_ZEROCOPY / SEND_ZC probe saw a copy over loopback only
//     (loopback copies by design; no veth or egress leg ran). A supported
//     probe whose zero-copy answer is not determined is undetermined.
//   engine run
//     ok with clean counts: "clean" (ok); ok at an egress sink: "sent
//     (egress)" (info); unclean or ok with counts that are not clean:
//     "unclean" (danger); failed, or ok without counts: danger;
//     unavailable, skipped: undetermined.
// attention = severity danger. `zcreport render --strict` fails on exactly
// the attention list; JUnit fails exactly the attention list; text,
// Markdown and HTML show it under "needs attention", Prometheus as
// *_needs_attention 1.
#pragma once

#include "reports/report_view.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace zc::report {

enum class Severity { ok, info, undetermined, warn, danger };

// "ok", "info", "undetermined", "warn", "danger" (CSS classes, JSON, legends).
const char* severity_name(Severity s);
// The ANSI colour of a severity in every text table (report and matrix).
const char* terminal_colour(Severity s);
inline bool needs_attention(Severity s) { return s == Severity::danger; }

struct ProbeVerdict {
    std::string id;
    std::string status;    // the probe's own status
    std::string word;      // "supported", "unsupported", "blocked", "skipped", "error", "AFFECTED",
                           // "not affected", "not determined (...)"
    std::string zero_copy; // "zero-copy", "copy", "inconclusive", "not determined (loopback only)",
                           // "" when the probe does not report it
    Severity severity = Severity::info;
    bool attention = false;
    // Why it needs attention, one line ("" when it does not): the CVE and
    // what changed, the error, the history it differs from, "required ...".
    std::string why;
    // Short tag for attention lists: "AFFECTED", "error", "required", "differs".
    std::string tag;
    std::optional<SecurityVerdict> cve;
    // The word and the zero-copy word together: "supported, copy".
    std::string headline() const;
    // The zero-copy word as a table mark: "zc", "copy", "?", "not determined
    // (loopback only)", "".
    std::string zero_copy_mark() const;
};

// require: ids or globs (--require) whose non-support is a danger.
ProbeVerdict probe_verdict(const nlohmann::json& report, const nlohmann::json& probe,
                           const std::vector<std::string>& require = {});

// A MSG_ZEROCOPY or SEND_ZC probe (zerocopy.*, io_uring.send_zc*) whose
// answer came from loopback alone: no veth black hole (evidence.path not
// "veth_blackhole", veth.tried not true) and no egress leg (evidence.egress
// absent or not tried). Loopback copies by design, so its "copy" says
// nothing about the kernel.
bool loopback_only(const nlohmann::json& probe);

struct RunVerdict {
    std::string key; // "mode/kind/size"
    std::string mode, kind;
    long long size = 0;
    std::string status;
    std::string word; // "clean", "unclean", "failed", "unavailable", "skipped", "sent (egress)", "not counted"
    Severity severity = Severity::info;
    bool attention = false;
    std::string why; // "7878 lost, 3 corrupted, 7897 duplicated of 20000 sent" / the reason
};
RunVerdict run_verdict(const EngineRun& run);
std::vector<RunVerdict> run_verdicts(const nlohmann::json& report);

// Everything that needs attention in one report, in one order every format
// shows: affected CVEs, errors and required probes, then unclean and failed
// engine runs.
struct AttentionItem {
    std::string subject; // probe id or engine run key
    std::string tag;     // "AFFECTED", "error", "required", "unclean", "failed", "differs"
    Severity severity = Severity::warn;
    std::string text;
};
std::vector<AttentionItem> attention_list(const nlohmann::json& report, const std::vector<std::string>& require = {});

// The probes whose observation differs from their upstream history (tag
// "differs", severity warn): shown beside the attention list, not in it.
std::vector<AttentionItem> differs_list(const nlohmann::json& report);

// "Refused in this sandbox": the report's sandbox_refusals, one line per
// fix (probe/sandbox_answer.hpp groups them); empty for a report without
// the list (older reports, zcengine). Every format shows these lines.
inline constexpr const char* refused_heading = "Refused in this sandbox";
struct RefusalLine {
    std::string fix;   // "--cap-add NET_RAW"
    std::string layer; // "capability", "seccomp", "sysctl", "lsm", "namespace"
    std::vector<std::string> probes;
    std::string text() const; // "--cap-add NET_RAW: 14 probes"
};
std::vector<RefusalLine> sandbox_refusals(const nlohmann::json& report);
// A probe whose sandbox answer is refused (probes.sandbox.answer).
bool sandbox_refused(const nlohmann::json& probe);
// "refused in this sandbox (capability CAP_NET_RAW); fix: --cap-add NET_RAW"
std::string refused_text(const nlohmann::json& sandbox);

} // namespace zc::report
