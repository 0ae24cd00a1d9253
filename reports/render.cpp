#include "reports/render.hpp"

#include "reports/escape.hpp"
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
    case Format::text: return render_text(report, {options.colour, options.require});
    case Format::json: return json_text(report);
    case Format::markdown: return render_markdown(report, options.require);
    case Format::junit: return render_junit(report, options.require, options.strict);
    case Format::prometheus: return render_prometheus(report);
    case Format::html: return render_html(report, options.require);
    }
    return {};
}

} // namespace zc::report
