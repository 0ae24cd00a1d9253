// Runs each probe in its own child process with a time limit, so a probe that
// crashes or hangs yields an `error` result and the rest of the report stays
// intact. Up to RunOptions::jobs children run side by side (most of a
// probe's life is spent waiting: RCU grace periods, deliveries); a probe the
// catalog marks alone or quiet (probe.hpp Sharing) runs with no other probe
// beside it. Results come back in the order of the specs, whatever order the
// children end in.
#pragma once

#include "probe/probe.hpp"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace zc::probe {

enum class Fault { crash, hang };

struct RunOptions {
    int timeout_ms = 2000;
    int jobs = 1;            // probes run side by side (--jobs); 1 = one after another
    bool host_netns = false; // run in the current namespace: --host-netns, or one found safe (only lo up)
    std::map<std::string, Fault> faults; // test-only: id -> injected fault
};

struct Outcome {
    const Spec* spec = nullptr;
    Result result;
};

// Test only: "ID=crash" or "ID=hang" into faults; false for anything else.
bool parse_fault(const std::string& text, std::map<std::string, Fault>& faults);

// --jobs: from 1 to max_jobs; by default jobs_per_cpu per online CPU, as
// the probes mostly wait rather than compute.
inline constexpr int max_jobs = 256;
inline constexpr int jobs_per_cpu = 4;
int default_jobs();

// The order probes are started in: the quiet ones first (while no earlier
// child is exiting), then the alone ones (one at a time, so the pool drains
// once), then the rest, each group in catalog order (pure).
std::vector<size_t> start_order(const std::vector<const Spec*>& specs);

Result run_one(const Spec& spec, Context ctx, const RunOptions& opts);
// on_start (may be empty) is called as each probe starts, with the number
// of probes finished so far.
std::vector<Outcome> run_all(const std::vector<const Spec*>& specs, const Context& ctx, const RunOptions& opts,
                             const std::function<void(size_t done, const Spec& started)>& on_start = {});

// The JSON a child sends back to the runner, and its parse (pure).
nlohmann::json result_to_wire(const Result& r);
std::optional<Result> result_from_wire(const nlohmann::json& j);

} // namespace zc::probe
