#include "reports/render_text.hpp"

#include "reports/escape.hpp"
#include "reports/report_view.hpp"
#include "reports/verdict_view.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <sstream>

namespace zc::report {

using nlohmann::json;

namespace {


std::string pad(std::string s, size_t width)
{
    if (s.size() < width) s.append(width - s.size(), ' ');
    return s;
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

    std::vector<ProbeVerdict> verdicts;
    for (const auto& p : report.at("probes")) verdicts.push_back(probe_verdict(report, p));
    size_t id_width = 2, word_width = 7, zc_width = 2;
    for (const auto& v : verdicts) {
        id_width = std::max(id_width, text_escape(v.id).size());
        word_width = std::max(word_width, text_escape(v.word).size());
        zc_width = std::max(zc_width, v.zero_copy_mark().size());
    }
    out << pad("ID", id_width) << "  " << pad("VERDICT", word_width) << "  " << pad("ZC", zc_width) << "  REASON\n";
    size_t i = 0;
    for (const auto& p : report.at("probes")) {
        const ProbeVerdict& v = verdicts[i++];
        out << pad(text_escape(v.id), id_width) << "  ";
        if (style.colour) out << terminal_colour(v.severity);
        out << pad(text_escape(v.word), word_width);
        if (style.colour) out << "\x1b[0m";
        out << "  " << pad(v.zero_copy_mark(), zc_width) << "  "
            << (v.cve ? text_escape(v.cve->label()) + ": " : "") << text_escape(p.at("reason").get<std::string>()) << "\n";
        if (v.tag == "differs") out << pad("", id_width) << "  " << text_escape(v.why) << "\n";
    }
    const json& s = report.at("summary");
    out << "\nsummary: " << s.at("supported").get<int>() << " supported, " << s.at("unsupported").get<int>()
        << " unsupported, " << s.at("blocked").get<int>() << " blocked, " << s.at("skipped").get<int>()
        << " skipped, " << s.at("error").get<int>() << " error (" << s.at("total").get<int>() << " probes)";
    if (const std::string cves = cve_summary(count_cves(report)); !cves.empty()) out << "; " << cves;
    out << "\n";
    const auto attention = attention_list(report, style.require);
    out << "needs attention: " << (attention.empty() ? "nothing" : std::to_string(attention.size())) << "\n";
    size_t tag_width = 0;
    for (const auto& a : attention) tag_width = std::max(tag_width, a.tag.size());
    for (const auto& a : attention) {
        out << "  ";
        if (style.colour) out << terminal_colour(a.severity);
        out << pad(text_escape(a.tag), tag_width);
        if (style.colour) out << "\x1b[0m";
        out << "  " << text_escape(a.subject) << ": " << text_escape(a.text) << "\n";
    }
    if (const auto refusals = sandbox_refusals(report); !refusals.empty()) {
        out << "\n" << refused_heading << ":\n";
        for (const auto& r : refusals) {
            out << "  " << text_escape(r.text()) << " (" << text_escape(r.layer) << "):";
            for (const auto& id : r.probes) out << " " << text_escape(id);
            out << "\n";
        }
    }
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
            if (const std::string predicted = predicts_text(c.at("predicts")); !predicted.empty()) {
                out << " -> " << text_escape(predicted);
            }
            out << "\n";
        }
    }
    return out.str();
}

} // namespace zc::report
