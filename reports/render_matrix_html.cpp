// The kernel matrix as a self-contained HTML page: colour-coded cells with a
// legend, differing rows first with the changed cells outlined, and the engine chart when any report has
// engine results.
#include "reports/escape.hpp"
#include "reports/html_parts.hpp"
#include "reports/matrix.hpp"

#include <sstream>

namespace zc::report {

std::string render_matrix_html(const Matrix& m)
{
    std::ostringstream body;
    size_t differing = 0;
    for (const auto& r : m.rows) differing += r.differs ? 1 : 0;
    body << "<h1>zcprobe kernel matrix</h1>\n<p>" << m.rows.size() << " probes across " << m.columns.size()
         << " reports; " << differing << " differ (listed first, in bold); inside them a cell with a thick "
            "border changed from the column to its left"
         << (any_differs_from_history(m) ? "; <b>!</b> marks a cell that differs from what upstream history predicts "
                                           "for that kernel"
                                         : "")
         << ".</p>\n"
         << html::legend() << "<div class=\"scroll\"><table id=\"matrix-table\">\n<tr><th>probe</th>";
    for (const auto& c : m.columns) body << "<th>" << xml_escape(c.label) << "</th>";
    body << "</tr>\n";
    std::string group;
    for (const auto& r : m.rows) {
        const std::string g = r.differs ? "differs" : r.section;
        if (g != group) {
            body << "<tr><th colspan=\"" << m.columns.size() + 1 << "\">" << xml_escape(g) << "</th></tr>\n";
            group = g;
        }
        body << "<tr" << (r.differs ? " class=\"differs\"" : "") << "><td><code>" << xml_escape(r.id)
             << "</code></td>";
        // In a differing row, mark where the verdict changes from the
        // column to its left: the reader sees which kernel moved.
        for (size_t i = 0; i < r.cells.size(); ++i) {
            const auto& c = r.cells[i];
            const bool changed = r.differs && i > 0 &&
                                 (c.word != r.cells[i - 1].word || c.zero_copy != r.cells[i - 1].zero_copy);
            std::string cell = html::verdict_cell(c.word, c.zero_copy, c.severity, changed ? "changed" : "");
            if (c.differs_from_history) {
                cell.insert(cell.size() - 5, " <b title=\"differs from upstream history\">!</b>");
            }
            body << cell;
        }
        body << "</tr>\n";
    }
    body << "</table></div>\n";
    if (const std::string chart = html::engine_chart(m.engine); !chart.empty()) {
        body << "<h2>Engine throughput</h2>\n" << chart;
    }
    return html::page("zcprobe kernel matrix", body.str());
}

} // namespace zc::report
