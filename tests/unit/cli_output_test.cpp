// The output choices of the command lines (issue 21): -o's format,
// --quiet, --color, the progress line. Pure; tests/cli/test_use.py runs the
// binaries.
#include "apps/common/output_options.hpp"
#include "apps/common/progress.hpp"
#include "apps/zcengine/cli.hpp"
#include "apps/zcprobe/cli.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <vector>

namespace {

zc::probe::ParsedCli probe_parse(std::vector<const char*> args)
{
    args.insert(args.begin(), "zcprobe");
    return zc::probe::parse_cli(static_cast<int>(args.size()), args.data());
}

zc::engine::ParsedCli engine_parse(std::vector<const char*> args)
{
    args.insert(args.begin(), "zcengine");
    return zc::engine::parse_cli(static_cast<int>(args.size()), args.data());
}

} // namespace

TEST_CASE("a file name's extension announces a format and a mismatch is one line naming the fix")
{
    CHECK(zc::format_of_extension("x.prom") == "prometheus");
    CHECK(zc::format_of_extension("/var/lib/node/zc.prom") == "prometheus");
    CHECK(zc::format_of_extension("r.json") == "json");
    CHECK(zc::format_of_extension("r.htm") == "html");
    CHECK(zc::format_of_extension("r.md") == "markdown");
    CHECK(zc::format_of_extension("junit.xml") == "junit");
    CHECK(zc::format_of_extension("t.txt") == "text");
    for (const char* none : {"report", "/dev/stdout", ".prom", "dir.prom/report", "x.yaml", "x.PROM"}) {
        CAPTURE(none);
        CHECK(zc::format_of_extension(none).empty());
    }
    CHECK(zc::output_format_conflict("x.prom", "prometheus").empty());
    CHECK(zc::output_format_conflict("report", "json").empty());
    CHECK(zc::output_format_conflict("x.prom", "json") ==
          "-o 'x.prom' names a prometheus file but would get json; add --format prometheus or name the file for json");
}

TEST_CASE("-o takes --format's format and JSON when --format is not given")
{
    auto p = probe_parse({"-o", "r.json"});
    REQUIRE(p.options);
    CHECK(zc::probe::output_file_format(*p.options) == "json");
    p = probe_parse({"--format", "prometheus", "-o", "x.prom"});
    REQUIRE(p.options);
    CHECK(zc::probe::output_file_format(*p.options) == "prometheus");
    p = probe_parse({"--json", "-o", "r.json"});
    REQUIRE(p.options);
    CHECK(zc::probe::output_file_format(*p.options) == "json");
    p = probe_parse({"--format", "text", "-o", "table"});
    REQUIRE(p.options);
    CHECK(zc::probe::output_file_format(*p.options) == "text");
    for (auto args : std::vector<std::vector<const char*>>{{"-o", "x.prom"}, {"--format", "html", "-o", "x.json"},
                                                          {"--json", "-o", "x.md"}}) {
        p = probe_parse(args);
        CHECK_FALSE(p.options);
        CHECK(p.exit_code == zc::probe::exit_usage);
        CHECK(p.message.find("names a") != std::string::npos);
    }
    auto e = engine_parse({"-o", "e.prom"});
    CHECK_FALSE(e.options);
    CHECK(e.exit_code == zc::engine::exit_usage);
    e = engine_parse({"--format", "prometheus", "-o", "e.prom"});
    REQUIRE(e.options);
    CHECK(e.options->format_given);
    e = engine_parse({"-o", "e.json"});
    REQUIRE(e.options);
    CHECK_FALSE(e.options->format_given);
}

TEST_CASE("--quiet and --color on the command line")
{
    auto p = probe_parse({"-q"});
    REQUIRE(p.options);
    CHECK(p.options->quiet);
    p = probe_parse({"--quiet", "--format", "json"});
    CHECK_FALSE(p.options);
    CHECK(p.message == "--quiet prints only the summary; --format json needs -o FILE to go to");
    p = probe_parse({"--quiet", "--format", "json", "-o", "r.json"});
    CHECK(p.options);
    p = probe_parse({"--quiet", "--list"});
    CHECK_FALSE(p.options);
    p = probe_parse({"--color=always"});
    REQUIRE(p.options);
    CHECK(p.options->colour == zc::ColourWhen::always);
    p = probe_parse({"--color", "never"});
    REQUIRE(p.options);
    CHECK(p.options->colour == zc::ColourWhen::never);
    p = probe_parse({});
    REQUIRE(p.options);
    CHECK(p.options->colour == zc::ColourWhen::automatic);
    p = probe_parse({"--color=yes"});
    CHECK_FALSE(p.options);
    CHECK(p.message == "--color 'yes' is not auto, always or never");
    auto e = engine_parse({"-q", "--format", "html"});
    CHECK_FALSE(e.options);
    e = engine_parse({"-q"});
    REQUIRE(e.options);
    CHECK(e.options->quiet);
    CHECK(zc::use_colour(zc::ColourWhen::always, -1));
    CHECK_FALSE(zc::use_colour(zc::ColourWhen::never, -1));
    CHECK_FALSE(zc::use_colour(zc::ColourWhen::automatic, -1)); // not a terminal
}

TEST_CASE("--quiet's summary: the counts and the CVE verdict and the gate's verdict")
{
    nlohmann::json report = {
        {"summary", {{"supported", 2}, {"unsupported", 1}, {"blocked", 0}, {"skipped", 1}, {"error", 0}, {"total", 4}}},
        {"probes", nlohmann::json::array()}};
    CHECK(zc::probe::quiet_summary(report, {}, {}) ==
          "summary: 2 supported, 1 unsupported, 0 blocked, 1 skipped, 0 error (4 probes)\n");
    CHECK(zc::probe::quiet_summary(report, {"pipe.*", "splice.udp4"}, {}) ==
          "summary: 2 supported, 1 unsupported, 0 blocked, 1 skipped, 0 error (4 probes)\n"
          "require pipe.*,splice.udp4: passed\n");
    CHECK(zc::probe::quiet_summary(report, {"pipe.*"}, {"pipe.tee", "pipe.vmsplice"}) ==
          "summary: 2 supported, 1 unsupported, 0 blocked, 1 skipped, 0 error (4 probes)\n"
          "require pipe.*: FAILED (pipe.tee, pipe.vmsplice)\n");
    report["probes"].push_back({{"id", "security.cve_2022_0847"},
                                {"title", "Dirty Pipe"},
                                {"status", "unsupported"},
                                {"reason", "kernel is affected"},
                                {"evidence", {{"vulnerable", true}, {"cve", "CVE-2022-0847"}}}});
    CHECK(zc::probe::quiet_summary(report, {}, {}).find("; AFFECTED by 1 of 1 CVEs tested\n") != std::string::npos);
}

TEST_CASE("zcengine's quiet summary counts runs by status")
{
    std::vector<zc::engine::ModeResult> results(3);
    results[1].status = zc::engine::RunStatus::unclean;
    results[2].status = zc::engine::RunStatus::unavailable;
    CHECK(zc::engine::quiet_summary(results) == "runs: 3: 1 clean, 1 unclean, 0 failed, 1 unavailable, 0 skipped\n");
}

TEST_CASE("the progress line counts steps and fits the terminal")
{
    CHECK(zc::progress_line("zcprobe", 0, 78, "pipe.tee", 80) == "zcprobe: [1/78] pipe.tee");
    CHECK(zc::progress_line("zcengine", 3, 4, "page over udp4, 1400 B", 80) == "zcengine: [4/4] page over udp4, 1400 B");
    CHECK(zc::progress_line("zcprobe", 0, 78, "splice_straddle.raw4_hdrincl", 20).size() == 19);
}
