#include "report_fixtures.hpp"

#include "reports/redact.hpp"

using namespace zc;
using nlohmann::json;

TEST_CASE("redaction replaces every identifying string - consistently - and keeps the report valid")
{
    json doc = test::fixture("redaction.json");
    report::Redactor r;
    r.redact(doc);
    const std::string text = doc.dump();
    for (const char* original : {"alice", "corp.example", "3f1d2c4b-5a69-4788-9abc-def012345678", "192.168.7.23",
                                 "fd00:1234::17", "52:54:00:12:34:56", "10.1.2.3"}) {
        CAPTURE(original);
        CHECK(text.find(original) == std::string::npos);
    }
    CHECK(doc["environment"]["hostname"] == "[host-1]");
    CHECK(text.find("on [host-1]") != std::string::npos); // the short name maps to the same host
    CHECK(text.find("127.0.0.1 kept") != std::string::npos);
    CHECK(report::check_report_text(doc.dump()).ok());
}

TEST_CASE("redact_text: addresses and words")
{
    report::Redactor r({"bob"});
    json doc = {{"environment", {{"hostname", "db7"}}}, {"x", "bob"}};
    r.redact(doc);
    CHECK(doc["x"] == "[user-1]");
    CHECK(r.redact_text("to 10.0.0.1, from 10.0.0.2, back to 10.0.0.1.") == "to [ipv4-1], from [ipv4-2], back to [ipv4-1].");
    CHECK(r.redact_text("mac AA:BB:CC:DD:EE:FF") == "mac [mac-1]");
    CHECK(r.redact_text("v6 2001:db8::1 and ::1 and ::") == "v6 [ipv6-1] and ::1 and ::");
    CHECK(r.redact_text("at 07:09:19 kernel 6.1.0 commit 912d35f86781") == "at 07:09:19 kernel 6.1.0 commit 912d35f86781");
    CHECK(r.redact_text("db7 and db70 and bobby") == "[host-1] and db70 and bobby");
    CHECK(r.redact_text("/home/carol/x and /Users/dave") == "/home/[user-2]/x and /Users/[user-3]");
}
