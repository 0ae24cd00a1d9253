// Markdown for a bug ticket: the environment first (what decides verdicts),
// then only what needs attention, then the whole table folded away.
#include "reports/escape.hpp"
#include "reports/render.hpp"
#include "reports/report_view.hpp"
#include "reports/verdict_view.hpp"

#include <map>

#include <sstream>

namespace zc::report {

using nlohmann::json;

namespace {

std::string yes_no(const json& j, const char* key)
{
    const auto it = j.find(key);
    if (it == j.end() || !it->is_boolean()) return "unknown";
    return it->get<bool>() ? "yes" : "no";
}

// "hypervisor flag yes; DMI QEMU Standard PC; container docker": only what
// the report knows.
std::string virtualization_text(const json& virt)
{
    std::vector<std::string> parts;
    if (const std::string h = yes_no(virt, "hypervisor_cpu_flag"); h != "unknown") parts.push_back("hypervisor flag " + h);
    std::string dmi;
    for (const char* key : {"dmi_sys_vendor", "dmi_product_name"}) {
        if (const std::string v = text_or(virt, key, ""); !v.empty()) dmi += (dmi.empty() ? "" : " ") + v;
    }
    if (!dmi.empty()) parts.push_back("DMI " + dmi);
    parts.push_back("container " + text_or(virt, "container", "none"));
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : "; ") + markdown_escape(p);
    return out;
}

// What the probe's history predicts for this kernel, as a (escaped) table
// cell; "" when no history applies or it predicts nothing.
std::string predicted_text(const json& report, const json& p)
{
    const Prediction pred = predict(running_version(report), p);
    if (pred.change.is_null()) return "";
    const std::string predicted = predicts_text(pred.change.value("predicts", json(nullptr)));
    if (predicted.empty()) return "";
    std::string out = predicted + " (since " + text_or(pred.change, "version", "stable");
    if (const std::string c = text_or(pred.change, "commit", ""); !c.empty()) out += ", " + c;
    out += ")";
    return markdown_escape(out) + (pred.matches && !*pred.matches ? "; **differs**" : "");
}

// A verdict word, in bold when it needs attention or is a CVE not proven
// safe (the reader must not skim past it).
std::string word_cell(const ProbeVerdict& v)
{
    const std::string w = markdown_escape(v.word);
    const bool bold = v.attention || (v.cve && v.cve->state != SecurityVerdict::State::not_affected);
    return bold ? "**" + w + "**" : w;
}

std::string reason_cell(const ProbeVerdict& v, const json& p)
{
    return (v.cve ? markdown_escape(v.cve->label()) + ": " : "") + markdown_escape(p.at("reason").get<std::string>());
}

void security_table(std::ostringstream& out, const json& report, const std::vector<ProbeVerdict>& verdicts)
{
    std::ostringstream rows;
    size_t i = 0;
    for (const auto& p : report.at("probes")) {
        const ProbeVerdict& pv = verdicts[i++];
        if (!pv.cve) continue;
        const SecurityVerdict& v = *pv.cve;
        rows << "| " << markdown_escape(v.cve) << " | " << markdown_escape(v.common_name) << " | " << word_cell(pv)
             << " | " << (v.fix_commit.empty() ? "" : markdown_code(v.fix_commit)) << " | "
             << (v.path_errno.empty() ? "" : "path unavailable (" + markdown_escape(v.path_errno) + "); ")
             << (v.reach_proof.empty() ? "" : "reached: " + markdown_escape(v.reach_proof) + "; ")
             << markdown_escape(p.at("reason").get<std::string>()) << " |\n";
    }
    if (rows.str().empty()) return;
    out << "\n### Security\n\n| CVE | name | verdict | fix commit | detail |\n| --- | --- | --- | --- | --- |\n"
        << rows.str();
}

// A packet count, bold when a loss, corruption or duplicate; "-" without counts.
std::string count_cell(const EngineRun::Counts* counts, long long EngineRun::Counts::*field)
{
    if (counts == nullptr) return "-";
    const long long v = counts->*field;
    return v > 0 ? "**" + std::to_string(v) + "**" : std::to_string(v);
}

void engine_table(std::ostringstream& out, const json& report)
{
    const auto runs = run_verdicts(report);
    if (runs.empty()) return;
    std::map<std::string, EngineResult> measured;
    for (const auto& r : engine_results(report)) measured.try_emplace(r.key(), r);
    std::map<std::string, EngineRun> counted;
    for (const auto& r : engine_runs(report)) counted.try_emplace(r.key(), r);
    out << "\n### Engine runs\n\n| mode | kind | size (bytes) | verdict | packets/s | ± % | Gbit/s | lost | corrupted "
           "| duplicated | reason |\n| --- | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n";
    for (const auto& v : runs) {
        const std::string word = markdown_escape(v.word);
        out << "| " << markdown_escape(v.mode) << " | " << markdown_escape(v.kind) << " | " << v.size << " | "
            << (v.attention ? "**" + word + "**" : word) << " | ";
        if (const auto m = measured.find(v.key); m != measured.end()) {
            const EngineResult& r = m->second;
            out << fixed(r.pps, 0) << " | "
                << (r.spread_measured ? fixed(r.pps > 0 ? 100 * r.pps_spread / r.pps / 2 : 0, 1) : "not measured")
                << " | " << fixed(r.gbit_per_s, 3) << " | ";
        } else {
            out << "- | - | - | ";
        }
        const auto c = counted.find(v.key);
        const EngineRun::Counts* counts = c != counted.end() && c->second.counts ? &*c->second.counts : nullptr;
        out << count_cell(counts, &EngineRun::Counts::lost) << " | " << count_cell(counts, &EngineRun::Counts::corrupted)
            << " | " << count_cell(counts, &EngineRun::Counts::duplicated) << " | "
            << markdown_escape(v.why.empty() && c != counted.end() ? c->second.reason : v.why) << " |\n";
    }
}

} // namespace

std::string render_markdown(const json& report, const std::vector<std::string>& require)
{
    std::ostringstream out;
    const json& k = report.at("kernel");
    const json& env = report.at("environment");
    const json& tool = report.at("tool");
    const std::string line = text_or(k, "line", "?");
    const std::string tool_name = text_or(tool, "name", "zcprobe") == "zcengine" ? "zcengine" : "zcprobe";
    std::vector<ProbeVerdict> verdicts;
    for (const auto& p : report.at("probes")) verdicts.push_back(probe_verdict(report, p, require));

    out << "## " << tool_name << " report: Linux " << markdown_escape(text_or(k, "release", "unknown")) << "\n\n";
    out << "| | |\n| --- | --- |\n";
    out << "| kernel | " << markdown_escape(text_or(k, "release")) << " (" << markdown_escape(text_or(k, "machine"))
        << "), " << markdown_escape(text_or(k, "version")) << " |\n";
    out << "| distribution | " << markdown_escape(text_or(env.value("distro", json::object()), "pretty_name")) << " |\n";
    out << "| host | " << markdown_escape(text_or(env, "hostname")) << " |\n";
    const json caps = env.value("capabilities", json::object());
    out << "| privileges | euid " << markdown_escape(text_or(env, "euid")) << "; CAP_NET_RAW " << yes_no(caps, "cap_net_raw")
        << ", CAP_NET_ADMIN " << yes_no(caps, "cap_net_admin") << ", CAP_SYS_ADMIN " << yes_no(caps, "cap_sys_admin")
        << "; initial user namespace " << yes_no(env, "initial_user_namespace") << " |\n";
    out << "| seccomp | mode " << markdown_escape(text_or(env, "seccomp_mode", "unknown")) << ", no_new_privs "
        << yes_no(env, "no_new_privs") << " |\n";
    const json ns = env.value("netns", json::object());
    out << "| namespace | " << markdown_escape(text_or(ns, "mode")) << (ns.value("isolated", false) ? " (isolated)" : "")
        << (ns.contains("reason") && ns["reason"].is_string() ? ": " + markdown_escape(ns["reason"].get<std::string>()) : "")
        << " |\n";
    out << "| virtualization | " << virtualization_text(env.value("virtualization", json::object())) << " |\n";
    if (const auto s = env.find("sysctls"); s != env.end() && s->is_object()) {
        std::string list;
        for (const auto& [name, value] : s->items()) {
            list += (list.empty() ? "" : ", ") + markdown_code(name + "=" + (value.is_null() ? "?" : value.dump()));
        }
        out << "| sysctls | " << list << " |\n";
    }
    out << "| tool | " << markdown_escape(text_or(tool, "name")) << " " << markdown_escape(text_or(tool, "version"))
        << ", " << markdown_escape(text_or(report, "generated_at")) << " |\n";
    const json& sum = report.at("summary");
    out << "| summary | ";
    for (const auto& st : status_names()) out << sum.value(st, 0) << " " << st << (st == "error" ? "" : ", ");
    out << " (" << sum.value("total", 0) << " probes)";
    if (const CveCount cves = count_cves(report); cves.probes > 0) {
        std::string text = markdown_escape(cve_summary(cves));
        if (cves.affected > 0) text = "**AFFECTED**" + text.substr(8);
        out << "; " << text;
    }
    out << " |\n";

    // Attention: the one list every format shows (verdict_view.hpp).
    const auto attention = attention_list(report, require);
    out << "\n### Needs attention\n\n";
    if (attention.empty()) {
        out << "Nothing: no CVE affected, no error, no required probe missing, no unclean or failed engine run.\n";
    } else {
        out << "| what | probe or run | detail |\n| --- | --- | --- |\n";
        for (const auto& a : attention) {
            out << "| **" << markdown_escape(a.tag) << "** | " << markdown_code(a.subject) << " | "
                << markdown_escape(a.text) << " |\n";
        }
    }
    if (const auto differs = differs_list(report); !differs.empty()) {
        out << "\n### Differs from upstream history\n\nNot what the probe's upstream history predicts for kernel "
            << markdown_escape(line) << " (a backport, a distro patch or a regression):\n\n"
            << "| probe | detail |\n| --- | --- |\n";
        for (const auto& a : differs) out << "| " << markdown_code(a.subject) << " | " << markdown_escape(a.text) << " |\n";
    }
    if (const auto refusals = sandbox_refusals(report); !refusals.empty()) {
        out << "\n### " << refused_heading << "\n\nThe kernel's answer aside, what this sandbox's policy refuses, "
               "grouped by the smallest fix:\n\n| fix | layer | probes |\n| --- | --- | --- |\n";
        for (const auto& r : refusals) {
            std::string ids;
            for (const auto& id : r.probes) ids += (ids.empty() ? "" : ", ") + markdown_code(id);
            out << "| " << markdown_escape(r.text()) << " | " << markdown_escape(r.layer) << " | " << ids << " |\n";
        }
    }
    security_table(out, report, verdicts);
    engine_table(out, report);

    out << "\n<details>\n<summary>All " << report.at("probes").size() << " probes</summary>\n\n"
        << "| probe | verdict | zero-copy | errno | upstream history predicts | reason |\n"
           "| --- | --- | --- | --- | --- | --- |\n";
    size_t i = 0;
    for (const auto& p : report.at("probes")) {
        const ProbeVerdict& v = verdicts[i++];
        out << "| " << markdown_code(v.id) << " | " << word_cell(v) << " | " << markdown_escape(v.zero_copy) << " | "
            << markdown_escape(text_or(p, "errno_name", "")) << " | " << predicted_text(report, p) << " | "
            << reason_cell(v, p) << (v.tag == "differs" ? "<br>" + markdown_escape(v.why) : "") << " |\n";
    }
    out << "\n</details>\n";
    return out.str();
}

} // namespace zc::report
