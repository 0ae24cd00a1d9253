#include "reports/matrix.hpp"

#include <algorithm>
#include <map>

namespace zc::report {

using nlohmann::json;

std::vector<EngineSeries> engine_series(const json& report, const std::string& prefix)
{
    std::map<std::pair<std::string, std::string>, EngineSeries> by_mode;
    for (const auto& r : engine_results(report)) {
        auto& s = by_mode[{r.mode, r.kind}];
        s.mode = r.mode;
        s.kind = r.kind;
        s.label = prefix + r.mode + "/" + r.kind;
        s.points.emplace_back(r.size, r.gbit_per_s);
    }
    for (const auto& v : run_verdicts(report)) {
        const auto it = by_mode.find({v.mode, v.kind});
        if (it != by_mode.end() && v.attention) it->second.unclean.insert(v.size);
    }
    std::vector<EngineSeries> out;
    for (auto& [key, s] : by_mode) {
        std::sort(s.points.begin(), s.points.end());
        out.push_back(std::move(s));
    }
    return out;
}

Matrix build_matrix(const std::vector<json>& reports, const std::vector<std::string>& labels)
{
    Matrix m;
    std::map<std::string, int> label_count;
    for (const auto& r : reports) {
        MatrixColumn c;
        c.hostname = text_or(r.at("environment"), "hostname", "?");
        c.kernel_release = text_or(r.at("kernel"), "release", "?");
        c.generated_at = text_or(r, "generated_at", "?");
        c.label = labels.size() == reports.size() ? labels[m.columns.size()] : report_label(r);
        if (const int n = ++label_count[c.label]; n > 1) c.label += " #" + std::to_string(n);
        m.columns.push_back(c);
    }
    // Row order: first appearance across the reports (catalog order).
    std::vector<std::string> order;
    std::map<std::string, MatrixRow> rows;
    std::vector<std::optional<KernelVersion>> kernels;
    for (const auto& r : reports) kernels.push_back(running_version(r));
    for (size_t col = 0; col < reports.size(); ++col) {
        for (const auto& p : reports[col].at("probes")) {
            const std::string id = p.at("id").get<std::string>();
            auto [it, fresh] = rows.try_emplace(id);
            if (fresh) {
                order.push_back(id);
                it->second.id = id;
                it->second.section = p.at("section").get<std::string>();
                it->second.title = p.at("title").get<std::string>();
                it->second.cells.resize(reports.size());
            }
            const Prediction pred = predict(kernels[col], p);
            const ProbeVerdict v = probe_verdict(reports[col], p);
            it->second.cells[col] = {v.status, v.word, v.zero_copy_mark(), v.severity,
                                     pred.matches.has_value() && !*pred.matches};
        }
    }
    std::map<std::string, size_t> section_rank;
    for (const auto& id : order) section_rank.try_emplace(rows[id].section, section_rank.size());
    for (const auto& id : order) {
        MatrixRow& row = rows[id];
        for (const auto& cell : row.cells) {
            if (cell.word != row.cells.front().word || cell.zero_copy != row.cells.front().zero_copy) row.differs = true;
        }
        m.rows.push_back(std::move(row));
    }
    std::stable_sort(m.rows.begin(), m.rows.end(), [&](const MatrixRow& a, const MatrixRow& b) {
        if (a.differs != b.differs) return a.differs;
        return section_rank[a.section] < section_rank[b.section];
    });
    for (size_t col = 0; col < reports.size(); ++col) {
        for (auto& s : engine_series(reports[col], m.columns[col].label + ": ")) m.engine.push_back(std::move(s));
    }
    return m;
}

bool any_differs_from_history(const Matrix& m)
{
    return std::any_of(m.rows.begin(), m.rows.end(), [](const MatrixRow& r) {
        return std::any_of(r.cells.begin(), r.cells.end(), [](const MatrixCell& c) { return c.differs_from_history; });
    });
}

json matrix_json(const Matrix& m)
{
    json columns = json::array();
    for (const auto& c : m.columns) {
        columns.push_back({{"label", c.label},
                           {"hostname", c.hostname == "?" ? json(nullptr) : json(c.hostname)},
                           {"kernel_release", c.kernel_release == "?" ? json(nullptr) : json(c.kernel_release)},
                           {"generated_at", c.generated_at}});
    }
    json rows = json::array();
    for (const auto& r : m.rows) {
        json cells = json::array();
        for (const auto& c : r.cells) {
            cells.push_back({{"status", c.status.empty() ? json(nullptr) : json(c.status)},
                             {"verdict", c.word.empty() ? json(nullptr) : json(c.word)},
                             {"severity", c.word.empty() ? json(nullptr) : json(severity_name(c.severity))},
                             {"needs_attention", needs_attention(c.severity)},
                             {"zero_copy", c.zero_copy == "zc"     ? json(true)
                                           : c.zero_copy == "copy" ? json(false)
                                                                   : json(nullptr)},
                             {"differs_from_history", c.differs_from_history}});
        }
        rows.push_back({{"id", r.id}, {"section", r.section}, {"title", r.title}, {"differs", r.differs}, {"cells", cells}});
    }
    json engine = json::array();
    for (const auto& s : m.engine) {
        json points = json::array();
        for (const auto& [size, gbit] : s.points) {
            points.push_back({{"size", size}, {"gbit_per_s", gbit}, {"unclean", s.unclean.contains(size)}});
        }
        engine.push_back({{"label", s.label}, {"mode", s.mode}, {"kind", s.kind}, {"points", points}});
    }
    return {{"matrix_version", 1}, {"columns", columns}, {"rows", rows}, {"engine", engine}};
}

} // namespace zc::report
