#include "probe/runner.hpp"

#include "core/close_later.hpp"
#include "core/errno_name.hpp"
#include "core/fd.hpp"
#include "core/interrupt.hpp"
#include "core/run_identity.hpp"
#include "core/syscalls.hpp"
#include "traffic/netns_visit.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
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
    renew_run_identity(); // its own tag: probes running side by side keep apart
    if (const auto f = opts.faults.find(spec.id); f != opts.faults.end()) {
        if (f->second == Fault::crash) {
            ::signal(SIGSEGV, SIG_DFL);
            ::raise(SIGSEGV);
        }
        for (;;) ::pause();
    }
    keep_open_until_exit(); // sockets whose close waits for a grace period: after the result
    ctx.required_capabilities = spec.capabilities;
    ctx.wait_ms = std::max(50, opts.timeout_ms / 4);
    const auto start = clock::now();
    Result r;
    try {
        r = spec.run(ctx);
    } catch (const std::exception& e) {
        r = failed(std::string("probe threw: ") + e.what());
    }
    r.duration_us = micros_since(start) - settle_wait_us();
    if (settle_wait_us() > 0 && r.evidence.is_object()) r.evidence["settle_wait_us"] = settle_wait_us();
    const std::string wire = result_to_wire(r).dump();
    size_t done = 0;
    while (done < wire.size()) {
        const ssize_t n = ::write(out_fd, wire.data() + done, wire.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) ::_exit(3);
        done += static_cast<size_t>(n);
    }
    // The result is complete: the runner takes it now, while the child
    // closes what close_later() kept (exit would close the pipe after them).
    ::close(out_fd);
    close_kept();
    ::_exit(0);
}

std::string describe_exit(int status)
{
    if (WIFSIGNALED(status)) {
        const int sig = WTERMSIG(status);
        const char* abbrev = ::sigabbrev_np(sig);
        return std::string("probe crashed with SIG") + (abbrev ? abbrev : std::to_string(sig).c_str());
    }
    if (WEXITSTATUS(status) == stranded_exit_status) {
        // NetnsVisit's policy: the child could not setns() back to the
        // namespace it left and ended rather than go on in the wrong one.
        return "probe ended without a result: it could not return from a nested network namespace "
               "(setns refused; its stderr line names the errno)";
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

namespace {

// One probe's child while it runs: its result pipe, its deadline, what it
// has sent so far.
struct Running {
    size_t index = 0; // into specs and the outcomes
    pid_t pid = -1;
    Fd read;
    clock::time_point start;
    clock::time_point deadline;
    std::string wire;
    bool timed_out = false;
};

// Forks the probe's child; a Result when it cannot (or need not) run.
// A pidfd for each of pids (processes not yet reaped, so none is reused);
// fewer than pids when the kernel or a seccomp filter refuses pidfd_open.
std::vector<Fd> exit_pidfds(const std::vector<pid_t>& pids)
{
    std::vector<Fd> out;
    for (const pid_t pid : pids) {
        Fd fd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
        if (!fd) break;
        out.push_back(std::move(fd));
    }
    return out;
}

std::optional<Result> start_child(const Spec& spec, const Context& ctx, const RunOptions& opts, Running& out)
{
    if (spec.needs_netns && !ctx.isolated && !opts.host_netns) {
        return skipped("needs a private network namespace, which could not be made (" + ctx.netns +
                       "); --host-netns runs it in the current namespace instead");
    }
    Pipe channel;
    if (auto r = sys::pipe(channel); !r.ok()) {
        return failed("pipe() for the probe's result failed: " + errno_text(r.err));
    }
    out.start = clock::now();
    out.deadline = out.start + std::chrono::milliseconds(opts.timeout_ms);
    const pid_t runner = ::getpid();
    const pid_t pid = interrupt::fork_child(); // killed if the run is interrupted
    if (pid < 0) {
        return failed("fork() for the probe failed: " + errno_text(errno));
    }
    if (pid == 0) {
        channel.read.reset();
        child_main(spec, ctx, opts, channel.write.get(), runner);
    }
    channel.write.reset();
    ::setpgid(pid, pid); // also from here, so the group exists before any kill
    out.pid = pid;
    out.read = std::move(channel.read);
    return std::nullopt;
}

// Reads what is there; true at EOF (the child is done or died).
bool read_some(Running& r)
{
    char buf[4096];
    for (;;) {
        const ssize_t got = ::read(r.read.get(), buf, sizeof buf);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0 && errno == EAGAIN) return false;
        if (got <= 0) return true;
        r.wire.append(buf, static_cast<size_t>(got));
        return false;
    }
}

// Whether the child has exited (it stays a zombie until wait_child()).
bool has_exited(pid_t pid)
{
    siginfo_t info{};
    return ::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) != 0 || info.si_pid == pid;
}

// A complete result the child sent before closing its pipe; then the
// child is only closing what close_later() kept, and is reaped later.
std::optional<Result> sent_result(const Running& r)
{
    if (r.timed_out) return std::nullopt;
    const auto parsed = nlohmann::json::parse(r.wire, nullptr, false);
    if (parsed.is_discarded()) return std::nullopt;
    return result_from_wire(parsed);
}

// Reaps the child and turns what it sent into its Result.
Result finish_child(Running& r, const RunOptions& opts)
{
    if (r.timed_out) {
        ::kill(-r.pid, SIGKILL);
        ::kill(r.pid, SIGKILL);
    }
    const int status = interrupt::wait_child(r.pid);
    if (r.timed_out) {
        Result res = failed("probe timed out after " + std::to_string(opts.timeout_ms) +
                            " ms and was killed; raise --timeout if the host is slow");
        res.duration_us = micros_since(r.start);
        return res;
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        const auto parsed = nlohmann::json::parse(r.wire, nullptr, false);
        if (!parsed.is_discarded()) {
            if (auto res = result_from_wire(parsed)) return *res;
        }
        Result res = failed("probe returned an unreadable result");
        res.duration_us = micros_since(r.start);
        return res;
    }
    Result res = failed(describe_exit(status));
    res.duration_us = micros_since(r.start);
    return res;
}

// Waits until at least one running child has finished (EOF on its pipe) or
// passed its deadline, reading whatever arrives; returns their positions.
std::vector<size_t> wait_for_done(std::vector<Running>& running)
{
    std::vector<size_t> done;
    for (;;) {
        const auto now = clock::now();
        auto first_deadline = running.front().deadline;
        for (size_t i = 0; i < running.size(); ++i) {
            if (running[i].deadline <= now) {
                running[i].timed_out = true;
                done.push_back(i);
            }
            first_deadline = std::min(first_deadline, running[i].deadline);
        }
        if (!done.empty()) return done;
        const auto left = std::chrono::ceil<std::chrono::milliseconds>(first_deadline - now).count();
        std::vector<pollfd> fds;
        fds.reserve(running.size());
        for (const auto& r : running) fds.push_back({r.read.get(), POLLIN, 0});
        const int n = ::poll(fds.data(), fds.size(), static_cast<int>(std::max<int64_t>(left, 1)));
        if (n <= 0) continue; // EINTR or a deadline: checked at the top
        for (size_t i = 0; i < fds.size(); ++i) {
            if (fds[i].revents == 0) continue;
            if (read_some(running[i])) done.push_back(i);
        }
        if (!done.empty()) return done;
    }
}

} // namespace

Result run_one(const Spec& spec, Context ctx, const RunOptions& opts)
{
    RunOptions serial = opts;
    serial.jobs = 1;
    std::vector<Outcome> out = run_all({&spec}, ctx, serial);
    return std::move(out.front().result);
}

int default_jobs()
{
    const long cpus = ::sysconf(_SC_NPROCESSORS_ONLN);
    return static_cast<int>(std::clamp<long>(cpus, 1, max_jobs / jobs_per_cpu) * jobs_per_cpu);
}

std::vector<size_t> start_order(const std::vector<const Spec*>& specs)
{
    std::vector<size_t> order;
    order.reserve(specs.size());
    for (const Sharing s : {Sharing::quiet, Sharing::alone, Sharing::shared}) {
        for (size_t i = 0; i < specs.size(); ++i) {
            if (specs[i]->sharing == s) order.push_back(i);
        }
    }
    return order;
}

std::vector<Outcome> run_all(const std::vector<const Spec*>& specs, const Context& ctx, const RunOptions& opts,
                             const std::function<void(size_t done, const Spec& started)>& on_start)
{
    std::vector<Outcome> out(specs.size());
    for (size_t i = 0; i < specs.size(); ++i) out[i].spec = specs[i];
    const size_t jobs = static_cast<size_t>(std::max(1, opts.jobs));
    std::vector<Running> running;
    // Children that sent their result and are closing sockets on their way
    // out: reaped when done, and before the next starts with --jobs 1 or
    // when it is quiet.
    std::vector<pid_t> exiting;
    auto reap = [&exiting](bool all) {
        std::erase_if(exiting, [all](pid_t pid) {
            if (!all && !has_exited(pid)) return false;
            interrupt::wait_child(pid);
            return true;
        });
    };
    bool alone = false; // an exclusive probe is running: nothing starts beside it
    size_t finished = 0;
    const std::vector<size_t> order = start_order(specs);
    size_t next = 0;
    while (finished < specs.size()) {
        // Start what may start: an exclusive probe only when nothing runs,
        // and then nothing else until it is done.
        while (next < order.size() && !alone && running.size() < jobs) {
            const size_t i = order[next];
            const bool exclusive = specs[i]->sharing != Sharing::shared && jobs > 1;
            if (exclusive && !running.empty()) break;
            // One after another (--jobs 1) means after the last one's exit
            // too, and so does quiet: a child that has sent its result only
            // closes sockets, but that work shifts the timing a race witness
            // reads (packet.tx_ring_v2 on Debian 7.2 under TCG read
            // "original" beside exiting children, where alone it reads
            // "overwritten"). Alone needs no more than no probe running.
            // Quiet with --jobs > 1: the probe sets up (its PACKET_TX_RING
            // costs a grace period) while those exits finish, and waits for
            // them (pidfds, await_settled) right before its racy part; where
            // no pidfd can be had (pidfd_open: 5.3, or a seccomp profile
            // refusing it), the runner waits for them here.
            std::vector<Fd> settle;
            if (jobs == 1) {
                reap(true);
            } else if (exclusive && specs[i]->sharing == Sharing::quiet) {
                reap(false);
                settle = exit_pidfds(exiting);
                if (settle.size() != exiting.size()) {
                    settle.clear();
                    reap(true);
                }
            }
            Context child_ctx = ctx;
            for (const Fd& fd : settle) child_ctx.settle_fds.push_back(fd.get());
            ++next;
            if (on_start) on_start(finished, *specs[i]);
            Running r;
            r.index = i;
            if (auto res = start_child(*specs[i], child_ctx, opts, r)) {
                out[i].result = std::move(*res);
                ++finished;
                continue;
            }
            running.push_back(std::move(r));
            alone = exclusive;
        }
        if (running.empty()) continue;
        std::vector<size_t> done = wait_for_done(running);
        std::sort(done.begin(), done.end());
        done.erase(std::unique(done.begin(), done.end()), done.end());
        for (auto it = done.rbegin(); it != done.rend(); ++it) {
            Running& r = running[*it];
            if (auto sent = sent_result(r)) {
                out[r.index].result = std::move(*sent);
                exiting.push_back(r.pid);
            } else {
                out[r.index].result = finish_child(r, opts);
            }
            ++finished;
            running.erase(running.begin() + static_cast<std::ptrdiff_t>(*it));
        }
        if (running.empty()) alone = false;
        reap(false);
    }
    reap(true);
    return out;
}

} // namespace zc::probe
