// The kernel matrix as a Markdown table, differing rows first and bold.
#include "reports/escape.hpp"
#include "reports/matrix.hpp"
#include "reports/render.hpp"

#include <sstream>

namespace zc::report {

std::string render_matrix_markdown(const Matrix& m)
{
    std::ostringstream out;
    size_t differing = 0;
    for (const auto& r : m.rows) differing += r.differs ? 1 : 0;
    out << "## zcprobe kernel matrix\n\n" << m.rows.size() << " probes across " << m.columns.size() << " reports; "
        << differing << " differ (listed first)"
        << (any_differs_from_history(m) ? "; **!** marks a cell that differs from what upstream history predicts for "
                                          "that kernel"
                                        : "")
        << ".\n\n| probe | section |";
    for (const auto& c : m.columns) out << " " << markdown_escape(c.label) << " |";
    out << "\n| --- | --- |";
    for (size_t i = 0; i < m.columns.size(); ++i) out << " --- |";
    out << "\n";
    for (const auto& r : m.rows) {
        out << "| " << (r.differs ? "**" + markdown_code(r.id) + "**" : markdown_code(r.id)) << " | "
            << markdown_identifier(r.section) << " |";
        for (const auto& c : r.cells) {
            const std::string word = markdown_escape(c.word);
            out << " " << (c.word.empty() ? "-" : needs_attention(c.severity) ? "**" + word + "**" : word)
                << (c.zero_copy.empty()                        ? ""
                    : c.zero_copy.rfind("not determined", 0) == 0 ? ", " + markdown_escape(c.zero_copy)
                                                                  : " (" + markdown_escape(c.zero_copy) + ")")
                << (c.differs_from_history ? " **!**" : "") << " |";
        }
        out << "\n";
    }
    if (!m.engine.empty()) {
        out << "\n### Engine throughput (Gbit/s)\n\n| series | size (bytes) | Gbit/s |\n| --- | ---: | ---: |\n";
        for (const auto& s : m.engine) {
            for (const auto& [size, gbit] : s.points) {
                std::ostringstream g;
                g.setf(std::ios::fixed);
                g.precision(3);
                g << gbit;
                out << "| " << markdown_escape(s.label) << " | " << size << " | " << g.str() << " |\n";
            }
        }
    }
    return out.str();
}

} // namespace zc::report
