// Many reports (one per host or kernel) merged into one matrix: rows are
// probe ids grouped by section, columns are the reports, cells are the
// verdict plus a zero-copy mark. Rows whose cells differ come first: that
// is what a reader of a kernel matrix looks for.
#pragma once

#include "reports/report_view.hpp"
#include "reports/verdict_view.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace zc::report {

struct MatrixColumn {
    std::string label; // unique: "host release", "#2" appended on repeats
    std::string hostname;
    std::string kernel_release;
    std::string generated_at;
};

struct MatrixCell {
    std::string status;    // "" when the report lacks the probe
    // The verdict (verdict_view.hpp): word ("AFFECTED", "supported", ...),
    // zero-copy mark ("zc", "copy", "?", "not determined (loopback only)"
    // or ""), severity.
    std::string word;
    std::string zero_copy;
    Severity severity = Severity::info;
    // The observation differs from what the probe's upstream history
    // predicts for that report's kernel (predict() in report_view.hpp).
    bool differs_from_history = false;
};

struct MatrixRow {
    std::string id;
    std::string section;
    std::string title;
    bool differs = false;
    std::vector<MatrixCell> cells; // one per column
};

struct EngineSeries {
    std::string label; // "column: mode/kind"
    std::string mode;
    std::string kind;
    std::vector<std::pair<long long, double>> points; // size -> Gbit/s, by size
    std::set<long long> unclean; // sizes whose run lost, corrupted or duplicated packets
};

struct Matrix {
    std::vector<MatrixColumn> columns;
    std::vector<MatrixRow> rows; // differing rows first, then by section, then catalog order
    std::vector<EngineSeries> engine;
};

// Builds a matrix one report at a time, so a caller need not hold every
// report at once (a matrix of 2,000 reports held them all: 1 GB).
class MatrixBuilder {
public:
    // report: validated, the next column. label: zcreport matrix --label's,
    // or "" for the report's "host release".
    void add(const nlohmann::json& report, const std::string& label = "");
    Matrix finish() &&;

private:
    Matrix m_;
    std::map<std::string, int> label_count_;
    std::vector<std::string> order_;      // row ids, first appearance across the reports
    std::map<std::string, MatrixRow> rows_;
};

// reports: validated reports, in column order. labels: one per report
// (zcreport matrix --label), or empty for "host release" labels.
Matrix build_matrix(const std::vector<nlohmann::json>& reports, const std::vector<std::string>& labels = {});

// Engine series of one report (for a single-report chart).
std::vector<EngineSeries> engine_series(const nlohmann::json& report, const std::string& prefix);

// Whether any cell differs from its upstream history (renderers explain the
// mark only then).
bool any_differs_from_history(const Matrix& m);

nlohmann::json matrix_json(const Matrix& m);
std::string render_matrix_text(const Matrix& m, bool colour);
std::string render_matrix_markdown(const Matrix& m);
std::string render_matrix_html(const Matrix& m);

} // namespace zc::report
