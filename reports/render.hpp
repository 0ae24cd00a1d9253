// One entry point for every output format of a single report, shared by
// zcprobe, zcengine and zcreport: one renderer per format, each in its own
// file, no copies.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zc::report {

enum class Format { text, json, markdown, junit, prometheus, html };

// nullopt for an unknown name.
std::optional<Format> parse_format(std::string_view name);
// "text|json|markdown|junit|prometheus|html", for help and error lines.
std::string format_names();

struct RenderOptions {
    bool colour = false;               // text only
    // Ids or globs whose non-support needs attention (every format) and so
    // fails JUnit and the exit code.
    std::vector<std::string> require;
    // Recorded in JUnit's properties; zcreport render --strict also exits 1
    // when anything needs attention (verdict_view.hpp decides what).
    bool strict = false;
};

std::string render_report(const nlohmann::json& report, Format format, const RenderOptions& options);

// The renderers, one per file (render_FORMAT.cpp).
std::string render_markdown(const nlohmann::json& report, const std::vector<std::string>& require = {});
std::string render_junit(const nlohmann::json& report, const std::vector<std::string>& require, bool strict);
std::string render_prometheus(const nlohmann::json& report);
// require: ids or globs listed under "needs attention" when not supported.
std::string render_html(const nlohmann::json& report, const std::vector<std::string>& require);

} // namespace zc::report
