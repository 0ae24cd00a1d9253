#include "apps/zcengine/cli.hpp"
#include "apps/common/progress.hpp"
#include "core/visible_text.hpp"
#include "core/interrupt.hpp"
#include "traffic/netns.hpp"
#include "core/output.hpp"
#include "core/page_buffer.hpp"
#include "core/private_dir.hpp"
#include "core/proc_files.hpp"
#include "engine/report_json.hpp"
#include "engine/run_mode.hpp"
#include "probe/catalog.hpp"
#include "probe/env_facts.hpp"
#include "probe/report_json.hpp"
#include "reports/render.hpp"
#include "reports/render_text.hpp"

#include <unistd.h>

#include <iostream>

namespace zc::engine {

namespace {

int usage_error(const std::string& msg)
{
    std::cerr << "zcengine: " << visible_text(msg) << "\n";
    return exit_usage;
}

} // namespace

std::string quiet_summary(const std::vector<ModeResult>& results)
{
    size_t counts[5] = {};
    for (const auto& r : results) ++counts[static_cast<size_t>(r.status)];
    std::string line = "runs: " + std::to_string(results.size());
    for (RunStatus s : {RunStatus::ok, RunStatus::unclean, RunStatus::failed, RunStatus::unavailable,
                        RunStatus::skipped}) {
        line += std::string(s == RunStatus::ok ? ": " : ", ") + std::to_string(counts[static_cast<size_t>(s)]) + " " +
                (s == RunStatus::ok ? "clean" : run_status_name(s));
    }
    return line + "\n";
}

int run_cli(int argc, const char* const* argv)
{
    ParsedCli parsed = parse_cli(argc, argv);
    if (!parsed.options) return print_cli_stop("zcengine", parsed.exit_code, parsed.message);
    const Options& o = *parsed.options;
    std::string error;
    const std::vector<Plan> plans = plan_runs(o, error);
    if (!error.empty()) return usage_error(error);
    if (auto e = check_sizes(o, plans, page_size()); !e.empty()) return usage_error(e);
    if (auto e = check_egress_plans(o, plans); !e.empty()) return usage_error(e);
    if (!o.output.empty()) {
        if (auto e = check_output_path(o.output); !e.empty()) return usage_error(e);
    }
    if (auto e = check_tmpdir(); !e.empty()) return usage_error(e);

    nlohmann::json environment = probe::collect_environment();
    nlohmann::json kernel = probe::collect_kernel();
    NetnsOutcome netns;
    if (o.host_netns) {
        netns = current_netns("--host-netns given");
    } else {
        netns = enter_private_netns();
        // A namespace with only lo up ("current") carries the loopback sink
        // as --host-netns would; egress makes a veth pair: a private one only.
        if (!netns.isolated && !(netns.how == "current" && o.sink != Sink::egress)) {
            return usage_error("cannot make a private network namespace: " + netns.reason +
                               "; run as root, allow user namespaces, or pass --host-netns");
        }
    }
    // Only now: a process with a second thread may not unshare(CLONE_NEWUSER).
    interrupt::start();
    probe::add_netns_facts(environment, netns);
    probe::Context ctx;
    // Only a namespace we made may get links, addresses, routes or
    // neighbours: --host-netns sends and receives here, and a probe leg that
    // needs a link is skipped with the reason (README "Safety").
    ctx.isolated = netns.isolated;
    ctx.netns = netns.how;
    ctx.capabilities = effective_capabilities();
    ctx.seccomp = seccomp_mode();
    std::string tmp_error;
    const PrivateDir tmpdir = PrivateDir::create("zcengine", tmp_error);
    if (!tmpdir) {
        std::cerr << "zcengine: " << visible_text(tmp_error) << "\n";
        return exit_internal;
    }
    ctx.tmpdir = tmpdir.path();
    probe::RunOptions probe_options;
    probe_options.host_netns = o.host_netns || netns.how == "current";
    probe_options.faults = o.faults;
    ProbeCache probes(ctx, probe_options);

    std::vector<ModeResult> results;
    {
        Progress progress("zcengine", o.sizes.size() * plans.size(), STDERR_FILENO);
        for (size_t size : o.sizes) {
            for (const auto& plan : plans) {
                progress.step(results.size(), std::string(mode_info(plan.mode).name) + " over " +
                                                  std::string(traffic::kind_info(plan.kind).name) + ", " + std::to_string(size) +
                                                  " B");
                results.push_back(run_mode(plan, size, o, probes));
            }
        }
    }

    // Explicitly requested modes the kernel cannot do, or may not (privilege),
    // are bad input: one line each, no report.
    if (!o.all_modes) {
        int unavailable = 0;
        for (const auto& r : results) {
            if (r.status == RunStatus::unavailable) {
                std::cerr << "zcengine: mode " << mode_info(r.mode).name << " over "
                          << traffic::kind_info(r.kind).name << " is unavailable here: " << visible_text(r.reason) << "\n";
                ++unavailable;
            }
        }
        if (unavailable > 0) return exit_usage;
    }

    std::vector<probe::Outcome> outcomes;
    for (const auto& [id, result] : probes.all()) outcomes.push_back({probe::find_spec(id), result});
    std::erase_if(outcomes, [](const probe::Outcome& oc) { return oc.spec == nullptr; });
    const nlohmann::json doc = build_report(results, outcomes, environment, kernel, probe::utc_now_rfc3339());

    // -o FILE gets --format's format (JSON when not given; text is the
    // comparison table) and stdout the table; without -o, stdout gets --format.
    auto rendered = [&doc](const std::string& format) {
        return format == "text" ? report::render_engine_table(doc.at("engine"))
                                : report::render_report(doc, *report::parse_format(format), {});
    };
    if (!o.output.empty()) {
        if (auto e = write_output_file(o.output, rendered(o.format_given ? o.format : "json")); !e.empty()) {
            return usage_error(e);
        }
    }
    const std::string text = o.quiet ? quiet_summary(results) : rendered(o.output.empty() ? o.format : "text");
    if (auto e = write_stdout(std::cout, text); !e.empty()) return usage_error(e);
    int code = exit_ok;
    for (const auto& r : results) {
        if (r.status == RunStatus::unclean || r.status == RunStatus::failed) code = exit_unclean;
    }
    return code;
}

} // namespace zc::engine
