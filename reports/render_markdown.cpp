// Markdown for a bug ticket: the environment first (what decides verdicts),
// then only what needs attention, then the whole table folded away.
#include "reports/escape.hpp"
#include "reports/render.hpp"
#include "reports/report_view.hpp"

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

// What the probe's history predicts for this kernel, as a (escaped) table cell.
std::string predicted_text(const json& report, const json& p)
{
    const Prediction pred = predict(running_version(report), p);
    if (pred.change.is_null()) return "";
    std::string out = text_or(pred.change.at("predicts"), "status", "");
    if (const auto& pr = pred.change.at("predicts"); pr.is_object()) {
        for (const auto& [key, value] : pr.items()) {
            if (key != "status") out += ", " + key + "=" + (value.is_string() ? value.get<std::string>() : value.dump());
        }
    }
    out += " (since " + text_or(pred.change, "version", "stable");
    if (const std::string c = text_or(pred.change, "commit", ""); !c.empty()) out += ", " + c;
    out += ")";
    return markdown_escape(out) + (pred.matches && !*pred.matches ? "; **differs**" : "");
}

// The status cell: a CVE probe's verdict ("not affected", "**AFFECTED**"),
// otherwise the status, in bold when not supported.
std::string status_cell(const json& p, bool bold_unsupported)
{
    const std::string status = p.at("status").get<std::string>();
    if (const auto cve = security_verdict(p)) {
        const std::string v = markdown_escape(cve->verdict());
        return cve->state == SecurityVerdict::State::not_affected ? v : "**" + v + "**";
    }
    return bold_unsupported && status != "supported" ? "**" + markdown_escape(status) + "**" : markdown_escape(status);
}

std::string reason_cell(const json& p)
{
    const auto cve = security_verdict(p);
    return (cve ? markdown_escape(cve->label()) + ": " : "") + markdown_escape(p.at("reason").get<std::string>());
}

void security_table(std::ostringstream& out, const json& report)
{
    std::ostringstream rows;
    for (const auto& p : report.at("probes")) {
        const auto v = security_verdict(p);
        if (!v) continue;
        rows << "| " << markdown_escape(v->cve) << " | " << markdown_escape(v->common_name) << " | "
             << status_cell(p, true) << " | " << (v->fix_commit.empty() ? "" : markdown_code(v->fix_commit)) << " | "
             << (v->path_errno.empty() ? "" : "path unavailable (" + markdown_escape(v->path_errno) + "); ")
             << markdown_escape(p.at("reason").get<std::string>()) << " |\n";
    }
    if (rows.str().empty()) return;
    out << "\n### Security\n\n| CVE | name | verdict | fix commit | detail |\n| --- | --- | --- | --- | --- |\n"
        << rows.str();
}

void engine_table(std::ostringstream& out, const json& report)
{
    const auto results = engine_results(report);
    if (results.empty()) return;
    out << "\n### Engine throughput\n\n| mode | kind | size (bytes) | packets/s | Gbit/s | spread (pps) |\n"
           "| --- | --- | ---: | ---: | ---: | ---: |\n";
    for (const auto& r : results) {
        std::ostringstream row;
        row.setf(std::ios::fixed);
        row.precision(0);
        row << "| " << markdown_escape(r.mode) << " | " << markdown_escape(r.kind) << " | " << r.size << " | " << r.pps
            << " | ";
        row.precision(3);
        row << r.gbit_per_s << " | ";
        row.precision(0);
        row << r.pps_spread << " |\n";
        out << row.str();
    }
}

} // namespace

std::string render_markdown(const json& report)
{
    std::ostringstream out;
    const json& k = report.at("kernel");
    const json& env = report.at("environment");
    const json& tool = report.at("tool");
    const std::string line = text_or(k, "line", "?");

    out << "## zcprobe report: Linux " << markdown_escape(text_or(k, "release", "unknown")) << "\n\n";
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
    const json virt = env.value("virtualization", json::object());
    out << "| virtualization | hypervisor flag " << yes_no(virt, "hypervisor_cpu_flag") << ", "
        << markdown_escape(text_or(virt, "dmi_sys_vendor")) << " " << markdown_escape(text_or(virt, "dmi_product_name"))
        << ", container " << markdown_escape(text_or(virt, "container", "none")) << " |\n";
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
        out << "; " << (cves.affected > 0 ? "**AFFECTED** by " : "affected by ") << cves.affected << " of "
            << cves.probes << " CVEs tested";
    }
    out << " |\n";

    // Attention: not supported, or not what the kernel line leads one to
    // expect (a backport, a distro patch, a policy).
    std::ostringstream attention;
    size_t n = 0;
    for (const auto& p : report.at("probes")) {
        const std::string status = markdown_escape(p.at("status").get<std::string>());
        const std::string flag = prediction_flag(report, p);
        if (status == "supported" && flag.empty()) continue;
        ++n;
        attention << "| " << markdown_code(p.at("id").get<std::string>()) << " | " << status_cell(p, true) << " | "
                  << predicted_text(report, p) << " | " << markdown_escape(zero_copy_mark(p)) << " | "
                  << markdown_escape(text_or(p, "errno_name", "")) << " | " << reason_cell(p)
                  << (flag.empty() ? "" : "<br>" + markdown_escape(flag)) << " |\n";
    }
    out << "\n### Needs attention\n\n";
    if (n == 0) {
        out << "Every probe is supported, as expected on kernel " << markdown_escape(line) << ".\n";
    } else {
        out << "Probes that are not supported, or that differ from what upstream history predicts for kernel "
            << markdown_escape(line) << " (a backport, a distro patch or a regression):\n\n"
            << "| probe | status | upstream history predicts | zero-copy | errno | reason |\n"
            << "| --- | --- | --- | --- | --- | --- |\n"
            << attention.str();
    }
    security_table(out, report);
    engine_table(out, report);

    out << "\n<details>\n<summary>All " << report.at("probes").size() << " probes</summary>\n\n"
        << "| probe | status | zero-copy | errno | introduced | reason |\n| --- | --- | --- | --- | --- | --- |\n";
    for (const auto& p : report.at("probes")) {
        out << "| " << markdown_code(p.at("id").get<std::string>()) << " | " << status_cell(p, false) << " | "
            << markdown_escape(zero_copy_mark(p)) << " | " << markdown_escape(text_or(p, "errno_name", "")) << " | "
            << markdown_escape(text_or(p.value("introduced", json::object()), "version", "")) << " | "
            << reason_cell(p) << " |\n";
    }
    out << "\n</details>\n";
    return out.str();
}

} // namespace zc::report
