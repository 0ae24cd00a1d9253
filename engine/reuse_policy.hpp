// When a sender may rewrite packet memory: at once where the kernel copies
// (or --reuse eager asks for it on purpose), otherwise only after the
// kernel or the receiver is done with it. Pure: the probe evidence comes in
// as data.
#pragma once

#include "engine/modes.hpp"
#include "traffic/socket_kinds.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace zc::engine {

// The probe whose evidence decides reuse for the mode; empty where the
// decision needs none (eager, completion-driven modes, copy modes), so no
// probe runs, and none lands in the report, that the decision ignores.
std::string reuse_probe(Mode m, traffic::Kind k, bool eager);

// Whether a probe's evidence says the kernel copied the user pages
// (evidence.zero_copy is false); missing or not a boolean: it did not say so.
bool evidence_says_copied(const nlohmann::json& evidence);

struct ReuseDecision {
    bool guard = true; // wait (receiver or completions) before rewriting
    std::string probe; // the probe that decided; empty if none
    std::string text;  // ModeResult::reuse, one line
};

// `probe` and `evidence` as reuse_probe() named them (empty, null otherwise).
ReuseDecision decide_reuse(Mode m, bool eager, const std::string& probe, const nlohmann::json& evidence);

} // namespace zc::engine
