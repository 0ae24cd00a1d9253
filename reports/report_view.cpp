#include "reports/report_view.hpp"

#include <sstream>

#include "reports/verdict_view.hpp"

#include "core/errno_name.hpp"
#include "core/kernel_version.hpp"

#include <algorithm>
#include <cmath>

namespace zc::report {

using nlohmann::json;

namespace {

std::optional<double> number_at(const json& j, const char* key)
{
    const auto it = j.find(key);
    if (it == j.end() || !it->is_number()) return std::nullopt;
    const double d = it->get<double>();
    if (!std::isfinite(d)) return std::nullopt;
    return d;
}

std::optional<std::string> string_at(const json& j, const char* key)
{
    const auto it = j.find(key);
    if (it == j.end() || !it->is_string() || it->get_ref<const std::string&>().empty()) return std::nullopt;
    return it->get<std::string>();
}

} // namespace

std::string text_or(const json& j, const char* key, const char* fallback)
{
    if (!j.is_object()) return fallback;
    const auto it = j.find(key);
    if (it == j.end() || it->is_null()) return fallback;
    if (it->is_string()) return it->get<std::string>();
    return it->dump(-1, ' ', false, json::error_handler_t::replace);
}

std::optional<bool> zero_copy_of(const json& probe)
{
    const auto ev = probe.find("evidence");
    if (ev == probe.end() || !ev->is_object()) return std::nullopt;
    const auto it = ev->find("zero_copy");
    if (it == ev->end() || !it->is_boolean()) return std::nullopt;
    return it->get<bool>();
}

std::string zero_copy_mark(const json& probe)
{
    const auto ev = probe.find("evidence");
    if (ev == probe.end() || !ev->is_object()) return "";
    const auto it = ev->find("zero_copy");
    if (it == ev->end()) return "";
    if (it->is_boolean()) return it->get<bool>() ? "zc" : "copy";
    return "?";
}

std::string straddle_outcome(const json& probe)
{
    const auto ev = probe.find("evidence");
    if (ev == probe.end() || !ev->is_object()) return "";
    return string_at(*ev, "outcome").value_or("");
}

std::vector<EngineResult> engine_results(const json& report)
{
    std::vector<EngineResult> out;
    const auto engine = report.find("engine");
    if (engine == report.end() || !engine->is_array()) return out;
    for (const auto& e : *engine) {
        if (!e.is_object()) continue;
        if (const auto m = e.find("measured"); m != e.end() && m->is_boolean() && !m->get<bool>()) continue;
        const auto mode = string_at(e, "mode");
        const auto kind = string_at(e, "kind");
        const auto size = number_at(e, "size");
        // zcengine writes pps as {median, min, max, spread}; a plain number
        // is accepted too.
        std::optional<double> pps = number_at(e, "pps");
        const auto pps_object = e.find("pps");
        const bool has_range = pps_object != e.end() && pps_object->is_object();
        if (has_range) pps = number_at(*pps_object, "median");
        if (!mode || !kind || !size || !pps || *size < 0 || *pps < 0) continue;
        EngineResult r;
        r.mode = *mode;
        r.kind = *kind;
        r.size = static_cast<long long>(*size);
        r.pps = *pps;
        r.gbit_per_s = number_at(e, "gbit_s_payload")
                           .value_or(number_at(e, "gbit_per_s").value_or(r.pps * static_cast<double>(r.size) * 8 / 1e9));
        if (const auto repeats = number_at(e, "repeats"); repeats && *repeats < 2) r.spread_measured = false;
        r.verified = number_at(e, "verified");
        r.lost = number_at(e, "lost");
        r.corrupted = number_at(e, "corrupted");
        r.syscalls_per_packet = number_at(e, "syscalls_per_packet");
        r.ratio_vs_page = number_at(e, "ratio_vs_page");
        r.ratio_vs_sendmmsg = number_at(e, "ratio_vs_sendmmsg");
        if (has_range) {
            // The runs' own range is the spread that needs no interpretation.
            const auto lo = number_at(*pps_object, "min");
            const auto hi = number_at(*pps_object, "max");
            if (lo && hi) r.pps_spread = std::fabs(*hi - *lo);
        } else if (const auto spread = e.find("spread"); spread != e.end()) {
            if (spread->is_number() && std::isfinite(spread->get<double>())) {
                r.pps_spread = std::fabs(spread->get<double>()) * r.pps;
            } else if (spread->is_object()) {
                if (const auto abs = number_at(*spread, "pps")) {
                    r.pps_spread = std::fabs(*abs);
                } else if (const auto lo = number_at(*spread, "min"), hi = number_at(*spread, "max"); lo && hi) {
                    r.pps_spread = std::fabs(*hi - *lo);
                }
            }
        }
        out.push_back(r);
    }
    return out;
}

std::vector<EngineRun> engine_runs(const json& report)
{
    std::vector<EngineRun> out;
    const auto engine = report.find("engine");
    if (engine == report.end() || !engine->is_array()) return out;
    for (const auto& e : *engine) {
        if (!e.is_object()) continue;
        const auto mode = string_at(e, "mode");
        const auto kind = string_at(e, "kind");
        const auto size = number_at(e, "size");
        const auto status = string_at(e, "status");
        if (!mode || !kind || !size || !status || *size < 0) continue;
        EngineRun r;
        r.mode = *mode;
        r.kind = *kind;
        r.size = static_cast<long long>(*size);
        r.status = *status;
        r.reason = string_at(e, "reason").value_or("");
        const auto sent = number_at(e, "sent");
        const auto verified = number_at(e, "verified");
        const auto lost = number_at(e, "lost");
        const auto corrupted = number_at(e, "corrupted");
        const auto duplicated = number_at(e, "duplicated");
        if (sent && verified && lost && corrupted && duplicated) {
            r.counts = EngineRun::Counts{static_cast<long long>(*sent), static_cast<long long>(*verified),
                                         static_cast<long long>(*lost), static_cast<long long>(*corrupted),
                                         static_cast<long long>(*duplicated)};
            r.elapsed_s = std::max(0.0, number_at(e, "elapsed_s").value_or(0));
        }
        r.egress = string_at(e, "sink").value_or("loopback") == "egress";
        if (r.egress && sent && *sent >= 0) {
            r.egress_sent = static_cast<long long>(*sent);
            r.elapsed_s = std::max(0.0, number_at(e, "elapsed_s").value_or(0));
        }
        out.push_back(std::move(r));
    }
    return out;
}

std::optional<KernelVersion> running_version(const json& report)
{
    const auto found = report.find("kernel"); // read in place: this runs once per probe
    if (found == report.end() || !found->is_object()) return std::nullopt;
    const json& kernel = *found;
    auto k = parse_kernel_release(text_or(kernel, "release", ""));
    if (!k) return std::nullopt;
    const std::string version = text_or(kernel, "version", "");
    constexpr std::string_view debian = "Debian ";
    if (const auto at = version.find(debian); at != std::string::npos) {
        const auto d = parse_kernel_release(std::string_view(version).substr(at + debian.size()));
        if (d && d->major == k->major && d->minor == k->minor && d->patch > k->patch) k->patch = d->patch;
    }
    return k;
}

namespace {

bool change_applies(const KernelVersion& kernel, const json& change)
{
    if (const auto v = parse_kernel_release(text_or(change, "version", "")); v && kernel >= *v) return true;
    const auto stable = change.find("stable");
    if (stable == change.end() || !stable->is_array()) return false;
    for (const auto& s : *stable) {
        if (!s.is_string()) continue;
        const auto v = parse_kernel_release(s.get<std::string>());
        if (v && v->major == kernel.major && v->minor == kernel.minor && kernel.patch >= v->patch) return true;
    }
    return false;
}

// A field the history predicts, as the probe observed it: errno and
// errno_name are the result's own, anything else is evidence.
json observed_field(const json& probe, const std::string& key)
{
    if (key == "status" || key == "errno" || key == "errno_name") return probe.value(key, json(nullptr));
    const auto ev = probe.find("evidence");
    if (ev == probe.end() || !ev->is_object()) return nullptr;
    return ev->value(key, json(nullptr));
}

std::string value_text(const json& v)
{
    if (v.is_string()) return v.get<std::string>();
    return v.dump(-1, ' ', false, json::error_handler_t::replace);
}

} // namespace

std::string field_text(const std::string& key, const json& value)
{
    // An errno reads as its name everywhere else in the reports.
    if (key == "errno" && value.is_number_integer()) {
        const int e = value.get<int>();
        if (e == 524) return "ENOTSUPP";   // kernel-internal, unknown to libc
        if (const auto name = errno_name(e)) return *name;
    }
    return value_text(value);
}

std::string predicts_text(const json& predicts)
{
    if (!predicts.is_object() || predicts.empty()) return "";
    std::string out = value_text(predicts.value("status", json(nullptr)));
    for (const auto& [key, want] : predicts.items()) {
        if (key != "status") out += ", " + key + "=" + field_text(key, want);
    }
    return out;
}

namespace {

// "supported, zero_copy=true", from the predicted fields.
std::string fields_text(const json& predicts, const json& values)
{
    std::string out = value_text(values.value("status", json(nullptr)));
    for (const auto& [key, want] : predicts.items()) {
        if (key == "status") continue;
        out += ", " + key + "=" + field_text(key, values.is_object() ? values.value(key, json(nullptr)) : json(nullptr));
    }
    return out;
}

} // namespace

Prediction predict(const std::optional<KernelVersion>& kernel, const json& probe)
{
    Prediction out;
    const auto history = probe.find("history");
    if (!kernel || history == probe.end() || !history->is_array()) return out;
    for (const auto& c : *history) {
        if (c.is_object() && change_applies(*kernel, c)) out.change = c;
    }
    if (out.change.is_null()) return out;
    const json predicts = out.change.value("predicts", json(nullptr));
    if (!predicts.is_object()) return out;
    const std::string status = text_or(probe, "status", "");
    const std::string want_status = text_or(predicts, "status", "");
    // A CVE probe that ran but could not tell ("exposure not determined":
    // its path never reached the bug) differs from a history that predicts
    // affected or not affected: the difference is the point (issue 20).
    const json ev = probe.value("evidence", json(nullptr));
    if (status == "skipped" && ev.is_object() && ev.contains("cve") && ev.contains("reached") &&
        predicts.contains("vulnerable")) {
        out.matches = false;
        return out;
    }
    // A kernel built without the vulnerable code (path_available false, no
    // module to load) is a build choice, as a missing socket family is
    // below: before the fix nothing is compared (a kernel without AF_RXRPC
    // is no "distro patch"); at or after it, "not affected" agrees.
    const auto path = ev.is_object() ? ev.find("path_available") : ev.end();
    if (ev.is_object() && path != ev.end() && path->is_boolean() && !path->get<bool>() &&
        predicts.value("vulnerable", json(nullptr)) == json(true)) {
        return out;
    }
    if (status != "supported" && status != "unsupported") return out;
    static const std::vector<std::string> family_missing = {"EAFNOSUPPORT", "EPROTONOSUPPORT", "ESOCKTNOSUPPORT",
                                                            "EPFNOSUPPORT"};
    // A socket family or protocol the kernel was built without is a build
    // choice, not history: nothing to compare, unless history predicted
    // exactly that errno. (UML has no IPv6: zerocopy.raw6 must not be
    // flagged for missing ENOTSUPP.)
    const bool family_absent = status == "unsupported" &&
                               std::find(family_missing.begin(), family_missing.end(),
                                         text_or(probe, "errno_name", "")) != family_missing.end();
    if (family_absent && !(want_status == "unsupported" && predicts.value("errno", json(nullptr)) == probe.value("errno", json(nullptr)))) {
        return out;
    }
    if (status != want_status) {
        out.matches = false;
        return out;
    }
    for (const auto& [key, want] : predicts.items()) {
        if (key == "status") continue;
        const json got = observed_field(probe, key);
        if (got.is_null() && !want.is_null()) return out; // not observed: nothing to compare
        if (got != want) {
            out.matches = false;
            return out;
        }
    }
    out.matches = true;
    return out;
}

std::string prediction_flag(const json& report, const json& probe)
{
    const auto kernel = running_version(report);
    const Prediction p = predict(kernel, probe);
    if (!p.matches || *p.matches) return "";
    const json predicts = p.change.at("predicts");
    json observed = json::object();
    observed["status"] = probe.value("status", json(nullptr));
    for (const auto& [key, want] : predicts.items()) {
        if (key != "status") observed[key] = observed_field(probe, key);
    }
    const std::string running =
        std::to_string(kernel->major) + "." + std::to_string(kernel->minor) + "." + std::to_string(kernel->patch);
    std::string since = text_or(p.change, "version", "");
    if (since.empty() || !parse_kernel_release(since) || *kernel < *parse_kernel_release(since)) {
        since = running.substr(0, running.rfind('.')) + " stable";
    }
    std::string cite = "since " + since;
    if (const std::string commit = text_or(p.change, "commit", ""); !commit.empty()) cite += ", " + commit;
    return "differs from upstream history: " + running + " predicted " + fields_text(predicts, predicts) + " (" +
           cite + "); observed " + fields_text(predicts, observed) + ": a backport, a distro patch or a regression";
}

void annotate_predictions(json& report)
{
    const auto kernel = running_version(report);
    const auto probes = report.find("probes");
    if (probes == report.end() || !probes->is_array()) return;
    for (auto& p : *probes) {
        if (!p.is_object() || !p.contains("history")) continue;
        const Prediction pred = predict(kernel, p);
        p["predicted"] = pred.change;
        p["matches_prediction"] = pred.matches ? json(*pred.matches) : json(nullptr);
    }
}

std::string SecurityVerdict::verdict() const
{
    switch (state) {
    case State::not_affected: return "not affected";
    case State::affected: return "AFFECTED";
    case State::undetermined: break;
    }
    return "not determined (" + undetermined_why + ")";
}

std::string SecurityVerdict::label() const
{
    std::string out = cve;
    if (!common_name.empty()) out += " " + common_name;
    if (!fix_commit.empty()) out += ", fix " + fix_commit;
    return out;
}

std::optional<SecurityVerdict> security_verdict(const json& probe)
{
    const std::string id = text_or(probe, "id", "");
    constexpr std::string_view prefix = "security.";
    if (id.rfind(prefix, 0) != 0) return std::nullopt;
    const json ev = probe.value("evidence", json::object());
    const json evidence = ev.is_object() ? ev : json::object();
    SecurityVerdict v;
    v.status = text_or(probe, "status", "");
    if (const auto cve = string_at(evidence, "cve")) {
        v.cve = *cve;
    } else {
        // security.cve_2022_0847 -> CVE-2022-0847
        const std::string rest = id.substr(prefix.size());
        const bool shaped = rest.size() > 9 && rest.rfind("cve_", 0) == 0 && rest[8] == '_' &&
                            std::all_of(rest.begin() + 4, rest.end(), [](char c) { return c == '_' || (c >= '0' && c <= '9'); }) &&
                            rest.find('_', 9) == std::string::npos;
        if (!shaped) return std::nullopt;
        v.cve = "CVE-" + rest.substr(4, 4) + "-" + rest.substr(9);
    }
    if (const auto name = string_at(evidence, "common_name")) {
        v.common_name = *name;
    } else if (const std::string title = text_or(probe, "title", ""); !title.empty() && title.back() == ')') {
        if (const auto open = title.rfind('('); open != std::string::npos) {
            // "(dirty pipe)" -> "Dirty Pipe", as the newer probes name theirs.
            v.common_name = title.substr(open + 1, title.size() - open - 2);
            for (size_t i = 0; i < v.common_name.size(); ++i) {
                const char c = v.common_name[i];
                if ((i == 0 || v.common_name[i - 1] == ' ') && c >= 'a' && c <= 'z') v.common_name[i] = static_cast<char>(c - 'a' + 'A');
            }
        }
    }
    v.fix_commit = string_at(evidence, "fix_commit")
                       .value_or(string_at(probe.value("introduced", json::object()), "commit").value_or(""));
    if (const auto p = evidence.find("path_available"); p != evidence.end() && p->is_boolean() && !p->get<bool>()) {
        v.path_errno = string_at(evidence, "path_errno").value_or("?");
    }
    v.reach_proof = string_at(evidence, "reach_proof").value_or("");
    const auto vul = evidence.find("vulnerable");
    const bool vulnerable = vul != evidence.end() && vul->is_boolean() && vul->get<bool>();
    const auto reach = evidence.find("reached");
    // Three states (true, false, unknown) as two flags: GCC 12 warns on an
    // optional<bool> compared here (-Wmaybe-uninitialized, a false positive).
    const bool reach_known = reach != evidence.end() && reach->is_boolean();
    const bool reached_true = reach_known && reach->get<bool>();
    const bool reached_false = reach_known && !reach->get<bool>();
    if (v.status == "unsupported" && vulnerable) {
        v.state = SecurityVerdict::State::affected;
    } else if (v.status == "supported" && (reached_true || !v.path_errno.empty())) {
        // Proof either way: the page reached the vulnerable operation and
        // the file did not change, or the vulnerable code is absent from
        // this kernel (path_available false: no socket family and no module
        // that could be loaded here), so nothing can reach it.
        v.state = SecurityVerdict::State::not_affected;
    } else if (v.status == "supported") {
        // Supported without proof of reach: nothing shows the page got to
        // the vulnerable operation, so "not affected" would be a guess.
        v.undetermined_why = reached_false ? "not reached" : "no proof of reach";
    } else if (v.status == "skipped" && reached_false) {
        // The probe ran and showed its path never reached the bug
        // ("exposure not determined"): say that, not just "skipped".
        v.undetermined_why = "not reached";
    } else {
        v.undetermined_why = v.status;
    }
    return v;
}

CveCount count_cves(const json& report)
{
    CveCount n;
    for (const auto& p : report.value("probes", json::array())) {
        const auto v = security_verdict(p);
        if (!v) continue;
        ++n.probes;
        if (v->state == SecurityVerdict::State::affected) ++n.affected;
        if (v->state == SecurityVerdict::State::undetermined) ++n.undetermined;
    }
    return n;
}

std::string cve_summary(const CveCount& n)
{
    if (n.probes == 0) return "";
    if (n.determined() == 0) return std::to_string(n.undetermined) + " CVEs not determined";
    std::string out = (n.affected > 0 ? "AFFECTED by " : "affected by ") + std::to_string(n.affected) + " of " +
                      std::to_string(n.determined()) + " CVEs tested";
    if (n.undetermined > 0) out += ", " + std::to_string(n.undetermined) + " not determined";
    return out;
}

namespace {

std::string grid_verdict(const std::string& family, const json& probe)
{
    const std::string status = text_or(probe, "status", "");
    if (family == "splice_straddle") {
        const std::string outcome = straddle_outcome(probe);
        if (outcome == "split" || outcome == "truncated") return outcome;
        if (status == "supported" && (outcome == "whole" || outcome == "stream")) return "whole";
        return status;
    }
    if (status != "supported") return status;
    const auto zc = zero_copy_of(probe);
    if (zc && !*zc && loopback_only(probe)) return "not determined"; // loopback copies by design
    return zc ? (*zc ? "zero-copy" : "copy") : "inconclusive";
}

} // namespace

TransmitGrid transmit_grid(const json& report)
{
    static const std::vector<std::pair<std::string, std::string>> families = {
        {"splice", "splice"}, {"splice_straddle", "straddle"}, {"sendfile", "sendfile"}, {"zerocopy", "MSG_ZEROCOPY"}};
    TransmitGrid g;
    for (const auto& f : families) g.operations.push_back(f.second);
    for (const auto& p : report.value("probes", json::array())) {
        const std::string id = text_or(p, "id", "");
        const auto dot = id.find('.');
        if (dot == std::string::npos) continue;
        const std::string family = id.substr(0, dot);
        const std::string kind = id.substr(dot + 1);
        const auto f = std::find_if(families.begin(), families.end(), [&](const auto& e) { return e.first == family; });
        if (f == families.end()) continue;
        auto k = std::find(g.kinds.begin(), g.kinds.end(), kind);
        if (k == g.kinds.end()) {
            g.kinds.push_back(kind);
            g.cells.emplace_back(families.size());
            k = g.kinds.end() - 1;
        }
        GridCell& cell = g.cells[static_cast<size_t>(k - g.kinds.begin())][static_cast<size_t>(f - families.begin())];
        cell = {grid_verdict(family, p), id, text_or(p, "reason", "")};
    }
    return g;
}

std::string report_label(const json& report)
{
    const json env = report.value("environment", json::object());
    const json kernel = report.value("kernel", json::object());
    return text_or(env, "hostname", "?") + " " + text_or(kernel, "release", "?");
}

const std::vector<std::string>& status_names()
{
    static const std::vector<std::string> names = {"supported", "unsupported", "blocked", "skipped", "error"};
    return names;
}

std::string fixed(double v, int precision)
{
    std::ostringstream s;
    s.setf(std::ios::fixed);
    s.precision(precision);
    s << v;
    return s.str();
}

} // namespace zc::report
