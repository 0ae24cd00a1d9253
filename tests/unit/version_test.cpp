// --version: "TOOL VERSION (git COMMIT[, dirty])" or "(git unknown)", the
// same line for every tool, from the commit found at build time.
#include "apps/zcengine/cli.hpp"
#include "apps/zcprobe/cli.hpp"
#include "apps/zcreport/cli.hpp"
#include "core/build_info.hpp"

#include <doctest/doctest.h>

#include <regex>
#include <sstream>
#include <vector>

using namespace zc;

TEST_CASE("the version line names the commit - dirty - or unknown")
{
    CHECK(version_line("zcprobe", "0.4.0", "5b235ef") == "zcprobe 0.4.0 (git 5b235ef)");
    CHECK(version_line("zcprobe", "0.4.0", "5b235ef-dirty") == "zcprobe 0.4.0 (git 5b235ef, dirty)");
    CHECK(version_line("zcreport", "0.4.0", "") == "zcreport 0.4.0 (git unknown)");
}

TEST_CASE("every tool's --version is the version line of this build")
{
    const std::regex commit_re("^([0-9a-f]{7,40}(-dirty)?)?$");
    CHECK(std::regex_match(std::string(build_commit()), commit_re));
    const std::regex line_re("^zc(probe|engine|report) [0-9]+\\.[0-9]+\\.[0-9]+ \\(git ([0-9a-f]{7,40}(, dirty)?|unknown)\\)\n$");

    std::vector<const char*> args{"zcprobe", "--version"};
    const auto p = probe::parse_cli(2, args.data());
    CHECK(p.exit_code == 0);
    CHECK(p.message == version_line("zcprobe") + "\n");
    CHECK(std::regex_match(p.message, line_re));

    args[0] = "zcengine";
    const auto e = engine::parse_cli(2, args.data());
    CHECK(e.exit_code == 0);
    CHECK(e.message == version_line("zcengine") + "\n");

    args[0] = "zcreport";
    std::ostringstream out, err;
    CHECK(report::run_zcreport(2, args.data(), out, err) == 0);
    CHECK(out.str() == version_line("zcreport") + "\n");
    CHECK(std::regex_match(out.str(), line_re));
}
