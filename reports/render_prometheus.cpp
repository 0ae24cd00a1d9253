// Prometheus text exposition format for node_exporter's textfile collector,
// so a fleet can alert on a kernel that lost a behaviour. No sample carries
// a timestamp (the textfile collector refuses them); the report's time is
// its own gauge.
#include "reports/escape.hpp"
#include "reports/render.hpp"
#include "reports/report_view.hpp"

#include <ctime>
#include <set>
#include <sstream>

namespace zc::report {

using nlohmann::json;

namespace {

void family(std::ostringstream& out, const char* name, const char* help)
{
    out << "# HELP " << name << " " << help << "\n# TYPE " << name << " gauge\n";
}

std::string number(double v)
{
    std::ostringstream s;
    s.precision(15);
    s << v;
    return s.str();
}

long long epoch_seconds(const std::string& rfc3339)
{
    std::tm tm{};
    if (::strptime(rfc3339.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm) == nullptr) return 0;
    return static_cast<long long>(::timegm(&tm));
}

} // namespace

std::string render_prometheus(const json& report)
{
    std::ostringstream out;
    const json& k = report.at("kernel");
    const json& probes = report.at("probes");

    family(out, "zcprobe_report_info", "The report's tool and kernel; always 1.");
    out << "zcprobe_report_info{tool=\"" << prometheus_label_escape(text_or(report.at("tool"), "name"))
        << "\",tool_version=\"" << prometheus_label_escape(text_or(report.at("tool"), "version"))
        << "\",kernel_release=\"" << prometheus_label_escape(text_or(k, "release", ""))
        << "\",kernel_line=\"" << prometheus_label_escape(text_or(k, "line", ""))
        << "\",machine=\"" << prometheus_label_escape(text_or(k, "machine", "")) << "\"} 1\n";
    family(out, "zcprobe_report_timestamp_seconds", "When the report was generated, in seconds since the epoch.");
    out << "zcprobe_report_timestamp_seconds " << epoch_seconds(report.at("generated_at").get<std::string>()) << "\n";

    family(out, "zcprobe_probe_supported", "1 when the probe's behaviour was observed and verified, else 0.");
    for (const auto& p : probes) {
        out << "zcprobe_probe_supported{id=\"" << prometheus_label_escape(p.at("id").get<std::string>())
            << "\",section=\"" << prometheus_label_escape(p.at("section").get<std::string>()) << "\"} "
            << (p.at("status") == "supported" ? 1 : 0) << "\n";
    }
    family(out, "zcprobe_probe_status", "1 for the probe's status, 0 for the other statuses.");
    for (const auto& p : probes) {
        for (const auto& st : status_names()) {
            out << "zcprobe_probe_status{id=\"" << prometheus_label_escape(p.at("id").get<std::string>())
                << "\",status=\"" << st
                << "\"} " << (p.at("status") == st ? 1 : 0) << "\n";
        }
    }
    family(out, "zcprobe_probe_zero_copy",
           "1 when the receiver saw bytes rewritten after the call (the kernel kept the sender's pages), 0 when it "
           "saw a copy; absent when inconclusive.");
    for (const auto& p : probes) {
        if (const auto zc = zero_copy_of(p)) {
            out << "zcprobe_probe_zero_copy{id=\"" << prometheus_label_escape(p.at("id").get<std::string>()) << "\"} "
                << (*zc ? 1 : 0) << "\n";
        }
    }
    family(out, "zcprobe_probe_duration_seconds", "How long the probe ran.");
    for (const auto& p : probes) {
        out << "zcprobe_probe_duration_seconds{id=\"" << prometheus_label_escape(p.at("id").get<std::string>()) << "\"} "
            << number(static_cast<double>(p.value("duration_us", 0LL)) / 1e6) << "\n";
    }
    family(out, "zcprobe_probes", "Number of probes by status.");
    for (const auto& st : status_names()) {
        out << "zcprobe_probes{status=\"" << st << "\"} " << report.at("summary").value(st, 0) << "\n";
    }

    // One series per (mode, kind, size): a repeated entry would be a
    // duplicate series, which Prometheus rejects; the first one stands.
    std::vector<EngineResult> engine;
    std::set<std::string> seen;
    for (const auto& r : engine_results(report)) {
        if (seen.insert(r.key()).second) engine.push_back(r);
    }
    if (!engine.empty()) {
        family(out, "zcprobe_engine_packets_per_second", "Engine throughput in packets per second.");
        for (const auto& r : engine) {
            out << "zcprobe_engine_packets_per_second{mode=\"" << prometheus_label_escape(r.mode) << "\",kind=\""
                << prometheus_label_escape(r.kind) << "\",size=\"" << r.size << "\"} " << number(r.pps) << "\n";
        }
        // Prometheus wants base units: bytes, not gigabits.
        family(out, "zcprobe_engine_payload_bytes_per_second", "Engine payload throughput in bytes per second.");
        for (const auto& r : engine) {
            out << "zcprobe_engine_payload_bytes_per_second{mode=\"" << prometheus_label_escape(r.mode) << "\",kind=\""
                << prometheus_label_escape(r.kind) << "\",size=\"" << r.size << "\"} "
                << number(r.gbit_per_s * 1e9 / 8) << "\n";
        }
        family(out, "zcprobe_engine_packets_per_second_spread", "Spread of the repeated runs, packets per second.");
        for (const auto& r : engine) {
            out << "zcprobe_engine_packets_per_second_spread{mode=\"" << prometheus_label_escape(r.mode) << "\",kind=\""
                << prometheus_label_escape(r.kind) << "\",size=\"" << r.size << "\"} " << number(r.pps_spread) << "\n";
        }
    }
    return out.str();
}

} // namespace zc::report
