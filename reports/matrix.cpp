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

void MatrixBuilder::add(const json& r, const std::string& label)
{
    const size_t col = m_.columns.size();
    MatrixColumn c;
    c.hostname = text_or(r.at("environment"), "hostname", "?");
    c.kernel_release = text_or(r.at("kernel"), "release", "?");
    c.generated_at = text_or(r, "generated_at", "?");
    c.label = label.empty() ? report_label(r) : label;
    if (const int n = ++label_count_[c.label]; n > 1) c.label += " #" + std::to_string(n);
    m_.columns.push_back(c);
    // Row order: first appearance across the reports (catalog order).
    const std::optional<KernelVersion> kernel = running_version(r);
    for (const auto& p : r.at("probes")) {
        const std::string id = p.at("id").get<std::string>();
        auto [it, fresh] = rows_.try_emplace(id);
        if (fresh) {
            order_.push_back(id);
            it->second.id = id;
            it->second.section = p.at("section").get<std::string>();
            it->second.title = p.at("title").get<std::string>();
        }
        it->second.cells.resize(col + 1); // a report before this one lacked the probe: its cell stays empty
        const Prediction pred = predict(kernel, p);
        const ProbeVerdict v = probe_verdict(r, p);
        it->second.cells[col] = {v.status, v.word, v.zero_copy_mark(), v.severity,
                                 pred.matches.has_value() && !*pred.matches};
    }
    for (auto& s : engine_series(r, c.label + ": ")) m_.engine.push_back(std::move(s));
}

Matrix MatrixBuilder::finish() &&
{
    std::map<std::string, size_t> section_rank;
    for (const auto& id : order_) section_rank.try_emplace(rows_[id].section, section_rank.size());
    for (const auto& id : order_) {
        MatrixRow& row = rows_[id];
        row.cells.resize(m_.columns.size());
        for (const auto& cell : row.cells) {
            if (cell.word != row.cells.front().word || cell.zero_copy != row.cells.front().zero_copy) row.differs = true;
        }
        m_.rows.push_back(std::move(row));
    }
    std::stable_sort(m_.rows.begin(), m_.rows.end(), [&](const MatrixRow& a, const MatrixRow& b) {
        if (a.differs != b.differs) return a.differs;
        return section_rank[a.section] < section_rank[b.section];
    });
    return std::move(m_);
}

Matrix build_matrix(const std::vector<json>& reports, const std::vector<std::string>& labels)
{
    MatrixBuilder b;
    for (size_t i = 0; i < reports.size(); ++i) b.add(reports[i], labels.size() == reports.size() ? labels[i] : "");
    return std::move(b).finish();
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
