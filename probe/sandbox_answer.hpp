// The second answer of every result: may a process under this sandbox's
// policy do what the probe did? `status` stays what the kernel does; this
// says allowed, or refused with the layer that refused it (seccomp,
// capability, sysctl, LSM, namespace), the smallest change that would allow
// it, and whether the cause was checked or is a guess.
//
// The decisions are pure functions of facts (what the failed call was, its
// errno, the sets of capabilities, the seccomp filter count, what a
// bad-argument retry of the same syscall answered, whether /proc/kallsyms
// lists the syscall); collecting the facts is kept apart so tests can feed
// facts from any sandbox.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zc::probe {

struct Spec;
struct Result;

// The sandbox as zcprobe found it BEFORE it made any namespace of its own:
// what an application started the same way would hold.
struct SandboxFacts {
    uint64_t effective = 0;         // CapEff
    uint64_t bounding = ~0ULL;      // CapBnd
    std::optional<int> seccomp_mode;
    std::optional<int> seccomp_filters; // Seccomp_filters: (5.9+), null before
    bool no_new_privs = false;
    std::string lsm_label;          // "" when no LSM label is readable
    bool own_user_namespace = false; // zcprobe ran its probes in a user namespace it made itself
};

enum class Layer { none, seccomp, capability, sysctl, lsm, namespace_creation };
std::string_view layer_name(Layer l); // "seccomp", "capability", "sysctl", "lsm", "namespace"

// Why one call was refused.
struct Refusal {
    Layer layer = Layer::none;
    std::string detail;         // syscall, "CAP_NET_RAW", "kernel.io_uring_disabled=2", the LSM label
    std::string fix;            // the smallest change that would allow it
    bool cause_checked = false; // false: the layer is the likeliest, not proven
    std::string why;            // one line: the evidence, or why it is a guess
};

// Facts about one failed call, as the probe child sees them.
struct CallFacts {
    std::string syscall;           // "vmsplice", "socket", "io_uring_setup" ("" unknown)
    int err = 0;                   // positive errno
    std::optional<int> needs;      // the capability the kernel checks for this call, if any
    uint64_t effective = 0;        // where the call ran
    bool own_user_namespace = false;
    SandboxFacts sandbox;
    // What the same syscall answered with arguments the kernel rejects on
    // sight (fd -1): true = EPERM/EACCES/ENOSYS (a filter answered before the
    // kernel looked), false = the kernel's own errno, nullopt = not checked.
    std::optional<bool> filter_answered;
    std::optional<bool> kernel_has_syscall; // from /proc/kallsyms or a sysctl only the feature has
    std::optional<std::string> sysctl;      // "kernel.io_uring_disabled=2" when that sysctl refuses
};

// Pure: the layer that refused a call, by evidence.
Refusal attribute_refusal(const CallFacts& f);

// Pure: the syscall behind a call description ("vmsplice into a pipe" ->
// "vmsplice", "IORING_OP_SEND_ZC on ..." -> "io_uring_enter",
// "socket(AF_PACKET, ...)" -> "socket"); "" when it cannot tell.
std::string syscall_of(std::string_view what);

// Pure: the capability the kernel checks for this call, from its
// description (raw, packet and AF_XDP sockets: CAP_NET_RAW; setns:
// CAP_SYS_ADMIN; pipes beyond fs.pipe-max-size: CAP_SYS_RESOURCE).
std::optional<int> capability_needed(std::string_view what);

// "CAP_NET_RAW"; "cap_13" for numbers without a name here.
std::string capability_name(int cap);
// Every capability of a set by name.
std::vector<std::string> capability_names(uint64_t set);

// In the probe child: the facts of a failed call and its refusal (reads
// /proc, retries the syscall with a bad descriptor). nullopt when errno is
// not a refusal (EPERM, EACCES, or ENOSYS for a syscall the kernel has).
std::optional<Refusal> refusal_for_call(std::string_view what, int err, uint64_t effective,
                                        const SandboxFacts& sandbox, bool own_user_namespace,
                                        std::optional<bool> kernel_has);

// Pure: does kallsyms text list this syscall ("io_uring_setup" matches
// __x64_sys_io_uring_setup, __arm64_sys_..., __se_sys_..., sys_...)?
// Addresses may read as zeros; the names are what count. Weak symbols (the
// stubs of syscalls built out) do not count.
bool kallsyms_lists_syscall(std::string_view kallsyms, std::string_view syscall);
// Reads /proc/kallsyms; nullopt when it is not readable.
std::optional<bool> kernel_has_syscall(std::string_view syscall);

// The answer of one result.
struct SandboxAnswer {
    enum class Kind { allowed, refused, unknown } kind = Kind::unknown;
    Refusal refusal;                    // layer none unless refused (or unknown with a fix)
    std::vector<std::string> granted;   // capabilities zcprobe held only through its own user namespace
    std::string reason;                 // unknown: why
};
std::string_view answer_name(SandboxAnswer::Kind k); // "allowed", "refused", "unknown"

// Pure: the answer for one probe's result. app_caps: what an application
// doing what the probe does needs (not zcprobe's own test rig).
SandboxAnswer sandbox_answer(const Result& result, const std::vector<int>& app_caps, const SandboxFacts& facts,
                             bool needs_netns_skip);

// The fix for a missing capability: "--cap-add NET_RAW" when the bounding
// set lacks it (a container's policy), else "grant CAP_NET_RAW to the
// process (file capability or ambient set)".
std::string capability_fix(int cap, const SandboxFacts& facts);
// Several at once: "--cap-add NET_RAW --cap-add NET_ADMIN", or one "grant".
std::string capabilities_fix(const std::vector<int>& caps, const SandboxFacts& facts);

nlohmann::json refusal_to_json(const std::optional<Refusal>& r);
std::optional<Refusal> refusal_from_json(const nlohmann::json& j);
nlohmann::json answer_to_json(const SandboxAnswer& a);

// Pure: the refused answers grouped by fix, largest group first:
// [{fix, layer, probes: [ids]}].
struct RefusalGroup {
    std::string fix;
    std::string layer;
    std::vector<std::string> probes;
};
std::vector<RefusalGroup> group_refusals(const std::vector<std::pair<std::string, SandboxAnswer>>& answers);
nlohmann::json groups_to_json(const std::vector<RefusalGroup>& groups);

// Collects the facts; call before zcprobe makes any namespace.
SandboxFacts collect_sandbox_facts();
// The environment block's "sandbox" object.
nlohmann::json sandbox_facts_json(const SandboxFacts& f);

} // namespace zc::probe
