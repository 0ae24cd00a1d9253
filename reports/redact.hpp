// --redact: for reports leaving the building. Replaces, in every string of
// the report, the hostname, boot_id, IPv4/IPv6 and MAC addresses and user
// names (home directories, "user NAME", and names given with extra words),
// each original consistently by the same placeholder across the report, so
// a redacted report still reads ("host-1" here and there is one host).
// Loopback and unspecified addresses (127.0.0.0/8, ::1, 0.0.0.0, ::) are
// kept: they name no machine and the probes' reasons depend on them.
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

namespace zc::report {

class Redactor {
public:
    // words: further strings to redact (user names, site names), as "user".
    explicit Redactor(std::vector<std::string> words = {});

    // Redacts one report in place. Call it on several reports with the same
    // Redactor (matrix, diff) to keep placeholders consistent across them.
    void redact(nlohmann::json& report);

    // Redacts one string (exposed for the tests).
    std::string redact_text(const std::string& text);

private:
    std::string placeholder(const std::string& kind, const std::string& original);

    std::vector<std::string> words_;
    std::map<std::string, std::string> seen_; // original -> placeholder
    std::map<std::string, int> counts_;       // kind -> last number used
};

} // namespace zc::report
