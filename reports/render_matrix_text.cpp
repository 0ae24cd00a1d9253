// The kernel matrix as a terminal table: differing rows first, each row's
// cells "status zc|copy|?", "-" where a report lacks the probe.
#include "reports/escape.hpp"
#include "reports/matrix.hpp"

#include <sstream>

namespace zc::report {

namespace {

std::string cell_text(const MatrixCell& c)
{
    if (c.word.empty()) return "-";
    return text_escape(c.zero_copy.empty() ? c.word : c.word + " " + c.zero_copy) +
           (c.differs_from_history ? " !" : "");
}

std::string pad(std::string s, size_t width)
{
    if (s.size() < width) s.append(width - s.size(), ' ');
    return s;
}


} // namespace

std::string render_matrix_text(const Matrix& m, bool colour)
{
    std::ostringstream out;
    size_t id_w = 2;
    for (const auto& r : m.rows) id_w = std::max(id_w, text_escape(r.id).size());
    std::vector<size_t> w;
    for (const auto& c : m.columns) w.push_back(std::max<size_t>(text_escape(c.label).size(), 16));
    for (const auto& r : m.rows) {
        for (size_t i = 0; i < r.cells.size() && i < w.size(); ++i) w[i] = std::max(w[i], cell_text(r.cells[i]).size());
    }
    out << pad("ID", id_w + 2);
    for (size_t i = 0; i < m.columns.size(); ++i) out << "  " << pad(text_escape(m.columns[i].label), w[i]);
    out << "\n";
    std::string group;
    size_t differing = 0;
    for (const auto& r : m.rows) {
        differing += r.differs ? 1 : 0;
        const std::string g = r.differs ? "differs" : r.section;
        if (g != group) {
            out << "\n[" << text_escape(g) << "]\n";
            group = g;
        }
        out << (r.differs ? "* " : "  ") << pad(text_escape(r.id), id_w);
        for (size_t i = 0; i < r.cells.size(); ++i) {
            out << "  ";
            if (colour && !r.cells[i].word.empty()) out << terminal_colour(r.cells[i].severity);
            out << pad(cell_text(r.cells[i]), w[i]);
            if (colour && !r.cells[i].word.empty()) out << "\x1b[0m";
        }
        out << "\n";
    }
    out << "\n" << m.rows.size() << " probes, " << differing << " differ across " << m.columns.size() << " reports\n";
    if (any_differs_from_history(m)) {
        out << "! differs from what upstream history predicts for that kernel: a backport, a distro patch or a "
               "regression\n";
    }
    return out.str();
}

} // namespace zc::report
