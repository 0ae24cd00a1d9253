#include "reports/redact.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <regex>

namespace zc::report {

using nlohmann::json;

namespace {

bool address_char(char c)
{
    return std::isxdigit(static_cast<unsigned char>(c)) != 0 || c == ':' || c == '.';
}

bool word_char(char c)
{
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_';
}

bool is_mac(const std::string& s)
{
    static const std::regex mac("^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$");
    return s.size() == 17 && std::regex_match(s, mac);
}

// Loopback and unspecified addresses name no machine.
bool keep_ipv4(const std::string& s)
{
    return s.rfind("127.", 0) == 0 || s == "0.0.0.0";
}

bool keep_ipv6(const std::string& s)
{
    in6_addr a{};
    ::inet_pton(AF_INET6, s.c_str(), &a);
    return IN6_IS_ADDR_LOOPBACK(&a) || IN6_IS_ADDR_UNSPECIFIED(&a);
}

} // namespace

Redactor::Redactor(std::vector<std::string> words) : words_(std::move(words))
{
    // Longest first, so "alice-laptop" is replaced before "alice".
    std::erase_if(words_, [](const std::string& w) { return w.size() < 2; });
    std::sort(words_.begin(), words_.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
}

std::string Redactor::placeholder(const std::string& kind, const std::string& original)
{
    const auto it = seen_.find(original);
    if (it != seen_.end()) return it->second;
    const std::string p = "[" + kind + "-" + std::to_string(++counts_[kind]) + "]";
    seen_.emplace(original, p);
    return p;
}

std::string Redactor::redact_text(const std::string& text)
{
    std::string s = text;
    // Known originals (hostname, boot_id, user words), as whole words.
    for (const auto& w : words_) {
        size_t pos = 0;
        while ((pos = s.find(w, pos)) != std::string::npos) {
            const bool starts = pos == 0 || !word_char(s[pos - 1]);
            const bool ends = pos + w.size() == s.size() || !word_char(s[pos + w.size()]);
            if (!starts || !ends) {
                pos += 1;
                continue;
            }
            const std::string p = seen_.at(w);
            s.replace(pos, w.size(), p);
            pos += p.size();
        }
    }
    // Home directories name their user.
    static const std::regex home("(/home/|/Users/|/var/home/)([^/\\s\"']+)");
    std::string out;
    auto begin = s.cbegin();
    for (std::sregex_iterator it(s.begin(), s.end(), home), end; it != end; ++it) {
        out.append(begin, (*it)[2].first);
        out += placeholder("user", (*it)[2].str());
        begin = (*it)[2].second;
    }
    out.append(begin, s.cend());
    s = std::move(out);

    // Addresses: maximal runs of hex digits, ':' and '.', checked by the
    // same parser the kernel's users trust (inet_pton).
    out.clear();
    size_t i = 0;
    while (i < s.size()) {
        if (!address_char(s[i]) || (i > 0 && word_char(s[i - 1]) && !address_char(s[i - 1]))) {
            out += s[i++];
            continue;
        }
        size_t j = i;
        while (j < s.size() && address_char(s[j])) ++j;
        std::string run = s.substr(i, j - i);
        size_t trail = run.size();
        while (trail > 0 && (run[trail - 1] == '.' || run[trail - 1] == ':') && run.substr(0, trail) != "::") --trail;
        const std::string candidate = run.substr(0, trail);
        in6_addr a6{};
        in_addr a4{};
        if (is_mac(candidate)) {
            out += placeholder("mac", candidate);
        } else if (::inet_pton(AF_INET, candidate.c_str(), &a4) == 1) {
            out += keep_ipv4(candidate) ? candidate : placeholder("ipv4", candidate);
        } else if (candidate.find(':') != std::string::npos && ::inet_pton(AF_INET6, candidate.c_str(), &a6) == 1) {
            out += keep_ipv6(candidate) ? candidate : placeholder("ipv6", candidate);
        } else {
            // A dotted quad glued to other hex (e.g. "fe10.0.0.1")
            // still names a host.
            static const std::regex quad("([0-9]{1,3}\\.){3}[0-9]{1,3}");
            std::string rest;
            auto from = candidate.cbegin();
            for (std::sregex_iterator it(candidate.begin(), candidate.end(), quad), end; it != end; ++it) {
                rest.append(from, (*it)[0].first);
                const std::string q = it->str();
                rest += ::inet_pton(AF_INET, q.c_str(), &a4) == 1 && !keep_ipv4(q) ? placeholder("ipv4", q) : q;
                from = (*it)[0].second;
            }
            rest.append(from, candidate.cend());
            out += rest;
        }
        out += run.substr(trail);
        i = j;
    }
    return out;
}

void Redactor::redact(json& report)
{
    if (!report.is_object()) return;
    // Register this report's identifying values first so every mention,
    // wherever it is, gets the same placeholder.
    if (const auto env = report.find("environment"); env != report.end() && env->is_object()) {
        const auto add = [&](const char* key, const char* kind) {
            const auto it = env->find(key);
            if (it == env->end() || !it->is_string() || it->get_ref<const std::string&>().size() < 2) return;
            const std::string value = it->get<std::string>();
            placeholder(kind, value);
            if (std::find(words_.begin(), words_.end(), value) == words_.end()) words_.push_back(value);
            // The short name of a fully qualified hostname names the host too.
            if (std::string(kind) == "host") {
                if (const auto dot = value.find('.'); dot != std::string::npos && dot >= 2) {
                    const std::string short_name = value.substr(0, dot);
                    if (!seen_.contains(short_name)) seen_.emplace(short_name, seen_.at(value));
                    if (std::find(words_.begin(), words_.end(), short_name) == words_.end()) words_.push_back(short_name);
                }
            }
        };
        add("hostname", "host");
        add("boot_id", "boot-id");
    }
    for (const auto& w : words_) {
        if (!seen_.contains(w)) placeholder("user", w);
    }
    std::sort(words_.begin(), words_.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });

    std::vector<json*> todo{&report};
    while (!todo.empty()) {
        json* node = todo.back();
        todo.pop_back();
        if (node->is_string()) {
            *node = redact_text(node->get<std::string>());
        } else if (node->is_object() || node->is_array()) {
            for (auto& child : *node) todo.push_back(&child);
        }
    }
}

} // namespace zc::report
