#include "probe/report_json.hpp"

#include "core/build_info.hpp"
#include "core/errno_name.hpp"
#include "core/kernel_version.hpp"
#include "traffic/socket_kinds.hpp"

#include <ctime>

namespace zc::probe {

using nlohmann::json;

namespace {

json null_if_empty(const std::string& s)
{
    return s.empty() ? json(nullptr) : json(s);
}

// The first change, in the shape reports had before histories: readers of
// older versions (and the security verdict's fix commit) keep working.
json introduced_object(const History& h)
{
    if (h.empty()) return {{"version", nullptr}, {"commit", nullptr}, {"summary", nullptr}};
    const Change& c = h.front();
    return {{"version", null_if_empty(c.version)},
            {"commit", null_if_empty(c.commit)},
            {"summary", null_if_empty(c.subject.empty() ? c.what : c.subject)}};
}

json predicts_object(const std::optional<Predicts>& p)
{
    if (!p) return nullptr;
    json out = {{"status", std::string(status_name(p->status))}};
    if (!p->field.empty()) out[p->field] = p->value;
    return out;
}

} // namespace

json history_array(const History& h)
{
    json out = json::array();
    for (const Change& c : h) {
        out.push_back({{"version", null_if_empty(c.version)},
                       {"stable", c.stable},
                       {"commit", null_if_empty(c.commit)},
                       {"subject", null_if_empty(c.subject)},
                       {"what", c.what},
                       {"predicts", predicts_object(c.predicts)}});
    }
    return out;
}

namespace {

} // namespace

json probe_entry(const Spec& spec, const Result& result, const SandboxAnswer* answer)
{
    const auto name = errno_name(result.err);
    json entry = {{"id", spec.id},
            {"section", spec.section},
            {"title", spec.title},
            {"status", std::string(status_name(result.status))},
            {"errno", result.err != 0 ? json(result.err) : json(nullptr)},
            {"errno_name", name ? json(*name) : json(nullptr)},
            {"reason", result.reason},
            {"duration_us", result.duration_us},
            {"evidence", result.evidence},
            {"introduced", introduced_object(spec.history)},
            {"history", history_array(spec.history)}};
    if (answer) entry["sandbox"] = answer_to_json(*answer);
    return entry;
}

namespace {

// What an application doing what the probe does needs: the probe's
// capabilities, except that a MSG_ZEROCOPY probe adds CAP_NET_ADMIN only for
// zcprobe's own veth black hole (zerocopy_probes.cpp); its socket kind's own
// needs are what a deployment needs.
std::vector<int> deploy_capabilities(const Spec& spec)
{
    if (spec.section == "zerocopy") {
        for (const auto& k : traffic::all_kinds()) {
            if (spec.id == "zerocopy." + std::string(k.name)) return k.capabilities;
        }
    }
    return spec.capabilities;
}

} // namespace

std::vector<SandboxAnswer> sandbox_answers(const std::vector<Outcome>& outcomes, const SandboxFacts& facts)
{
    std::vector<SandboxAnswer> out;
    out.reserve(outcomes.size());
    for (const auto& o : outcomes) {
        const bool netns_skip = o.result.status == Status::skipped &&
                                o.result.reason.starts_with("needs a private network namespace");
        out.push_back(sandbox_answer(o.result, deploy_capabilities(*o.spec), facts, netns_skip));
    }
    return out;
}

json catalog_entry(const Spec& spec)
{
    return {{"id", spec.id},
            {"section", spec.section},
            {"title", spec.title},
            {"supported_means", spec.supported_means},
            {"privileges", privileges_text(spec.capabilities)},
            {"needs_netns", spec.needs_netns},
            {"introduced", introduced_object(spec.history)},
            {"history", history_array(spec.history)}};
}

json summarize(const std::vector<Outcome>& outcomes)
{
    json counts = json::object();
    for (const Status s : all_statuses) {
        counts[std::string(status_name(s))] = 0;
    }
    for (const auto& o : outcomes) {
        counts[std::string(status_name(o.result.status))] = counts[std::string(status_name(o.result.status))].get<int>() + 1;
    }
    counts["total"] = outcomes.size();
    return counts;
}

json kernel_object(const std::string& release, const std::string& version, const std::string& machine)
{
    json k = {{"release", null_if_empty(release)},
              {"version", null_if_empty(version)},
              {"machine", null_if_empty(machine)},
              {"line", nullptr},
              {"major", nullptr},
              {"minor", nullptr},
              {"patch", nullptr}};
    if (const auto v = parse_kernel_release(release)) {
        k["line"] = v->line();
        k["major"] = v->major;
        k["minor"] = v->minor;
        k["patch"] = v->patch;
    }
    return k;
}

json build_report(const std::vector<Outcome>& outcomes, json environment, json kernel, const std::string& generated_at,
                  const std::vector<SandboxAnswer>* answers)
{
    json probes = json::array();
    std::vector<std::pair<std::string, SandboxAnswer>> by_id;
    for (size_t i = 0; i < outcomes.size(); ++i) {
        const Outcome& o = outcomes[i];
        const SandboxAnswer* a = answers && i < answers->size() ? &(*answers)[i] : nullptr;
        probes.push_back(probe_entry(*o.spec, o.result, a));
        if (a) by_id.emplace_back(o.spec->id, *a);
    }
    const std::string commit = build_commit();
    json doc = {{"$schema", report_schema_id(report_schema_version)},
            {"schema_version", report_schema_version},
            {"tool", {{"name", "zcprobe"}, {"version", ZC_VERSION}, {"commit", null_if_empty(commit)}}},
            {"generated_at", generated_at},
            {"kernel", std::move(kernel)},
            {"environment", std::move(environment)},
            {"probes", std::move(probes)},
            {"summary", summarize(outcomes)}};
    if (answers) doc["sandbox_refusals"] = groups_to_json(group_refusals(by_id));
    return doc;
}

std::string utc_now_rfc3339()
{
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    ::gmtime_r(&now, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

} // namespace zc::probe
