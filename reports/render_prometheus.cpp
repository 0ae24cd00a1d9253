// Prometheus text exposition format for node_exporter's textfile collector,
// so a fleet can alert on a kernel that lost a behaviour or an engine run
// that lost or corrupted packets. No sample carries a timestamp (the
// textfile collector refuses them); the report's time is its own gauge.
//
// zcprobe's and zcengine's files share one textfile directory, and the
// collector merges every file into one scrape, dropping any series a second
// file repeats ("collected before with the same name and label values").
// So each tool owns its metric prefix: a zcprobe report writes zcprobe_*,
// an engine report writes zcengine_* only. The probes an engine report
// consulted are the same probes zcprobe exports for the host; their effect
// on the engine shows as a run's status (unavailable, with the reason in
// the report), so they are not exported twice.
#include "reports/escape.hpp"
#include "reports/render.hpp"
#include "reports/report_view.hpp"
#include "reports/verdict_view.hpp"

#include <ctime>
#include <set>
#include <sstream>

namespace zc::report {

using nlohmann::json;

namespace {

void family(std::ostringstream& out, const std::string& name, const char* help)
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

void report_header(std::ostringstream& out, const json& report, const std::string& prefix)
{
    const json& k = report.at("kernel");
    const std::string info = prefix + "_report_info";
    const std::string stamp = prefix + "_report_timestamp_seconds";
    family(out, info, "The report's tool and kernel; always 1.");
    out << info << "{tool=\"" << prometheus_label_escape(text_or(report.at("tool"), "name"))
        << "\",tool_version=\"" << prometheus_label_escape(text_or(report.at("tool"), "version"))
        << "\",kernel_release=\"" << prometheus_label_escape(text_or(k, "release", ""))
        << "\",kernel_line=\"" << prometheus_label_escape(text_or(k, "line", ""))
        << "\",machine=\"" << prometheus_label_escape(text_or(k, "machine", "")) << "\"} 1\n";
    family(out, stamp, "When the report was generated, in seconds since the epoch.");
    out << stamp << " " << epoch_seconds(report.at("generated_at").get<std::string>()) << "\n";
}

void render_probes(std::ostringstream& out, const json& report)
{
    const json& probes = report.at("probes");
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
    std::vector<ProbeVerdict> verdicts;
    for (const auto& p : probes) verdicts.push_back(probe_verdict(report, p));
    family(out, "zcprobe_probe_zero_copy",
           "1 when the receiver saw bytes rewritten after the call (the kernel kept the sender's pages), 0 when it "
           "saw a copy; absent when inconclusive or not determined (a copy seen over loopback only).");
    for (const auto& v : verdicts) {
        if (v.zero_copy == "zero-copy" || v.zero_copy == "copy") {
            out << "zcprobe_probe_zero_copy{id=\"" << prometheus_label_escape(v.id) << "\"} "
                << (v.zero_copy == "zero-copy" ? 1 : 0) << "\n";
        }
    }
    family(out, "zcprobe_probe_needs_attention",
           "1 when the probe needs attention (an affected CVE, an error, a behaviour that differs from upstream "
           "history), else 0; the same list every zcreport format shows.");
    for (const auto& v : verdicts) {
        out << "zcprobe_probe_needs_attention{id=\"" << prometheus_label_escape(v.id) << "\"} " << (v.attention ? 1 : 0)
            << "\n";
    }
    bool any_cve = false;
    for (const auto& v : verdicts) any_cve = any_cve || v.cve.has_value();
    if (any_cve) {
        family(out, "zcprobe_cve_determined",
               "1 when the CVE probe determined the kernel's exposure (affected, or not affected with proof the "
               "page reached the vulnerable operation), 0 when it could not tell.");
        for (const auto& v : verdicts) {
            if (!v.cve) continue;
            out << "zcprobe_cve_determined{cve=\"" << prometheus_label_escape(v.cve->cve) << "\",id=\""
                << prometheus_label_escape(v.id) << "\"} "
                << (v.cve->state == SecurityVerdict::State::undetermined ? 0 : 1) << "\n";
        }
        family(out, "zcprobe_cve_affected",
               "1 when the kernel is affected by the CVE (the probe saw the spliced file's bytes rewritten), 0 when "
               "proven not affected; absent when not determined (see zcprobe_cve_determined).");
        for (const auto& v : verdicts) {
            if (!v.cve || v.cve->state == SecurityVerdict::State::undetermined) continue;
            out << "zcprobe_cve_affected{cve=\"" << prometheus_label_escape(v.cve->cve) << "\",id=\""
                << prometheus_label_escape(v.id) << "\"} " << (v.cve->state == SecurityVerdict::State::affected ? 1 : 0)
                << "\n";
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
}

std::string run_labels(const std::string& mode, const std::string& kind, long long size)
{
    return "mode=\"" + prometheus_label_escape(mode) + "\",kind=\"" + prometheus_label_escape(kind) + "\",size=\"" +
           std::to_string(size) + "\"";
}

// One series per (mode, kind, size): a repeated entry would be a duplicate
// series, which Prometheus rejects; the first one stands.
template <class T> std::vector<T> first_of_each(const std::vector<T>& all)
{
    std::vector<T> out;
    std::set<std::string> seen;
    for (const auto& r : all) {
        if (seen.insert(r.key()).second) out.push_back(r);
    }
    return out;
}

const std::vector<std::string>& run_status_names()
{
    static const std::vector<std::string> names = {"ok", "unclean", "failed", "unavailable", "skipped"};
    return names;
}

void render_engine(std::ostringstream& out, const json& report)
{
    const auto runs = first_of_each(engine_runs(report));
    if (!runs.empty()) {
        family(out, "zcengine_run_needs_attention",
               "1 when the run needs attention (packets lost, corrupted or duplicated, or the run failed), else 0.");
        for (const auto& r : runs) {
            out << "zcengine_run_needs_attention{" << run_labels(r.mode, r.kind, r.size) << "} "
                << (run_verdict(r).attention ? 1 : 0) << "\n";
        }
        family(out, "zcengine_run_status",
               "1 for the run's status, 0 for the others: ok, unclean (packets lost, corrupted or duplicated), "
               "failed, unavailable, skipped.");
        for (const auto& r : runs) {
            for (const auto& st : run_status_names()) {
                out << "zcengine_run_status{" << run_labels(r.mode, r.kind, r.size) << ",status=\"" << st << "\"} "
                    << (r.status == st ? 1 : 0) << "\n";
            }
        }
    }
    // Counts of every repeat together; absent for a run never measured.
    const struct {
        const char* name;
        const char* help;
        long long EngineRun::Counts::*field;
    } counts[] = {
        {"zcengine_packets_sent", "Packets the engine sent, all repeats together.", &EngineRun::Counts::sent},
        {"zcengine_packets_verified", "Packets that arrived with every byte as sent.", &EngineRun::Counts::verified},
        {"zcengine_packets_lost", "Packets sent that never arrived.", &EngineRun::Counts::lost},
        {"zcengine_packets_corrupted", "Packets that arrived with bytes other than those sent.",
         &EngineRun::Counts::corrupted},
        {"zcengine_packets_duplicated", "Packets that arrived more than once.", &EngineRun::Counts::duplicated},
    };
    for (const auto& c : counts) {
        bool any = false;
        const bool sent = c.field == &EngineRun::Counts::sent;
        for (const auto& r : runs) {
            // An egress run has no receiver: it reports what it sent and
            // nothing as verified or lost.
            const bool egress_sent = sent && r.egress_sent;
            if (!r.counts && !egress_sent) continue;
            if (!any) family(out, c.name, c.help);
            any = true;
            out << c.name << "{" << run_labels(r.mode, r.kind, r.size) << "} "
                << (r.counts ? (*r.counts).*c.field : *r.egress_sent) << "\n";
        }
    }

    const auto measured = first_of_each(engine_results(report));
    if (measured.empty()) return;
    family(out, "zcengine_packets_per_second", "Engine throughput in packets per second (median of the repeats).");
    for (const auto& r : measured) {
        out << "zcengine_packets_per_second{" << run_labels(r.mode, r.kind, r.size) << "} " << number(r.pps) << "\n";
    }
    // Prometheus wants base units: bytes, not gigabits.
    family(out, "zcengine_payload_bytes_per_second", "Engine payload throughput in bytes per second.");
    for (const auto& r : measured) {
        out << "zcengine_payload_bytes_per_second{" << run_labels(r.mode, r.kind, r.size) << "} "
            << number(r.gbit_per_s * 1e9 / 8) << "\n";
    }
    family(out, "zcengine_packets_per_second_spread",
           "Spread of the repeated runs, packets per second; absent for a single repeat (not measured).");
    for (const auto& r : measured) {
        if (!r.spread_measured) continue;
        out << "zcengine_packets_per_second_spread{" << run_labels(r.mode, r.kind, r.size) << "} "
            << number(r.pps_spread) << "\n";
    }
}

// The schema requires an engine section exactly when the tool is zcengine.
bool is_engine_report(const json& report)
{
    return report.contains("engine") || text_or(report.at("tool"), "name") == "zcengine";
}

} // namespace

std::string render_prometheus(const json& report)
{
    std::ostringstream out;
    if (is_engine_report(report)) {
        report_header(out, report, "zcengine");
        render_engine(out, report);
    } else {
        report_header(out, report, "zcprobe");
        render_probes(out, report);
    }
    return out.str();
}

} // namespace zc::report
