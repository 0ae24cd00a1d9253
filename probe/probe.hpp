// What a probe is: a catalog entry (Spec) and what it returns (Result).
// Probes return data and never print; the runner executes each one in a
// child process, and renderers turn results into text or JSON.
#pragma once

#include "core/verdict.hpp"
#include "probe/history.hpp"
#include "probe/sandbox_answer.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zc::probe {

// Facts the probes need about where they run.
struct Context {
    bool isolated = false;     // in a private network namespace with lo up
    std::string netns;         // "netns", "userns+netns" or "host"
    uint64_t capabilities = 0; // effective set where the probes run
    std::optional<int> seccomp;
    // The sandbox before zcprobe made any namespace (what an application
    // started the same way holds), and whether the probes run in a user
    // namespace zcprobe made itself.
    SandboxFacts sandbox;
    std::string tmpdir;        // private directory owned by this run
    // How long to wait for something that should arrive (a datagram, a
    // completion): a quarter of the probe's time limit, so a slow host (an
    // emulated guest) gets more patience. Only failure paths wait this long.
    int wait_ms = 500;
    std::vector<int> required_capabilities; // of the probe being run
    bool load_modules = false; // --load-modules: a probe may make the kernel load modules
    // --xdp-device: a link in the namespace zcprobe started in, and a
    // descriptor of that namespace (borrowed; -1 without the option), so a
    // probe can make a socket there while running in the private one.
    std::string xdp_device;
    int home_netns_fd = -1;
    // Quiet probes (Sharing::quiet): pidfds of earlier probes' processes
    // that had sent their result and were still exiting (closing sockets,
    // each close an RCU grace period) when this one started. The probe sets
    // up while they finish and calls await_settled() right before its racy
    // part, so that part still runs with nothing else in the namespace
    // (borrowed; empty when nothing was exiting or pidfds are unavailable,
    // in which case the runner waited for those exits before the start).
    std::vector<int> settle_fds;
};

// Waits until every process behind ctx.settle_fds has exited (a pidfd
// turns readable once the task has exited, after its files, sockets
// included, are released: do_exit() -> exit_files()/exit_task_work() before
// exit_notify(), kernel/exit.c, the same order from 5.10 to 6.18; pidfd_poll()
// reports EPOLLIN once thread_group_exited(), kernel/pid.c / pidfd.c), at
// most wait_ms; it is the point where waitpid() would have returned, which
// is where the runner used to wait. False if one had not exited by then.
bool await_settled(const Context& ctx);
// Time this process spent in await_settled(): the runner's child leaves it
// out of duration_us (it is the wait the runner did before the start when
// the probe ran serially) and reports it as evidence settle_wait_us.
int64_t settle_wait_us() noexcept;

struct Result {
    Status status = Status::error;
    int err = 0; // positive errno behind the verdict; 0 = none
    std::string reason;
    nlohmann::json evidence = nlohmann::json::object();
    int64_t duration_us = 0; // set by the runner
    // Which layer of the sandbox refused the call behind a blocked result
    // (or an io_uring hidden by seccomp), by evidence; nullopt otherwise.
    std::optional<Refusal> refusal;
};

enum class Sharing { shared, alone, quiet };

struct Spec {
    std::string id;      // stable dotted id: "splice.udp4"
    std::string section; // "splice", "pipe", ...
    std::string title;
    std::string supported_means; // what "supported" asserts
    std::vector<int> capabilities; // needed in the probing namespace
    // Where the behaviour comes from and what changed it since. Cited in
    // --list and in every result, never used to decide a verdict.
    History history;
    bool needs_netns = false; // sends traffic: only in a private namespace unless --host-netns
    std::function<Result(const Context&)> run;
    // Under --jobs: beside other probes, or alone because it changes or
    // reads something the whole namespace shares, or alone and after every
    // earlier probe's process has exited because its evidence is a race
    // that their closing sockets could tip; its entry says why.
    Sharing sharing = Sharing::shared;
};

// "CAP_NET_RAW, CAP_NET_ADMIN" or "none".
std::string privileges_text(const std::vector<int>& caps);

// Result builders. reason is one line, lower case.
Result supported(std::string reason, nlohmann::json evidence = nlohmann::json::object());
Result unsupported(std::string reason, nlohmann::json evidence = nlohmann::json::object());
Result skipped(std::string reason);
Result failed(std::string reason, nlohmann::json evidence = nlohmann::json::object()); // status error

// A failed call: the status comes from classify_errno(); the reason names
// the call and the errno, and for blocked results the cause we could find
// (missing capability, seccomp, or the sysctl named by policy_sysctl).
// "what" reads like "splice into raw4 socket".
Result from_errno(const Context& ctx, std::string_view what, int err, std::string_view hint = {},
                  nlohmann::json evidence = nlohmann::json::object());

// Why an EPERM/EACCES (or ENOSYS for a syscall the kernel has) happened,
// attributed for this call (what) by evidence; see probe/sandbox_answer.hpp.
// kernel_has: whether the kernel has the syscall, when the caller knows
// better than /proc/kallsyms (a sysctl only the feature registers).
Refusal call_refusal(const Context& ctx, std::string_view what, int err, std::optional<bool> kernel_has = std::nullopt);
// The refusal as the reason's tail: "seccomp refused vmsplice (checked: ...)".
std::string refusal_text(const Refusal& r);

} // namespace zc::probe
