#include "probe/probe.hpp"

#include "core/errno_name.hpp"
#include "core/proc_files.hpp"

namespace zc::probe {

namespace {

std::string_view cap_name(int cap)
{
    switch (cap) {
    case cap_net_admin: return "CAP_NET_ADMIN";
    case cap_net_raw: return "CAP_NET_RAW";
    case cap_sys_admin: return "CAP_SYS_ADMIN";
    case cap_sys_resource: return "CAP_SYS_RESOURCE";
    default: return "CAP_?";
    }
}

Result make(Status status, std::string reason, nlohmann::json evidence)
{
    Result r;
    r.status = status;
    r.reason = std::move(reason);
    r.evidence = std::move(evidence);
    return r;
}

} // namespace

std::string privileges_text(const std::vector<int>& caps)
{
    if (caps.empty()) return "none";
    std::string out;
    for (const int cap : caps) {
        if (!out.empty()) out += ", ";
        out += cap_name(cap);
    }
    return out;
}

Result supported(std::string reason, nlohmann::json evidence)
{
    return make(Status::supported, std::move(reason), std::move(evidence));
}

Result unsupported(std::string reason, nlohmann::json evidence)
{
    return make(Status::unsupported, std::move(reason), std::move(evidence));
}

Result skipped(std::string reason)
{
    return make(Status::skipped, std::move(reason), nlohmann::json::object());
}

Result failed(std::string reason, nlohmann::json evidence)
{
    return make(Status::error, std::move(reason), std::move(evidence));
}

std::string blocked_cause(const Context& ctx)
{
    std::string missing;
    for (const int cap : ctx.required_capabilities) {
        if (!has_capability(ctx.capabilities, cap)) {
            missing += missing.empty() ? "" : ", ";
            missing += cap_name(cap);
        }
    }
    if (!missing.empty()) return "missing " + missing;
    if (ctx.seccomp && *ctx.seccomp == 2) return "a seccomp filter is in force";
    if (ctx.seccomp && *ctx.seccomp == 1) return "seccomp strict mode is in force";
    // In a user namespace of our own the capabilities above are held only
    // over what that namespace owns; the kernel checks anything the host
    // owns (the namespace zcprobe started in, for setns()) against the
    // initial user namespace, where an unprivileged user holds none.
    if (ctx.netns == "userns+netns") {
        return "the probe runs in a user namespace of its own, whose capabilities do not extend to what the "
               "host's namespaces own; run as root for this";
    }
    return "refused by policy (an LSM such as SELinux or AppArmor, or a sysctl)";
}

Result from_errno(const Context& ctx, std::string_view what, int err, std::string_view hint, nlohmann::json evidence)
{
    const Status status = classify_errno(err);
    std::string reason = std::string(what) + " failed: " + errno_text(err);
    if (!hint.empty()) {
        reason += "; ";
        reason += hint;
    } else if (status == Status::unsupported) {
        reason += "; the kernel lacks it";
    } else if (status == Status::blocked) {
        reason += "; " + blocked_cause(ctx);
    } else if (status == Status::error) {
        reason += "; unexpected errno, verdict inconclusive";
    }
    Result r = make(status, std::move(reason), std::move(evidence));
    r.err = err;
    return r;
}

} // namespace zc::probe
