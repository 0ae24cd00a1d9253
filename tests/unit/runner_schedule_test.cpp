// The runner's scheduler (--jobs): probes overlap up to the limit, an
// exclusive one never overlaps another, results keep the specs' order, and a
// probe's time limit and crash stay its own. The probes here are small
// functions in forked children that meet through files in a temp directory.
#include "apps/zcprobe/cli.hpp"
#include "probe/runner.hpp"
#include "traffic/netns_visit.hpp"

#include <doctest/doctest.h>

#include <unistd.h>

#include <cerrno>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

using namespace zc::probe;

namespace {

namespace fs = std::filesystem;

ParsedCli parse(std::vector<const char*> args)
{
    args.insert(args.begin(), "zcprobe");
    return parse_cli(static_cast<int>(args.size()), args.data());
}

// Leaves `mine` in dir, then waits up to 1 s for `theirs`: supported when
// the other probe ran at the same time, unsupported when it did not.
Spec meeting(const std::string& id, const fs::path& dir, const std::string& mine, const std::string& theirs)
{
    Spec s;
    s.id = id;
    s.run = [dir, mine, theirs](const Context&) {
        { std::FILE* f = std::fopen((dir / mine).c_str(), "w"); if (f) std::fclose(f); }
        const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(1);
        while (std::chrono::steady_clock::now() < until) {
            if (fs::exists(dir / theirs)) return supported("met");
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
        return unsupported("alone");
    };
    return s;
}

struct TempDir {
    fs::path path;
    TempDir()
    {
        std::string t = (fs::temp_directory_path() / "zc-schedule.XXXXXX").string();
        path = ::mkdtemp(t.data());
    }
    ~TempDir() { fs::remove_all(path); }
};

std::vector<const Spec*> pointers(const std::vector<Spec>& specs)
{
    std::vector<const Spec*> out;
    for (const auto& s : specs) out.push_back(&s);
    return out;
}

} // namespace

TEST_CASE("--jobs takes 1 to 256 and anything else is one usage line")
{
    CHECK(parse({"--jobs", "1"}).options->run.jobs == 1);
    CHECK(parse({"--jobs", "256"}).options->run.jobs == 256);
    CHECK(parse({}).options->run.jobs == default_jobs());
    CHECK(default_jobs() >= jobs_per_cpu);
    for (const char* bad : {"0", "257", "-1", "2x", " 3", "1000"}) {
        const auto p = parse({"--jobs", bad});
        CHECK_FALSE(p.options);
        CHECK(p.exit_code == exit_usage);
        CHECK(p.message == std::string("--jobs '") + bad + "' is not a whole number from 1 to 256");
    }
}

TEST_CASE("quiet then alone probes start first and each group keeps catalog order")
{
    Spec a, b, c, d, e;
    b.sharing = Sharing::alone;
    d.sharing = Sharing::alone;
    e.sharing = Sharing::quiet;
    CHECK(start_order({&a, &b, &c, &d, &e}) == std::vector<size_t>{4, 1, 3, 0, 2});
}

TEST_CASE("with --jobs 2 two probes run at the same time and with --jobs 1 they do not")
{
    TempDir dir;
    const std::vector<Spec> specs = {meeting("p.left", dir.path, "left", "right"),
                                     meeting("p.right", dir.path, "right", "left")};
    RunOptions opts;
    opts.timeout_ms = 5000;
    opts.jobs = 2;
    auto out = run_all(pointers(specs), Context{}, opts);
    REQUIRE(out.size() == 2);
    CHECK(out[0].spec->id == "p.left");
    CHECK(out[0].result.status == zc::Status::supported);
    CHECK(out[1].result.status == zc::Status::supported);

    fs::remove(dir.path / "left");
    fs::remove(dir.path / "right");
    opts.jobs = 1;
    out = run_all(pointers(specs), Context{}, opts);
    CHECK(out[0].result.status == zc::Status::unsupported); // "right" came only after it ended
}

TEST_CASE("an alone or quiet probe runs with nothing beside it")
{
    TempDir dir;
    std::vector<Spec> specs = {meeting("p.left", dir.path, "left", "right"),
                               meeting("p.right", dir.path, "right", "left")};
    for (const Sharing s : {Sharing::alone, Sharing::quiet}) {
        fs::remove(dir.path / "left");
        fs::remove(dir.path / "right");
        specs[1].sharing = s;
        RunOptions opts;
        opts.timeout_ms = 5000;
        opts.jobs = 8;
        const auto out = run_all(pointers(specs), Context{}, opts);
        CHECK(out[0].spec->id == "p.left");
        CHECK(out[1].spec->id == "p.right");
        CHECK(out[1].result.status == zc::Status::unsupported); // started first, alone
        CHECK(out[0].result.status == zc::Status::supported);   // found what p.right left behind
    }
}

TEST_CASE("side by side each probe keeps its own time limit and crash and place in the results")
{
    std::vector<Spec> specs(4);
    for (size_t i = 0; i < specs.size(); ++i) {
        specs[i].id = "p." + std::to_string(i);
        specs[i].run = [i](const Context&) {
            // Later probes end sooner, so they finish out of order.
            std::this_thread::sleep_for(std::chrono::milliseconds(40 * (4 - static_cast<int>(i))));
            return supported("done " + std::to_string(i));
        };
    }
    RunOptions opts;
    opts.timeout_ms = 1500;
    opts.jobs = 4;
    opts.faults["p.1"] = Fault::hang;
    opts.faults["p.2"] = Fault::crash;
    const auto start = std::chrono::steady_clock::now();
    const auto out = run_all(pointers(specs), Context{}, opts);
    const auto took = std::chrono::steady_clock::now() - start;
    REQUIRE(out.size() == 4);
    CHECK(out[0].result.reason == "done 0");
    CHECK(out[1].result.status == zc::Status::error);
    CHECK(out[1].result.reason.find("timed out after 1500 ms") != std::string::npos);
    CHECK(out[2].result.status == zc::Status::error);
    CHECK(out[2].result.reason == "probe crashed with SIGSEGV");
    CHECK(out[3].result.reason == "done 3");
    // One time limit in all, not one after the other.
    CHECK(took < std::chrono::milliseconds(2 * 1500));
}

TEST_CASE("a probe stranded in a nested network namespace is an error that says so")
{
    std::vector<Spec> specs(2);
    specs[0].id = "p.stranded";
    specs[0].run = [](const Context&) -> zc::probe::Result { zc::stranded_in_netns(EPERM); };
    specs[1].id = "p.after";
    specs[1].run = [](const Context&) { return supported("ran"); };
    RunOptions opts;
    opts.jobs = 2;
    const auto out = run_all(pointers(specs), Context{}, opts);
    REQUIRE(out.size() == 2);
    CHECK(out[0].result.status == zc::Status::error);
    CHECK(out[0].result.reason.find("could not return from a nested network namespace") != std::string::npos);
    CHECK(out[1].result.reason == "ran");
}
