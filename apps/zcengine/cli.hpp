// zcengine's command line, parsed and validated without touching the kernel
// so every bad-input path is a unit test.
#pragma once

#include "apps/common/cli_outcome.hpp"
#include "engine/mode_result.hpp"
#include "engine/options.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace zc::engine {

using ParsedCli = zc::ParsedCli<Options>;

ParsedCli parse_cli(int argc, const char* const* argv);

// "64,1400" -> sizes; error line when not numbers.
std::optional<std::vector<size_t>> parse_sizes(const std::string& text, std::string& error);

// --quiet's stdout: one line counting the runs by status (pure).
std::string quiet_summary(const std::vector<ModeResult>& results);

int run_cli(int argc, const char* const* argv);

} // namespace zc::engine
