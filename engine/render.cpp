#include "engine/render.hpp"

#include "reports/escape.hpp"

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace zc::engine {

using nlohmann::json;

namespace {

bool measured(const ModeResult& r)
{
    return (r.status == RunStatus::ok || r.status == RunStatus::unclean) && !r.runs.empty();
}

Counts total(const ModeResult& r)
{
    Counts t;
    for (const auto& m : r.runs) {
        t.sent += m.counts.sent;
        t.received += m.counts.received;
        t.verified += m.counts.verified;
        t.corrupted += m.counts.corrupted;
        t.duplicated += m.counts.duplicated;
        t.reordered += m.counts.reordered;
        t.lost += m.counts.lost;
        t.unsent += m.counts.unsent;
        t.foreign += m.counts.foreign;
    }
    return t;
}

template <class F>
double per_packet(const ModeResult& r, F f)
{
    double num = 0, den = 0;
    for (const auto& m : r.runs) {
        num += f(m);
        den += static_cast<double>(m.counts.sent);
    }
    return den > 0 ? num / den : 0;
}

json opt(const std::optional<double>& v)
{
    return v ? json(*v) : json(nullptr);
}

json text_or_null(const std::string& s)
{
    return s.empty() ? json(nullptr) : json(s);
}

std::string fmt(const char* f, double v)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, f, v);
    return buf;
}

} // namespace

std::optional<double> ratio(const std::vector<ModeResult>& all, const ModeResult& row, Mode reference)
{
    if (!measured(row)) return std::nullopt;
    // Same size; the same socket kind where the reference ran over it.
    const ModeResult* ref = nullptr;
    for (const auto& r : all) {
        if (r.mode != reference || r.size != row.size || !measured(r)) continue;
        if (ref == nullptr || (r.kind == row.kind && ref->kind != row.kind)) ref = &r;
    }
    if (ref == nullptr) return std::nullopt;
    const double base = pps_spread(ref->runs).median;
    if (base <= 0) return std::nullopt;
    return pps_spread(row.runs).median / base;
}

size_t wire_bytes(const ModeResult& r)
{
    switch (r.kind) {
    case traffic::Kind::udp4: return r.size + 28;
    case traffic::Kind::packet_raw: return r.size + 14;
    default: return r.size + 20;
    }
}

json result_json(const std::vector<ModeResult>& all, const ModeResult& r)
{
    json j = {
        {"mode", std::string(mode_info(r.mode).name)},
        {"kind", std::string(traffic::kind_info(r.kind).name)},
        {"size", r.size},
        {"status", run_status_name(r.status)},
        {"reason", r.reason.empty() ? json(nullptr) : json(r.reason)},
        {"probe", text_or_null(r.probe)},
        {"layout", text_or_null(r.layout)},
        {"layout_reason", text_or_null(r.layout_reason)},
        {"reuse", text_or_null(r.reuse)},
        {"verify", r.verify},
    };
    if (!measured(r)) {
        j["measured"] = false;
        return j;
    }
    j["measured"] = true;
    const Counts t = total(r);
    const Spread s = pps_spread(r.runs);
    double elapsed = 0, syscalls = 0;
    for (const auto& m : r.runs) {
        elapsed += m.elapsed_s;
        syscalls += static_cast<double>(m.syscalls);
    }
    json runs = json::array();
    for (const auto& m : r.runs) {
        json snmp = json::object();
        for (const auto& [k, v] : m.snmp_deltas) snmp[k] = v;
        runs.push_back({
            {"pps", m.pps()},
            {"elapsed_s", m.elapsed_s},
            {"sent", m.counts.sent},
            {"received", m.counts.received},
            {"verified", m.counts.verified},
            {"corrupted", m.counts.corrupted},
            {"lost", m.counts.lost},
            {"duplicated", m.counts.duplicated},
            {"reordered", m.counts.reordered},
            {"foreign", m.counts.foreign},
            {"unsent", m.counts.unsent},
            {"stale", m.stale},
            {"syscalls", m.syscalls},
            {"flow_waits", m.flow_waits},
            {"flow_stalls", m.flow_stalls},
            {"timed_out", m.timed_out},
            {"loss", {{"socket_drops", m.socket_drops >= 0 ? json(m.socket_drops) : json(nullptr)},
                      {"rxq_ovfl", m.rxq_ovfl >= 0 ? json(m.rxq_ovfl) : json(nullptr)},
                      {"snmp_deltas", snmp}}},
            {"first_corruption", text_or_null(m.first_corruption)},
        });
    }
    j["frame_len"] = r.frame_len;
    j["window"] = r.window;
    j["memory_bytes"] = r.memory_bytes;
    j["repeats"] = r.runs.size();
    j["sent"] = t.sent;
    j["received"] = t.received;
    j["verified"] = t.verified;
    j["corrupted"] = t.corrupted;
    j["lost"] = t.lost;
    j["duplicated"] = t.duplicated;
    j["reordered"] = t.reordered;
    j["elapsed_s"] = elapsed;
    j["pps"] = {{"median", s.median}, {"min", s.min}, {"max", s.max},
                {"spread", s.median > 0 ? (s.max - s.min) / s.median : 0.0}};
    j["gbit_s_payload"] = s.median * static_cast<double>(r.size) * 8 / 1e9;
    j["gbit_s_wire"] = s.median * static_cast<double>(wire_bytes(r)) * 8 / 1e9;
    j["syscalls_per_packet"] = t.sent > 0 ? syscalls / static_cast<double>(t.sent) : 0.0;
    j["cpu_user_ns_per_packet"] = per_packet(r, [](const Measurement& m) { return m.cpu_user_s * 1e9; });
    j["cpu_sys_ns_per_packet"] = per_packet(r, [](const Measurement& m) { return m.cpu_sys_s * 1e9; });
    j["sender_cpu_ns_per_packet"] = per_packet(r, [](const Measurement& m) { return m.sender_cpu_s * 1e9; });
    j["peak_rss_kib"] = r.peak_rss_kib;
    j["ratio_vs_page"] = opt(ratio(all, r, Mode::page));
    j["ratio_vs_sendmmsg"] = opt(ratio(all, r, Mode::sendmmsg));
    j["runs"] = runs;
    return j;
}

std::string render_table(const std::vector<ModeResult>& all)
{
    std::ostringstream out;
    char line[512];
    std::snprintf(line, sizeof line, "%-16s %-13s %6s %-11s %10s %6s %7s %7s %9s %8s %12s %6s %6s %7s %7s\n", "MODE",
                  "KIND", "SIZE", "STATUS", "PPS", "+-%", "GBIT/S", "SC/PKT", "CPU NS/P", "TX NS/P", "VERIFIED", "LOST",
                  "BAD", "xPAGE", "xMMSG");
    out << line;
    for (const auto& r : all) {
        const std::string mode(mode_info(r.mode).name);
        const std::string kind(traffic::kind_info(r.kind).name);
        if (!measured(r)) {
            std::snprintf(line, sizeof line, "%-16s %-13s %6zu %-11s %s\n", mode.c_str(), kind.c_str(), r.size,
                          run_status_name(r.status), report::text_escape(r.reason).c_str());
            out << line;
            continue;
        }
        const Counts t = total(r);
        const Spread s = pps_spread(r.runs);
        double syscalls = 0;
        for (const auto& m : r.runs) syscalls += static_cast<double>(m.syscalls);
        const double cpu = per_packet(r, [](const Measurement& m) { return (m.cpu_user_s + m.cpu_sys_s) * 1e9; });
        const double tx_cpu = per_packet(r, [](const Measurement& m) { return m.sender_cpu_s * 1e9; });
        const auto rp = ratio(all, r, Mode::page);
        const auto rm = ratio(all, r, Mode::sendmmsg);
        const std::string verified = std::to_string(t.verified) + "/" + std::to_string(t.sent);
        std::snprintf(line, sizeof line,
                      "%-16s %-13s %6zu %-11s %10.0f %6.1f %7.2f %7.3f %9.0f %8.0f %12s %6llu %6llu %7s %7s\n",
                      mode.c_str(), kind.c_str(), r.size, run_status_name(r.status), s.median,
                      s.median > 0 ? 100 * (s.max - s.min) / s.median / 2 : 0.0,
                      s.median * static_cast<double>(r.size) * 8 / 1e9,
                      t.sent > 0 ? syscalls / static_cast<double>(t.sent) : 0.0, cpu, tx_cpu, verified.c_str(),
                      static_cast<unsigned long long>(t.lost),
                      static_cast<unsigned long long>(t.corrupted + t.duplicated + t.unsent),
                      rp ? fmt("%.2f", *rp).c_str() : "-", rm ? fmt("%.2f", *rm).c_str() : "-");
        out << line;
        if (!r.layout.empty() && !r.layout_reason.empty()) {
            out << "    layout " << report::text_escape(r.layout) << " (" << report::text_escape(r.layout_reason)
                << ")\n";
        }
        if (r.status == RunStatus::unclean) {
            out << "    " << report::text_escape(r.reason) << "\n";
            for (const auto& m : r.runs) {
                if (!m.first_corruption.empty()) {
                    out << "    first corruption: " << report::text_escape(m.first_corruption) << "\n";
                    break;
                }
            }
            const Measurement& m = r.runs.back();
            if (m.counts.lost > 0) {
                out << "    losses: socket drops " << m.socket_drops << ", SO_RXQ_OVFL " << m.rxq_ovfl;
                for (const auto& [k, v] : m.snmp_deltas) out << ", " << report::text_escape(k) << " +" << v;
                out << "\n";
            }
        }
    }
    std::vector<std::string> reuses;
    for (const auto& r : all) {
        const std::string line_text = std::string(mode_info(r.mode).name) + ": " + report::text_escape(r.reuse);
        if (!r.reuse.empty() && std::find(reuses.begin(), reuses.end(), line_text) == reuses.end()) {
            reuses.push_back(line_text);
        }
    }
    for (const auto& s : reuses) out << "reuse " << s << "\n";
    out << "ratios: xPAGE against page, xMMSG against sendmmsg, same size (and socket kind where it ran)\n";
    return out.str();
}

} // namespace zc::engine
