#include "reports/render.hpp"

#include "reports/render_text.hpp"

namespace zc::report {

std::optional<Format> parse_format(std::string_view name)
{
    if (name == "text") return Format::text;
    if (name == "json") return Format::json;
    if (name == "markdown") return Format::markdown;
    if (name == "junit") return Format::junit;
    if (name == "prometheus") return Format::prometheus;
    if (name == "html") return Format::html;
    return std::nullopt;
}

std::string format_names()
{
    return "text|json|markdown|junit|prometheus|html";
}

std::string render_report(const nlohmann::json& report, Format format, const RenderOptions& options)
{
    switch (format) {
    case Format::text: return render_text(report, {options.colour});
    case Format::json: return report.dump(2) + "\n";
    case Format::markdown: return render_markdown(report);
    case Format::junit: return render_junit(report, options.require, options.strict);
    case Format::prometheus: return render_prometheus(report);
    case Format::html: return render_html(report);
    }
    return {};
}

std::string xml_escape(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default:
            // XML 1.0 forbids control characters other than tab, LF, CR.
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                out += "\xEF\xBF\xBD";
            } else {
                out += static_cast<char>(c);
            }
        }
    }
    return out;
}

std::string markdown_cell(std::string_view text)
{
    std::string out;
    for (const char c : text) {
        if (c == '\n' || c == '\r') {
            out += ' ';
        } else if (c == '|') {
            out += "\\|";
        } else if (c == '<') {
            out += "&lt;";
        } else if (c == '>') {
            out += "&gt;";
        } else if (c == '`' || c == '*' || c == '_' || c == '[' || c == ']' || c == '\\') {
            out += '\\';
            out += c;
        } else {
            out += c;
        }
    }
    return out;
}

} // namespace zc::report
