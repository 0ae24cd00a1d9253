#include "probe/probe.hpp"

#include "core/errno_name.hpp"
#include "core/proc_files.hpp"

namespace zc::probe {

namespace {

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
        out += capability_name(cap);
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

Refusal call_refusal(const Context& ctx, std::string_view what, int err, std::optional<bool> kernel_has)
{
    const bool own_userns = ctx.sandbox.own_user_namespace || ctx.netns == "userns+netns";
    SandboxFacts sandbox = ctx.sandbox;
    if (!sandbox.seccomp_mode) sandbox.seccomp_mode = ctx.seccomp; // a context made without collected facts
    if (auto r = refusal_for_call(what, err, ctx.capabilities, sandbox, own_userns, kernel_has)) return *r;
    // Not a refusal errno: no layer to name.
    return Refusal{};
}

std::string refusal_text(const Refusal& r)
{
    std::string out;
    switch (r.layer) {
    case Layer::capability:
        // A guess explains itself (e.g. held only in zcprobe's own user
        // namespace, which does not own what the call touches): "missing"
        // would be wrong where the process holds it there.
        if (!r.cause_checked && r.why.starts_with("probably: ")) {
            out = r.why.substr(std::string_view("probably: ").size());
        } else {
            out = "missing " + r.detail;
        }
        break;
    case Layer::seccomp: out = "the seccomp filter in force refuses " + r.detail; break;
    case Layer::sysctl: out = r.detail + " refuses it"; break;
    case Layer::lsm: out = "the LSM policy (" + r.detail + ") refuses it"; break;
    case Layer::namespace_creation: out = "namespace creation is refused"; break;
    case Layer::none: return "refused by policy";
    }
    if (!r.cause_checked) out = "probably " + out;
    if (!r.fix.empty()) out += " (fix: " + r.fix + ")";
    return out;
}

Result from_errno(const Context& ctx, std::string_view what, int err, std::string_view hint, nlohmann::json evidence)
{
    const Status status = classify_errno(err);
    std::optional<Refusal> refusal;
    if (status == Status::blocked) refusal = call_refusal(ctx, what, err);
    std::string reason = std::string(what) + " failed: " + errno_text(err);
    if (!hint.empty()) {
        reason += "; ";
        reason += hint;
    } else if (status == Status::unsupported) {
        reason += "; the kernel lacks it";
    } else if (status == Status::blocked) {
        reason += "; " + refusal_text(*refusal);
    } else if (status == Status::error) {
        reason += "; unexpected errno, verdict inconclusive";
    }
    Result r = make(status, std::move(reason), std::move(evidence));
    r.err = err;
    r.refusal = std::move(refusal);
    return r;
}

} // namespace zc::probe
