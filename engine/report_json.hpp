// Mode results as report JSON: the "engine" array of zcengine's report
// (reports/ renders it, the comparison table included). Ratios compare each
// row with `page` and with `sendmmsg` at the same size.
#pragma once

#include "engine/run_mode.hpp"
#include "probe/runner.hpp"

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

// zcengine's whole report: the consulted probes as in zcprobe's report, tool
// name zcengine, and one "engine" entry per result.
nlohmann::json build_report(const std::vector<ModeResult>& results, const std::vector<probe::Outcome>& probes,
                            nlohmann::json environment, nlohmann::json kernel, const std::string& generated_at);

} // namespace zc::engine
