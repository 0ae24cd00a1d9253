#include "probe/cve_2026.hpp"

#include <algorithm>
#include <charconv>

namespace zc::probe {

namespace {

std::string_view trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

template <typename F>
void for_each_line(std::string_view text, F&& f)
{
    while (!text.empty()) {
        const size_t nl = text.find('\n');
        f(text.substr(0, nl));
        if (nl == std::string_view::npos) break;
        text.remove_prefix(nl + 1);
    }
}

std::string hex(const std::vector<uint8_t>& bytes, size_t from, size_t to)
{
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (size_t i = from; i < to && i < bytes.size(); ++i) {
        out += digits[bytes[i] >> 4];
        out += digits[bytes[i] & 0xf];
    }
    return out;
}

} // namespace

std::string module_key(std::string_view name)
{
    std::string out(name);
    std::replace(out.begin(), out.end(), '-', '_');
    return out;
}

std::set<std::string> parse_proc_modules(std::string_view text)
{
    std::set<std::string> out;
    for_each_line(text, [&](std::string_view line) {
        line = trim(line);
        const size_t sp = line.find(' ');
        if (!line.empty()) out.insert(module_key(line.substr(0, sp)));
    });
    return out;
}

std::set<std::string> parse_modules_builtin(std::string_view text)
{
    std::set<std::string> out;
    for_each_line(text, [&](std::string_view line) {
        line = trim(line);
        if (line.size() <= 3 || line.substr(line.size() - 3) != ".ko") return;
        line.remove_suffix(3);
        if (const size_t slash = line.rfind('/'); slash != std::string_view::npos) line.remove_prefix(slash + 1);
        if (!line.empty()) out.insert(module_key(line));
    });
    return out;
}

std::set<std::string> parse_proc_crypto(std::string_view text)
{
    std::set<std::string> out;
    for_each_line(text, [&](std::string_view line) {
        const size_t colon = line.find(':');
        if (colon == std::string_view::npos) return;
        const std::string_view key = trim(line.substr(0, colon));
        const std::string_view value = trim(line.substr(colon + 1));
        if ((key == "name" || key == "driver") && !value.empty()) out.insert(std::string(value));
    });
    return out;
}

std::vector<std::string> modules_missing(const std::vector<ModuleNeed>& needs, const ModuleFacts& facts)
{
    std::vector<std::string> out;
    if (!may_autoload(facts)) return out;
    for (const auto& need : needs) {
        bool present = !need.crypto_name.empty() && facts.crypto.count(need.crypto_name) != 0;
        for (const auto& m : need.modules) {
            const std::string key = module_key(m);
            present = present || facts.loaded.count(key) != 0 || facts.builtin.count(key) != 0;
        }
        if (!present && !need.modules.empty()) out.push_back(need.modules.front());
    }
    return out;
}

bool may_autoload(const ModuleFacts& facts)
{
    return no_autoload_reason(facts).empty();
}

std::string no_autoload_reason(const ModuleFacts& facts)
{
    if (!facts.modules_supported) return "the kernel has no module support (no /proc/modules)";
    if (facts.modules_disabled.value_or(false)) return "kernel.modules_disabled is 1";
    if (facts.modprobe && facts.modprobe->empty()) return "kernel.modprobe is empty (no module autoloading)";
    return "";
}

std::optional<bool> parse_modules_disabled(std::string_view text)
{
    text = trim(text.substr(0, text.find('\n')));
    if (text == "0") return false;
    if (text == "1") return true;
    return std::nullopt;
}

std::string parse_modprobe(std::string_view text)
{
    return std::string(trim(text.substr(0, text.find('\n'))));
}

std::vector<std::string> modules_added(const std::set<std::string>& before, const std::set<std::string>& after)
{
    std::vector<std::string> out;
    std::set_difference(after.begin(), after.end(), before.begin(), before.end(), std::back_inserter(out));
    return out;
}

std::optional<uint64_t> snmp_counter(std::string_view text, std::string_view group, std::string_view name)
{
    const std::string prefix = std::string(group) + ":";
    std::vector<std::string_view> names;
    std::optional<uint64_t> out;
    bool done = false;
    for_each_line(text, [&](std::string_view line) {
        if (done || line.substr(0, prefix.size()) != prefix) return;
        std::vector<std::string_view> words;
        line.remove_prefix(prefix.size());
        while (!line.empty()) {
            line = trim(line);
            const size_t sp = std::min(line.find(' '), line.size());
            if (sp > 0) words.push_back(line.substr(0, sp));
            line.remove_prefix(sp);
        }
        if (names.empty()) {
            names = std::move(words);
            return;
        }
        done = true;
        for (size_t i = 0; i < names.size() && i < words.size(); ++i) {
            if (names[i] != name) continue;
            uint64_t v = 0;
            const auto [p, ec] = std::from_chars(words[i].data(), words[i].data() + words[i].size(), v);
            if (ec == std::errc() && p == words[i].data() + words[i].size()) out = v;
        }
    });
    return out;
}

std::vector<ByteChange> byte_changes(const std::vector<uint8_t>& before, const std::vector<uint8_t>& after,
                                     size_t max_runs)
{
    constexpr size_t merge_gap = 16;
    std::vector<ByteChange> out;
    const size_t n = std::max(before.size(), after.size());
    auto differs = [&](size_t i) { return i >= before.size() || i >= after.size() || before[i] != after[i]; };
    size_t i = 0;
    while (i < n && out.size() < max_runs) {
        if (!differs(i)) {
            ++i;
            continue;
        }
        const size_t start = i;
        size_t end = i + 1; // one past the last differing byte of this run
        for (size_t j = end; j < n && j < end + merge_gap; ++j) {
            if (differs(j)) end = j + 1;
        }
        out.push_back({start, hex(before, start, end), hex(after, start, end)});
        i = end;
    }
    return out;
}

size_t bytes_changed(const std::vector<uint8_t>& before, const std::vector<uint8_t>& after)
{
    const size_t common = std::min(before.size(), after.size());
    size_t n = std::max(before.size(), after.size()) - common;
    for (size_t i = 0; i < common; ++i) n += before[i] != after[i] ? 1 : 0;
    return n;
}

} // namespace zc::probe
