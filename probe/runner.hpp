// Runs each probe in its own child process with a time limit, so a probe that
// crashes or hangs yields an `error` result and the rest of the report stays
// intact.
#pragma once

#include "probe/probe.hpp"

#include <map>
#include <string>
#include <vector>

namespace zc::probe {

enum class Fault { crash, hang };

struct RunOptions {
    int timeout_ms = 2000;
    bool host_netns = false; // run in the current namespace: --host-netns, or one found safe (only lo up)
    std::map<std::string, Fault> faults; // test-only: id -> injected fault
};

struct Outcome {
    const Spec* spec = nullptr;
    Result result;
};

// Test only: "ID=crash" or "ID=hang" into faults; false for anything else.
bool parse_fault(const std::string& text, std::map<std::string, Fault>& faults);

Result run_one(const Spec& spec, Context ctx, const RunOptions& opts);
std::vector<Outcome> run_all(const std::vector<const Spec*>& specs, const Context& ctx, const RunOptions& opts);

// The JSON a child sends back to the runner, and its parse (pure).
nlohmann::json result_to_wire(const Result& r);
std::optional<Result> result_from_wire(const nlohmann::json& j);

} // namespace zc::probe
