// Reading /proc and /sys: small text files, sysctls, /proc/net/snmp counters
// and /proc/self/status fields. The parsers are pure so they can be tested on
// text captured from other kernels.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace zc {

// Whole file as text; std::nullopt if it cannot be opened or read.
std::optional<std::string> read_text_file(const std::string& path);

// "fs.pipe-max-size" -> the first integer in /proc/sys/fs/pipe-max-size;
// std::nullopt where the sysctl does not exist on this kernel.
std::optional<int64_t> read_sysctl_int(std::string_view name);

// /proc/net/snmp keeps pairs of lines ("Udp: InDatagrams ..." then
// "Udp: 12 ..."). Returns {"Udp.InCsumErrors": 0, ...}.
std::map<std::string, int64_t> parse_snmp(std::string_view text);

// /proc/net/snmp6 keeps one "Name value" pair per line ("Udp6InCsumErrors 0").
// Returns {"Udp6InCsumErrors": 0, ...}; lines that are not a name and an
// integer are skipped.
std::map<std::string, int64_t> parse_snmp6(std::string_view text);

// Value of a "Key:\tvalue" line in a /proc/<pid>/status text.
std::optional<std::string> status_field(std::string_view status_text, std::string_view key);

// Capability numbers we report on (linux/capability.h).
inline constexpr int cap_net_admin = 12;
inline constexpr int cap_net_raw = 13;
inline constexpr int cap_sys_admin = 21;
inline constexpr int cap_sys_resource = 24;

// The calling thread's effective capability set, from /proc/self/status.
uint64_t effective_capabilities();
inline bool has_capability(uint64_t caps, int cap) { return (caps >> cap) & 1U; }

// Seccomp mode of this process: 0 off, 1 strict, 2 filter; nullopt if the
// kernel does not say.
std::optional<int> seccomp_mode();

} // namespace zc
