#include "core/kernel_version.hpp"
#include "probe/catalog.hpp"
#include "probe/report_json.hpp"
#include "reports/render_text.hpp"
#include "traffic/socket_kinds.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <optional>
#include <regex>
#include <set>

using namespace zc;
using nlohmann::json;

namespace {

json load_schema()
{
    std::ifstream in(std::string(ZC_SOURCE_DIR) + "/reports/schema/zcprobe-report.schema.json");
    REQUIRE(in);
    return json::parse(in);
}

std::set<std::string> keys_of(const json& object)
{
    std::set<std::string> out;
    for (const auto& [k, v] : object.items()) out.insert(k);
    return out;
}

std::set<std::string> required_of(const json& schema_object)
{
    std::set<std::string> out;
    for (const auto& k : schema_object.at("required")) out.insert(k.get<std::string>());
    return out;
}

std::vector<probe::Outcome> sample_outcomes()
{
    std::vector<probe::Outcome> out;
    const auto& cat = probe::catalog();
    probe::Result ok = probe::supported("fine", {{"zero_copy", true}});
    probe::Result gap = probe::unsupported("nope");
    gap.err = 22;
    out.push_back({&cat.at(0), ok});
    out.push_back({&cat.at(1), gap});
    return out;
}

} // namespace

TEST_CASE("the report's field names are exactly the schema's")
{
    const json schema = load_schema();
    const json kernel = probe::kernel_object("6.1.0-28-amd64", "#1 SMP Debian", "x86_64");
    const json doc = probe::build_report(sample_outcomes(), json::object(), kernel, "2026-11-25T07:00:00Z");
    // $schema and tool.commit are optional in the schema only so that older
    // reports stay valid; every report written now carries both.
    std::set<std::string> top = required_of(schema);
    top.insert("$schema");
    CHECK(keys_of(doc) == top);
    CHECK(keys_of(doc.at("kernel")) == required_of(schema.at("properties").at("kernel")));
    CHECK(keys_of(doc.at("summary")) == required_of(schema.at("properties").at("summary")));
    std::set<std::string> tool = required_of(schema.at("properties").at("tool"));
    tool.insert("commit");
    CHECK(keys_of(doc.at("tool")) == tool);
    const json& probe_schema = schema.at("$defs").at("probe");
    for (const auto& p : doc.at("probes")) {
        // history is optional in the schema (older reports lack it) but
        // zcprobe always writes it.
        auto keys = required_of(probe_schema);
        keys.insert("history");
        CHECK(keys_of(p) == keys);
        CHECK(keys_of(p.at("introduced")) == required_of(probe_schema.at("properties").at("introduced")));
    }
    CHECK(doc.at("schema_version") == report_schema_version);
    CHECK(schema.at("properties").at("schema_version").at("const") == report_schema_version);
    CHECK(doc.at("$schema") == report_schema_id(report_schema_version));
    CHECK(schema.at("$id") == report_schema_id(report_schema_version));
    CHECK(schema.at("properties").at("$schema").at("const") == schema.at("$id"));
    CHECK(schema.at("properties").at("tool").at("properties").contains("commit"));
}

TEST_CASE("unknown values are null - never empty strings")
{
    const json k = probe::kernel_object("", "", "");
    CHECK(k.at("release").is_null());
    CHECK(k.at("line").is_null());
    const json doc = probe::build_report(sample_outcomes(), json::object(), k, "2026-11-25T07:00:00Z");
    CHECK(doc.at("probes").at(0).at("errno").is_null());
    CHECK(doc.at("probes").at(0).at("errno_name").is_null());
    CHECK(doc.at("probes").at(1).at("errno") == 22);
    CHECK(doc.at("probes").at(1).at("errno_name") == "EINVAL");
}

TEST_CASE("summary counts every status")
{
    const json s = probe::summarize(sample_outcomes());
    CHECK(s.at("supported") == 1);
    CHECK(s.at("unsupported") == 1);
    CHECK(s.at("blocked") == 0);
    CHECK(s.at("skipped") == 0);
    CHECK(s.at("error") == 0);
    CHECK(s.at("total") == 2);
}

TEST_CASE("the catalog is a well-formed table")
{
    const std::regex id_re("^[a-z0-9_]+(\\.[a-z0-9_]+)+$");
    const std::regex version_re("^[0-9]+\\.[0-9]+(\\.[0-9]+)?$");
    const std::regex commit_re("^[0-9a-f]{12,40}$");
    std::set<std::string> ids;
    for (const auto& s : probe::catalog()) {
        CAPTURE(s.id);
        CHECK(std::regex_match(s.id, id_re));
        CHECK(s.id.substr(0, s.id.find('.')) == s.section);
        CHECK_FALSE(s.title.empty());
        CHECK_FALSE(s.supported_means.empty());
        CHECK(static_cast<bool>(s.run));
        CHECK(ids.insert(s.id).second);
        REQUIRE_FALSE(s.history.empty());
        std::optional<KernelVersion> previous;
        for (const auto& c : s.history) {
            if (!c.version.empty()) CHECK(std::regex_match(c.version, version_re));
            if (!c.commit.empty()) CHECK(std::regex_match(c.commit, commit_re));
            CHECK(c.commit.empty() == c.subject.empty());
            CHECK_FALSE(c.what.empty());
            // An entry without a commit says why.
            if (c.commit.empty()) CHECK(c.what.find("not ") != std::string::npos);
            for (const auto& st : c.stable) CHECK(std::regex_match(st, std::regex("^[0-9]+\\.[0-9]+\\.[0-9]+$")));
            // Oldest first: a prediction is the last entry at or below a version.
            if (const auto v = parse_kernel_release(c.version)) {
                if (previous) CHECK(*previous <= *v);
                previous = v;
            }
        }
    }
}

TEST_CASE("every socket kind has its splice - straddle - sendfile and zerocopy probe")
{
    for (const auto& k : traffic::all_kinds()) {
        for (const char* family : {"splice.", "splice_straddle.", "sendfile.", "zerocopy."}) {
            const std::string id = family + std::string(k.name);
            CAPTURE(id);
            CHECK(probe::find_spec(id) != nullptr);
        }
    }
    CHECK(traffic::all_kinds().size() == 11);
}

TEST_CASE("the text table shows each probe and the summary - colour only when asked")
{
    const json doc = probe::build_report(sample_outcomes(), json::object(), probe::kernel_object("6.18.1", "v", "x86_64"),
                                   "2026-11-25T07:00:00Z");
    const std::string plain = report::render_text(doc, {false});
    CHECK(plain.find(probe::catalog().at(0).id) != std::string::npos);
    CHECK(plain.find("summary: 1 supported, 1 unsupported, 0 blocked, 0 skipped, 0 error (2 probes)") !=
          std::string::npos);
    CHECK(plain.find("\x1b[") == std::string::npos);
    CHECK(report::render_text(doc, {true}).find("\x1b[32m") != std::string::npos);
}
