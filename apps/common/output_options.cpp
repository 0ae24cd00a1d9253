#include "apps/common/output_options.hpp"

#include "reports/render_text.hpp"

#include <unistd.h>

#include <array>
#include <utility>

namespace zc {

std::optional<ColourWhen> parse_colour_when(const std::string& text)
{
    if (text == "auto") return ColourWhen::automatic;
    if (text == "always") return ColourWhen::always;
    if (text == "never") return ColourWhen::never;
    return std::nullopt;
}

bool use_colour(ColourWhen when, int fd)
{
    switch (when) {
    case ColourWhen::always: return true;
    case ColourWhen::never: return false;
    case ColourWhen::automatic: break;
    }
    return report::want_colour(fd);
}

std::string format_of_extension(const std::string& path)
{
    static const std::array<std::pair<const char*, const char*>, 7> table{{
        {".json", "json"},
        {".prom", "prometheus"},
        {".html", "html"},
        {".htm", "html"},
        {".md", "markdown"},
        {".xml", "junit"},
        {".txt", "text"},
    }};
    const auto slash = path.find_last_of('/');
    const std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
    const auto dot = name.find_last_of('.');
    if (dot == std::string::npos || dot == 0) return {};
    const std::string ext = name.substr(dot);
    for (const auto& [e, format] : table) {
        if (ext == e) return format;
    }
    return {};
}

std::string output_format_conflict(const std::string& path, const std::string& format)
{
    const std::string announced = format_of_extension(path);
    if (announced.empty() || announced == format) return {};
    return "-o '" + path + "' names a " + announced + " file but would get " + format + "; add --format " +
           announced + " or name the file for " + format;
}

} // namespace zc
