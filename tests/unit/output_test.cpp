// Shared command-line and output plumbing: comma lists with empty items, an
// option given an empty value, stdout that refuses bytes, and the bounded
// read of a pipe that never delivers.
#include "apps/common/cli_outcome.hpp"
#include "apps/zcengine/cli.hpp"
#include "apps/zcprobe/cli.hpp"
#include "apps/zcreport/cli.hpp"
#include "core/bounded_read.hpp"
#include "core/fd.hpp"
#include "core/output.hpp"
#include "core/split.hpp"

#include <CLI/CLI.hpp>
#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <streambuf>
#include <string>
#include <vector>

using namespace zc;

TEST_CASE("split_list: items in order - an empty item anywhere is an error naming option and item")
{
    CHECK(split_list("--sizes", std::string("64,1400")).items == std::vector<std::string>{"64", "1400"});
    CHECK(split_list("--only", std::vector<std::string>{"a,b", "c"}).items == std::vector<std::string>{"a", "b", "c"});
    CHECK(split_list("--only", std::vector<std::string>{}).ok());
    for (const auto& [text, item] : std::vector<std::pair<std::string, std::string>>{
             {"1400,,64", "item 2"}, {",64", "item 1"}, {"64,", "item 2"}, {"", "item 1"}, {",", "item 1"}}) {
        CAPTURE(text);
        const SplitList s = split_list("--sizes", text);
        CHECK_FALSE(s.ok());
        CHECK(s.items.empty());
        CHECK(s.error.find("--sizes '" + text + "'") != std::string::npos);
        CHECK(s.error.find(item) != std::string::npos);
        CHECK(s.error.find('\n') == std::string::npos);
    }
    CHECK_FALSE(split_list("--require", std::vector<std::string>{"a", "b,,c"}).ok());
}

TEST_CASE("every list option of zcprobe and zcengine refuses an empty item (exit 2)")
{
    const std::vector<std::vector<const char*>> probe_lines = {
        {"zcprobe", "--only", "pipe.tee,"}, {"zcprobe", "--skip", ",pipe.tee"},
        {"zcprobe", "--require", "pipe.tee,,pipe.splice"}, {"zcprobe", "--test-fault", "pipe.tee=crash,"},
        {"zcprobe", "-o", ""}, {"zcprobe", "--only", ""}};
    for (auto argv : probe_lines) {
        CAPTURE(argv[1]);
        const auto p = probe::parse_cli(static_cast<int>(argv.size()), argv.data());
        CHECK_FALSE(p.options);
        CHECK(p.exit_code == probe::exit_usage);
        CHECK(p.message.find(argv[1]) != std::string::npos);
    }
    const std::vector<std::vector<const char*>> engine_lines = {
        {"zcengine", "--sizes", "1400,,64"}, {"zcengine", "--modes", "page,"}, {"zcengine", "--mode", ""},
        {"zcengine", "--output", ""}, {"zcengine", "--kind", ""}};
    for (auto argv : engine_lines) {
        CAPTURE(argv[1]);
        const auto p = engine::parse_cli(static_cast<int>(argv.size()), argv.data());
        CHECK_FALSE(p.options);
        CHECK(p.exit_code == engine::exit_usage);
        CHECK(p.message.find(argv[1]) != std::string::npos);
    }
}

TEST_CASE("empty_option_value names a given option with an empty value - flags and positionals aside")
{
    CLI::App app;
    std::string out, file;
    bool flag = false;
    app.add_option("-o,--output", out);
    app.add_option("file", file);
    app.add_flag("--flag", flag);
    const char* given[] = {"t", "--flag", "-o", "", ""};
    app.parse(5, given);
    CHECK(empty_option_value(app) == "-o/--output is given an empty value");
    CLI::App ok_app;
    ok_app.add_option("-o,--output", out);
    const char* none[] = {"t"};
    ok_app.parse(1, none);
    CHECK(empty_option_value(ok_app).empty());
}

namespace {

// A stream whose every write fails, as std::cout does on /dev/full.
struct RefusingBuf : std::streambuf {
    int overflow(int) override { return traits_type::eof(); }
    std::streamsize xsputn(const char*, std::streamsize) override { return 0; }
};

} // namespace

TEST_CASE("write_stdout: one line when the stream refuses - nothing when it takes the bytes")
{
    std::ostringstream fine;
    CHECK(write_stdout(fine, "abc").empty());
    CHECK(fine.str() == "abc");
    RefusingBuf buf;
    std::ostream refusing(&buf);
    const std::string err = write_stdout(refusing, "abc");
    CHECK(err.find("cannot write to standard output") == 0);
    CHECK(err.find('\n') == std::string::npos);
}

TEST_CASE("zcreport: a list option with an empty item and -o '' are exit 2")
{
    auto run = [](std::vector<const char*> argv) {
        std::ostringstream out, err;
        const int code = report::run_zcreport(static_cast<int>(argv.size()), argv.data(), out, err);
        return std::pair{code, err.str()};
    };
    const std::string fixture = std::string(ZC_SOURCE_DIR) + "/tests/reports/fixtures/vm-6.18.json";
    for (auto extra : std::vector<std::vector<const char*>>{{"--require", "pipe.tee,"},
                                                            {"--redact", "--redact-word", "a,,b"},
                                                            {"-o", ""}}) {
        std::vector<const char*> argv = {"zcreport", "render", fixture.c_str()};
        argv.insert(argv.end(), extra.begin(), extra.end());
        const auto [code, err] = run(argv);
        CAPTURE(extra.front());
        CHECK(code == report::exit_bad_input);
        CHECK(err.find(extra.back()[0] == '\0' ? extra.front() : extra[extra.size() - 2]) != std::string::npos);
    }
}

TEST_CASE("read_bounded: a pipe's bytes arrive - a silent writer or none at all is an error in bounded time")
{
    using Clock = std::chrono::steady_clock;
    int ends[2];
    REQUIRE(::pipe2(ends, O_CLOEXEC) == 0);
    Fd r(ends[0]), w(ends[1]);
    const std::string path = "/proc/self/fd/" + std::to_string(r.get());

    REQUIRE(::write(w.get(), "{}", 2) == 2);
    w.reset();
    BoundedRead done = read_bounded(path, 100, 200, 200);
    CHECK(done.error.empty());
    CHECK(done.text == "{}");

    REQUIRE(::pipe2(ends, O_CLOEXEC) == 0);
    Fd r2(ends[0]), w2(ends[1]);
    const auto start = Clock::now();
    BoundedRead stalled = read_bounded("/proc/self/fd/" + std::to_string(r2.get()), 100, 200, 300);
    CHECK(stalled.error.find("nothing arrived") != std::string::npos);
    CHECK(Clock::now() - start < std::chrono::seconds(3));

    char dir[] = "/tmp/zcunit.XXXXXX";
    REQUIRE(::mkdtemp(dir) != nullptr);
    const std::string fifo = std::string(dir) + "/fifo";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    BoundedRead lonely = read_bounded(fifo, 100, 200, 300);
    CHECK(lonely.error.find("no writer") != std::string::npos);
    ::unlink(fifo.c_str());
    ::rmdir(dir);
}

TEST_CASE("read_bounded: a file larger than the first buffer arrives whole - one past the limit says over it")
{
    char dir[] = "/tmp/zcunit.XXXXXX";
    REQUIRE(::mkdtemp(dir) != nullptr);
    const std::string path = std::string(dir) + "/big";
    std::string bytes(300 * 1024 + 7, 'x');
    for (size_t i = 0; i < bytes.size(); i += 4096) bytes[i] = static_cast<char>('a' + (i / 4096) % 26);
    {
        std::ofstream out(path, std::ios::binary);
        out << bytes;
    }
    const BoundedRead whole = read_bounded(path, 1024 * 1024, 200, 200);
    CHECK(whole.error.empty());
    CHECK(whole.text == bytes);
    const BoundedRead exact = read_bounded(path, bytes.size(), 200, 200);
    CHECK(exact.text == bytes);
    const BoundedRead over = read_bounded(path, 200 * 1024, 200, 200);
    CHECK(over.text.size() == 200 * 1024 + 1);
    CHECK(over.text == bytes.substr(0, 200 * 1024 + 1));
    ::unlink(path.c_str());
    ::rmdir(dir);
}
