// Whether a mode may run, and what its runs came to: pure, so every status
// and reason line is a unit test.
#pragma once

#include "engine/mode_result.hpp"
#include "probe/probe.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace zc::engine {

struct Refusal {
    RunStatus status = RunStatus::skipped;
    std::string probe; // the probe behind it, if any
    std::string reason;
};

// Before anything runs: the plan's own skip reason, then the packet size.
std::optional<Refusal> refuse_plan(Mode m, traffic::Kind k, const std::string& skip_reason, size_t size, size_t page);
// A gating probe that did not find the feature supported: unavailable.
std::optional<Refusal> refuse_by_probe(const std::string& id, const probe::Result& r);
// The channel did not open: unavailable where privilege blocked it, else failed.
Refusal refuse_channel(const std::string& failed_call, int err);

struct Verdict {
    RunStatus status = RunStatus::ok;
    std::string reason;
};
// The measured runs of a mode that did not fail: ok when every run was clean
// and in time; unclean otherwise, described by the last run (and, with
// --reuse eager, why bytes of later packets arrived in earlier ones).
Verdict judge_runs(const std::vector<Measurement>& runs, bool eager, bool verify);

} // namespace zc::engine
