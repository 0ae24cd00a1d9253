// zcreport's command line in-process, and zcprobe's --format parsing.
#include "report_fixtures.hpp"

#include "apps/zcprobe/cli.hpp"
#include "apps/zcreport/cli.hpp"

#include <algorithm>
#include <sstream>

using namespace zc;

namespace {

struct Run {
    int code;
    std::string out;
    std::string err;
};

Run zcreport(std::vector<std::string> args)
{
    args.insert(args.begin(), "zcreport");
    std::vector<const char*> argv;
    for (const auto& a : args) argv.push_back(a.c_str());
    std::ostringstream out, err;
    const int code = report::run_zcreport(static_cast<int>(argv.size()), argv.data(), out, err);
    return {code, out.str(), err.str()};
}

std::string fixture_path(const std::string& name)
{
    return test::reports_dir() + "/fixtures/" + name;
}

} // namespace

TEST_CASE("zcreport: exit codes of each command")
{
    CHECK(zcreport({"validate", fixture_path("vm-6.18.json")}).code == report::exit_ok);
    CHECK(zcreport({"diff", fixture_path("vm-6.18.json"), fixture_path("vm-6.18.json")}).code == report::exit_ok);
    CHECK(zcreport({"diff", fixture_path("vm-6.18.json"), fixture_path("vm-6.19-regressed.json")}).code ==
          report::exit_gate);
    CHECK(zcreport({"render", fixture_path("vm-6.18.json"), "--require", "zerocopy.raw4"}).code == report::exit_gate);
    CHECK(zcreport({"render", fixture_path("vm-6.18.json"), "--format", "yaml"}).code == report::exit_bad_input);
    CHECK(zcreport({"matrix", fixture_path("vm-6.18.json"), "--format", "junit"}).code == report::exit_bad_input);
    CHECK(zcreport({}).code == report::exit_bad_input);
    const Run help = zcreport({"--help"});
    CHECK(help.code == report::exit_ok);
    CHECK(help.out.find("Exit codes:") != std::string::npos);
}

TEST_CASE("zcreport matrix --label: one label per file - each different - else exit 2 with one line")
{
    const std::string a = fixture_path("vm-6.18.json");
    const std::string b = fixture_path("vm-6.19-regressed.json");
    const Run ok = zcreport({"matrix", a, b, "--label", "before,after", "--format", "json"});
    REQUIRE(ok.code == report::exit_ok);
    CHECK(ok.out.find("\"label\": \"before\"") != std::string::npos);
    CHECK(ok.out.find("\"label\": \"after\"") != std::string::npos);
    const Run few = zcreport({"matrix", a, b, "--label", "only"});
    CHECK(few.code == report::exit_bad_input);
    CHECK(few.out.empty());
    CHECK(few.err == "zcreport: --label: 1 given for 2 files; give one label per file, in order\n");
    const Run twice = zcreport({"matrix", a, b, "--label", "x,x"});
    CHECK(twice.code == report::exit_bad_input);
    CHECK(twice.err == "zcreport: --label 'x' is given twice; each column needs its own label\n");
    const Run empty = zcreport({"matrix", a, b, "--label", "x,"});
    CHECK(empty.code == report::exit_bad_input);
    CHECK(std::count(empty.err.begin(), empty.err.end(), '\n') == 1);
}

TEST_CASE("zcreport render writes what the renderer makes")
{
    const Run r = zcreport({"render", fixture_path("vm-6.18.json"), "--format", "markdown"});
    REQUIRE(r.code == report::exit_ok);
    CHECK(r.out == test::read_text(test::reports_dir() + "/golden/vm-6.18.md"));
}

TEST_CASE("zcprobe --format: names parse - --json is --format json - unknown is exit 2")
{
    const char* md[] = {"zcprobe", "--format", "markdown"};
    auto p = probe::parse_cli(3, md);
    REQUIRE(p.options);
    CHECK(p.options->format == "markdown");
    CHECK_FALSE(p.options->json);
    const char* js[] = {"zcprobe", "--json"};
    p = probe::parse_cli(2, js);
    REQUIRE(p.options);
    CHECK(p.options->format == "json");
    const char* bad[] = {"zcprobe", "--format", "yaml"};
    p = probe::parse_cli(3, bad);
    CHECK_FALSE(p.options);
    CHECK(p.exit_code == probe::exit_usage);
    CHECK(p.message.find("--format 'yaml' is not one of text|json|markdown|junit|prometheus|html") != std::string::npos);
}
