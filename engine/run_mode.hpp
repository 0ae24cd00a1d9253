// One mode at one packet size: decide from the probes whether the kernel can
// do it (and how: layout, reuse), open the channel, warm up, then measure
// --repeat runs with the receiver verifying every packet.
#pragma once

#include "engine/measure.hpp"
#include "engine/mode_result.hpp"
#include "engine/options.hpp"
#include "probe/probe.hpp"
#include "probe/runner.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace zc::engine {

// Probe verdicts the engine decides by, each run once through zcprobe's
// runner: in a child process, with a time limit, in the run's private
// directory, so a probe that crashes or hangs is an `error` verdict and
// never takes the engine down.
class ProbeCache {
public:
    ProbeCache(probe::Context ctx, probe::RunOptions opts) : ctx_(std::move(ctx)), opts_(std::move(opts)) {}
    const probe::Result& get(const std::string& id);
    [[nodiscard]] const std::map<std::string, probe::Result>& all() const { return results_; }

private:
    probe::Context ctx_;
    probe::RunOptions opts_;
    std::map<std::string, probe::Result> results_;
};

ModeResult run_mode(const Plan& plan, size_t size, const Options& o, ProbeCache& probes);

// What --count/--duration/--repeat/... ask of measure(), with the window
// the channel allows (loopback and egress runs alike).
RunParams run_params(const Options& o, size_t window);

} // namespace zc::engine
