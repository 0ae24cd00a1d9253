// The in-tree schema validator: supports every keyword of our schema, and
// names the JSON pointer and what was expected. python3-jsonschema agrees
// with it on every fixture (tests/reports/test_validate_crosscheck.py).
#include "report_fixtures.hpp"

#include "reports/schema_validator.hpp"

using namespace zc;
using nlohmann::json;

namespace {

std::vector<std::string> problems(const json& doc)
{
    const auto r = report::check_report_text(doc.dump());
    return r.errors;
}

bool mentions(const std::vector<std::string>& lines, const std::string& needle)
{
    for (const auto& l : lines) {
        if (l.find(needle) != std::string::npos) return true;
    }
    return false;
}

} // namespace

TEST_CASE("the compiled-in schema is the one in the tree - and every keyword is supported")
{
    const json on_disk = json::parse(test::read_text(std::string(ZC_SOURCE_DIR) +
                                                     "/reports/schema/zcprobe-report.schema.json"));
    CHECK(report::report_schema() == on_disk);
    CHECK_NOTHROW(report::SchemaValidator{report::report_schema()});
    CHECK_THROWS_AS(report::SchemaValidator(json{{"format", "date-time"}}), std::invalid_argument);
    CHECK_THROWS_AS(report::SchemaValidator(json{{"$ref", "#/$defs/nowhere"}}), std::invalid_argument);
    CHECK_THROWS_AS(report::SchemaValidator(json{{"$ref", "http://elsewhere/x.json"}}), std::invalid_argument);
}

TEST_CASE("every fixture is valid")
{
    for (const char* name : {"vm-6.18.json", "vm-6.18-nobody.json", "ci-runner-6.1.json", "vm-6.19-regressed.json",
                             "redaction.json"}) {
        CAPTURE(name);
        CHECK(problems(test::fixture(name)).empty());
    }
}

TEST_CASE("violations name the pointer and what was expected")
{
    const json good = test::fixture("vm-6.18.json");
    json d = good;
    d["environment"]["hostname"] = "";
    CHECK(mentions(problems(d), "/environment/hostname: expected a string of at least 1 character"));

    d = good;
    d["probes"][2]["status"] = "maybe";
    CHECK(mentions(problems(d), "/probes/2/status: expected one of \"supported\""));

    d = good;
    d["summary"]["total"] = "65";
    CHECK(mentions(problems(d), "/summary/total: expected integer, got string"));

    d = good;
    d["kernel"].erase("release");
    CHECK(mentions(problems(d), "/kernel: missing required key \"release\""));

    d = good;
    d["tool"]["colour"] = "blue";
    CHECK(mentions(problems(d), "/tool/colour: unexpected key"));

    d = good;
    d["probes"][0]["id"] = "Not An Id";
    CHECK(mentions(problems(d), "/probes/0/id: expected a string matching"));

    d = good;
    d["probes"][0]["errno"] = 22; // supported with an errno: the if/then rule
    CHECK(mentions(problems(d), "/probes/0/errno: expected null"));

    d = good;
    d["probes"][0]["evidence"]["Bad-Key"] = 1;
    CHECK(mentions(problems(d), "/probes/0/evidence/Bad-Key: key: expected a string matching"));

    d = good;
    d["probes"][0]["evidence"]["note"] = "";
    CHECK(mentions(problems(d), "/probes/0/evidence/note: expected anything but \"\""));

    d = good;
    d["environment"]["seccomp_mode"] = 7;
    CHECK(mentions(problems(d), "/environment/seccomp_mode: expected one of 0, 1, 2 or null"));

    d = good;
    d["environment"]["euid"] = -1;
    CHECK(mentions(problems(d), "/environment/euid: expected a number >= 0"));

    d = good;
    d["environment"]["sysctls"]["net.core.rmem_max"] = "big";
    CHECK(mentions(problems(d), "/environment/sysctls/net.core.rmem_max: expected integer or null, got string"));

    d = good;
    // JSON Schema counts 65.0 as an integer; a report must write one.
    d["summary"]["total"] = 65.0;
    CHECK(mentions(problems(d), "/summary/total: expected integer, got number"));
}

TEST_CASE("$schema: optional - when present it names this schema - else one line")
{
    const json current = test::fixture("vm-6.18.json");
    CHECK(current.at("$schema") == report_schema_id(report_schema_version));
    CHECK(current.at("tool").at("commit") == "5b235ef");
    const json older = test::fixture("ci-runner-6.1.json"); // written before $schema and tool.commit
    CHECK_FALSE(older.contains("$schema"));
    CHECK_FALSE(older.at("tool").contains("commit"));

    json d = current;
    d["$schema"] = "https://json-schema.org/draft/2020-12/schema";
    auto p = problems(d);
    REQUIRE(p.size() == 1);
    CHECK(p.front() == "/$schema: 'https://json-schema.org/draft/2020-12/schema' is not the zcprobe report schema; "
                       "expected urn:zcprobe:report-schema:1 (or no $schema)");

    d["$schema"] = "urn:zcprobe:report-schema:2"; // another version's schema, not this report's
    CHECK(mentions(problems(d), "/$schema: 'urn:zcprobe:report-schema:2' is not the zcprobe report schema"));

    d["$schema"] = 1;
    p = problems(d);
    REQUIRE(p.size() == 1);
    CHECK(p.front() == "/$schema: expected the string urn:zcprobe:report-schema:1 (or no $schema), got integer");

    d["$schema"] = std::string(300, 'x');
    p = problems(d);
    REQUIRE(p.size() == 1);
    CHECK(p.front().size() < 200);

    d = current;
    d["tool"]["commit"] = nullptr; // unknown: built from a tarball
    CHECK(problems(d).empty());
    d["tool"]["commit"] = "5b235ef-dirty";
    CHECK(problems(d).empty());
    d["tool"]["commit"] = "main";
    CHECK(mentions(problems(d), "/tool/commit: "));
}

TEST_CASE("pointer tokens are escaped (RFC 6901)")
{
    CHECK(report::pointer_append("", "a/b~c") == "/a~1b~0c");
    json d = test::fixture("vm-6.18.json");
    d["tool"]["a/b"] = 1;
    CHECK(mentions(problems(d), "/tool/a~1b: unexpected key"));
}

TEST_CASE("what the schema cannot say: unique probe ids - a summary that counts the probes - one result per mode/kind/size")
{
    const json good = test::fixture("vm-6.18.json");
    json d = good;
    d["probes"][5]["id"] = d["probes"][1]["id"];
    const std::string id = d["probes"][1]["id"].get<std::string>();
    CHECK(mentions(problems(d), "/probes/5/id: \"" + id + "\" already at /probes/1; probe ids are unique"));

    d = good;
    const long long supported = d["summary"]["supported"].get<long long>();
    d["summary"]["supported"] = supported + 1;
    CHECK(mentions(problems(d), "/summary/supported: " + std::to_string(supported + 1) + ", but " +
                                    std::to_string(supported) + " probes have status supported"));

    d = good;
    d["probes"].erase(d["probes"].begin());
    const auto p = problems(d);
    CHECK(mentions(p, "/summary/total: "));
    CHECK(mentions(p, " probes are in the report"));

    json e = test::fixture("engine/vm-6.18-engine.json");
    REQUIRE(problems(e).empty());
    REQUIRE(e["engine"].size() >= 2);
    e["engine"][1]["mode"] = e["engine"][0]["mode"];
    e["engine"][1]["kind"] = e["engine"][0]["kind"];
    e["engine"][1]["size"] = e["engine"][0]["size"];
    CHECK(mentions(problems(e), "/engine/1: "));
    CHECK(mentions(problems(e), " already at /engine/0; each mode, kind and size appears once"));
}

// validate() takes its verdict from the compiled schema and its words from
// the interpreter: the two must agree on every document, or a report could
// pass one and fail the other. Each mutation below replaces or removes one
// value of a fixture (every 17th, spread over the whole document) or adds an
// unknown key beside it.
TEST_CASE("the compiled schema and the interpreter give the same verdict")
{
    const report::SchemaValidator v(report::report_schema());
    const std::vector<json> replacements = {nullptr, "", -1, 1.5, json::object(), json::array({1})};
    size_t refused = 0;
    size_t tried = 0;
    for (const char* name : {"vm-6.18-nobody.json", "engine/vm-6.18-engine.json"}) {
        const json good = test::fixture(name);
        CHECK(v.accepts(good));
        CHECK(v.interpret(good).empty());
        const json flat = good.flatten();
        size_t i = 0;
        for (const auto& [pointer, value] : flat.items()) {
            if (i++ % 17 != 0) continue;
            const json::json_pointer at(pointer);
            std::vector<json> docs;
            for (const auto& r : replacements) {
                docs.push_back(good);
                docs.back()[at] = r;
            }
            docs.push_back(good);
            json& parent = docs.back()[at.parent_pointer()];
            if (parent.is_array()) {
                parent.erase(std::stoul(at.back()));
            } else {
                parent.erase(at.back());
            }
            docs.push_back(good);
            if (docs.back()[at.parent_pointer()].is_object()) docs.back()[at.parent_pointer()]["unknown_key"] = 1;
            for (const auto& d : docs) {
                const bool accepted = v.accepts(d);
                CAPTURE(pointer);
                CHECK(accepted == v.interpret(d).empty());
                refused += accepted ? 0 : 1;
                ++tried;
            }
        }
    }
    // The mutations must reach both verdicts, or the agreement says nothing.
    CHECK(refused > tried / 4);
    CHECK(refused < tried);
}
