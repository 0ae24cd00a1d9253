// One mode at one size at the egress sink (--sink egress): a brief fully
// verified run on loopback first (bytes cannot be checked where nothing
// receives them), then the measured runs out through the egress veth pair
// with no receiver and no flow control.
#pragma once

#include "engine/mode_result.hpp"
#include "engine/options.hpp"
#include "engine/run_verdict.hpp"
#include "engine/transmit.hpp"

#include <string>
#include <vector>

namespace zc::engine {

class ProbeCache;

// The decisions run_mode() already made for the mode at this size.
struct EgressSetup {
    bool guard_reuse = true;
    LayoutPolicy layout = LayoutPolicy::dense;
    bool zc_report_usage = false;
};

// `res` carries what run_mode() filled in (mode, kind, size, reuse, probe).
ModeResult run_egress(ModeResult res, const Plan& plan, const Options& o, ProbeCache& probes,
                      const EgressSetup& setup);

// The pre-check's and the measured runs' verdict (pure): ok when the
// pre-check was clean and no run hit the time limit; the reason says what
// was sent and what the pre-check verified.
Verdict judge_egress(const std::vector<Measurement>& runs, const Precheck& pre);

} // namespace zc::engine
