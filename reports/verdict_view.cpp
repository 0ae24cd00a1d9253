#include "reports/verdict_view.hpp"

#include "core/glob.hpp"

#include <algorithm>

namespace zc::report {

using nlohmann::json;

namespace {

const json& evidence_of(const json& probe)
{
    static const json empty = json::object();
    const auto ev = probe.find("evidence");
    return ev != probe.end() && ev->is_object() ? *ev : empty;
}

bool starts_with(const std::string& s, std::string_view prefix)
{
    return s.rfind(prefix, 0) == 0;
}

// The "tried" flag of an evidence leg ("veth", "egress"), false when absent.
bool leg_tried(const json& ev, const char* leg)
{
    const auto it = ev.find(leg);
    if (it == ev.end()) return false;
    if (it->is_boolean()) return it->get<bool>();
    if (!it->is_object()) return false;
    const auto tried = it->find("tried");
    return tried != it->end() && tried->is_boolean() && tried->get<bool>();
}

std::string zero_copy_word(const json& probe)
{
    const json& ev = evidence_of(probe);
    const auto it = ev.find("zero_copy");
    if (it == ev.end()) return "";
    if (!it->is_boolean()) return "inconclusive";
    if (it->get<bool>()) return "zero-copy";
    return loopback_only(probe) ? "not determined (loopback only)" : "copy";
}

std::string counts_text(const EngineRun::Counts& c)
{
    return std::to_string(c.lost) + " lost, " + std::to_string(c.corrupted) + " corrupted, " +
           std::to_string(c.duplicated) + " duplicated of " + std::to_string(c.sent) + " sent";
}

} // namespace

const char* severity_name(Severity s)
{
    switch (s) {
    case Severity::ok: return "ok";
    case Severity::info: return "info";
    case Severity::undetermined: return "undetermined";
    case Severity::warn: return "warn";
    case Severity::danger: return "danger";
    }
    return "info";
}

const char* terminal_colour(Severity s)
{
    switch (s) {
    case Severity::ok: return "\x1b[32m";
    case Severity::info: return "\x1b[36m";
    case Severity::undetermined: return "\x1b[90m";
    case Severity::warn: return "\x1b[1;33m";
    case Severity::danger: return "\x1b[1;31m";
    }
    return "";
}

bool loopback_only(const json& probe)
{
    const std::string id = text_or(probe, "id", "");
    if (!starts_with(id, "zerocopy.") && !starts_with(id, "io_uring.send_zc")) return false;
    const json& ev = evidence_of(probe);
    if (const auto path = ev.find("path"); path != ev.end() && path->is_string() && *path != "loopback") return false;
    return !leg_tried(ev, "veth") && !leg_tried(ev, "egress");
}

std::string ProbeVerdict::headline() const
{
    return zero_copy.empty() ? word : word + ", " + zero_copy;
}

std::string ProbeVerdict::zero_copy_mark() const
{
    if (zero_copy == "zero-copy") return "zc";
    if (zero_copy == "inconclusive") return "?";
    return zero_copy; // "copy", "not determined (loopback only)", ""
}

bool sandbox_refused(const json& probe)
{
    const auto sb = probe.find("sandbox");
    return sb != probe.end() && sb->is_object() && text_or(*sb, "answer", "") == "refused";
}

std::string refused_text(const json& sandbox)
{
    std::string out = "refused in this sandbox (" + text_or(sandbox, "layer", "unknown layer");
    if (const std::string d = text_or(sandbox, "detail", ""); !d.empty()) out += " " + d;
    out += ")";
    if (const std::string f = text_or(sandbox, "fix", ""); !f.empty()) out += "; fix: " + f;
    const auto checked = sandbox.find("cause_checked");
    if (checked != sandbox.end() && checked->is_boolean() && !checked->get<bool>()) out += " (cause not checked)";
    return out;
}

std::string RefusalLine::text() const
{
    return fix + ": " + std::to_string(probes.size()) + (probes.size() == 1 ? " probe" : " probes");
}

std::vector<RefusalLine> sandbox_refusals(const json& report)
{
    std::vector<RefusalLine> out;
    const auto list = report.find("sandbox_refusals");
    if (list == report.end() || !list->is_array()) return out;
    for (const auto& g : *list) {
        if (!g.is_object()) continue;
        RefusalLine line{text_or(g, "fix", "?"), text_or(g, "layer", "?"), {}};
        if (const auto probes = g.find("probes"); probes != g.end() && probes->is_array()) {
            for (const auto& id : *probes) {
                if (id.is_string()) line.probes.push_back(id.get<std::string>());
            }
        }
        out.push_back(std::move(line));
    }
    return out;
}

ProbeVerdict probe_verdict(const json& report, const json& probe, const std::vector<std::string>& require)
{
    ProbeVerdict v;
    v.id = text_or(probe, "id", "");
    v.status = text_or(probe, "status", "");
    v.word = v.status;
    v.cve = security_verdict(probe);
    if (v.status == "supported") v.zero_copy = zero_copy_word(probe);
    const std::string reason = text_or(probe, "reason", "");
    bool required = false;
    for (const auto& pattern : require) required = required || glob_match(pattern, v.id);
    const std::string flag = prediction_flag(report, probe);

    if (v.cve && v.cve->state == SecurityVerdict::State::affected) {
        v.word = v.cve->verdict();
        v.severity = Severity::danger;
        v.tag = "AFFECTED";
        v.why = v.cve->label() + ": " + reason;
    } else if (v.status == "error") {
        if (v.cve) v.word = v.cve->verdict();
        v.severity = Severity::danger;
        v.tag = "error";
        v.why = reason;
    } else if (required && (v.cve ? v.cve->state != SecurityVerdict::State::not_affected : v.status != "supported")) {
        // A required CVE probe passes only on proof of "not affected".
        if (v.cve) v.word = v.cve->verdict();
        v.severity = Severity::danger;
        v.tag = "required";
        v.why = "required probe is " + v.word + ": " + reason;
    } else if (required && !v.cve && sandbox_refused(probe)) {
        // The gate is about deploying here: the kernel's yes is not enough.
        v.severity = Severity::danger;
        v.tag = "required";
        v.why = "required probe is supported by the kernel but " + refused_text(probe.at("sandbox"));
    } else if (!flag.empty()) {
        if (v.cve) v.word = v.cve->verdict();
        v.severity = Severity::warn;
        v.tag = "differs";
        v.why = flag;
    } else if (v.cve) {
        v.word = v.cve->verdict();
        v.severity = v.cve->state == SecurityVerdict::State::not_affected ? Severity::ok : Severity::undetermined;
    } else if (v.status == "supported") {
        const bool undetermined = v.zero_copy == "inconclusive" || starts_with(v.zero_copy, "not determined");
        v.severity = undetermined ? Severity::undetermined : Severity::ok;
    } else if (v.status == "unsupported") {
        v.severity = Severity::info;
    } else {
        v.severity = Severity::undetermined; // blocked, skipped: the run could not tell
    }
    v.attention = needs_attention(v.severity);
    return v;
}

RunVerdict run_verdict(const EngineRun& r)
{
    RunVerdict v;
    v.key = r.key();
    v.mode = r.mode;
    v.kind = r.kind;
    v.size = r.size;
    v.status = r.status;
    if (r.status == "unavailable" || r.status == "skipped") {
        v.word = r.status;
        v.severity = Severity::undetermined;
        v.why = r.reason;
    } else if (r.status == "ok" && r.egress && r.egress_sent) {
        v.word = "sent (egress)";
        v.severity = Severity::info;
    } else if (r.status == "ok" && r.counts && r.counts->clean()) {
        v.word = "clean";
        v.severity = Severity::ok;
    } else if (r.counts && (r.status == "unclean" || r.status == "ok")) {
        // An "ok" whose counts are not clean contradicts itself: the counts win.
        v.word = "unclean";
        v.severity = Severity::danger;
        v.why = counts_text(*r.counts); // all repeats together; the reason tells the last run
    } else if (r.status == "ok") {
        v.word = "not counted";
        v.severity = Severity::danger;
        v.why = "run ok but without packet counts";
    } else {
        v.word = r.status; // failed, or a status from a newer schema
        v.severity = Severity::danger;
        v.why = r.reason.empty() ? "run " + r.status : r.reason;
    }
    v.attention = needs_attention(v.severity);
    return v;
}

std::vector<RunVerdict> run_verdicts(const json& report)
{
    std::vector<RunVerdict> out;
    for (const auto& r : engine_runs(report)) out.push_back(run_verdict(r));
    return out;
}

std::vector<AttentionItem> attention_list(const json& report, const std::vector<std::string>& require)
{
    std::vector<AttentionItem> out;
    for (const auto& p : report.value("probes", json::array())) {
        const ProbeVerdict v = probe_verdict(report, p, require);
        if (v.attention) out.push_back({v.id, v.tag, v.severity, v.why});
    }
    // Affected CVEs lead, then errors and required probes in report order.
    std::stable_partition(out.begin(), out.end(), [](const AttentionItem& a) { return a.tag == "AFFECTED"; });
    for (const auto& r : run_verdicts(report)) {
        if (r.attention) out.push_back({r.key, r.word, r.severity, r.why});
    }
    return out;
}

std::vector<AttentionItem> differs_list(const json& report)
{
    std::vector<AttentionItem> out;
    for (const auto& p : report.value("probes", json::array())) {
        const ProbeVerdict v = probe_verdict(report, p);
        if (v.tag == "differs") out.push_back({v.id, v.tag, v.severity, v.why});
    }
    return out;
}

} // namespace zc::report
