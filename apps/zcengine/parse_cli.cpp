#include "apps/zcengine/cli.hpp"

#include "apps/common/output_options.hpp"

#include "core/build_info.hpp"
#include "core/duration.hpp"
#include "core/split.hpp"
#include "probe/runner.hpp"
#include "reports/render.hpp"

#include <CLI/CLI.hpp>

namespace zc::engine {

namespace {

constexpr const char* footer_text =
    "Exit codes: 0 every run verified clean; 1 a run lost, duplicated or corrupted packets (expected with "
    "--reuse eager on a zero-copy path) or failed; 2 usage or bad input, missing privilege, or a requested mode "
    "this kernel cannot do, a bad TMPDIR, an -o name whose extension announces another format, or the output (stdout or -o) could not be written; 3 internal error"
    "; 128+N interrupted by signal N (SIGINT 130, SIGTERM 143, SIGHUP 129), nothing left behind.\n"
    "\n"
    "Examples:\n"
    "  $ zcengine\n"
    "  $ zcengine --modes page,packed,sendmmsg --sizes 64,1400 --count 50000\n"
    "  $ taskset -c 0 zcengine --mode packed --duration 1s --repeat 3\n"
    "  $ zcengine -q --modes all --count 20000 -o engine.json\n"
    "  $ zcengine --modes sendto,msg-zerocopy --kind udp4 --sizes 1400,65000 --sink egress --count 20000\n";

std::optional<uint64_t> parse_count(const std::string& s)
{
    if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos || s.size() > 12) return std::nullopt;
    return std::stoull(s);
}

} // namespace

std::optional<std::vector<size_t>> parse_sizes(const std::string& text, std::string& error)
{
    std::vector<size_t> out;
    const SplitList list = split_list("--sizes", text);
    if (!list.ok()) {
        error = list.error;
        return std::nullopt;
    }
    for (const auto& item : list.items) {
        const auto n = parse_count(item);
        if (!n || *n > 1000000) {
            error = "--sizes item '" + item + "' is not a packet size in bytes (e.g. --sizes 64,512,1400)";
            return std::nullopt;
        }
        out.push_back(static_cast<size_t>(*n));
    }
    if (out.empty()) {
        error = "--sizes is empty; give packet sizes in bytes, e.g. --sizes 64,1400";
        return std::nullopt;
    }
    return out;
}

ParsedCli parse_cli(int argc, const char* const* argv)
{
    CLI::App app{"zcengine: send real traffic through the vmsplice -> pipe -> splice -> socket path and the copy "
                 "paths, receive every packet back over loopback in a private network namespace, verify every "
                 "byte, and compare the cost.",
                 "zcengine"};
    app.footer(footer_text);
    app.set_version_flag("--version", version_line("zcengine"));
    Options o;
    std::string mode, modes, kind, sizes = "1400", count, duration, time_limit = "60s", reuse = "safe",
                                   layout = "auto", warmup, window;
    app.add_option("--mode", mode, "One mode: " + mode_names())->type_name("MODE");
    app.add_option("--modes", modes, "Several modes, comma-separated, or 'all'")->type_name("LIST");
    app.add_option("--kind", kind, "Socket kind (probe names: raw4_hdrincl, raw4, udp4, packet_raw); default per mode")
        ->type_name("KIND");
    app.add_option("--sizes", sizes, "Packet sizes in bytes, comma-separated (engine header included)")
        ->type_name("LIST")
        ->capture_default_str();
    app.add_option("--count", count, "Packets per measured run (default 200000)")->type_name("N");
    app.add_option("--duration", duration, "Bound each run by time instead, e.g. 2s (count becomes a ceiling)")
        ->type_name("DURATION");
    app.add_option("--time-limit", time_limit, "Hard stop for one run, stuck or not (10ms..600s)")
        ->type_name("DURATION")
        ->capture_default_str();
    app.add_option("--repeat", o.repeat, "Measured runs per mode and size; median and spread are reported")
        ->type_name("N")
        ->capture_default_str();
    app.add_option("--warmup", warmup, "Packets sent first and not counted (default: a tenth of --count)")
        ->type_name("N");
    bool no_verify = false;
    app.add_flag("--no-verify", no_verify, "Check sequence numbers only, not every byte (raw speed)");
    app.add_option("--reuse", reuse, "safe: never rewrite a page the kernel may still reference; eager: rewrite at "
                                     "once (shows the corruption that causes)")
        ->type_name("POLICY")
        ->capture_default_str();
    app.add_option("--layout", layout, "packed modes: no-straddle, dense, or auto (dense where the probe "
                                       "splice_straddle.<kind> found straddling packets sent whole)")
        ->type_name("LAYOUT")
        ->capture_default_str();
    app.add_option("--window", window, "Credits: packets in flight at most (default 1024, lowered to fit the "
                                       "receive buffer)")
        ->type_name("N");
    app.add_flag("--json", o.json, "Write the JSON report to stdout instead of the table (= --format json)");
    app.add_option("--format", o.format, "Output on stdout: " + report::format_names() +
                                             " (text: the comparison table)")
        ->type_name("FORMAT")
        ->capture_default_str();
    app.add_option("-o,--output", o.output, "Write the report to FILE in --format's format (JSON when --format is "
                                            "not given; atomically; a device or FIFO is written through); stdout "
                                            "then shows the table. Exit 2 when FILE's extension (.json .prom .html "
                                            ".md .xml .txt) announces another format")
        ->type_name("FILE");
    app.add_flag("-q,--quiet", o.quiet, "Print only one summary line of the runs (how many clean, unclean, failed)");
    app.add_flag("--host-netns", o.host_netns, "Run in the current network namespace instead of a private one");
    app.add_flag("--load-modules", o.load_modules,
                 "Let --sink egress make the kernel load veth where it is a module not loaded (otherwise skipped)");
    std::string sink = "loopback";
    app.add_option("--sink", sink, "loopback: receive every packet back and verify it; egress: send out through a "
                                   "veth pair whose far end drops them (no receiver; a brief verified loopback run "
                                   "first)")
        ->type_name("SINK")
        ->capture_default_str();
    std::vector<std::string> faults;
    app.add_option("--test-fault", faults, "Test only: ID=crash or ID=hang for a gating probe")->group("");

    ParsedCli out;
    auto fail = [&out](std::string msg) {
        out.exit_code = exit_usage;
        out.message = std::move(msg);
        return out;
    };
    if (!parse_args(app, argc, argv, "zcengine", exit_usage, out.exit_code, out.message)) return out;
    if (!report::parse_format(o.format)) {
        return fail("--format '" + o.format + "' is not one of " + report::format_names());
    }
    o.format_given = app.count("--format") > 0 || o.json;
    if (o.json) o.format = "json";
    o.json = o.format == "json";
    if (o.quiet && o.format_given && o.output.empty() && o.format != "text") {
        return fail("--quiet prints only the summary; --format " + o.format + " needs -o FILE to go to");
    }
    if (!o.output.empty()) {
        if (auto e = output_format_conflict(o.output, o.format_given ? o.format : "json"); !e.empty()) return fail(e);
    }
    o.verify = !no_verify;
    if (!mode.empty() && !modes.empty()) return fail("give --mode or --modes, not both");
    const std::string mode_list = !mode.empty() ? mode : (!modes.empty() ? modes : "page");
    if (mode_list == "all") {
        o.all_modes = true;
        for (const auto& m : all_modes()) o.modes.push_back(m.mode);
    } else {
        if (!mode.empty() && mode.find(',') != std::string::npos) {
            return fail("--mode takes one mode; use --modes a,b for several");
        }
        const SplitList names = split_list(!mode.empty() ? "--mode" : "--modes", mode_list);
        if (!names.ok()) return fail(names.error);
        for (const auto& name : names.items) {
            const auto m = parse_mode(name);
            if (!m) return fail("unknown mode '" + name + "'; valid modes: " + mode_names() + ", or all");
            bool dup = false;
            for (Mode seen : o.modes) dup = dup || seen == *m;
            if (!dup) o.modes.push_back(*m);
        }
        if (o.modes.empty()) return fail("--modes is empty; valid modes: " + mode_names() + ", or all");
    }
    if (!kind.empty()) {
        o.kind = traffic::parse_kind(kind);
        if (!o.kind) return fail("unknown socket kind '" + kind + "'; valid kinds: raw4_hdrincl, raw4, udp4, packet_raw");
    }
    std::string err;
    const auto s = parse_sizes(sizes, err);
    if (!s) return fail(err);
    o.sizes = *s;
    if (!count.empty()) {
        const auto c = parse_count(count);
        if (!c || *c == 0) return fail("--count '" + count + "' is not a positive number of packets");
        o.count = *c;
    }
    if (!duration.empty()) {
        o.duration_ms = parse_duration_ms(duration);
        if (!o.duration_ms) return fail("--duration '" + duration + "' is not a duration from 10ms to 600s (e.g. 2s)");
        if (count.empty()) o.count = uint64_t{1} << 36; // time decides
    }
    const auto limit = parse_duration_ms(time_limit);
    if (!limit) return fail("--time-limit '" + time_limit + "' is not a duration from 10ms to 600s (e.g. 60s)");
    o.time_limit_ms = *limit;
    if (o.repeat < 1 || o.repeat > 1000) return fail("--repeat must be from 1 to 1000");
    if (!warmup.empty()) {
        const auto w = parse_count(warmup);
        if (!w) return fail("--warmup '" + warmup + "' is not a number of packets");
        o.warmup = *w;
    } else {
        o.warmup = std::clamp<uint64_t>(o.count / 10, 1000, 20000);
    }
    if (!window.empty()) {
        const auto w = parse_count(window);
        if (!w || *w < 16 || *w > 65536) return fail("--window '" + window + "' must be from 16 to 65536 packets");
        o.window = static_cast<size_t>(*w);
    }
    if (reuse == "safe") {
        o.reuse = Reuse::safe;
    } else if (reuse == "eager") {
        o.reuse = Reuse::eager;
    } else {
        return fail("--reuse '" + reuse + "' is not safe or eager");
    }
    const auto l = parse_layout(layout);
    if (!l) return fail("--layout '" + layout + "' is not no-straddle, dense or auto");
    o.layout = *l;
    const auto sk = parse_sink(sink);
    if (!sk) return fail("--sink '" + sink + "' is not loopback or egress");
    o.sink = *sk;
    if (o.sink == Sink::egress && o.host_netns) {
        return fail("--sink egress creates a veth pair and needs the private namespace; drop --host-netns");
    }
    const SplitList fault_list = split_list("--test-fault", faults);
    if (!fault_list.ok()) return fail(fault_list.error);
    for (const auto& f : fault_list.items) {
        if (!probe::parse_fault(f, o.faults)) return fail("--test-fault '" + f + "' must be ID=crash or ID=hang");
    }
    out.options = std::move(o);
    return out;
}

} // namespace zc::engine
