#include "probe/runner.hpp"

#include "core/errno_name.hpp"
#include "core/fd.hpp"
#include "core/interrupt.hpp"
#include "core/syscalls.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>

namespace zc::probe {

namespace {

using clock = std::chrono::steady_clock;

int64_t micros_since(clock::time_point start)
{
    return std::chrono::duration_cast<std::chrono::microseconds>(clock::now() - start).count();
}

[[noreturn]] void child_main(const Spec& spec, Context ctx, const RunOptions& opts, int out_fd, pid_t runner)
{
    // An ordinary process again (the runner blocks SIGINT/SIGTERM/SIGHUP for
    // its interrupt thread); die with the runner, also if it died before the
    // prctl took effect; own a process group the runner can kill whole.
    interrupt::restore_in_child();
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != runner) ::_exit(3);
    ::setpgid(0, 0);
    if (const auto f = opts.faults.find(spec.id); f != opts.faults.end()) {
        if (f->second == Fault::crash) {
            ::signal(SIGSEGV, SIG_DFL);
            ::raise(SIGSEGV);
        }
        for (;;) ::pause();
    }
    ctx.required_capabilities = spec.capabilities;
    ctx.wait_ms = std::max(50, opts.timeout_ms / 4);
    const auto start = clock::now();
    Result r;
    try {
        r = spec.run(ctx);
    } catch (const std::exception& e) {
        r = failed(std::string("probe threw: ") + e.what());
    }
    r.duration_us = micros_since(start);
    const std::string wire = result_to_wire(r).dump();
    size_t done = 0;
    while (done < wire.size()) {
        const ssize_t n = ::write(out_fd, wire.data() + done, wire.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) ::_exit(3);
        done += static_cast<size_t>(n);
    }
    ::_exit(0);
}

std::string describe_exit(int status)
{
    if (WIFSIGNALED(status)) {
        const int sig = WTERMSIG(status);
        const char* abbrev = ::sigabbrev_np(sig);
        return std::string("probe crashed with SIG") + (abbrev ? abbrev : std::to_string(sig).c_str());
    }
    return "probe exited with status " + std::to_string(WEXITSTATUS(status)) + " without a result";
}

} // namespace

nlohmann::json result_to_wire(const Result& r)
{
    return {{"status", std::string(status_name(r.status))},
            {"err", r.err},
            {"reason", r.reason},
            {"evidence", r.evidence},
            {"duration_us", r.duration_us},
            {"refusal", refusal_to_json(r.refusal)}};
}

std::optional<Result> result_from_wire(const nlohmann::json& j)
{
    try {
        Result r;
        const auto status = parse_status(j.at("status").get<std::string>());
        if (!status) return std::nullopt;
        r.status = *status;
        r.err = j.at("err").get<int>();
        r.reason = j.at("reason").get<std::string>();
        r.evidence = j.at("evidence");
        r.duration_us = j.at("duration_us").get<int64_t>();
        r.refusal = refusal_from_json(j.value("refusal", nlohmann::json()));
        if (!r.evidence.is_object()) return std::nullopt;
        return r;
    } catch (const nlohmann::json::exception&) {
        return std::nullopt;
    }
}

bool parse_fault(const std::string& text, std::map<std::string, Fault>& faults)
{
    const auto eq = text.find('=');
    if (eq == std::string::npos || eq == 0) return false;
    const std::string kind = text.substr(eq + 1);
    if (kind != "crash" && kind != "hang") return false;
    faults[text.substr(0, eq)] = kind == "crash" ? Fault::crash : Fault::hang;
    return true;
}

Result run_one(const Spec& spec, Context ctx, const RunOptions& opts)
{
    if (spec.needs_netns && !ctx.isolated && !opts.host_netns) {
        return skipped("needs a private network namespace, which could not be made (" + ctx.netns +
                       "); --host-netns runs it in the current namespace instead");
    }
    Pipe channel;
    if (auto r = sys::pipe(channel); !r.ok()) {
        return failed("pipe() for the probe's result failed: " + errno_text(r.err));
    }
    const auto start = clock::now();
    const pid_t runner = ::getpid();
    const pid_t pid = interrupt::fork_child(); // killed if the run is interrupted
    if (pid < 0) {
        return failed("fork() for the probe failed: " + errno_text(errno));
    }
    if (pid == 0) {
        channel.read.reset();
        child_main(spec, std::move(ctx), opts, channel.write.get(), runner);
    }
    channel.write.reset();
    ::setpgid(pid, pid); // also from here, so the group exists before any kill

    std::string wire;
    bool timed_out = false;
    const auto deadline = start + std::chrono::milliseconds(opts.timeout_ms);
    char buf[4096];
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now()).count();
        if (left <= 0) {
            timed_out = true;
            break;
        }
        pollfd p{channel.read.get(), POLLIN, 0};
        const int n = ::poll(&p, 1, static_cast<int>(left));
        if (n < 0 && errno == EINTR) continue;
        if (n == 0) continue;
        const ssize_t got = ::read(channel.read.get(), buf, sizeof buf);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) break; // EOF: the child is done (or died)
        wire.append(buf, static_cast<size_t>(got));
    }
    if (timed_out) {
        ::kill(-pid, SIGKILL);
        ::kill(pid, SIGKILL);
    }
    const int status = interrupt::wait_child(pid);
    if (timed_out) {
        Result r = failed("probe timed out after " + std::to_string(opts.timeout_ms) +
                          " ms and was killed; raise --timeout if the host is slow");
        r.duration_us = micros_since(start);
        return r;
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        const auto parsed = nlohmann::json::parse(wire, nullptr, false);
        if (!parsed.is_discarded()) {
            if (auto r = result_from_wire(parsed)) return *r;
        }
        Result r = failed("probe returned an unreadable result");
        r.duration_us = micros_since(start);
        return r;
    }
    Result r = failed(describe_exit(status));
    r.duration_us = micros_since(start);
    return r;
}

std::vector<Outcome> run_all(const std::vector<const Spec*>& specs, const Context& ctx, const RunOptions& opts)
{
    std::vector<Outcome> out;
    out.reserve(specs.size());
    for (const Spec* spec : specs) {
        out.push_back({spec, run_one(*spec, ctx, opts)});
    }
    return out;
}

} // namespace zc::probe
