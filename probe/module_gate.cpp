#include "probe/module_gate.hpp"

#include "core/proc_files.hpp"

#include <sys/stat.h>
#include <sys/utsname.h>


namespace zc::probe {

namespace {

std::string kernel_release()
{
    utsname u{};
    return ::uname(&u) == 0 ? std::string(u.release) : std::string();
}

std::string joined(const std::vector<std::string>& v)
{
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
    return out;
}

bool present(const ModuleNeed& need, const ModuleFacts& facts)
{
    if (!need.crypto_name.empty() && facts.crypto.count(need.crypto_name) != 0) return true;
    for (const auto& m : need.modules) {
        const std::string key = module_key(m);
        if (facts.loaded.count(key) != 0 || facts.builtin.count(key) != 0) return true;
    }
    return false;
}

} // namespace

ModuleFacts read_module_facts(const std::vector<ModuleNeed>& needs)
{
    ModuleFacts f;
    if (const auto text = read_text_file("/proc/modules")) {
        f.modules_supported = true;
        f.loaded = parse_proc_modules(*text);
    }
    // /sys/module/<name> also exists for built-in code with parameters.
    for (const auto& n : needs) {
        for (const auto& m : n.modules) {
            struct stat st{};
            if (::stat(("/sys/module/" + module_key(m)).c_str(), &st) == 0) f.loaded.insert(module_key(m));
        }
    }
    // What the kernel says about loading; never whether /lib/modules exists
    // here (a container's view, not the kernel's).
    if (const auto text = read_text_file("/proc/sys/kernel/modules_disabled")) {
        f.modules_disabled = parse_modules_disabled(*text);
    }
    if (const auto text = read_text_file("/proc/sys/kernel/modprobe")) f.modprobe = parse_modprobe(*text);
    // Built-in modules, where this root has the list: only ever narrows
    // what counts as missing.
    if (const auto text = read_text_file("/lib/modules/" + kernel_release() + "/modules.builtin")) {
        f.builtin = parse_modules_builtin(*text);
    }
    if (const auto text = read_text_file("/proc/crypto")) f.crypto = parse_proc_crypto(*text);
    return f;
}

ModuleDecision decide_modules(const std::vector<ModuleNeed>& needs, const ModuleFacts& facts, bool load_modules,
                              const std::string& what)
{
    ModuleDecision d;
    d.no_load = no_autoload_reason(facts);
    d.missing = modules_missing(needs, facts); // empty when nothing can load
    if (!d.no_load.empty()) {
        for (const auto& n : needs) {
            if (!present(n, facts) && !n.modules.empty()) d.unknown.push_back(n.modules.front());
        }
    }
    if (d.missing.empty()) return d;
    if (load_modules) {
        d.allowed_to_load = true;
        return d;
    }
    d.gate = ModuleGate::need_load;
    d.reason = std::string(d.missing.size() == 1 ? "needs the kernel module " : "needs the kernel modules ") +
               joined(d.missing) + ", neither loaded nor built in; " + what +
               " would make the kernel load it; --load-modules allows it";
    return d;
}

nlohmann::json ModuleDecision::evidence() const
{
    nlohmann::json ev = {{"modules_missing", missing},
                         {"modules_may_load", no_load.empty()},
                         {"modules_allowed_to_load", allowed_to_load ? nlohmann::json(missing) : nlohmann::json(nullptr)}};
    if (!no_load.empty()) ev["modules_no_autoload"] = no_load;
    return ev;
}

std::string module_absent_reason(const ModuleDecision& d, bool refused_as_absent)
{
    if (d.no_load.empty() || d.unknown.empty() || !refused_as_absent) return "";
    return "the kernel lacks " + joined(d.unknown) + ": " +
           (d.unknown.size() == 1 ? "it is" : "they are") + " neither loaded nor known to be built in, and no module "
           "can be loaded (" + d.no_load + ")";
}

ModuleCheck check_modules(const std::vector<ModuleNeed>& needs, bool load_modules, const std::string& what)
{
    ModuleCheck c;
    c.before = read_module_facts(needs);
    c.decision = decide_modules(needs, c.before, load_modules, what);
    return c;
}

std::vector<std::string> modules_loaded_since(const ModuleCheck& check, const std::vector<ModuleNeed>& needs)
{
    return modules_added(check.before.loaded, read_module_facts(needs).loaded);
}

std::optional<Result> gate_skip(const ModuleCheck& check, nlohmann::json evidence)
{
    if (check.decision.gate != ModuleGate::need_load) return std::nullopt;
    Result r = skipped(check.decision.reason);
    evidence.update(check.decision.evidence());
    r.evidence = std::move(evidence);
    return r;
}

std::optional<Result> absent_skip(const ModuleCheck& check, bool refused_as_absent, const std::string& failure,
                                  nlohmann::json evidence)
{
    const std::string why = module_absent_reason(check.decision, refused_as_absent);
    if (why.empty()) return std::nullopt;
    Result r = skipped(why + " (" + failure + ")");
    evidence.update(check.decision.evidence());
    r.evidence = std::move(evidence);
    return r;
}

std::vector<ModuleNeed> veth_needs()
{
    return {{{"veth"}, ""}};
}

} // namespace zc::probe
