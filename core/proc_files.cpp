#include "core/proc_files.hpp"

#include <fstream>
#include <sstream>
#include <vector>

namespace zc {

std::optional<std::string> read_text_file(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return std::nullopt;
    }
    std::ostringstream out;
    out << in.rdbuf();
    if (in.bad()) {
        return std::nullopt;
    }
    return out.str();
}

std::optional<int64_t> read_sysctl_int(std::string_view name)
{
    std::string path = "/proc/sys/";
    for (const char c : name) {
        path += c == '.' ? '/' : c;
    }
    const auto text = read_text_file(path);
    if (!text) {
        return std::nullopt;
    }
    try {
        return std::stoll(*text);
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

namespace {

std::vector<std::string_view> split_ws(std::string_view line)
{
    std::vector<std::string_view> out;
    size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
        size_t j = i;
        while (j < line.size() && line[j] != ' ' && line[j] != '\t') ++j;
        if (j > i) out.push_back(line.substr(i, j - i));
        i = j;
    }
    return out;
}

} // namespace

std::map<std::string, int64_t> parse_snmp(std::string_view text)
{
    std::map<std::string, int64_t> out;
    std::vector<std::string_view> lines;
    for (size_t start = 0; start < text.size();) {
        size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        lines.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    for (size_t i = 0; i + 1 < lines.size(); i += 2) {
        const auto names = split_ws(lines[i]);
        const auto values = split_ws(lines[i + 1]);
        if (names.empty() || values.size() != names.size() || names[0] != values[0]) {
            break; // not the header/value layout we know; keep what we have
        }
        std::string prefix(names[0]);
        if (!prefix.empty() && prefix.back() == ':') prefix.pop_back();
        for (size_t k = 1; k < names.size(); ++k) {
            try {
                out[prefix + "." + std::string(names[k])] = std::stoll(std::string(values[k]));
            } catch (const std::exception&) {
                // a non-numeric column is not a counter
            }
        }
    }
    return out;
}

std::map<std::string, int64_t> parse_snmp6(std::string_view text)
{
    std::map<std::string, int64_t> out;
    for (size_t start = 0; start < text.size();) {
        size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        const auto fields = split_ws(text.substr(start, end - start));
        start = end + 1;
        if (fields.size() != 2) continue;
        try {
            size_t used = 0;
            const std::string value(fields[1]);
            const int64_t v = std::stoll(value, &used);
            if (used == value.size()) out[std::string(fields[0])] = v;
        } catch (const std::exception&) {
            // not a counter line
        }
    }
    return out;
}

std::optional<std::string> status_field(std::string_view status_text, std::string_view key)
{
    size_t pos = 0;
    while (pos < status_text.size()) {
        size_t end = status_text.find('\n', pos);
        if (end == std::string_view::npos) end = status_text.size();
        const std::string_view line = status_text.substr(pos, end - pos);
        if (line.size() > key.size() && line.substr(0, key.size()) == key && line[key.size()] == ':') {
            std::string_view value = line.substr(key.size() + 1);
            while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
            return std::string(value);
        }
        pos = end + 1;
    }
    return std::nullopt;
}

uint64_t effective_capabilities()
{
    const auto status = read_text_file("/proc/self/status");
    if (!status) return 0;
    const auto field = status_field(*status, "CapEff");
    if (!field) return 0;
    try {
        return std::stoull(*field, nullptr, 16);
    } catch (const std::exception&) {
        return 0;
    }
}

std::optional<int> seccomp_mode()
{
    const auto status = read_text_file("/proc/self/status");
    if (!status) return std::nullopt;
    const auto field = status_field(*status, "Seccomp");
    if (!field) return std::nullopt;
    try {
        return std::stoi(*field);
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

} // namespace zc
