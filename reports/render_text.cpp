#include "reports/render_text.hpp"

#include "reports/escape.hpp"
#include "reports/report_view.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <sstream>

namespace zc::report {

using nlohmann::json;

namespace {

const char* colour_of(const std::string& status)
{
    if (status == "supported") return "\x1b[32m";
    if (status == "unsupported") return "\x1b[33m";
    if (status == "blocked") return "\x1b[35m";
    if (status == "error") return "\x1b[31m";
    return "\x1b[90m"; // skipped
}

std::string pad(std::string s, size_t width)
{
    if (s.size() < width) s.append(width - s.size(), ' ');
    return s;
}

std::string evidence_zero_copy_mark(const json& evidence)
{
    const auto it = evidence.find("zero_copy");
    if (it == evidence.end()) return "";
    if (it->is_boolean()) return it->get<bool>() ? "zc" : "copy";
    return "?";
}

} // namespace

bool want_colour(int fd)
{
    const char* no_colour = std::getenv("NO_COLOR");
    if (no_colour != nullptr && *no_colour != '\0') return false;
    return ::isatty(fd) == 1;
}

std::string render_text(const json& report, const TextStyle& style)
{
    std::ostringstream out;
    const json& k = report.at("kernel");
    const json& env = report.at("environment");
    out << "kernel " << text_escape(text_or(k, "release")) << " (" << text_escape(text_or(k, "machine")) << ")";
    if (const auto d = env.find("distro"); d != env.end() && d->is_object()) {
        out << ", " << text_escape(text_or(*d, "pretty_name"));
    }
    if (const auto n = env.find("netns"); n != env.end() && n->is_object()) {
        out << ", namespace: " << text_escape(text_or(*n, "mode"));
    }
    out << "\n\n";

    size_t id_width = 2;
    for (const auto& p : report.at("probes")) {
        id_width = std::max(id_width, text_escape(p.at("id").get<std::string>()).size());
    }
    out << pad("ID", id_width) << "  " << pad("STATUS", 12) << "  " << pad("ZC", 4) << "  REASON\n";
    for (const auto& p : report.at("probes")) {
        const std::string status = text_escape(p.at("status").get<std::string>());
        // A CVE probe reads as a verdict on the kernel, not as a feature.
        const auto cve = security_verdict(p);
        out << pad(text_escape(p.at("id").get<std::string>()), id_width) << "  ";
        const bool affected = cve && cve->state == SecurityVerdict::State::affected;
        if (style.colour) out << colour_of(affected ? "error" : status); // affected: red, like an error
        out << pad(cve ? text_escape(cve->verdict()) : status, 12);
        if (style.colour) out << "\x1b[0m";
        out << "  " << pad(evidence_zero_copy_mark(p.at("evidence")), 4) << "  "
            << (cve ? text_escape(cve->label()) + ": " : "") << text_escape(p.at("reason").get<std::string>()) << "\n";
        if (const std::string flag = prediction_flag(report, p); !flag.empty()) {
            out << pad("", id_width) << "  " << text_escape(flag) << "\n";
        }
    }
    const json& s = report.at("summary");
    out << "\nsummary: " << s.at("supported").get<int>() << " supported, " << s.at("unsupported").get<int>()
        << " unsupported, " << s.at("blocked").get<int>() << " blocked, " << s.at("skipped").get<int>()
        << " skipped, " << s.at("error").get<int>() << " error (" << s.at("total").get<int>() << " probes)";
    if (const CveCount cves = count_cves(report); cves.probes > 0) {
        out << "; " << (cves.affected > 0 ? "AFFECTED by " : "affected by ") << cves.affected << " of " << cves.probes
            << " CVEs tested";
    }
    out << "\n";
    if (const auto engine = report.find("engine"); engine != report.end() && engine->is_array() && !engine->empty()) {
        out << "\nengine throughput:\n" << render_engine_table(*engine);
    }
    return out.str();
}

std::string render_catalog_text(const json& catalog)
{
    std::ostringstream out;
    size_t id_width = 2;
    for (const auto& e : catalog) id_width = std::max(id_width, text_escape(e.at("id").get<std::string>()).size());
    for (const auto& e : catalog) {
        out << pad(text_escape(e.at("id").get<std::string>()), id_width) << "  "
            << text_escape(e.at("title").get<std::string>()) << "\n"
            << pad("", id_width) << "  supported: " << text_escape(e.at("supported_means").get<std::string>()) << "\n"
            << pad("", id_width) << "  privileges: " << text_escape(e.at("privileges").get<std::string>()) << "\n";
        // One line a change: "history: 6.5 2dc334f1a63a one sendmsg(...) -> supported, outcome=whole".
        for (const auto& c : e.value("history", json::array())) {
            out << pad("", id_width) << "  history: " << text_escape(text_or(c, "version", "?"));
            for (const auto& st : c.value("stable", json::array())) out << "/" << text_escape(st.get<std::string>());
            if (!c.at("commit").is_null()) out << " " << text_escape(c.at("commit").get<std::string>());
            out << " " << text_escape(text_or(c, "what", ""));
            if (const auto& pr = c.at("predicts"); pr.is_object()) {
                out << " -> " << text_escape(text_or(pr, "status", "?"));
                for (const auto& [key, value] : pr.items()) {
                    if (key != "status") out << ", " << text_escape(key) << "=" << text_escape(value.is_string() ? value.get<std::string>() : value.dump());
                }
            }
            out << "\n";
        }
    }
    return out.str();
}

} // namespace zc::report
