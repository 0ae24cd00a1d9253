// zcengine's comparison table, rendered from the report's "engine" array so
// zcengine's own output and `zcreport render --format text` are one table.
// Rows come from a file too: every field beyond the schema's required ones
// may be absent, and an absent number shows as "-".
#include "reports/render_text.hpp"

#include "reports/escape.hpp"
#include "reports/report_view.hpp"

#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <sstream>
#include <vector>

namespace zc::report {

using nlohmann::json;

namespace {

const json& member(const json& j, const char* key)
{
    static const json null_value;
    if (!j.is_object()) return null_value;
    const auto it = j.find(key);
    return it == j.end() ? null_value : *it;
}

std::optional<double> number(const json& j, const char* key)
{
    const json& v = member(j, key);
    if (!v.is_number()) return std::nullopt;
    const double d = v.get<double>();
    if (!std::isfinite(d)) return std::nullopt;
    return d;
}

unsigned long long count(const json& j, const char* key)
{
    const json& v = member(j, key);
    return v.is_number_unsigned() ? v.get<unsigned long long>() : 0;
}

// snprintf into a string of the size the text needs: a long name from a
// file widens its row instead of cutting it.
[[gnu::format(printf, 1, 2)]] std::string format(const char* f, ...)
{
    va_list args;
    va_start(args, f);
    va_list again;
    va_copy(again, args);
    const int n = std::vsnprintf(nullptr, 0, f, args);
    va_end(args);
    std::string out(n > 0 ? static_cast<size_t>(n) : 0, '\0');
    if (n > 0) std::vsnprintf(out.data(), out.size() + 1, f, again);
    va_end(again);
    return out;
}

std::string fmt(const char* f, std::optional<double> v)
{
    return v ? format(f, *v) : "-";
}

std::string cell(const json& j, const char* key)
{
    return text_escape(text_or(j, key, ""));
}

// The counts the table adds up that the entry carries only per run.
unsigned long long unsent(const json& e)
{
    unsigned long long n = 0;
    if (const json& runs = member(e, "runs"); runs.is_array()) {
        for (const auto& run : runs) n += count(run, "unsent");
    }
    return n;
}

std::string measured_row(const json& e)
{
    const json& pps = member(e, "pps");
    const auto median = number(pps, "median");
    const auto lo = number(pps, "min");
    const auto hi = number(pps, "max");
    std::optional<double> spread_pct;
    if (median && lo && hi) spread_pct = *median > 0 ? 100 * (*hi - *lo) / *median / 2 : 0.0;
    // One repeat has no spread: "not measured", not a 0.0 that reads as
    // a perfectly steady rate.
    const auto repeats = number(e, "repeats");
    const std::string spread = repeats && *repeats < 2 ? "not measured" : fmt("%.1f", spread_pct);
    std::optional<double> cpu;
    if (const auto u = number(e, "cpu_user_ns_per_packet"), s = number(e, "cpu_sys_ns_per_packet"); u && s) {
        cpu = *u + *s;
    }
    const bool counted = member(e, "sent").is_number() && member(e, "verified").is_number();
    const std::string verified =
        counted ? std::to_string(count(e, "verified")) + "/" + std::to_string(count(e, "sent")) : "-";
    const std::string lost = member(e, "lost").is_number() ? std::to_string(count(e, "lost")) : "-";
    const std::string bad = std::to_string(count(e, "corrupted") + count(e, "duplicated") + unsent(e));
    return format("%-16s %-13s %6s %-11s %10s %12s %7s %7s %9s %8s %12s %6s %6s %7s %7s\n",
                  cell(e, "mode").c_str(), cell(e, "kind").c_str(), cell(e, "size").c_str(), cell(e, "status").c_str(),
                  fmt("%.0f", median).c_str(), spread.c_str(),
                  fmt("%.2f", number(e, "gbit_s_payload")).c_str(), fmt("%.3f", number(e, "syscalls_per_packet")).c_str(),
                  fmt("%.0f", cpu).c_str(), fmt("%.0f", number(e, "sender_cpu_ns_per_packet")).c_str(),
                  verified.c_str(), lost.c_str(), bad.c_str(), fmt("%.2f", number(e, "ratio_vs_page")).c_str(),
                  fmt("%.2f", number(e, "ratio_vs_sendmmsg")).c_str());
}

// Why an unclean run was unclean: the reason, the first corrupted packet,
// and where the last run's losses went.
std::string unclean_notes(const json& e)
{
    std::ostringstream out;
    out << "    " << cell(e, "reason") << "\n";
    const json& runs = member(e, "runs");
    if (!runs.is_array() || runs.empty()) return out.str();
    for (const auto& run : runs) {
        if (member(run, "first_corruption").is_string()) {
            out << "    first corruption: " << cell(run, "first_corruption") << "\n";
            break;
        }
    }
    const json& last = runs.back();
    if (count(last, "lost") > 0) {
        const json& loss = member(last, "loss");
        out << "    losses: socket drops " << text_escape(text_or(loss, "socket_drops", "unknown"))
            << ", SO_RXQ_OVFL " << text_escape(text_or(loss, "rxq_ovfl", "unknown"));
        if (const json& snmp = member(loss, "snmp_deltas"); snmp.is_object()) {
            for (const auto& [k, v] : snmp.items()) out << ", " << text_escape(k) << " +" << text_escape(v.dump());
        }
        out << "\n";
    }
    return out.str();
}

// An egress row: nothing received it, so VERIFIED and LOST are "-"; what
// the loopback pre-check verified and what the kernel said about zero-copy.
std::string egress_notes(const json& e)
{
    std::ostringstream out;
    out << "    sink egress (no receiver)";
    if (const json& pre = member(e, "precheck"); pre.is_object()) {
        out << "; loopback pre-check " << cell(pre, "status") << ": " << count(pre, "verified") << " of "
            << count(pre, "sent") << " verified";
    }
    if (const json& zc = member(e, "zerocopy_completions"); zc.is_object()) {
        out << "; zero-copy completions " << count(zc, "total") << ", copied " << count(zc, "copied");
    }
    if (member(e, "gso_size").is_number()) out << "; UDP GSO segments of " << cell(e, "gso_size") << " B";
    out << "\n";
    return out.str();
}

} // namespace

std::string render_engine_table(const json& engine)
{
    std::ostringstream out;
    out << format("%-16s %-13s %6s %-11s %10s %12s %7s %7s %9s %8s %12s %6s %6s %7s %7s\n", "MODE",
                  "KIND", "SIZE", "STATUS", "PPS", "+-%", "GBIT/S", "SC/PKT", "CPU NS/P", "TX NS/P", "VERIFIED", "LOST",
                  "BAD", "xPAGE", "xMMSG");
    const json entries = engine.is_array() ? engine : json::array();
    for (const auto& e : entries) {
        if (!member(e, "measured").is_boolean() || !member(e, "measured").get<bool>()) {
            out << format("%-16s %-13s %6s %-11s %s\n", cell(e, "mode").c_str(), cell(e, "kind").c_str(),
                          cell(e, "size").c_str(), cell(e, "status").c_str(), cell(e, "reason").c_str());
            continue;
        }
        out << measured_row(e);
        if (member(e, "layout").is_string() && member(e, "layout_reason").is_string()) {
            out << "    layout " << cell(e, "layout") << " (" << cell(e, "layout_reason") << ")\n";
        }
        if (text_or(e, "status", "") == "unclean") out << unclean_notes(e);
        if (text_or(e, "sink", "loopback") == "egress") out << egress_notes(e);
    }
    std::vector<std::string> reuses;
    for (const auto& e : entries) {
        if (!member(e, "reuse").is_string() || member(e, "reuse").get_ref<const std::string&>().empty()) continue;
        const std::string reuse = cell(e, "mode") + ": " + cell(e, "reuse");
        if (std::find(reuses.begin(), reuses.end(), reuse) == reuses.end()) reuses.push_back(reuse);
    }
    for (const auto& r : reuses) out << "reuse " << r << "\n";
    out << "ratios: xPAGE against page, xMMSG against sendmmsg, same size (and socket kind where it ran)\n";
    return out.str();
}

} // namespace zc::report
