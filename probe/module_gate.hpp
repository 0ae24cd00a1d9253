// The module gate: whether a call that needs a kernel module may run. A
// netlink request for a veth link, socket(AF_ALG) or an xfrm state makes
// the kernel load a missing module on its own (request_module()), so a
// probe that is not allowed to load modules (--load-modules) must decide
// before it calls. The decision is pure; read_module_facts() gathers what
// the running kernel says.
#pragma once

#include "probe/cve_2026.hpp"
#include "probe/probe.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace zc::probe {

// /proc/modules, /sys/module/<name> of every module in needs, the
// kernel.modules_disabled and kernel.modprobe sysctls, modules.builtin
// where this root has it, and /proc/crypto.
ModuleFacts read_module_facts(const std::vector<ModuleNeed>& needs);

enum class ModuleGate {
    go,        // every module is loaded or built in, or may load (--load-modules), or
               // none can load and the path's absence will show as a refusal
    need_load, // a module is missing and could load: skip, naming it and --load-modules
};

struct ModuleDecision {
    ModuleGate gate = ModuleGate::go;
    std::vector<std::string> missing;     // neither loaded nor built in, and loadable
    std::vector<std::string> unknown;     // not known present, but nothing can load
    std::string no_load;                  // why nothing can load; "" = a module may load
    bool allowed_to_load = false;         // missing non-empty and --load-modules
    // The skip reason for need_load ("needs the kernel module veth, which is
    // neither loaded nor built in; <what> would make the kernel load it;
    // --load-modules allows it").
    std::string reason;
    // modules_needed, modules_missing, modules_may_load, modules_no_autoload,
    // modules_allowed_to_load.
    nlohmann::json evidence() const;
};

// `what` names the call that would load the module ("creating a veth link").
ModuleDecision decide_modules(const std::vector<ModuleNeed>& needs, const ModuleFacts& facts, bool load_modules,
                              const std::string& what);

// After the call failed: the reason a probe is skipped because the module
// is absent and cannot load ("the kernel lacks veth: it is neither loaded
// nor known to be built in, and no module can be loaded (...)"), or "" when
// the failure is something else. `refused_as_absent` is the caller's
// reading of the refusal: rtnetlink answers an unknown link kind with
// EOPNOTSUPP (rtnl_newlink(), net/core/rtnetlink.c). Only when nothing
// could load, and only for a module not known present.
std::string module_absent_reason(const ModuleDecision& d, bool refused_as_absent);

// What a probe keeps between the check and the call: the facts before,
// and the decision.
struct ModuleCheck {
    ModuleFacts before;
    ModuleDecision decision;
};
ModuleCheck check_modules(const std::vector<ModuleNeed>& needs, bool load_modules, const std::string& what);
// Modules of needs loaded now that were not at the check, sorted: what the
// call made the kernel load (for the evidence, "modules_loaded_by_run").
std::vector<std::string> modules_loaded_since(const ModuleCheck& check, const std::vector<ModuleNeed>& needs);

// The probe's result before the call: skipped with the decision's reason
// (and `evidence` plus the decision's) when the gate says need_load.
std::optional<Result> gate_skip(const ModuleCheck& check, nlohmann::json evidence);
// The probe's result after the call failed with `failure` (one line):
// skipped naming the module when module_absent_reason() says it is absent,
// otherwise nullopt (the caller's own error).
std::optional<Result> absent_skip(const ModuleCheck& check, bool refused_as_absent, const std::string& failure,
                                  nlohmann::json evidence);

// veth, for the probes and the egress sink that create a veth pair.
std::vector<ModuleNeed> veth_needs();

} // namespace zc::probe
