#include "apps/zcprobe/cli.hpp"

#include "apps/common/progress.hpp"

#include "core/visible_text.hpp"
#include "core/build_info.hpp"
#include "core/duration.hpp"
#include "core/errno_name.hpp"
#include "core/fd.hpp"
#include "core/glob.hpp"
#include "core/interrupt.hpp"
#include "traffic/netns.hpp"
#include "core/output.hpp"
#include "core/private_dir.hpp"
#include "core/proc_files.hpp"
#include "core/split.hpp"
#include "probe/catalog.hpp"
#include "probe/env_facts.hpp"
#include "probe/report_json.hpp"
#include "reports/render.hpp"
#include "reports/render_text.hpp"
#include "reports/report_view.hpp"

#include <CLI/CLI.hpp>

#include <fcntl.h>
#include <net/if.h>
#include <unistd.h>

#include <cctype>

#include <cstdio>
#include <cstdlib>
#include <iostream>

namespace zc::probe {

namespace {

constexpr const char* exit_code_help =
    "Exit codes: 0 ok; 1 a --require'd probe is not supported by the kernel or is refused in this sandbox; 2 usage or bad input (including TMPDIR, and an "
    "-o name whose extension announces another format), or the output (stdout or -o) could not be written; 3 "
    "internal error"
    "; 128+N interrupted by signal N (SIGINT 130, SIGTERM 143, SIGHUP 129), nothing left behind.\n"
    "\n"
    "Examples:\n"
    "  $ zcprobe\n"
    "  $ zcprobe --list --only 'security.*'\n"
    "  $ zcprobe --only 'splice.*,pipe.*' --json\n"
    "  $ zcprobe -q --require splice.raw4_hdrincl,security.cve_2022_0847 -o report.json\n"
    "  $ zcprobe --skip 'xdp.*' --timeout 5s --jobs 1 --format markdown\n";

bool matches_any(const std::vector<std::string>& patterns, const std::string& id)
{
    for (const auto& p : patterns) {
        if (glob_match(p, id)) return true;
    }
    return false;
}

std::string unmatched_pattern(const std::vector<std::string>& patterns)
{
    for (const auto& p : patterns) {
        bool any = false;
        for (const auto& s : catalog()) any = any || glob_match(p, s.id);
        if (!any) return p;
    }
    return {};
}

} // namespace

Selection select_probes(const std::vector<std::string>& only, const std::vector<std::string>& skip)
{
    Selection sel;
    if (auto p = unmatched_pattern(only); !p.empty()) {
        sel.error = "--only pattern '" + p + "' matches no probe id; see zcprobe --list";
        return sel;
    }
    if (auto p = unmatched_pattern(skip); !p.empty()) {
        sel.error = "--skip pattern '" + p + "' matches no probe id; see zcprobe --list";
        return sel;
    }
    for (const auto& s : catalog()) {
        if (!only.empty() && !matches_any(only, s.id)) continue;
        if (matches_any(skip, s.id)) continue;
        sel.specs.push_back(&s);
    }
    if (sel.specs.empty()) sel.error = "--only and --skip leave no probe to run";
    return sel;
}

std::string check_requirements(const std::vector<std::string>& require)
{
    if (auto p = unmatched_pattern(require); !p.empty()) {
        return "--require id '" + p + "' matches no probe id; see zcprobe --list";
    }
    return {};
}

std::optional<int> parse_jobs(const std::string& text)
{
    if (text.empty() || text.size() > 3) return std::nullopt;
    int n = 0;
    for (const char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        n = n * 10 + (c - '0');
    }
    if (n < 1 || n > max_jobs) return std::nullopt;
    return n;
}

std::string interface_name_error(const std::string& name)
{
    // dev_valid_name() in net/core/dev.c: what the kernel accepts.
    if (name.empty()) return "is empty; name a network device (see ip link)";
    if (name.size() >= IFNAMSIZ) return "is longer than " + std::to_string(IFNAMSIZ - 1) + " characters";
    if (name == "." || name == "..") return "is not a network device name";
    for (const char c : name) {
        if (c == '/' || c == ':' || std::isspace(static_cast<unsigned char>(c))) {
            return "is not a network device name (no '/', ':' or whitespace)";
        }
    }
    return {};
}

ParsedCli parse_cli(int argc, const char* const* argv)
{
    CLI::App app{"zcprobe: what this kernel really does on the zero-copy transmit path "
                 "(vmsplice, splice, sendfile, MSG_ZEROCOPY, packet rings, UDP GSO, io_uring), "
                 "tested by behaviour in a private network namespace.",
                 "zcprobe"};
    app.footer(exit_code_help);
    app.set_version_flag("--version", version_line("zcprobe"));
    CliOptions o;
    std::vector<std::string> only, skip, require, faults;
    std::string timeout = "2s";
    std::string jobs = std::to_string(default_jobs());
    app.add_flag("--list", o.list, "Print the probe catalog (the probes --only/--skip select) and exit; JSON with "
                                   "--json");
    app.add_flag("--json", o.json, "Write the JSON report to stdout instead of the table (= --format json)");
    app.add_option("--format", o.format, "Output on stdout: " + report::format_names())
        ->type_name("FORMAT")
        ->capture_default_str();
    app.add_option("-o,--output", o.output, "Write the report to FILE in --format's format (JSON when --format is "
                                            "not given; atomically; a device or FIFO is written through); stdout "
                                            "then shows the table. Exit 2 when FILE's extension (.json .prom .html "
                                            ".md .xml .txt) announces another format")
        ->type_name("FILE");
    app.add_flag("-q,--quiet", o.quiet, "Print only the summary line and, with --require, the gate's verdict");
    std::string colour = "auto";
    app.add_option("--color", colour, "Colour the table: auto (on a terminal, unless NO_COLOR is set), always, never")
        ->type_name("WHEN")
        ->capture_default_str();
    app.add_option("--only", only, "Run only probes whose id matches a glob (comma-separated)")
        ->option_text("ID-GLOBS");
    app.add_option("--skip", skip, "Skip probes whose id matches a glob (comma-separated)")->option_text("ID-GLOBS");
    app.add_option("--require", require,
                   "Deploy gate: exit 1 unless every matching probe has both answers yes: the kernel supports it "
                   "(status supported) AND this sandbox allows it (sandbox.answer allowed, not a capability zcprobe "
                   "held only in its own user namespace) (comma-separated ids or globs)")
        ->option_text("ID-GLOBS");
    app.add_option("--timeout", timeout, "Time limit per probe, e.g. 2s or 500ms (10ms..600s)")
        ->type_name("DURATION")
        ->capture_default_str();
    app.add_option("--jobs", jobs, "Probes run side by side, from 1 (one after another) to " +
                                       std::to_string(max_jobs) + "; default " + std::to_string(jobs_per_cpu) +
                                       " per online CPU. Probes the catalog marks exclusive always run alone")
        ->type_name("N")
        ->capture_default_str();
    app.add_flag("--host-netns", o.run.host_netns,
                 "Run in the current network namespace instead of a private one");
    app.add_flag("--load-modules", o.load_modules,
                 "Let probes whose path needs a kernel module that is not loaded make the kernel load it");
    app.add_option("--xdp-device", o.xdp_device,
                   "Also try an AF_XDP zero-copy bind on queue 0 of this link (probe xdp.zerocopy_bind_device; "
                   "nothing is sent, but the driver reconfigures the queue, a brief disruption: test machines and "
                   "guests only)")
        ->type_name("IFNAME");
    app.add_option("--test-fault", faults, "Test only: ID=crash or ID=hang")->group("");

    ParsedCli out;
    if (!parse_args(app, argc, argv, "zcprobe", exit_usage, out.exit_code, out.message)) return out;
    if (!report::parse_format(o.format)) {
        out.exit_code = exit_usage;
        out.message = "--format '" + o.format + "' is not one of " + report::format_names();
        return out;
    }
    o.format_given = app.count("--format") > 0 || o.json;
    if (o.json) o.format = "json";
    o.json = o.format == "json";
    const auto when = parse_colour_when(colour);
    if (!when) {
        out.exit_code = exit_usage;
        out.message = "--color '" + colour + "' is not auto, always or never";
        return out;
    }
    o.colour = *when;
    if (o.quiet && o.list) {
        out.exit_code = exit_usage;
        out.message = "--quiet has no summary for --list; drop one";
        return out;
    }
    if (o.quiet && o.format_given && o.output.empty() && o.format != "text") {
        out.exit_code = exit_usage;
        out.message = "--quiet prints only the summary; --format " + o.format + " needs -o FILE to go to";
        return out;
    }
    if (!o.output.empty()) {
        if (auto err = output_format_conflict(o.output, output_file_format(o)); !err.empty()) {
            out.exit_code = exit_usage;
            out.message = err;
            return out;
        }
    }
    for (auto [option, values, into] : {std::tuple{"--only", &only, &o.only}, std::tuple{"--skip", &skip, &o.skip},
                                        std::tuple{"--require", &require, &o.require}}) {
        SplitList list = split_list(option, *values);
        if (!list.ok()) {
            out.exit_code = exit_usage;
            out.message = list.error;
            return out;
        }
        *into = std::move(list.items);
    }
    const auto ms = parse_duration_ms(timeout);
    if (!ms) {
        out.exit_code = exit_usage;
        out.message = "--timeout '" + timeout + "' is not a duration from 10ms to 600s (e.g. 2s, 500ms)";
        return out;
    }
    o.run.timeout_ms = *ms;
    const auto n = parse_jobs(jobs);
    if (!n) {
        out.exit_code = exit_usage;
        out.message = "--jobs '" + jobs + "' is not a whole number from 1 to " + std::to_string(max_jobs);
        return out;
    }
    o.run.jobs = *n;
    if (!o.xdp_device.empty() || app.count("--xdp-device") > 0) {
        if (auto err = interface_name_error(o.xdp_device); !err.empty()) {
            out.exit_code = exit_usage;
            out.message = "--xdp-device '" + o.xdp_device + "' " + err;
            return out;
        }
    }
    const SplitList fault_list = split_list("--test-fault", faults);
    if (!fault_list.ok()) {
        out.exit_code = exit_usage;
        out.message = fault_list.error;
        return out;
    }
    for (const auto& f : fault_list.items) {
        if (!parse_fault(f, o.run.faults)) {
            out.exit_code = exit_usage;
            out.message = "--test-fault '" + f + "' must be ID=crash or ID=hang";
            return out;
        }
    }
    out.options = std::move(o);
    return out;
}

std::string output_file_format(const CliOptions& o)
{
    return o.format_given ? o.format : "json";
}

std::string quiet_summary(const nlohmann::json& report, const std::vector<std::string>& require,
                          const std::vector<std::string>& failed)
{
    const nlohmann::json& s = report.at("summary");
    std::string line = "summary: " + std::to_string(s.at("supported").get<int>()) + " supported, " +
                       std::to_string(s.at("unsupported").get<int>()) + " unsupported, " +
                       std::to_string(s.at("blocked").get<int>()) + " blocked, " +
                       std::to_string(s.at("skipped").get<int>()) + " skipped, " +
                       std::to_string(s.at("error").get<int>()) + " error (" + std::to_string(s.at("total").get<int>()) +
                       " probes)";
    if (const report::CveCount cves = report::count_cves(report); cves.probes > 0) {
        line += std::string("; ") + (cves.affected > 0 ? "AFFECTED by " : "affected by ") +
                std::to_string(cves.affected) + " of " + std::to_string(cves.probes) + " CVEs tested";
    }
    line += "\n";
    if (require.empty()) return line;
    std::string patterns;
    for (const auto& p : require) patterns += (patterns.empty() ? "" : ",") + p;
    if (failed.empty()) return line + "require " + patterns + ": passed\n";
    std::string ids;
    for (const auto& id : failed) ids += (ids.empty() ? "" : ", ") + id;
    return line + "require " + patterns + ": FAILED (" + ids + ")\n";
}

int run_cli(int argc, const char* const* argv)
{
    ParsedCli parsed = parse_cli(argc, argv);
    if (!parsed.options) return print_cli_stop("zcprobe", parsed.exit_code, parsed.message);
    const CliOptions& o = *parsed.options;
    auto usage_error = [](const std::string& msg) {
        std::cerr << "zcprobe: " << visible_text(msg) << "\n";
        return exit_usage;
    };

    if (o.list) {
        interrupt::start();
        const Selection listed = select_probes(o.only, o.skip);
        if (!listed.error.empty()) return usage_error(listed.error);
        nlohmann::json entries = nlohmann::json::array();
        for (const Spec* s : listed.specs) entries.push_back(catalog_entry(*s));
        if (auto err = write_stdout(std::cout, o.json ? entries.dump(2) + "\n" : report::render_catalog_text(entries));
            !err.empty()) {
            return usage_error(err);
        }
        return exit_ok;
    }
    const Selection sel = select_probes(o.only, o.skip);
    if (!sel.error.empty()) return usage_error(sel.error);
    if (auto err = check_requirements(o.require); !err.empty()) return usage_error(err);
    if (!o.output.empty()) {
        if (auto err = check_output_path(o.output); !err.empty()) return usage_error(err);
    }
    if (auto err = check_tmpdir(); !err.empty()) return usage_error(err);

    // The named link must exist where zcprobe starts: the probe makes its
    // socket in this namespace, so keep a descriptor of it before leaving.
    Fd home_netns;
    if (!o.xdp_device.empty()) {
        if (::if_nametoindex(o.xdp_device.c_str()) == 0) {
            return usage_error("--xdp-device '" + o.xdp_device + "': no such network device here (" +
                               errno_text(errno) + "); see ip link");
        }
        home_netns = Fd(::open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC));
        if (!home_netns) return usage_error("open(/proc/self/ns/net) for --xdp-device failed: " + errno_text(errno));
    }

    nlohmann::json environment = collect_environment();
    nlohmann::json kernel = collect_kernel();
    // Before any namespace of zcprobe's own: what an application started
    // here the same way holds.
    SandboxFacts sandbox = collect_sandbox_facts();
    Context ctx;
    NetnsOutcome netns;
    if (o.run.host_netns) {
        netns = current_netns("--host-netns given");
    } else {
        netns = enter_private_netns();
    }
    // A namespace found safe ("current": only lo up) carries the probes that
    // send traffic as --host-netns would: run tags, receive filters, links
    // only in nested namespaces (README "Safety").
    RunOptions run_options = o.run;
    if (netns.how == "current") run_options.host_netns = true;
    // Only now: a process with a second thread may not unshare(CLONE_NEWUSER).
    interrupt::start();
    ctx.isolated = netns.isolated;
    ctx.netns = netns.isolated || netns.how == "current" || netns.reason.empty() ? netns.how : netns.reason;
    ctx.capabilities = effective_capabilities();
    ctx.seccomp = seccomp_mode();
    ctx.load_modules = o.load_modules;
    ctx.xdp_device = o.xdp_device;
    ctx.home_netns_fd = home_netns ? home_netns.get() : -1;
    add_netns_facts(environment, netns);
    sandbox.own_user_namespace = netns.isolated && netns.how == "userns+netns";
    ctx.sandbox = sandbox;
    environment["sandbox"] = sandbox_facts_json(sandbox);

    std::string tmp_error;
    std::optional<PrivateDir> tmpdir = PrivateDir::create("zcprobe", tmp_error);
    if (!*tmpdir) {
        std::cerr << "zcprobe: " << visible_text(tmp_error) << "\n";
        return exit_internal;
    }
    ctx.tmpdir = tmpdir->path();
    // With a progress line on a terminal (the catalog takes tens of seconds
    // under TCG).
    std::vector<Outcome> outcomes;
    {
        Progress progress("zcprobe", sel.specs.size(), STDERR_FILENO);
        outcomes = run_all(sel.specs, ctx, run_options,
                           [&progress](size_t done, const Spec& started) { progress.step(done, started.id); });
    }
    tmpdir.reset(); // removed before the report is written

    const std::vector<SandboxAnswer> answers = sandbox_answers(outcomes, sandbox);
    nlohmann::json doc = build_report(outcomes, environment, kernel, utc_now_rfc3339(), &answers);
    // What each probe's history predicts for this kernel: computed by the
    // report side (reports/report_view), the one place that also flags it
    // when zcreport renders a report, so probe/ stays free of report code.
    report::annotate_predictions(doc);
    report::RenderOptions render_options;
    render_options.require = o.require;
    if (!o.output.empty()) {
        // The file never gets colour; stdout then shows the table.
        const std::string file_text = report::render_report(doc, *report::parse_format(output_file_format(o)),
                                                            render_options);
        if (auto err = write_output_file(o.output, file_text); !err.empty()) return usage_error(err);
    }

    int code = exit_ok;
    std::vector<std::string> failed;
    std::vector<std::string> failure_lines;
    // The gate is about deploying here: both answers must be yes, the
    // kernel's (supported) and this sandbox's (allowed).
    for (size_t i = 0; i < outcomes.size(); ++i) {
        const auto& outcome = outcomes[i];
        if (!matches_any(o.require, outcome.spec->id)) continue;
        if (outcome.result.status != Status::supported) {
            failed.push_back(outcome.spec->id);
            failure_lines.push_back("zcprobe: required probe " + std::string(outcome.spec->id) + " is " +
                                    std::string(status_name(outcome.result.status)) + ": " + visible_text(outcome.result.reason));
            code = exit_requirement_failed;
        } else if (answers[i].kind != SandboxAnswer::Kind::allowed) {
            const Refusal& r = answers[i].refusal;
            failed.push_back(outcome.spec->id);
            failure_lines.push_back("zcprobe: required probe " + std::string(outcome.spec->id) +
                                    " is supported by the kernel but refused in this sandbox: " +
                                    std::string(layer_name(r.layer)) + (r.detail.empty() ? "" : " " + r.detail) +
                                    (r.fix.empty() ? "" : "; fix: " + r.fix));
            code = exit_requirement_failed;
        }
    }
    // A required probe that --only/--skip left out cannot be vouched for.
    for (const auto& pattern : o.require) {
        for (const auto& s : catalog()) {
            if (!glob_match(pattern, s.id)) continue;
            bool ran = false;
            for (const auto& outcome : outcomes) ran = ran || outcome.spec == &s;
            if (!ran) {
                failed.push_back(s.id);
                failure_lines.push_back("zcprobe: required probe " + s.id + " was not run (excluded by --only/--skip)");
                code = exit_requirement_failed;
            }
        }
    }

    render_options.colour = use_colour(o.colour, STDOUT_FILENO);
    const report::Format shown = o.output.empty() ? *report::parse_format(o.format) : report::Format::text;
    const std::string text = o.quiet ? quiet_summary(doc, o.require, failed)
                                     : report::render_report(doc, shown, render_options);
    if (auto err = write_stdout(std::cout, text); !err.empty()) return usage_error(err);
    for (const auto& line : failure_lines) std::cerr << line << "\n";
    return code;
}

} // namespace zc::probe
