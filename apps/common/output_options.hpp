// Output choices the three tools share: --color=auto|always|never, and
// which format a -o FILE gets (pure, unit-tested).
#pragma once

#include <optional>
#include <string>

namespace zc {

enum class ColourWhen { automatic, always, never };

// "auto", "always", "never"; nullopt for anything else.
std::optional<ColourWhen> parse_colour_when(const std::string& text);

// always: yes; never: no; automatic: fd is a terminal and NO_COLOR is unset
// or empty (https://no-color.org: an explicit --color=always overrides it).
bool use_colour(ColourWhen when, int fd);

// The format a file name's extension announces: .json json, .prom
// prometheus, .html/.htm html, .md markdown, .xml junit, .txt text; "" for
// any other name (a device, a FIFO, no extension).
std::string format_of_extension(const std::string& path);

// -o PATH will receive `format`: one error line when PATH's extension
// announces another format (x.prom getting JSON would make node_exporter
// fail its scrape), else "". The tool names what to add.
std::string output_format_conflict(const std::string& path, const std::string& format);

} // namespace zc
