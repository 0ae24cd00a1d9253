// Reading reports that come from strangers: size limit, nesting limit, UTF-8,
// JSON syntax, schema_version range, then the schema. Every failure is one
// line naming what was wrong and what is valid; nothing here throws but
// std::bad_alloc.
#pragma once

#include "core/report_schema.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace zc::report {

inline constexpr size_t max_report_bytes = 16 * 1024 * 1024;
// Our schema nests 5 levels; evidence objects may add a few. 64 leaves room
// and keeps hostile input from costing recursion anywhere downstream.
inline constexpr int max_report_depth = 64;
inline constexpr int min_supported_schema_version = 1;
inline constexpr int max_supported_schema_version = report_schema_version;
// A named FIFO or pipe (`<(cmd)`, /dev/fd/N) must get a writer within 5 s and
// then may pause 60 s between bytes; more is a hang, not a report.
inline constexpr int report_open_wait_ms = 5000;
inline constexpr int report_stall_ms = 60000;

// Empties node from the leaves up, so no destructor allocates (nlohmann's
// does, to flatten a container) and none can throw bad_alloc. noexcept.
void release_json(nlohmann::json& node) noexcept;

// Documents emptied by release_json() when they go: the reports a command
// holds at once, whose destruction would otherwise allocate.
struct ReleasedDocs : std::vector<nlohmann::json> {
    ReleasedDocs() = default;
    ReleasedDocs(const ReleasedDocs&) = delete;
    ReleasedDocs& operator=(const ReleasedDocs&) = delete;
    ~ReleasedDocs();
};

struct ParsedReport {
    nlohmann::json doc;
    std::string error; // "" when doc is a parsed JSON value
    ParsedReport() = default;
    ParsedReport(ParsedReport&&) = default;
    ParsedReport& operator=(ParsedReport&&) = default;
    ~ParsedReport(); // release_json(doc)
};

// Parses text as one JSON value: UTF-8, no NUL, depth, syntax, nothing but
// whitespace after the value, each key once per object. Throws only
// std::bad_alloc, after releasing what it had built.
ParsedReport parse_report_text(std::string_view text);

struct LoadedReport {
    nlohmann::json doc;
    // Empty when the report is valid. Otherwise one line (bad file, bad
    // JSON, unsupported version) or one line per schema violation, each
    // "/pointer: what was expected".
    std::vector<std::string> errors;
    bool ok() const { return errors.empty(); }
    LoadedReport() = default;
    LoadedReport(LoadedReport&&) = default;
    LoadedReport& operator=(LoadedReport&&) = default;
    ~LoadedReport(); // release_json(doc)
};

// Parses, checks schema_version and validates against the compiled-in
// schema. Never throws for bad input (std::bad_alloc when memory runs out).
LoadedReport check_report_text(std::string_view text);

// Reads path (at most max_report_bytes; "-" is stdin) and checks it. A FIFO
// or pipe that never gets a writer or stalls is an error, not a hang.
LoadedReport load_report_file(const std::string& path);

// Where a byte string is not UTF-8: offset of the first bad byte, or npos.
size_t first_invalid_utf8(std::string_view text);

// Deepest [ / { nesting outside strings, stopping once past limit.
int nesting_depth(std::string_view text, int limit);

} // namespace zc::report
