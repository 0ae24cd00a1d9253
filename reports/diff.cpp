#include "reports/diff.hpp"

#include "reports/escape.hpp"
#include "reports/report_view.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

namespace zc::report {

using nlohmann::json;

namespace {

std::map<std::string, const json*> probes_by_id(const json& report)
{
    std::map<std::string, const json*> out;
    for (const auto& p : report.at("probes")) out[p.at("id").get<std::string>()] = &p;
    return out;
}

std::string pps_text(double pps)
{
    std::ostringstream s;
    s.setf(std::ios::fixed);
    s.precision(0);
    s << pps << " pps";
    return s.str();
}

} // namespace

bool Diff::has_regression() const
{
    for (const auto& c : changes) {
        if (c.kind == ChangeKind::regression) return true;
    }
    return false;
}

std::string change_kind_name(ChangeKind kind)
{
    switch (kind) {
    case ChangeKind::regression: return "regression";
    case ChangeKind::improvement: return "improvement";
    case ChangeKind::status: return "status";
    case ChangeKind::zero_copy: return "zero_copy";
    case ChangeKind::straddle: return "straddle";
    case ChangeKind::engine: return "engine";
    case ChangeKind::added: return "added";
    case ChangeKind::removed: return "removed";
    }
    return "?";
}

Diff diff_reports(const json& a, const json& b)
{
    Diff d;
    const auto pa = probes_by_id(a);
    const auto pb = probes_by_id(b);
    for (const auto& [id, before] : pa) {
        const auto it = pb.find(id);
        const ProbeVerdict va = probe_verdict(a, *before);
        if (it == pb.end()) {
            d.changes.push_back({va.status == "supported" ? ChangeKind::regression : ChangeKind::removed, id, va.word,
                                 "-", "not in the second report", Severity::info});
            continue;
        }
        const json& after = *it->second;
        const ProbeVerdict vb = probe_verdict(b, after);
        const std::string reason = after.at("reason").get<std::string>();
        const bool became_danger = vb.severity == Severity::danger && va.severity != Severity::danger;
        const bool danger_gone = va.severity == Severity::danger && vb.severity != Severity::danger;
        if (va.word != vb.word || became_danger || danger_gone) {
            const ChangeKind k = became_danger || (va.status == "supported" && vb.status != "supported")
                                     ? ChangeKind::regression
                                 : danger_gone || (vb.status == "supported" && va.status != "supported")
                                     ? ChangeKind::improvement
                                     : ChangeKind::status;
            d.changes.push_back({k, id, va.word, vb.word, (vb.cve ? vb.cve->label() + ": " : "") + reason, vb.severity});
        }
        if (!va.zero_copy.empty() && !vb.zero_copy.empty() && va.zero_copy != vb.zero_copy) {
            d.changes.push_back({ChangeKind::zero_copy, id, va.zero_copy, vb.zero_copy, reason, vb.severity});
        }
        const std::string oa = straddle_outcome(*before);
        const std::string ob = straddle_outcome(after);
        if (oa != ob && (!oa.empty() || !ob.empty())) {
            d.changes.push_back(
                {ChangeKind::straddle, id, oa.empty() ? "-" : oa, ob.empty() ? "-" : ob, reason, vb.severity});
        }
    }
    for (const auto& [id, after] : pb) {
        if (pa.contains(id)) continue;
        const ProbeVerdict vb = probe_verdict(b, *after);
        d.changes.push_back({vb.status == "supported" && vb.severity != Severity::danger ? ChangeKind::improvement
                             : vb.severity == Severity::danger                           ? ChangeKind::regression
                                                                                         : ChangeKind::added,
                             id, "-", vb.word, "not in the first report", vb.severity});
    }

    std::map<std::string, EngineResult> ea;
    for (const auto& r : engine_results(a)) ea[r.key()] = r;
    for (const auto& r : engine_results(b)) {
        const auto it = ea.find(r.key());
        if (it == ea.end()) continue;
        // A change inside the two runs' own noise is no change.
        const double delta = r.pps - it->second.pps;
        const double noise = it->second.pps_spread + r.pps_spread;
        if (std::fabs(delta) <= noise || delta == 0) continue;
        std::ostringstream detail;
        detail.setf(std::ios::fixed);
        detail.precision(1);
        detail << (delta > 0 ? "+" : "") << (it->second.pps > 0 ? 100.0 * delta / it->second.pps : 0.0)
               << "% (spread " << pps_text(noise) << ")";
        d.changes.push_back(
            {ChangeKind::engine, r.key(), pps_text(it->second.pps), pps_text(r.pps), detail.str(), Severity::info});
    }
    // Regressions first, then by kind and id: the order a reader triages in.
    std::stable_sort(d.changes.begin(), d.changes.end(), [](const Change& x, const Change& y) {
        if (x.kind != y.kind) return static_cast<int>(x.kind) < static_cast<int>(y.kind);
        return x.id < y.id;
    });
    return d;
}

std::string render_diff_text(const Diff& diff, const std::string& label_a, const std::string& label_b, bool colour)
{
    std::ostringstream out;
    out << "diff: " << text_escape(label_a) << " -> " << text_escape(label_b) << "\n";
    if (diff.changes.empty()) {
        out << "no changes\n";
        return out.str();
    }
    size_t kind_w = 4, id_w = 2, before_w = 6;
    for (const auto& c : diff.changes) {
        kind_w = std::max(kind_w, change_kind_name(c.kind).size());
        id_w = std::max(id_w, text_escape(c.id).size());
        before_w = std::max(before_w, text_escape(c.before).size());
    }
    auto pad = [](std::string s, size_t w) { return s.size() < w ? s.append(w - s.size(), ' ') : s; };
    out << "\n" << pad("KIND", kind_w) << "  " << pad("ID", id_w) << "  " << pad("BEFORE", before_w) << "  AFTER\n";
    size_t regressions = 0;
    for (const auto& c : diff.changes) {
        regressions += c.kind == ChangeKind::regression ? 1 : 0;
        out << pad(change_kind_name(c.kind), kind_w) << "  " << pad(text_escape(c.id), id_w) << "  "
            << pad(text_escape(c.before), before_w) << "  "
            << (colour && c.after_severity == Severity::danger ? "\x1b[1;31m" + text_escape(c.after) + "\x1b[0m"
                                                               : text_escape(c.after))
            << (c.detail.empty() ? "" : "  (" + text_escape(c.detail) + ")") << "\n";
    }
    out << "\n" << diff.changes.size() << " change(s), " << regressions << " regression(s)\n";
    return out.str();
}

std::string render_diff_markdown(const Diff& diff, const std::string& label_a, const std::string& label_b)
{
    std::ostringstream out;
    out << "### zcprobe diff: " << markdown_code(label_a) << " → " << markdown_code(label_b) << "\n\n";
    if (diff.changes.empty()) {
        out << "No changes.\n";
        return out.str();
    }
    out << "| change | probe | before | after | detail |\n| --- | --- | --- | --- | --- |\n";
    for (const auto& c : diff.changes) {
        const std::string kind = markdown_identifier(change_kind_name(c.kind));
        out << "| " << (c.kind == ChangeKind::regression ? "**" + kind + "**" : kind) << " | " << markdown_code(c.id)
            << " | " << markdown_escape(c.before) << " | "
            << (c.after_severity == Severity::danger ? "**" + markdown_escape(c.after) + "**" : markdown_escape(c.after))
            << " | "
            << markdown_escape(c.detail) << " |\n";
    }
    return out.str();
}

json diff_json(const Diff& diff, const std::string& label_a, const std::string& label_b)
{
    json changes = json::array();
    for (const auto& c : diff.changes) {
        changes.push_back({{"kind", change_kind_name(c.kind)},
                           {"id", c.id},
                           {"before", c.before},
                           {"after", c.after},
                           {"after_severity", severity_name(c.after_severity)},
                           {"detail", c.detail.empty() ? json(nullptr) : json(c.detail)}});
    }
    return {{"a", label_a}, {"b", label_b}, {"regression", diff.has_regression()}, {"changes", changes}};
}

} // namespace zc::report
