// env.* facts: where the probe ran. Not verdicts, but part of every report,
// because privileges, seccomp and sysctls decide many verdicts.
#pragma once

#include "traffic/netns.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>

namespace zc::probe {

// The sysctls that decide the zero-copy transmit paths; absent ones are null.
inline constexpr const char* decisive_sysctls[] = {
    "fs.pipe-max-size",        "fs.pipe-user-pages-soft",          "kernel.io_uring_disabled",
    "net.core.optmem_max",     "net.core.wmem_max",                "kernel.unprivileged_userns_clone",
    "user.max_user_namespaces",
};

// Facts as the host sees them; call before entering a private namespace.
nlohmann::json collect_environment();

// Adds the namespace outcome and the namespace's lo (through libnl).
void add_netns_facts(nlohmann::json& env, const NetnsOutcome& netns);

// The kernel object from uname(2).
nlohmann::json collect_kernel();

// Pure: KEY=value lines of os-release into {id, version_id, pretty_name}.
nlohmann::json parse_os_release(const std::string& text);

} // namespace zc::probe
