#include "reports/fleet.hpp"

#include "reports/report_reader.hpp"
#include "reports/report_view.hpp"

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>

namespace zc::report {

using nlohmann::json;

std::string FleetVerdict::text() const { return zero_copy.empty() ? word : word + ", " + zero_copy; }

bool FleetVerdict::operator<(const FleetVerdict& o) const
{
    return std::tie(status, word, zero_copy, severity) < std::tie(o.status, o.word, o.zero_copy, o.severity);
}

size_t FleetGroup::differing_hosts() const
{
    size_t n = 0;
    for (const auto& c : columns) n += c.majority ? 0 : c.hosts.size();
    return n;
}

size_t Fleet::bad() const
{
    return static_cast<size_t>(std::count_if(skipped.begin(), skipped.end(), [](const auto& s) { return !s.foreign; }));
}

size_t Fleet::foreign() const { return skipped.size() - bad(); }

size_t Fleet::differing_hosts() const
{
    size_t n = 0;
    for (const auto& g : groups) n += g.differing_hosts();
    return n;
}

FleetInputs fleet_inputs(const std::vector<std::string>& args, std::istream& stdin_list)
{
    namespace fs = std::filesystem;
    FleetInputs in;
    auto add = [&](const std::string& path) {
        std::error_code ec;
        if (!fs::is_directory(path, ec)) {
            in.paths.push_back(path); // a missing or unreadable file is named when it is read
            return;
        }
        std::vector<std::string> found;
        fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, ec);
        for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
            std::error_code type_ec;
            if (it->path().extension() == ".json" && it->is_regular_file(type_ec)) found.push_back(it->path().string());
        }
        if (ec) in.problems.push_back({path, "cannot list the directory: " + ec.message()});
        if (found.empty() && !ec) in.problems.push_back({path, "a directory without *.json files"});
        std::sort(found.begin(), found.end());
        in.paths.insert(in.paths.end(), found.begin(), found.end());
    };
    for (const auto& a : args) {
        if (a != "-") {
            add(a);
            continue;
        }
        std::string line;
        while (std::getline(stdin_list, line)) {
            if (!line.empty() && line.back() == '\r') line.pop_back();
            if (!line.empty()) add(line);
        }
    }
    return in;
}

namespace {

// One report reduced on a reader thread: strings only, no document.
struct Reduced {
    std::optional<FleetSkipped> skipped;
    std::string hostname, release, distro;
    struct Probe {
        std::string id, section;
        FleetVerdict verdict;
        std::optional<SecurityVerdict> cve;
        bool attention = false;
        std::string tag, why;
    };
    std::vector<Probe> probes;
};

std::string distro_of(const json& report)
{
    const auto env = report.find("environment");
    if (env == report.end() || !env->is_object()) return "";
    const auto d = env->find("distro");
    if (d == env->end() || !d->is_object()) return "";
    std::string out = text_or(*d, "id", "");
    const std::string version = text_or(*d, "version_id", "");
    if (!version.empty()) out += (out.empty() ? "" : " ") + version;
    return out;
}

Reduced reduce(const std::string& path, const std::vector<std::string>& require)
{
    Reduced out;
    const LoadedReport r = load_report_file(path);
    if (!r.ok()) {
        std::string why = r.errors.front();
        if (r.errors.size() > 1) why += " (and " + std::to_string(r.errors.size() - 1) + " more; see zcreport validate)";
        out.skipped = FleetSkipped{path, why, false};
        return out;
    }
    const json& doc = r.doc;
    // A zcengine report names the probes it consulted, not the host's
    // catalog: read beside the host's zcprobe report it would count the
    // host twice.
    if (const std::string tool = text_or(doc.at("tool"), "name", ""); tool != "zcprobe") {
        out.skipped = FleetSkipped{path, "a " + tool + " report; zcreport fleet reads zcprobe reports", true};
        return out;
    }
    out.hostname = text_or(doc.at("environment"), "hostname", "");
    out.release = text_or(doc.at("kernel"), "release", "?");
    out.distro = distro_of(doc);
    // Fields the view does not read (a newer zcprobe's extra fields, where
    // the schema allows them) are passed over here.
    for (const auto& p : doc.at("probes")) {
        const ProbeVerdict v = probe_verdict(doc, p, require);
        Reduced::Probe q;
        q.id = v.id;
        q.section = p.at("section").get<std::string>();
        q.verdict = {v.status, v.word, v.zero_copy_mark(), v.severity};
        q.cve = v.cve;
        q.attention = v.attention;
        q.tag = v.tag;
        q.why = v.why;
        out.probes.push_back(std::move(q));
    }
    return out;
}

const FleetVerdict missing_verdict{"", "missing", "", Severity::undetermined};

// Builds the view from reduced reports, in input order.
class Aggregator {
public:
    explicit Aggregator(const std::vector<std::string>& require) { fleet_.require = require; }

    void add(Reduced&& r, const std::string& path)
    {
        ++fleet_.inputs;
        if (r.skipped) {
            fleet_.skipped.push_back(std::move(*r.skipped));
            return;
        }
        ++fleet_.read;
        const FleetHost host{r.hostname.empty() ? path : r.hostname, path};
        std::vector<std::uint64_t> signature;
        bool attention = false;
        for (auto& p : r.probes) {
            const size_t pi = probe(p.id, p.section);
            auto& fp = fleet_.probes[pi];
            ++fp.statuses[p.verdict.status];
            signature.push_back((std::uint64_t{pi} << 32) | verdict(p.verdict));
            if (p.cve) {
                auto& c = cves_[p.cve->cve];
                c.cve = p.cve->cve;
                if (c.label.empty()) c.label = p.cve->label();
                if (p.cve->state == SecurityVerdict::State::affected) c.affected.push_back(host);
                if (p.cve->state == SecurityVerdict::State::not_affected) ++c.not_affected;
                if (p.cve->state == SecurityVerdict::State::undetermined) ++c.undetermined;
            }
            if (p.attention) {
                attention = true;
                ++fp.attention;
                auto [it, fresh] = attention_.try_emplace({p.id, p.tag});
                if (fresh) it->second = {p.id, p.tag, p.verdict.severity, p.why, {}};
                it->second.hosts.push_back(host);
            }
        }
        fleet_.hosts_needing_attention += attention ? 1 : 0;
        std::sort(signature.begin(), signature.end());
        auto& g = groups_[{r.release, r.distro}];
        auto [col, fresh] = g.by_signature.try_emplace(std::move(signature), g.columns.size());
        if (fresh) g.columns.emplace_back();
        g.columns[col->second].signature = &col->first;
        g.columns[col->second].hosts.push_back(host);
        ++g.hosts;
    }

    Fleet finish() &&
    {
        // Reports that lack a probe others have count as "missing".
        for (auto& p : fleet_.probes) {
            size_t with = 0;
            for (const auto& [status, n] : p.statuses) with += n;
            if (with < fleet_.read) p.statuses["missing"] = fleet_.read - with;
        }
        for (auto& [key, a] : attention_) fleet_.attention.push_back(std::move(a));
        std::stable_sort(fleet_.attention.begin(), fleet_.attention.end(), [](const auto& a, const auto& b) {
            const bool aa = a.tag == "AFFECTED", ba = b.tag == "AFFECTED";
            if (aa != ba) return aa;
            return a.hosts.size() > b.hosts.size();
        });
        for (auto& [key, c] : cves_) fleet_.cves.push_back(std::move(c));
        std::vector<std::pair<const std::pair<std::string, std::string>*, Group*>> groups;
        for (auto& [key, g] : groups_) groups.emplace_back(&key, &g);
        std::sort(groups.begin(), groups.end(), [](const auto& a, const auto& b) {
            if (a.second->hosts != b.second->hosts) return a.second->hosts > b.second->hosts;
            return *a.first < *b.first;
        });
        for (auto& [key, g] : groups) fleet_.groups.push_back(group(key->first, key->second, *g));
        return std::move(fleet_);
    }

private:
    struct Column {
        const std::vector<std::uint64_t>* signature = nullptr;
        std::vector<FleetHost> hosts;
    };
    struct Group {
        size_t hosts = 0;
        std::map<std::vector<std::uint64_t>, size_t> by_signature;
        std::vector<Column> columns; // first seen first
    };

    size_t probe(const std::string& id, const std::string& section)
    {
        auto [it, fresh] = probe_index_.try_emplace(id, fleet_.probes.size());
        if (fresh) fleet_.probes.push_back({id, section, {}, 0});
        return it->second;
    }

    std::uint32_t verdict(const FleetVerdict& v)
    {
        auto [it, fresh] = verdict_index_.try_emplace(v, static_cast<std::uint32_t>(verdicts_.size()));
        if (fresh) verdicts_.push_back(v);
        return it->second;
    }

    std::map<size_t, std::uint32_t> by_probe(const std::vector<std::uint64_t>& signature) const
    {
        std::map<size_t, std::uint32_t> out;
        for (const auto cell : signature) out[cell >> 32] = static_cast<std::uint32_t>(cell & 0xffffffffU);
        return out;
    }

    FleetGroup group(const std::string& release, const std::string& distro, Group& g) const
    {
        FleetGroup out;
        out.kernel_release = release;
        out.distro = distro;
        out.hosts = g.hosts;
        // The majority: the largest column, the first seen on a tie.
        std::vector<size_t> order(g.columns.size());
        for (size_t i = 0; i < order.size(); ++i) order[i] = i;
        std::stable_sort(order.begin(), order.end(),
                         [&](size_t a, size_t b) { return g.columns[a].hosts.size() > g.columns[b].hosts.size(); });
        const auto majority = by_probe(*g.columns[order.front()].signature);
        for (const auto& [pi, vi] : majority) out.majority_verdicts.emplace_back(fleet_.probes[pi].id, verdicts_[vi]);
        for (const size_t i : order) {
            FleetColumn c;
            c.majority = i == order.front();
            c.hosts = std::move(g.columns[i].hosts);
            if (!c.majority) {
                const auto mine = by_probe(*g.columns[i].signature);
                std::map<size_t, std::pair<FleetVerdict, FleetVerdict>> diff; // probe -> (mine, majority)
                for (const auto& [pi, vi] : mine) {
                    const auto m = majority.find(pi);
                    if (m == majority.end()) {
                        diff[pi] = {verdicts_[vi], missing_verdict};
                    } else if (m->second != vi) {
                        diff[pi] = {verdicts_[vi], verdicts_[m->second]};
                    }
                }
                for (const auto& [pi, vi] : majority) {
                    if (!mine.contains(pi)) diff[pi] = {missing_verdict, verdicts_[vi]};
                }
                for (auto& [pi, d] : diff) c.differences.push_back({fleet_.probes[pi].id, d.first, d.second});
            }
            out.columns.push_back(std::move(c));
        }
        return out;
    }

    Fleet fleet_;
    std::map<std::string, size_t> probe_index_;
    std::map<FleetVerdict, std::uint32_t> verdict_index_;
    std::vector<FleetVerdict> verdicts_;
    std::map<std::pair<std::string, std::string>, FleetAttention> attention_;
    std::map<std::string, FleetCve> cves_;
    std::map<std::pair<std::string, std::string>, Group> groups_;
};

} // namespace

Fleet build_fleet(const std::vector<std::string>& paths, const FleetOptions& options)
{
    Aggregator agg(options.require);
    unsigned threads = options.threads;
    if (threads == 0) threads = std::clamp(std::thread::hardware_concurrency(), 1U, 4U);
    threads = static_cast<unsigned>(std::min<size_t>(threads, std::max<size_t>(paths.size(), 1)));

    // Readers take the next path and leave its reduction in its slot; this
    // thread adds the slots in order. Readers run at most `window` reports
    // ahead of it, so memory stays bounded whatever the number of reports.
    struct Slot {
        std::unique_ptr<Reduced> reduced;
        std::exception_ptr failed;
    };
    std::vector<Slot> slots(paths.size());
    std::mutex lock;
    std::condition_variable filled, room;
    size_t next = 0, consumed = 0;
    bool stop = false;
    const size_t window = 16 * threads;
    auto reader = [&] {
        while (true) {
            size_t i = 0;
            {
                std::unique_lock hold(lock);
                room.wait(hold, [&] { return stop || next >= paths.size() || next < consumed + window; });
                if (stop || next >= paths.size()) return;
                i = next++;
            }
            Slot s;
            try {
                s.reduced = std::make_unique<Reduced>(reduce(paths[i], options.require));
            } catch (...) {
                s.failed = std::current_exception();
            }
            {
                const std::lock_guard hold(lock);
                slots[i] = std::move(s);
            }
            filled.notify_all();
        }
    };
    std::vector<std::thread> pool;
    auto join = [&] {
        {
            const std::lock_guard hold(lock);
            stop = true;
        }
        room.notify_all();
        for (auto& t : pool) t.join();
        pool.clear();
    };
    try {
        for (unsigned t = 0; t < threads; ++t) {
            try {
                pool.emplace_back(reader);
            } catch (const std::system_error&) {
                break; // no thread to be had (a process or memory limit): fewer readers, or this one alone
            }
        }
        if (pool.empty()) {
            for (const auto& path : paths) agg.add(reduce(path, options.require), path);
            return std::move(agg).finish();
        }
        for (size_t i = 0; i < paths.size(); ++i) {
            Slot s;
            {
                std::unique_lock hold(lock);
                filled.wait(hold, [&] { return slots[i].reduced || slots[i].failed; });
                s = std::move(slots[i]);
                consumed = i + 1;
            }
            room.notify_all();
            if (s.failed) std::rethrow_exception(s.failed);
            agg.add(std::move(*s.reduced), paths[i]);
        }
    } catch (...) {
        join();
        throw;
    }
    join();
    return std::move(agg).finish();
}

json fleet_json(const Fleet& f)
{
    auto hosts = [](const std::vector<FleetHost>& hs) {
        json out = json::array();
        for (const auto& h : hs) out.push_back({{"host", h.name}, {"path", h.path}});
        return out;
    };
    auto verdict = [](const FleetVerdict& v) {
        return json{{"status", v.status.empty() ? json(nullptr) : json(v.status)},
                    {"word", v.word},
                    {"zero_copy", v.zero_copy.empty() ? json(nullptr) : json(v.zero_copy)},
                    {"severity", severity_name(v.severity)}};
    };
    auto differences = [&](const std::vector<FleetDifference>& ds) {
        json out = json::array();
        for (const auto& d : ds) out.push_back({{"probe", d.probe}, {"verdict", verdict(d.verdict)}, {"majority", verdict(d.majority)}});
        return out;
    };
    json out;
    out["summary"] = {{"inputs", f.inputs},
                      {"read", f.read},
                      {"bad", f.bad()},
                      {"foreign", f.foreign()},
                      {"groups", f.groups.size()},
                      {"hosts_needing_attention", f.hosts_needing_attention},
                      {"differing_hosts", f.differing_hosts()},
                      {"require", f.require}};
    json attention = json::array();
    for (const auto& a : f.attention) {
        attention.push_back({{"subject", a.subject},
                             {"tag", a.tag},
                             {"severity", severity_name(a.severity)},
                             {"why", a.why},
                             {"count", a.hosts.size()},
                             {"hosts", hosts(a.hosts)}});
    }
    out["attention"] = std::move(attention);
    json differing = json::array();
    for (const auto& g : f.groups) {
        for (const auto& c : g.columns) {
            if (c.majority) continue;
            differing.push_back({{"kernel_release", g.kernel_release},
                                 {"distro", g.distro.empty() ? json(nullptr) : json(g.distro)},
                                 {"count", c.hosts.size()},
                                 {"hosts", hosts(c.hosts)},
                                 {"differences", differences(c.differences)}});
        }
    }
    out["differing"] = std::move(differing);
    json cves = json::array();
    for (const auto& c : f.cves) {
        cves.push_back({{"cve", c.cve},
                        {"label", c.label},
                        {"affected_count", c.affected.size()},
                        {"affected", hosts(c.affected)},
                        {"not_affected", c.not_affected},
                        {"undetermined", c.undetermined}});
    }
    out["cves"] = std::move(cves);
    json groups = json::array();
    for (const auto& g : f.groups) {
        json columns = json::array();
        for (const auto& c : g.columns) {
            json col = {{"count", c.hosts.size()}, {"majority", c.majority}, {"hosts", hosts(c.hosts)}};
            if (!c.majority) col["differences"] = differences(c.differences);
            columns.push_back(std::move(col));
        }
        json majority_verdicts = json::object();
        for (const auto& [id, v] : g.majority_verdicts) majority_verdicts[id] = verdict(v);
        groups.push_back({{"kernel_release", g.kernel_release},
                          {"distro", g.distro.empty() ? json(nullptr) : json(g.distro)},
                          {"hosts", g.hosts},
                          {"differing_hosts", g.differing_hosts()},
                          {"majority_verdicts", std::move(majority_verdicts)},
                          {"columns", std::move(columns)}});
    }
    out["groups"] = std::move(groups);
    json probes = json::array();
    for (const auto& p : f.probes) {
        probes.push_back({{"id", p.id}, {"section", p.section}, {"statuses", p.statuses}, {"needs_attention", p.attention}});
    }
    out["probes"] = std::move(probes);
    json skipped = json::array();
    for (const auto& s : f.skipped) skipped.push_back({{"path", s.path}, {"why", s.why}, {"foreign", s.foreign}});
    out["skipped"] = std::move(skipped);
    return out;
}

} // namespace zc::report
