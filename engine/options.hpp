// What a zcengine run is asked to do (apps/zcengine parses the command line
// into it) and the pure decisions made from it: which (mode, kind) pairs run
// and whether every size fits them.
#pragma once

#include "engine/layout.hpp"
#include "engine/modes.hpp"
#include "engine/sink.hpp"
#include "probe/runner.hpp"
#include "traffic/socket_kinds.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace zc::engine {

// Documented in --help and the README.
inline constexpr int exit_ok = 0;
inline constexpr int exit_unclean = 1; // a run lost, duplicated or corrupted packets, or failed
inline constexpr int exit_usage = 2;   // bad input, missing privilege, a requested mode the kernel lacks
inline constexpr int exit_internal = 3;

enum class Reuse { safe, eager };

struct Options {
    std::vector<Mode> modes;
    bool all_modes = false;            // --modes all: unavailable combinations are reported, not refused
    std::optional<traffic::Kind> kind;   // nullopt: each mode's default
    std::vector<size_t> sizes{1400};
    uint64_t count = 200000;           // packets per measured run
    std::optional<int> duration_ms;    // bounds a run by time instead (count is then a ceiling)
    int time_limit_ms = 60000;         // hard stop for one run, stuck or not
    int repeat = 1;
    uint64_t warmup = 0;               // 0 = automatic (a tenth of count, 1000..20000)
    bool verify = true;
    Reuse reuse = Reuse::safe;
    LayoutPolicy layout = LayoutPolicy::automatic;
    size_t window = 1024;              // packets in flight (credits) at most
    bool json = false;
    std::string format = "text"; // text = the comparison table; others through the shared renderers
    bool format_given = false;   // --format or --json given: -o FILE gets that format, else JSON
    std::string output;
    bool quiet = false;          // -q: stdout gets one summary line of the runs
    bool host_netns = false;
    bool load_modules = false; // --load-modules: the egress sink may make the kernel load veth
    Sink sink = Sink::loopback;
    std::map<std::string, probe::Fault> faults; // test only: gating probe id -> injected fault
};

// The (mode, kind) pairs a run covers: explicit --kind where the mode allows
// it, otherwise the mode's default. An explicit mode that does not allow
// --kind is a usage error (returned as the error line).
struct Plan {
    Mode mode;
    traffic::Kind kind;
    std::string skip_reason; // set for --modes all combinations that cannot run
};
std::vector<Plan> plan_runs(const Options& o, std::string& error);

// Validates every size for every planned mode (pure). Explicit modes: the
// first bad combination is the error; --modes all: those rows are skipped
// and described by size_skip_reason.
std::string check_sizes(const Options& o, const std::vector<Plan>& plans, size_t page);

// --sink egress with explicit modes: the first mode that cannot leave
// through the egress veth pair, or size that does not fit it, is the error
// (pure); --modes all reports those rows as skipped.
std::string check_egress_plans(const Options& o, const std::vector<Plan>& plans);

} // namespace zc::engine
