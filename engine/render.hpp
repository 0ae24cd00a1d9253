// Turns mode results into the comparison table and the JSON "engine" array.
// Ratios compare each row with `page` and with `sendmmsg` at the same size.
#pragma once

#include "engine/run_mode.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace zc::engine {

// Median pps of row / median pps of the reference row of the same size;
// nullopt where either did not run (pure).
std::optional<double> ratio(const std::vector<ModeResult>& all, const ModeResult& row, Mode reference);

// Bytes of one packet on the wire (IP or Ethernet frame) for Gbit/s.
size_t wire_bytes(const ModeResult& r);

nlohmann::json result_json(const std::vector<ModeResult>& all, const ModeResult& r);
std::string render_table(const std::vector<ModeResult>& all);

} // namespace zc::engine
