// Durations on the command line (zcprobe --timeout, zcengine --duration and
// --time-limit), parsed one way for every tool.
#pragma once

#include <optional>
#include <string>

namespace zc {

// "2s", "1500ms", "0.5" (seconds) -> milliseconds; nullopt unless 10 ms..600 s.
std::optional<int> parse_duration_ms(const std::string& text);

} // namespace zc
