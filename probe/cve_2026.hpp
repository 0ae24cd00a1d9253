// Pure parts of the 2026 splice page-cache-write probes (security.cve_2026_*):
// which kernel modules a path needs and whether running it could load one,
// and what changed in a file the probe read back. Kept free of syscalls so
// the unit tests can feed them text captured from other kernels.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace zc::probe {

// What the running kernel can tell about its modules. Whether a module can
// be loaded is decided from what the kernel says, never from this mount
// namespace's /lib/modules: the kernel runs modprobe in its own root (the
// host's, seen from a container), so a missing directory here proves nothing.
struct ModuleFacts {
    bool modules_supported = false;       // /proc/modules exists (CONFIG_MODULES)
    std::optional<bool> modules_disabled; // kernel.modules_disabled; nullopt = unreadable
    std::optional<std::string> modprobe;  // kernel.modprobe; "" = the kernel never calls modprobe
    std::set<std::string> loaded;         // /proc/modules and /sys/module/<name>
    std::set<std::string> builtin;        // /lib/modules/$(uname -r)/modules.builtin, where readable
    std::set<std::string> crypto;         // "name" and "driver" values in /proc/crypto
};

// Whether a request_module() could load a module: the kernel has module
// support, kernel.modules_disabled is not 1 and kernel.modprobe is not
// empty (__request_module() returns -ENOENT without calling anything when
// modprobe_path is "", kernel/module/kmod.c). What cannot be read counts as
// "may load".
bool may_autoload(const ModuleFacts& facts);
// Why nothing can be loaded ("the kernel has no module support (no
// /proc/modules)", ...); "" when may_autoload().
std::string no_autoload_reason(const ModuleFacts& facts);
// /proc/sys/kernel/modules_disabled text -> 0/1; nullopt when not a number.
std::optional<bool> parse_modules_disabled(std::string_view text);
// /proc/sys/kernel/modprobe text without its newline.
std::string parse_modprobe(std::string_view text);

// One piece a path needs: present when any of its modules is loaded or built
// in, or when /proc/crypto already lists crypto_name (an algorithm that is
// registered needs no request_module()).
struct ModuleNeed {
    std::vector<std::string> modules; // alternatives, the first is the usual one
    std::string crypto_name;          // "" = not a crypto algorithm
};

// Module names are compared with '-' read as '_', as the kernel does.
std::string module_key(std::string_view name);
// "af_alg 32768 1 algif_aead, Live 0x0" lines -> {"af_alg", ...}.
std::set<std::string> parse_proc_modules(std::string_view text);
// "kernel/crypto/authencesn.ko" lines -> {"authencesn", ...}.
std::set<std::string> parse_modules_builtin(std::string_view text);
// "name         : cbc(aes)" and "driver       : cbc(aes-generic)" lines.
std::set<std::string> parse_proc_crypto(std::string_view text);

// The first module of each need that is neither loaded nor built in (nor
// registered in /proc/crypto): calling into the path would make the kernel
// try to load it. Empty when !may_autoload(facts), since then nothing can be
// loaded and the path is either present or absent.
std::vector<std::string> modules_missing(const std::vector<ModuleNeed>& needs, const ModuleFacts& facts);

// Loaded modules now that were not loaded before, sorted.
std::vector<std::string> modules_added(const std::set<std::string>& before, const std::set<std::string>& after);

// One counter of /proc/net/snmp, whose groups are a line of names and a
// line of values ("Ip: Forwarding ... ReasmOKs ..." then "Ip: 1 ... 3 ...");
// nullopt when the group or the name is missing or the value is no number.
std::optional<uint64_t> snmp_counter(std::string_view text, std::string_view group, std::string_view name);

// A run of bytes that differs between what the probe wrote and what it read
// back, with both sides in lower-case hex.
struct ByteChange {
    size_t offset = 0;
    std::string before;
    std::string after;
};
// Runs closer than 16 bytes are merged; at most max_runs are returned.
std::vector<ByteChange> byte_changes(const std::vector<uint8_t>& before, const std::vector<uint8_t>& after,
                                     size_t max_runs = 8);
// How many bytes differ (the sizes must match; extra bytes count as changed).
size_t bytes_changed(const std::vector<uint8_t>& before, const std::vector<uint8_t>& after);

} // namespace zc::probe
