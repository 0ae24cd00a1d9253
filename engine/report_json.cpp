#include "engine/report_json.hpp"

#include "probe/report_json.hpp"

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

// At the egress sink nothing receives: what arrived is unknown (null), never
// a loss.
json received_count(const ModeResult& r, uint64_t n)
{
    return r.sink == Sink::egress ? json(nullptr) : json(n);
}

json completions_json(const ZcCompletions& c)
{
    return {{"total", c.total}, {"copied", c.copied}};
}

// Every run's completions together; null where a run had none to report.
std::optional<ZcCompletions> total_completions(const ModeResult& r)
{
    ZcCompletions t;
    for (const auto& m : r.runs) {
        if (!m.zerocopy) return std::nullopt;
        t.total += m.zerocopy->total;
        t.copied += m.zerocopy->copied;
    }
    return r.runs.empty() ? std::nullopt : std::optional<ZcCompletions>(t);
}

json precheck_json(const Precheck& p)
{
    return {{"sink", "loopback"},
            {"status", run_status_name(p.status)},
            {"reason", text_or_null(p.reason)},
            {"sent", p.counts.sent},
            {"verified", p.counts.verified},
            {"lost", p.counts.lost},
            {"corrupted", p.counts.corrupted},
            {"duplicated", p.counts.duplicated}};
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
        {"sink", std::string(sink_name(r.sink))},
    };
    if (r.mode == Mode::xdp_copy) j["bind_mode"] = text_or_null(r.bind_mode);
    if (r.precheck) j["precheck"] = precheck_json(*r.precheck);
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
            {"received", received_count(r, m.counts.received)},
            {"verified", received_count(r, m.counts.verified)},
            {"corrupted", m.counts.corrupted},
            {"lost", received_count(r, m.counts.lost)},
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
        if (m.zerocopy) runs.back()["zerocopy_completions"] = completions_json(*m.zerocopy);
    }
    j["frame_len"] = r.frame_len;
    j["window"] = r.window;
    j["memory_bytes"] = r.memory_bytes;
    j["repeats"] = r.runs.size();
    j["sent"] = t.sent;
    j["received"] = received_count(r, t.received);
    j["verified"] = received_count(r, t.verified);
    j["corrupted"] = t.corrupted;
    j["lost"] = received_count(r, t.lost);
    if (const auto zc = total_completions(r)) j["zerocopy_completions"] = completions_json(*zc);
    if (r.gso_size > 0) j["gso_size"] = r.gso_size;
    if (r.sink == Sink::egress) {
        j["egress_link"] = {{"tx_packets", r.link_tx_packets >= 0 ? json(r.link_tx_packets) : json(nullptr)},
                            {"tx_dropped", r.link_tx_dropped >= 0 ? json(r.link_tx_dropped) : json(nullptr)}};
    }
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

json build_report(const std::vector<ModeResult>& results, const std::vector<probe::Outcome>& probes,
                  json environment, json kernel, const std::string& generated_at)
{
    json doc = probe::build_report(probes, std::move(environment), std::move(kernel), generated_at);
    doc["tool"]["name"] = "zcengine";
    json engine = json::array();
    for (const auto& r : results) engine.push_back(result_json(results, r));
    doc["engine"] = std::move(engine);
    return doc;
}

} // namespace zc::engine
