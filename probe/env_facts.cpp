#include "probe/env_facts.hpp"

#include "traffic/netlink.hpp"
#include "core/proc_files.hpp"
#include "probe/report_json.hpp"

#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <sstream>

namespace zc::probe {

using nlohmann::json;

namespace {

json optional_text(const std::string& path)
{
    auto text = read_text_file(path);
    if (!text) return nullptr;
    while (!text->empty() && (text->back() == '\n' || text->back() == ' ')) text->pop_back();
    if (text->empty()) return nullptr;
    return *text;
}

bool exists(const char* path)
{
    struct stat st{};
    return ::stat(path, &st) == 0;
}

// Our own answer to "are we in a container?": marker files first, then the
// cgroup path of this process. null when nothing says so.
json container_hint()
{
    if (exists("/.dockerenv")) return "docker";
    if (exists("/run/.containerenv")) return "podman";
    if (const auto env = read_text_file("/proc/1/environ")) {
        std::string_view e = *env;
        for (size_t pos = 0; pos < e.size();) {
            size_t end = e.find('\0', pos);
            if (end == std::string_view::npos) end = e.size();
            const std::string_view item = e.substr(pos, end - pos);
            if (item.substr(0, 10) == "container=") return std::string(item.substr(10));
            pos = end + 1;
        }
    }
    if (const auto cg = read_text_file("/proc/self/cgroup")) {
        for (const char* marker : {"kubepods", "docker", "lxc", "containerd", "libpod"}) {
            if (cg->find(marker) != std::string::npos) return marker;
        }
    }
    return nullptr;
}

json virtualization_hints()
{
    bool hypervisor = false;
    if (const auto cpuinfo = read_text_file("/proc/cpuinfo")) {
        hypervisor = cpuinfo->find(" hypervisor") != std::string::npos;
    }
    return {{"hypervisor_cpu_flag", hypervisor},
            {"dmi_sys_vendor", optional_text("/sys/class/dmi/id/sys_vendor")},
            {"dmi_product_name", optional_text("/sys/class/dmi/id/product_name")},
            {"container", container_hint()}};
}

// Inode of our user namespace against the initial one (proc_ns_init_ino:
// PROC_USER_INIT_INO = 0xEFFFFFFD since 3.8).
json in_initial_user_namespace()
{
    struct stat st{};
    if (::stat("/proc/self/ns/user", &st) != 0) return nullptr;
    return st.st_ino == 0xEFFFFFFDU;
}

// Seccomp_filters: in /proc/self/status (5.9+): how many filters are
// stacked; null on older kernels.
json seccomp_filters()
{
    const auto status = read_text_file("/proc/self/status");
    if (!status) return nullptr;
    const auto field = status_field(*status, "Seccomp_filters");
    if (!field) return nullptr;
    try {
        return std::stoi(*field);
    } catch (const std::exception&) {
        return nullptr;
    }
}

} // namespace

json parse_os_release(const std::string& text)
{
    json out = {{"id", nullptr}, {"version_id", nullptr}, {"pretty_name", nullptr}};
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        const auto eq = line.find('=');
        if (eq == std::string::npos) continue;
        const std::string key = line.substr(0, eq);
        std::string value = line.substr(eq + 1);
        if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front()) {
            value = value.substr(1, value.size() - 2);
        }
        if (value.empty()) continue;
        if (key == "ID") out["id"] = value;
        if (key == "VERSION_ID") out["version_id"] = value;
        if (key == "PRETTY_NAME") out["pretty_name"] = value;
    }
    return out;
}

json collect_kernel()
{
    struct utsname u{};
    ::uname(&u);
    return kernel_object(u.release, u.version, u.machine);
}

json collect_environment()
{
    struct utsname u{};
    ::uname(&u);
    const uint64_t caps = effective_capabilities();
    json sysctls = json::object();
    for (const char* name : decisive_sysctls) {
        const auto v = read_sysctl_int(name);
        sysctls[name] = v ? json(*v) : json(nullptr);
    }
    json distro = {{"id", nullptr}, {"version_id", nullptr}, {"pretty_name", nullptr}};
    if (auto text = read_text_file("/etc/os-release")) {
        distro = parse_os_release(*text);
    } else if (auto alt = read_text_file("/usr/lib/os-release")) {
        distro = parse_os_release(*alt);
    }
    const auto seccomp = seccomp_mode();
    const int nnp = ::prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
    return {{"hostname", u.nodename[0] != '\0' ? json(u.nodename) : json(nullptr)},
            {"boot_id", optional_text("/proc/sys/kernel/random/boot_id")},
            {"distro", distro},
            {"euid", ::geteuid()},
            {"virtualization", virtualization_hints()},
            {"capabilities",
             {{"cap_net_raw", has_capability(caps, cap_net_raw)},
              {"cap_net_admin", has_capability(caps, cap_net_admin)},
              {"cap_sys_admin", has_capability(caps, cap_sys_admin)},
              {"cap_sys_resource", has_capability(caps, cap_sys_resource)}}},
            {"seccomp_mode", seccomp ? json(*seccomp) : json(nullptr)},
            {"seccomp_filters", seccomp_filters()},
            {"no_new_privs", nnp < 0 ? json(nullptr) : json(nnp == 1)},
            {"initial_user_namespace", in_initial_user_namespace()},
            {"sysctls", sysctls}};
}

void add_netns_facts(json& env, const NetnsOutcome& netns)
{
    env["netns"] = {{"mode", netns.how},
                    {"isolated", netns.isolated},
                    {"reason", netns.reason.empty() ? json(nullptr) : json(netns.reason)}};
    std::string error;
    if (const auto lo = netlink::link_info("lo", error)) {
        env["loopback"] = {{"flags", lo->flag_names},
                           {"mtu", lo->mtu},
                           {"qdisc", lo->qdisc ? json(*lo->qdisc) : json(nullptr)},
                           {"error", nullptr}};
    } else {
        env["loopback"] = {{"flags", nullptr}, {"mtu", nullptr}, {"qdisc", nullptr}, {"error", error}};
    }
}

} // namespace zc::probe
