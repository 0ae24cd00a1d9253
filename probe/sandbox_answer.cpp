#include "probe/sandbox_answer.hpp"

#include "core/proc_files.hpp"
#include "probe/probe.hpp"

#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <fstream>
#include <map>

namespace zc::probe {

using nlohmann::json;

namespace {

// linux/capability.h, 0..40.
constexpr std::array<const char*, 41> cap_names = {
    "CAP_CHOWN",          "CAP_DAC_OVERRIDE",  "CAP_DAC_READ_SEARCH", "CAP_FOWNER",          "CAP_FSETID",
    "CAP_KILL",           "CAP_SETGID",        "CAP_SETUID",          "CAP_SETPCAP",         "CAP_LINUX_IMMUTABLE",
    "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN",     "CAP_NET_RAW",         "CAP_IPC_LOCK",
    "CAP_IPC_OWNER",      "CAP_SYS_MODULE",    "CAP_SYS_RAWIO",       "CAP_SYS_CHROOT",      "CAP_SYS_PTRACE",
    "CAP_SYS_PACCT",      "CAP_SYS_ADMIN",     "CAP_SYS_BOOT",        "CAP_SYS_NICE",        "CAP_SYS_RESOURCE",
    "CAP_SYS_TIME",       "CAP_SYS_TTY_CONFIG", "CAP_MKNOD",          "CAP_LEASE",           "CAP_AUDIT_WRITE",
    "CAP_AUDIT_CONTROL",  "CAP_SETFCAP",       "CAP_MAC_OVERRIDE",    "CAP_MAC_ADMIN",       "CAP_SYSLOG",
    "CAP_WAKE_ALARM",     "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ",      "CAP_PERFMON",         "CAP_BPF",
    "CAP_CHECKPOINT_RESTORE",
};

bool has(uint64_t set, int cap)
{
    return cap >= 0 && cap < 64 && ((set >> cap) & 1U);
}

bool is_io_uring(std::string_view syscall)
{
    return syscall.starts_with("io_uring_");
}

// An LSM label that confines: AppArmor's "unconfined" and SELinux's
// unconfined_t domains do not.
bool confining_label(const std::string& label)
{
    return !label.empty() && label != "unconfined" && label.find("unconfined_t") == std::string::npos &&
           label.find("kernel_t") == std::string::npos;
}

std::string seccomp_fix(std::string_view syscall)
{
    if (is_io_uring(syscall)) return "allow io_uring_setup, io_uring_enter, io_uring_register in the seccomp profile";
    if (syscall.empty()) return "allow the refused syscall in the seccomp profile";
    return "allow " + std::string(syscall) + " in the seccomp profile";
}

std::optional<uint64_t> hex_field(const std::string& status, std::string_view key)
{
    const auto v = status_field(status, key);
    if (!v) return std::nullopt;
    try {
        return std::stoull(*v, nullptr, 16);
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

std::optional<int> int_field(const std::string& status, std::string_view key)
{
    const auto v = status_field(status, key);
    if (!v) return std::nullopt;
    try {
        return std::stoi(*v);
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

std::string trimmed(std::string s)
{
    while (!s.empty() && (s.back() == '\n' || s.back() == '\0' || s.back() == ' ')) s.pop_back();
    return s;
}

// The same syscall with a descriptor (or family) the kernel rejects before
// any policy of its own: fd -1 is EBADF from fdget() in every syscall below
// (fs/splice.c vmsplice/splice/tee, fs/read_write.c sendfile, net/socket.c
// __sys_sendto/__sys_sendmsg/__sys_setsockopt/__sys_recvfrom,
// io_uring/io_uring.c io_uring_enter, io_uring/register.c
// io_uring_register); socket(-1, ...) is EAFNOSUPPORT from __sock_create();
// io_uring_setup(1, NULL) is EFAULT from copy_from_user() once
// io_uring_allowed() passed (76d3ccecfa18, 6.6; the caller checks
// kernel.io_uring_disabled first). Verified against torvalds/linux v6.12.
// A seccomp filter answers before the kernel reads an argument, so
// EPERM/EACCES/ENOSYS here is the filter (or an LSM hook that runs first,
// which none of these syscalls has before fdget()). nullopt: no such check.
std::optional<bool> bad_argument_retry(std::string_view syscall)
{
    static const std::map<std::string_view, long> numbers = {
        {"vmsplice", SYS_vmsplice},       {"splice", SYS_splice},
        {"tee", SYS_tee},                 {"sendfile", SYS_sendfile},
        {"sendto", SYS_sendto},           {"sendmsg", SYS_sendmsg},
        {"setsockopt", SYS_setsockopt},   {"recvfrom", SYS_recvfrom},
        {"io_uring_enter", SYS_io_uring_enter}, {"io_uring_register", SYS_io_uring_register},
        {"io_uring_setup", SYS_io_uring_setup}, {"socket", SYS_socket},
    };
    const auto it = numbers.find(syscall);
    if (it == numbers.end()) return std::nullopt;
    long rc = 0;
    if (syscall == "io_uring_setup") {
        rc = ::syscall(it->second, 1, nullptr);
    } else if (syscall == "socket") {
        rc = ::syscall(it->second, -1, 0, 0);
    } else if (syscall == "splice") {
        rc = ::syscall(it->second, -1, nullptr, -1, nullptr, 1, 0); // len 0 returns 0 before fdget()
    } else if (syscall == "tee") {
        rc = ::syscall(it->second, -1, -1, 1, 0); // len 0 returns 0 before fdget()
    } else if (syscall == "sendfile") {
        rc = ::syscall(it->second, -1, -1, nullptr, 1);
    } else if (syscall == "io_uring_register") {
        rc = ::syscall(it->second, -2, 0, nullptr, 0); // fd -1 is "blind" registration since 6.13
    } else {
        rc = ::syscall(it->second, -1, 0, 0, 0, 0, 0);
    }
    const int err = rc < 0 ? errno : 0;
    return err == EPERM || err == EACCES || err == ENOSYS;
}

} // namespace

std::string_view layer_name(Layer l)
{
    switch (l) {
    case Layer::seccomp: return "seccomp";
    case Layer::capability: return "capability";
    case Layer::sysctl: return "sysctl";
    case Layer::lsm: return "lsm";
    case Layer::namespace_creation: return "namespace";
    case Layer::none: break;
    }
    return "none";
}

std::string_view answer_name(SandboxAnswer::Kind k)
{
    switch (k) {
    case SandboxAnswer::Kind::allowed: return "allowed";
    case SandboxAnswer::Kind::refused: return "refused";
    case SandboxAnswer::Kind::unknown: break;
    }
    return "unknown";
}

std::string capability_name(int cap)
{
    if (cap >= 0 && cap < static_cast<int>(cap_names.size())) return cap_names[static_cast<size_t>(cap)];
    return "cap_" + std::to_string(cap);
}

std::vector<std::string> capability_names(uint64_t set)
{
    std::vector<std::string> out;
    for (int cap = 0; cap < 64; ++cap) {
        if (has(set, cap)) out.push_back(capability_name(cap));
    }
    return out;
}

std::string capability_fix(int cap, const SandboxFacts& facts)
{
    std::string bare = capability_name(cap);
    if (bare.starts_with("CAP_")) bare = bare.substr(4);
    if (!has(facts.bounding, cap)) return "--cap-add " + bare;
    return "grant CAP_" + bare + " to the process (file capability, ambient set, or run as root)";
}

std::string capabilities_fix(const std::vector<int>& caps, const SandboxFacts& facts)
{
    if (caps.size() == 1) return capability_fix(caps.front(), facts);
    bool all_outside_bounding = true;
    std::string names;
    for (const int cap : caps) {
        all_outside_bounding = all_outside_bounding && !has(facts.bounding, cap);
        names += (names.empty() ? "" : ", ") + capability_name(cap);
    }
    if (!all_outside_bounding) return "grant " + names + " to the process (file capabilities, ambient set, or run as root)";
    std::string out;
    for (const int cap : caps) out += (out.empty() ? "" : " ") + capability_fix(cap, facts);
    return out;
}

std::string syscall_of(std::string_view what)
{
    if (what.starts_with("second ")) what.remove_prefix(7);
    if (what.starts_with("IORING_OP_")) return "io_uring_enter";
    if (what.starts_with("F_SETPIPE_SZ")) return "fcntl";
    size_t n = 0;
    while (n < what.size() && ((what[n] >= 'a' && what[n] <= 'z') || what[n] == '_' || (what[n] >= '0' && what[n] <= '9'))) {
        ++n;
    }
    const std::string_view token = what.substr(0, n);
    static const std::map<std::string_view, std::string_view> map = {
        {"io_uring_queue_init", "io_uring_setup"},
        {"io_uring_setup", "io_uring_setup"},
        {"io_uring_register", "io_uring_register"},
        {"io_uring_enter", "io_uring_enter"},
        {"vmsplice", "vmsplice"},
        {"splice", "splice"},
        {"tee", "tee"},
        {"sendfile", "sendfile"},
        {"send", "sendto"},
        {"sendto", "sendto"},
        {"sendmsg", "sendmsg"},
        {"recv", "recvfrom"},
        {"recvfrom", "recvfrom"},
        {"read", "read"},
        {"socket", "socket"},
        {"socketpair", "socketpair"},
        {"setsockopt", "setsockopt"},
        {"getsockopt", "getsockopt"},
        {"bind", "bind"},
        {"connect", "connect"},
        {"accept", "accept"},
        {"mmap", "mmap"},
        {"setns", "setns"},
        {"unshare", "unshare"},
        {"pipe", "pipe2"},
        {"create", "openat"},
        {"open", "openat"},
    };
    const auto it = map.find(token);
    return it == map.end() ? std::string() : std::string(it->second);
}

std::optional<int> capability_needed(std::string_view what)
{
    const std::string call = syscall_of(what);
    // Raw IP sockets: inet_create()/inet6_create() check
    // ns_capable(net->user_ns, CAP_NET_RAW) for SOCK_RAW; packet_create()
    // (net/packet/af_packet.c) and xsk_create() (net/xdp/xsk.c) check the
    // same for every AF_PACKET and AF_XDP socket. Nothing else is checked at
    // socket() time. Verified against torvalds/linux v6.12.
    if (call == "socket" && what.find("AF_NETLINK") == std::string_view::npos &&
        (what.find("SOCK_RAW") != std::string_view::npos || what.find("AF_PACKET") != std::string_view::npos ||
         what.find("AF_XDP") != std::string_view::npos)) {
        return cap_net_raw;
    }
    // setns(CLONE_NEWNET) needs CAP_SYS_ADMIN over the target namespace's
    // owner and our own (netns_install(), net/core/net_namespace.c).
    if (call == "setns") return cap_sys_admin;
    // pipe_set_size() (fs/pipe.c): beyond fs.pipe-max-size needs
    // CAP_SYS_RESOURCE.
    if (call == "fcntl" && what.find("beyond") != std::string_view::npos) return cap_sys_resource;
    return std::nullopt;
}

bool kallsyms_lists_syscall(std::string_view kallsyms, std::string_view syscall)
{
    // "ffffffff81234560 T __x64_sys_io_uring_setup" (addresses may be 0 when
    // kptr_restrict hides them; the names stay).
    size_t pos = 0;
    while (pos < kallsyms.size()) {
        size_t end = kallsyms.find('\n', pos);
        if (end == std::string_view::npos) end = kallsyms.size();
        std::string_view line = kallsyms.substr(pos, end - pos);
        pos = end + 1;
        const size_t tab = line.find('\t'); // module symbols: "name\t[module]"
        if (tab != std::string_view::npos) line = line.substr(0, tab);
        const size_t space = line.rfind(' ');
        if (space == std::string_view::npos || space < 2 || line[space - 2] != ' ') continue;
        // A weak symbol is the sys_ni_syscall stub COND_SYSCALL() defines
        // for a syscall the kernel was built without (kernel/sys_ni.c; on
        // x86 by __COND_SYSCALL in asm/syscall_wrapper.h): the 6.18 host here
        // lists "W __x64_sys_kexec_load", built without kexec, and
        // "T __x64_sys_io_uring_setup". Only a strong definition proves it.
        const char type = line[space - 1];
        if (type == 'W' || type == 'w' || type == 'V' || type == 'v' || type == 'U') continue;
        std::string_view name = line.substr(space + 1);
        for (const std::string_view prefix : {"__x64_sys_", "__arm64_sys_", "__riscv_sys_", "__s390x_sys_",
                                              "__se_sys_", "__do_sys_", "sys_"}) {
            if (name.starts_with(prefix)) {
                name.remove_prefix(prefix.size());
                break;
            }
        }
        if (name == syscall) return true;
    }
    return false;
}

std::optional<bool> kernel_has_syscall(std::string_view syscall)
{
    std::ifstream in("/proc/kallsyms");
    if (!in) return std::nullopt;
    std::string line;
    bool any = false;
    while (std::getline(in, line)) {
        any = true;
        if (line.find(syscall) == std::string::npos) continue;
        if (kallsyms_lists_syscall(line, syscall)) return true;
    }
    if (!any) return std::nullopt;
    return false;
}

Refusal attribute_refusal(const CallFacts& f)
{
    Refusal r;
    const SandboxFacts& s = f.sandbox;
    if (f.sysctl) {
        r.layer = Layer::sysctl;
        r.detail = *f.sysctl;
        const std::string name = f.sysctl->substr(0, f.sysctl->find('='));
        r.fix = "sysctl " + name + "=0";
        r.cause_checked = true;
        r.why = *f.sysctl + " refuses it";
        return r;
    }
    if (f.needs) {
        const int cap = *f.needs;
        if (!has(f.effective, cap)) {
            r.layer = Layer::capability;
            r.detail = capability_name(cap);
            r.fix = capability_fix(cap, s);
            r.cause_checked = true;
            r.why = f.syscall + " needs " + r.detail + ", which the process does not hold";
            return r;
        }
        if (f.own_user_namespace && !has(s.effective, cap)) {
            // Held in zcprobe's own user namespace only: the kernel checks
            // it against the namespace owning the object.
            r.layer = Layer::capability;
            r.detail = capability_name(cap);
            r.fix = capability_fix(cap, s);
            r.cause_checked = false;
            r.why = "probably: " + r.detail + " is held only in zcprobe's own user namespace, which does not own "
                    "what " + f.syscall + " touches";
            return r;
        }
        // Held: EPERM here is not a capability refusal.
    }
    const bool filtered = (s.seccomp_filters && *s.seccomp_filters > 0) || (s.seccomp_mode && *s.seccomp_mode == 2);
    if (filtered && f.filter_answered.value_or(true)) {
        r.layer = Layer::seccomp;
        r.detail = f.syscall.empty() ? "unknown syscall" : f.syscall;
        r.fix = seccomp_fix(f.syscall);
        if (f.filter_answered == true) {
            r.cause_checked = true;
            r.why = f.syscall + " with a bad descriptor was also refused, before the kernel read an argument";
        } else if (f.err == ENOSYS && f.kernel_has_syscall == true) {
            r.cause_checked = true;
            r.why = "ENOSYS for " + f.syscall + ", which the kernel has (/proc/kallsyms lists it)";
        } else {
            r.cause_checked = false;
            r.why = "probably: a seccomp filter is in force and nothing else was found to refuse " +
                    (f.syscall.empty() ? std::string("the call") : f.syscall);
        }
        return r;
    }
    if (s.seccomp_mode && *s.seccomp_mode == 1) {
        r.layer = Layer::seccomp;
        r.detail = f.syscall.empty() ? "strict mode" : f.syscall;
        r.fix = "run without seccomp strict mode";
        r.cause_checked = true;
        r.why = "seccomp strict mode allows only read, write, exit and sigreturn";
        return r;
    }
    if (confining_label(s.lsm_label)) {
        r.layer = Layer::lsm;
        r.detail = s.lsm_label;
        r.fix = "allow " + (f.syscall.empty() ? std::string("the call") : f.syscall) + " in the LSM policy " +
                s.lsm_label;
        r.cause_checked = false;
        r.why = "probably: the process is confined by " + s.lsm_label + " and no other layer refused it";
        return r;
    }
    if (f.own_user_namespace) {
        r.layer = Layer::capability;
        r.detail = "capabilities over the host's namespaces";
        r.fix = "run as root in the initial user namespace";
        r.cause_checked = false;
        r.why = "probably: the probe runs in a user namespace of its own, whose capabilities do not extend to what "
                "the host's namespaces own";
        return r;
    }
    r.layer = Layer::lsm;
    r.detail = s.lsm_label.empty() ? "no label readable" : s.lsm_label;
    r.fix = "find the policy that refuses " + (f.syscall.empty() ? std::string("the call") : f.syscall) +
            " (an LSM such as SELinux or AppArmor, or a sysctl)";
    r.cause_checked = false;
    r.why = "probably: refused by policy (an LSM or a sysctl); no capability, seccomp filter or label explains it";
    return r;
}

std::optional<Refusal> refusal_for_call(std::string_view what, int err, uint64_t effective,
                                        const SandboxFacts& sandbox, bool own_user_namespace,
                                        std::optional<bool> kernel_has)
{
    CallFacts f;
    f.syscall = syscall_of(what);
    f.err = err;
    f.needs = capability_needed(what);
    f.effective = effective;
    f.own_user_namespace = own_user_namespace;
    f.sandbox = sandbox;
    if (err == ENOSYS) {
        if (f.syscall.empty()) return std::nullopt;
        f.kernel_has_syscall = kernel_has ? kernel_has : kernel_has_syscall(f.syscall);
        if (f.kernel_has_syscall != true) return std::nullopt;
    } else if (err != EPERM && err != EACCES) {
        return std::nullopt;
    }
    if (f.syscall == "io_uring_setup" && err != ENOSYS) {
        // io_uring_allowed() (76d3ccecfa18, 6.6): 2 refuses everyone, 1
        // everyone without CAP_SYS_ADMIN outside kernel.io_uring_group.
        if (const auto v = read_sysctl_int("kernel.io_uring_disabled"); v && *v != 0) {
            if (*v == 2 || !has(effective, cap_sys_admin)) f.sysctl = "kernel.io_uring_disabled=" + std::to_string(*v);
        }
    }
    const bool filtered =
        (sandbox.seccomp_filters && *sandbox.seccomp_filters > 0) || (sandbox.seccomp_mode && *sandbox.seccomp_mode == 2);
    if (filtered && !f.sysctl) f.filter_answered = bad_argument_retry(f.syscall);
    return attribute_refusal(f);
}

SandboxAnswer sandbox_answer(const Result& result, const std::vector<int>& app_caps, const SandboxFacts& facts,
                             bool needs_netns_skip)
{
    SandboxAnswer a;
    if (result.refusal) {
        a.kind = SandboxAnswer::Kind::refused;
        a.refusal = *result.refusal;
        return a;
    }
    if (result.status == Status::skipped || result.status == Status::error) {
        a.kind = SandboxAnswer::Kind::unknown;
        a.reason = result.status == Status::error ? "the probe ended in an error" : "the probe did not run";
        if (needs_netns_skip) {
            a.refusal.layer = Layer::namespace_creation;
            a.refusal.detail = "unshare(CLONE_NEWNET)";
            a.refusal.fix = "allow unshare (no capability needed)";
            a.refusal.why = "zcprobe could not make the private network namespace it tests in; an application "
                            "does not need one";
            a.reason = "zcprobe could not make its private network namespace";
        }
        return a;
    }
    if (result.status == Status::blocked) {
        // A blocked result without a refusal (a report of an older probe).
        a.kind = SandboxAnswer::Kind::refused;
        a.refusal.layer = Layer::none;
        a.refusal.why = "refused; the layer was not recorded";
        return a;
    }
    // supported or unsupported: did it rely on a capability zcprobe held
    // only through its own user namespace?
    if (facts.own_user_namespace) {
        std::vector<int> missing;
        for (const int cap : app_caps) {
            if (!has(facts.effective, cap)) missing.push_back(cap);
        }
        if (!missing.empty()) {
            a.kind = SandboxAnswer::Kind::refused;
            a.refusal.layer = Layer::capability;
            for (const int cap : missing) {
                a.granted.push_back(capability_name(cap));
                a.refusal.detail += (a.refusal.detail.empty() ? "" : ", ") + capability_name(cap);
            }
            a.refusal.fix = capabilities_fix(missing, facts);
            // CAP_NET_RAW alone is checked at socket() for raw, packet and
            // AF_XDP sockets (see capability_needed); a longer list is the
            // probe's, not a single call's.
            a.refusal.cause_checked = missing.size() == 1 && missing.front() == cap_net_raw;
            a.refusal.why = std::string(a.refusal.cause_checked ? "" : "probably: ") + "the result relied on " +
                            a.refusal.detail + " held only in zcprobe's own user namespace; this sandbox's process "
                            "does not hold it";
            return a;
        }
    }
    a.kind = SandboxAnswer::Kind::allowed;
    return a;
}

json refusal_to_json(const std::optional<Refusal>& r)
{
    if (!r) return nullptr;
    return {{"layer", std::string(layer_name(r->layer))},
            {"detail", r->detail.empty() ? json(nullptr) : json(r->detail)},
            {"fix", r->fix.empty() ? json(nullptr) : json(r->fix)},
            {"cause_checked", r->cause_checked},
            {"why", r->why.empty() ? json(nullptr) : json(r->why)}};
}

std::optional<Refusal> refusal_from_json(const json& j)
{
    if (!j.is_object()) return std::nullopt;
    Refusal r;
    const std::string layer = j.value("layer", "none");
    for (const Layer l : {Layer::seccomp, Layer::capability, Layer::sysctl, Layer::lsm, Layer::namespace_creation}) {
        if (layer == layer_name(l)) r.layer = l;
    }
    auto text = [&j](const char* key) {
        const auto it = j.find(key);
        return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    r.detail = text("detail");
    r.fix = text("fix");
    r.why = text("why");
    r.cause_checked = j.value("cause_checked", false);
    return r;
}

json answer_to_json(const SandboxAnswer& a)
{
    const bool has_layer = a.refusal.layer != Layer::none || a.kind == SandboxAnswer::Kind::refused;
    json out = {{"answer", std::string(answer_name(a.kind))},
                {"layer", has_layer ? json(std::string(layer_name(a.refusal.layer))) : json(nullptr)},
                {"detail", a.refusal.detail.empty() ? json(nullptr) : json(a.refusal.detail)},
                {"fix", a.refusal.fix.empty() ? json(nullptr) : json(a.refusal.fix)},
                {"cause_checked", has_layer ? json(a.refusal.cause_checked) : json(nullptr)},
                {"why", !a.refusal.why.empty() ? json(a.refusal.why) : a.reason.empty() ? json(nullptr) : json(a.reason)},
                {"granted_by_own_user_namespace", a.granted}};
    return out;
}

std::vector<RefusalGroup> group_refusals(const std::vector<std::pair<std::string, SandboxAnswer>>& answers)
{
    std::vector<RefusalGroup> groups;
    for (const auto& [id, a] : answers) {
        if (a.kind != SandboxAnswer::Kind::refused) continue;
        const std::string fix = a.refusal.fix.empty() ? "unknown (the layer was not recorded)" : a.refusal.fix;
        const std::string layer(layer_name(a.refusal.layer));
        auto it = std::find_if(groups.begin(), groups.end(),
                               [&](const RefusalGroup& g) { return g.fix == fix && g.layer == layer; });
        if (it == groups.end()) {
            groups.push_back({fix, layer, {}});
            it = groups.end() - 1;
        }
        it->probes.push_back(id);
    }
    std::stable_sort(groups.begin(), groups.end(),
                     [](const RefusalGroup& a, const RefusalGroup& b) { return a.probes.size() > b.probes.size(); });
    return groups;
}

json groups_to_json(const std::vector<RefusalGroup>& groups)
{
    json out = json::array();
    for (const auto& g : groups) out.push_back({{"fix", g.fix}, {"layer", g.layer}, {"probes", g.probes}});
    return out;
}

SandboxFacts collect_sandbox_facts()
{
    SandboxFacts f;
    if (const auto status = read_text_file("/proc/self/status")) {
        f.effective = hex_field(*status, "CapEff").value_or(0);
        f.bounding = hex_field(*status, "CapBnd").value_or(~0ULL);
        f.seccomp_mode = int_field(*status, "Seccomp");
        f.seccomp_filters = int_field(*status, "Seccomp_filters");
    }
    f.no_new_privs = ::prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1;
    // AppArmor's own file (5.8+ with stacking) first, then the shared one
    // (SELinux, or AppArmor on older kernels).
    for (const char* path : {"/proc/self/attr/apparmor/current", "/proc/self/attr/current"}) {
        if (const auto text = read_text_file(path)) {
            std::string label = trimmed(*text);
            if (!label.empty()) {
                f.lsm_label = label;
                break;
            }
        }
    }
    return f;
}

json sandbox_facts_json(const SandboxFacts& f)
{
    return {{"effective_capabilities", capability_names(f.effective)},
            {"bounding_capabilities", capability_names(f.bounding)},
            {"lsm_label", f.lsm_label.empty() ? json(nullptr) : json(f.lsm_label)},
            {"own_user_namespace", f.own_user_namespace}};
}

} // namespace zc::probe
