// What changed between two reports (e.g. before and after a kernel upgrade).
// A pure function of two validated reports; `zcreport diff` exits 1 when any
// change is a regression, so it can gate an upgrade in CI.
#pragma once

#include "reports/verdict_view.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace zc::report {

enum class ChangeKind {
    regression,   // supported -> anything else (also: a supported probe missing from B), or a verdict that
                  // became a danger (not affected -> AFFECTED, -> error)
    improvement,  // anything else -> supported, or a danger that went away
    status,       // any other change of the verdict word (e.g. blocked -> error, not affected -> not determined)
    zero_copy,    // the zero-copy word changed (zero-copy, copy, not determined (loopback only), inconclusive)
    straddle,     // evidence.outcome of a straddle probe changed
    engine,       // throughput changed by more than the measured spread
    added,        // probe only in B (not supported there: supported ones are improvements)
    removed,      // probe only in A (not supported there)
};

struct Change {
    ChangeKind kind;
    std::string id;     // probe id, or engine key "mode/kind/size"
    std::string before; // "supported", "true", "whole", "123456 pps", "-" when absent
    std::string after;
    std::string detail; // reason in B, or the engine figures
    // How B reads (verdict_view.hpp): an AFFECTED CVE is danger; engine
    // changes are info.
    Severity after_severity = Severity::info;
};

struct Diff {
    std::vector<Change> changes;
    bool has_regression() const;
};

Diff diff_reports(const nlohmann::json& a, const nlohmann::json& b);

std::string change_kind_name(ChangeKind kind);

// colour: ANSI colours by the after side's severity (AFFECTED in red).
std::string render_diff_text(const Diff& diff, const std::string& label_a, const std::string& label_b,
                             bool colour = false);
std::string render_diff_markdown(const Diff& diff, const std::string& label_a, const std::string& label_b);
nlohmann::json diff_json(const Diff& diff, const std::string& label_a, const std::string& label_b);

} // namespace zc::report
