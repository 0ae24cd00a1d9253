// Reports from strangers: every kind of bad input gives one line, no throw.
#include "report_fixtures.hpp"

using namespace zc;

namespace {

std::string only_error(std::string_view text)
{
    const auto r = report::check_report_text(text);
    REQUIRE(r.errors.size() == 1);
    return r.errors.front();
}

} // namespace

TEST_CASE("UTF-8 checking")
{
    using report::first_invalid_utf8;
    CHECK(first_invalid_utf8("plain") == std::string_view::npos);
    CHECK(first_invalid_utf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80") == std::string_view::npos);
    CHECK(first_invalid_utf8("ab\xFF") == 2);
    CHECK(first_invalid_utf8("\xC0\xAF") == 0);         // overlong '/'
    CHECK(first_invalid_utf8("x\xED\xA0\x80") == 1);    // UTF-16 surrogate
    CHECK(first_invalid_utf8("\xF4\x90\x80\x80") == 0); // past U+10FFFF
    CHECK(first_invalid_utf8("\xE2\x82") == 0);         // truncated sequence
}

TEST_CASE("nesting depth ignores brackets inside strings")
{
    CHECK(report::nesting_depth(R"({"a": [[1]], "b": "[[[[[["})", 64) == 3);
    CHECK(report::nesting_depth(R"({"a": "\"[[[", "b": {}})", 64) == 2);
    CHECK(report::nesting_depth(std::string(100000, '['), 64) == 65);
}

TEST_CASE("bad input: one line naming the problem")
{
    CHECK(only_error("").find("empty file") != std::string::npos);
    CHECK(only_error("{\"schema_version\": 1, \"tool\": ").find("not valid JSON") != std::string::npos);
    CHECK(only_error("{\"a\": \"\xFF\"}").find("not valid UTF-8 at byte offset 7") != std::string::npos);
    CHECK(only_error(std::string(200, '[') + std::string(200, ']')).find("nested deeper than 64") != std::string::npos);
    CHECK(only_error("[1, 2]").find("expected a JSON object") != std::string::npos);
    CHECK(only_error("{}").find("/schema_version: missing") != std::string::npos);
    CHECK(only_error("{\"schema_version\": \"1\"}").find("expected an integer in 1..1") != std::string::npos);
    const std::string future = only_error("{\"schema_version\": 2, \"whatever\": true}");
    CHECK(future.find("/schema_version: 2 is not supported; this zcreport reads 1..1") != std::string::npos);
    CHECK(future.find("newer zcprobe") != std::string::npos);
    CHECK(only_error("{\"schema_version\": 0}").find("not supported") != std::string::npos);
    const std::string huge(report::max_report_bytes + 1, ' ');
    CHECK(only_error(huge).find("16 MiB") != std::string::npos);
}

TEST_CASE("a huge string under a pattern fails the pattern - not the stack")
{
    nlohmann::json d = test::fixture("vm-6.18.json");
    d["probes"][0]["id"] = std::string(2'000'000, 'a') + ".b";
    const auto r = report::check_report_text(d.dump());
    REQUIRE_FALSE(r.ok());
    CHECK(r.errors.front().find("/probes/0/id: expected a string matching") != std::string::npos);
}

TEST_CASE("numbers: a float where the schema says integer is refused - numbers past 2^53 are refused")
{
    nlohmann::json d = test::fixture("vm-6.18.json");
    d["probes"][0]["duration_us"] = 1718.0;
    CHECK(only_error(d.dump()) == "/probes/0/duration_us: expected integer, got number");
    d["probes"][0]["duration_us"] = 1718;
    d["schema_version"] = 1.0;
    CHECK(only_error(d.dump()) == "/schema_version: expected an integer in 1..1, got number");
    d["schema_version"] = 1;
    d["probes"][0]["duration_us"] = 1e300;
    CHECK(only_error(d.dump()) == "/probes/0/duration_us: a number beyond +-2^53 (RFC 7493 I-JSON); no report field holds one");
    CHECK(only_error(R"({"schema_version": 1, "x": 1e400})") == "not valid JSON: number overflow parsing '1e400'");
    CHECK(only_error(R"({"schema_version": 1, "x": 18446744073709551615})").find("/x: a number beyond") == 0);
    CHECK(only_error(R"({"schema_version": 1, "x": -9007199254740993})").find("/x: a number beyond") == 0);
}

TEST_CASE("strict: a NUL - bytes after the value - duplicate keys are refused")
{
    const std::string good = test::fixture("vm-6.18.json").dump();
    REQUIRE(report::check_report_text(good).ok());
    CHECK(only_error(good + std::string("\0garbage{{{", 11)).find("not valid JSON: a NUL byte at byte offset ") == 0);
    CHECK(only_error(std::string("{\"a\":1}\0", 8) + good).find("not valid JSON: a NUL byte at byte offset 7") == 0);
    CHECK(only_error(good + " x").find("not valid JSON: ") == 0);
    CHECK(only_error(R"({"schema_version": 2, "schema_version": 1})") ==
          "not valid JSON: duplicate key \"schema_version\" in the object at /; a key appears once per object "
          "(RFC 7493 I-JSON)");
    CHECK(only_error(R"({"schema_version": 1, "probes": [{}, {"status": "a", "status": "b"}]})") ==
          "not valid JSON: duplicate key \"status\" in the object at /probes/1; a key appears once per object "
          "(RFC 7493 I-JSON)");
    // The same key in different objects is fine (schema errors follow).
    const auto other = report::check_report_text(R"({"schema_version": 1, "a": {"x": 1}, "b": {"x": 1}})");
    REQUIRE_FALSE(other.errors.empty());
    CHECK(other.errors.front().find("duplicate") == std::string::npos);
}

TEST_CASE("release_json: empties any document without allocating")
{
    nlohmann::json d = test::fixture("vm-6.18.json");
    report::release_json(d);
    CHECK(d.is_null());
}
