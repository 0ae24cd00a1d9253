// The module gate: veth (and any module) is loaded only with --load-modules;
// absent with nothing able to load is a skip, never an error.
#include "probe/module_gate.hpp"

#include <doctest/doctest.h>

using namespace zc::probe;

namespace {

ModuleFacts host_with_modules()
{
    ModuleFacts f;
    f.modules_supported = true;
    f.modules_disabled = false;
    f.modprobe = "/sbin/modprobe";
    return f;
}

} // namespace

TEST_CASE("decide_modules: veth a module not loaded - skipped naming veth and --load-modules")
{
    const ModuleFacts f = host_with_modules();
    const ModuleDecision d = decide_modules(veth_needs(), f, false, "creating a veth link");
    CHECK(d.gate == ModuleGate::need_load);
    CHECK(d.missing == std::vector<std::string>{"veth"});
    CHECK(d.reason.find("veth") != std::string::npos);
    CHECK(d.reason.find("--load-modules") != std::string::npos);
    CHECK(d.evidence()["modules_may_load"] == true);
    // A failure afterwards is never blamed on an absent module: one may load.
    CHECK(module_absent_reason(d, true).empty());
}

TEST_CASE("decide_modules: --load-modules lets it load and the evidence says so")
{
    const ModuleDecision d = decide_modules(veth_needs(), host_with_modules(), true, "creating a veth link");
    CHECK(d.gate == ModuleGate::go);
    CHECK(d.allowed_to_load);
    CHECK(d.evidence()["modules_allowed_to_load"] == nlohmann::json::array({"veth"}));
}

TEST_CASE("decide_modules: veth loaded or built in - go with nothing to load")
{
    ModuleFacts f = host_with_modules();
    f.loaded.insert("veth");
    CHECK(decide_modules(veth_needs(), f, false, "x").gate == ModuleGate::go);
    f.loaded.clear();
    f.builtin.insert("veth");
    const ModuleDecision d = decide_modules(veth_needs(), f, false, "x");
    CHECK(d.gate == ModuleGate::go);
    CHECK(d.missing.empty());
    CHECK(d.evidence()["modules_allowed_to_load"].is_null());
}

TEST_CASE("decide_modules: nothing can load - go and a refused link kind means veth is absent (skip not error)")
{
    for (int which = 0; which < 3; ++which) {
        ModuleFacts f = host_with_modules();
        if (which == 0) f.modules_supported = false;
        if (which == 1) f.modules_disabled = true;
        if (which == 2) f.modprobe = "";
        CAPTURE(which);
        const ModuleDecision d = decide_modules(veth_needs(), f, false, "creating a veth link");
        CHECK(d.gate == ModuleGate::go); // trying cannot load anything
        CHECK(d.unknown == std::vector<std::string>{"veth"});
        const std::string why = module_absent_reason(d, true);
        CHECK(why.rfind("the kernel lacks veth", 0) == 0);
        CHECK(why.find(d.no_load) != std::string::npos);
        // Any other failure stays the caller's error.
        CHECK(module_absent_reason(d, false).empty());
        const auto skip = absent_skip({f, d}, true, "veth setup failed: x", nlohmann::json::object());
        REQUIRE(skip.has_value());
        CHECK(skip->status == zc::Status::skipped);
        CHECK(skip->reason.find("veth") != std::string::npos);
    }
    // Unknown modprobe (unreadable) counts as "may load".
    ModuleFacts f = host_with_modules();
    f.modprobe.reset();
    f.modules_disabled.reset();
    CHECK(decide_modules(veth_needs(), f, false, "x").gate == ModuleGate::need_load);
}

TEST_CASE("gate_skip: the skipped result carries the decision's evidence")
{
    const ModuleFacts f = host_with_modules();
    const ModuleCheck c{f, decide_modules(veth_needs(), f, false, "creating a veth link")};
    const auto r = gate_skip(c, {{"driver", "veth"}});
    REQUIRE(r.has_value());
    CHECK(r->status == zc::Status::skipped);
    CHECK(r->evidence["driver"] == "veth");
    CHECK(r->evidence["modules_missing"] == nlohmann::json::array({"veth"}));
}
