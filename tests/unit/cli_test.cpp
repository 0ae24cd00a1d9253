#include "apps/zcprobe/cli.hpp"
#include "core/duration.hpp"
#include "probe/catalog.hpp"

#include <doctest/doctest.h>

#include <vector>

using namespace zc::probe;
using zc::parse_duration_ms;

namespace {

ParsedCli parse(std::vector<const char*> args)
{
    args.insert(args.begin(), "zcprobe");
    return parse_cli(static_cast<int>(args.size()), args.data());
}

} // namespace

TEST_CASE("durations accept seconds and milliseconds within 10 ms..600 s")
{
    CHECK(parse_duration_ms("2s") == 2000);
    CHECK(parse_duration_ms("2") == 2000);
    CHECK(parse_duration_ms("0.5") == 500);
    CHECK(parse_duration_ms("1500ms") == 1500);
    CHECK(parse_duration_ms("10ms") == 10);
    CHECK(parse_duration_ms("600s") == 600000);
    for (const char* bad : {"", "s", "ms", "-1", "0", "5ms", "601s", "abc", "2x", "1e3", "2 s", "nan", "inf"}) {
        CAPTURE(bad);
        CHECK_FALSE(parse_duration_ms(bad).has_value());
    }
}

TEST_CASE("bad command lines are usage errors with one line naming the problem")
{
    const auto timeout = parse({"--timeout", "3x"});
    CHECK_FALSE(timeout.options);
    CHECK(timeout.exit_code == exit_usage);
    CHECK(timeout.message.find("--timeout '3x'") != std::string::npos);
    CHECK(timeout.message.find('\n') == std::string::npos);

    const auto unknown = parse({"--bogus"});
    CHECK(unknown.exit_code == exit_usage);
    CHECK(unknown.message.find("--bogus") != std::string::npos);

    const auto fault = parse({"--test-fault", "pipe.tee=explode"});
    CHECK(fault.exit_code == exit_usage);
}

TEST_CASE("help and version exit 0 and say what exit codes mean")
{
    const auto help = parse({"--help"});
    CHECK_FALSE(help.options);
    CHECK(help.exit_code == exit_ok);
    CHECK(help.message.find("Exit codes: 0 ok; 1") != std::string::npos);
    const auto version = parse({"--version"});
    CHECK(version.exit_code == exit_ok);
    CHECK(version.message.find("zcprobe ") == 0);
}

TEST_CASE("comma-separated lists and faults are split")
{
    const auto p = parse({"--only", "pipe.*,splice.udp4", "--require", "pipe.tee", "--require", "pipe.vmsplice",
                          "--test-fault", "pipe.tee=crash,pipe.vmsplice=hang", "--timeout", "500ms"});
    REQUIRE(p.options);
    CHECK(p.options->only == std::vector<std::string>{"pipe.*", "splice.udp4"});
    CHECK(p.options->require == std::vector<std::string>{"pipe.tee", "pipe.vmsplice"});
    CHECK(p.options->run.timeout_ms == 500);
    CHECK(p.options->run.faults.at("pipe.tee") == Fault::crash);
    CHECK(p.options->run.faults.at("pipe.vmsplice") == Fault::hang);
}

TEST_CASE("selection keeps catalog order and rejects patterns that match nothing")
{
    const auto all = select_probes({}, {});
    CHECK(all.error.empty());
    CHECK(all.specs.size() == catalog().size());

    const auto pipes = select_probes({"pipe.*"}, {"pipe.tee"});
    REQUIRE(pipes.error.empty());
    for (const Spec* s : pipes.specs) {
        CHECK(s->section == "pipe");
        CHECK(s->id != "pipe.tee");
    }

    const auto bad = select_probes({"nosuch.*"}, {});
    CHECK(bad.error.find("'nosuch.*'") != std::string::npos);
    const auto bad_skip = select_probes({}, {"pipe.nope"});
    CHECK(bad_skip.error.find("--skip") != std::string::npos);
    const auto empty = select_probes({"pipe.tee"}, {"pipe.*"});
    CHECK_FALSE(empty.error.empty());

    CHECK(check_requirements({"pipe.tee"}).empty());
    CHECK(check_requirements({"pipe.teee"}).find("--require id 'pipe.teee'") != std::string::npos);
}
