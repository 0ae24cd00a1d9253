// The measuring loop of one mode at one size: a warm-up, then `repeat`
// measured runs, each under flow control with the receiver verifying every
// packet. Takes the run parameters it needs, not the command line.
#pragma once

#include "engine/mode_result.hpp"
#include "engine/transmit.hpp"
#include "traffic/socket_kinds.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zc::engine {

struct RunParams {
    uint64_t count = 0;             // packets per measured run
    std::optional<int> duration_ms; // bounds a measured run by time instead (count is then a ceiling)
    int time_limit_ms = 60000;      // hard stop for one run, stuck or not
    int repeat = 1;                 // measured runs
    uint64_t warmup = 0;            // packets sent first and not counted; 0: none
    bool verify = true;             // the receiver checks every byte (else the sequence only)
    size_t window = 1024;           // packets in flight at most, fitted to the receive buffer
    bool receiver = true;           // false at the egress sink: nothing receives, nothing is verified
};

struct MeasureOutcome {
    std::vector<Measurement> runs; // the measured runs, the failed one included
    bool failed = false;
    std::string reason; // one line when failed
};

// `mode` and `size` name the run in the watchdog's and the progress lines.
MeasureOutcome measure(const traffic::Channel& ch, Transmitter& tx, const RunParams& p, std::string_view mode,
                       size_t size);

} // namespace zc::engine
