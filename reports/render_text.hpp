// The human-readable tables: verdicts of a report, zcengine's comparison
// table, the probe catalog.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace zc::report {

struct TextStyle {
    bool colour = false; // ANSI colours: only on a TTY and when NO_COLOR is unset
    std::vector<std::string> require = {}; // ids or globs (--require): not supported needs attention
};

// Renders from the report JSON (not from in-memory results), so a report
// read back from a file renders exactly like a fresh run.
std::string render_text(const nlohmann::json& report, const TextStyle& style);

// zcengine's comparison table from a report's "engine" array: zcengine's
// text output, and the engine part of render_text.
std::string render_engine_table(const nlohmann::json& engine);

// The catalog table of `zcprobe --list`.
std::string render_catalog_text(const nlohmann::json& catalog);

// Should output on this fd be coloured? isatty and NO_COLOR.
bool want_colour(int fd);

} // namespace zc::report
