// The runner's scheduler (--jobs): probes overlap up to the limit, an
// exclusive one never overlaps another, results keep the specs' order, and a
// probe's time limit and crash stay its own. The probes here are small
// functions in forked children that meet through files in a temp directory.
#include "apps/zcprobe/cli.hpp"
#include "core/close_later.hpp"
#include "core/fd.hpp"
#include "probe/runner.hpp"
#include "traffic/netns_visit.hpp"

#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
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

namespace {

// A probe whose process goes on for about linger_s after sending its result:
// a loopback TCP connection the peer never reads, closed with SO_LINGER
// after the result (close_later), so close() waits for the unsent bytes.
Spec slow_to_exit(const std::string& id, int linger_s)
{
    Spec s;
    s.id = id;
    s.sharing = Sharing::quiet;
    s.run = [linger_s](const Context&) {
        const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
        int small = 4096;
        ::setsockopt(listener, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof a;
        if (::bind(listener, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(listener, 1) != 0 ||
            ::getsockname(listener, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
            return failed("listener");
        }
        zc::Fd client(::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0));
        ::setsockopt(client.get(), SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
        ::connect(client.get(), reinterpret_cast<sockaddr*>(&a), sizeof a);
        pollfd p{client.get(), POLLOUT, 0};
        ::poll(&p, 1, 1000);
        std::vector<char> junk(65536, 'x');
        for (int i = 0; i < 1000 && ::send(client.get(), junk.data(), junk.size(), MSG_NOSIGNAL) > 0; ++i) {
        }
        const linger l{1, linger_s};
        ::setsockopt(client.get(), SOL_SOCKET, SO_LINGER, &l, sizeof l);
        zc::close_later(std::move(client)); // the listener stays open until _exit
        return supported("sent");
    };
    return s;
}

} // namespace

TEST_CASE("a quiet probe sets up while an earlier probe exits and waits for that exit before its racy part")
{
    Spec waiter;
    waiter.id = "p.waiter";
    waiter.sharing = Sharing::quiet;
    waiter.run = [](const Context& ctx) {
        const size_t fds = ctx.settle_fds.size();
        const auto start = std::chrono::steady_clock::now();
        const bool settled = await_settled(ctx);
        const auto waited =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
        return supported("fds " + std::to_string(fds) + " settled " + std::to_string(settled) + " waited " +
                         std::to_string(waited));
    };
    std::vector<Spec> specs = {slow_to_exit("p.slow", 1), waiter};
    RunOptions opts;
    opts.timeout_ms = 8000; // wait_ms 2000
    opts.jobs = 4;
    const auto out = run_all(pointers(specs), Context{}, opts);
    REQUIRE(out.size() == 2);
    CHECK(out[0].result.reason == "sent");
    const std::string& r = out[1].result.reason;
    INFO(r);
    // Started while p.slow was still closing its lingering socket, handed
    // its pidfd, and waited for its exit.
    CHECK(r.starts_with("fds 1 settled 1 waited "));
    if (r.starts_with("fds 1 settled 1 waited ")) {
        CHECK(std::stoi(r.substr(std::string("fds 1 settled 1 waited ").size())) >= 300);
    }
    // --jobs 1: the runner itself waits for the exit; nothing is handed on.
    opts.jobs = 1;
    const auto serial = run_all(pointers(specs), Context{}, opts);
    CHECK(serial[1].result.reason.starts_with("fds 0 settled 1 waited "));
}

TEST_CASE("await_settled waits for the processes behind the pidfds and at most wait_ms")
{
    const pid_t child = ::fork();
    if (child == 0) {
        ::usleep(200 * 1000);
        ::_exit(0);
    }
    zc::Fd fd(static_cast<int>(::syscall(SYS_pidfd_open, child, 0)));
    REQUIRE(fd);
    Context ctx;
    ctx.settle_fds = {fd.get()};
    ctx.wait_ms = 20;
    CHECK_FALSE(await_settled(ctx)); // still sleeping
    ctx.wait_ms = 5000;
    const auto start = std::chrono::steady_clock::now();
    CHECK(await_settled(ctx));
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(4));
    int status = 0;
    ::waitpid(child, &status, 0);
}
