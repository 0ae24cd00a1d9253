// zcprobe's command line. Parsing and selection are separate from running so
// the unit tests can check every bad-input path without touching the kernel.
#pragma once

#include "apps/common/cli_outcome.hpp"
#include "apps/common/output_options.hpp"
#include "probe/probe.hpp"
#include "probe/runner.hpp"

#include <optional>
#include <string>
#include <vector>

namespace zc::probe {

// Documented in --help and the README.
inline constexpr int exit_ok = 0;
inline constexpr int exit_requirement_failed = 1;
inline constexpr int exit_usage = 2;
inline constexpr int exit_internal = 3;

struct CliOptions {
    bool list = false;
    bool json = false;          // --json: the same as --format json
    std::string format = "text"; // --format: text|json|markdown|junit|prometheus|html
    bool format_given = false;   // --format or --json on the command line
    std::string output; // -o FILE, "" = none; it gets --format's format (JSON when not given)
    bool quiet = false;  // -q: stdout gets the summary and the gate's verdict only
    ColourWhen colour = ColourWhen::automatic;
    bool load_modules = false; // --load-modules: probes may trigger module loads
    std::string xdp_device;    // --xdp-device IFNAME, "" = none
    std::vector<std::string> only;
    std::vector<std::string> skip;
    std::vector<std::string> require;
    RunOptions run;
};

using ParsedCli = zc::ParsedCli<CliOptions>;

ParsedCli parse_cli(int argc, const char* const* argv);

// Specs matching --only (all when empty) and not --skip, in catalog order;
// or an error line naming the pattern that matched nothing.
struct Selection {
    std::vector<const Spec*> specs;
    std::string error;
};
Selection select_probes(const std::vector<std::string>& only, const std::vector<std::string>& skip);

// Checks --require names: every pattern must match a catalog id.
std::string check_requirements(const std::vector<std::string>& require);

// --jobs N: a whole number from 1 to max_jobs, or nothing (pure).
std::optional<int> parse_jobs(const std::string& text);

// Why IFNAME cannot name a network device (empty, IFNAMSIZ or longer, '/',
// ':' or whitespace in it, "." or ".."), or "" when it can (pure).
std::string interface_name_error(const std::string& name);

// The format -o FILE is written in: --format's when given, else JSON.
std::string output_file_format(const CliOptions& o);

// --quiet's stdout: the report's summary line and, with --require, the
// gate's verdict line (pure; failed: the required ids that are not
// supported or were not run).
std::string quiet_summary(const nlohmann::json& report, const std::vector<std::string>& require,
                          const std::vector<std::string>& failed);

int run_cli(int argc, const char* const* argv);

} // namespace zc::probe
