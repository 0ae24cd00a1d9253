#include "report_fixtures.hpp"

#include "engine/egress_run.hpp"
#include "engine/options.hpp"
#include "engine/report_json.hpp"
#include "engine/sink.hpp"
#include "reports/render.hpp"
#include "reports/render_text.hpp"
#include "reports/report_view.hpp"

#include <doctest/doctest.h>

using namespace zc::engine;
using zc::traffic::Kind;

TEST_CASE("sink names parse both ways and nothing else is a sink")
{
    CHECK(parse_sink("loopback") == Sink::loopback);
    CHECK(parse_sink("egress") == Sink::egress);
    CHECK_FALSE(parse_sink("Egress").has_value());
    CHECK_FALSE(parse_sink("").has_value());
    CHECK(sink_name(Sink::egress) == "egress");
    CHECK(sink_name(Sink::loopback) == "loopback");
}

TEST_CASE("egress takes the copy - ring - io_uring and MSG_ZEROCOPY modes but not the splice modes")
{
    for (Mode m : {Mode::sendto, Mode::sendmmsg}) {
        for (Kind k : {Kind::raw4_hdrincl, Kind::raw4, Kind::udp4, Kind::packet_raw}) {
            CHECK(egress_refusal(m, k).empty());
        }
    }
    CHECK(egress_refusal(Mode::msg_zerocopy, Kind::udp4).empty());
    CHECK(egress_refusal(Mode::tx_ring, Kind::packet_raw).empty());
    CHECK(egress_refusal(Mode::io_uring_send, Kind::udp4).empty());
    CHECK(egress_refusal(Mode::io_uring_send_zc, Kind::udp4).empty());
    for (Mode m : {Mode::page, Mode::packed, Mode::udp_splice, Mode::udp_gso_splice}) {
        CHECK(egress_refusal(m, Kind::udp4).find("no receiver") != std::string::npos);
    }
}

TEST_CASE("egress refuses xdp-copy - which has its own veth pair and receiver")
{
    CHECK(egress_refusal(Mode::xdp_copy, Kind::packet_raw).find("no egress variant") != std::string::npos);
}

TEST_CASE("UDP above the MTU leaves as GSO segments of the room behind IPv4 and UDP")
{
    CHECK(egress_room(Kind::udp4, 1500) == 1472);
    CHECK(egress_room(Kind::raw4_hdrincl, 1500) == 1480);
    CHECK(egress_room(Kind::packet_raw, 1500) == 1500);
    CHECK(egress_gso_size(Kind::udp4, 1472, 1500) == 0);
    CHECK(egress_gso_size(Kind::udp4, 1473, 1500) == 1472);
    CHECK(egress_gso_size(Kind::udp4, 65507, 1500) == 1472);
    CHECK(egress_gso_size(Kind::packet_raw, 9000, 1500) == 0);
}

TEST_CASE("egress sizes: udp4 up to 65507 through GSO - the others up to the MTU")
{
    CHECK(check_egress_size(Mode::sendmmsg, Kind::udp4, 65507, 1500).empty());
    CHECK(check_egress_size(Mode::sendmmsg, Kind::udp4, 65508, 1500).find("above 65507") != std::string::npos);
    CHECK(check_egress_size(Mode::tx_ring, Kind::packet_raw, 1500, 1500).empty());
    CHECK(check_egress_size(Mode::tx_ring, Kind::packet_raw, 1501, 1500).find("MTU 1500") != std::string::npos);
    CHECK(check_egress_size(Mode::sendto, Kind::raw4, 1481, 1500).find("above 1480") != std::string::npos);
}

TEST_CASE("the loopback pre-check is brief and never longer than the run")
{
    CHECK(precheck_count(200000) == 4096);
    CHECK(precheck_count(1000) == 1000);
}

TEST_CASE("explicit modes at the egress sink: a splice mode or a size too big is bad input")
{
    Options o;
    o.sink = Sink::egress;
    o.sizes = {64, 1400};
    std::vector<Plan> plans = {{Mode::tx_ring, Kind::packet_raw, {}}, {Mode::msg_zerocopy, Kind::udp4, {}}};
    CHECK(check_egress_plans(o, plans).empty());
    o.sizes = {2000};
    CHECK(check_egress_plans(o, plans).find("MTU") != std::string::npos);
    o.sizes = {64};
    plans.push_back({Mode::packed, Kind::raw4_hdrincl, {}});
    CHECK(check_egress_plans(o, plans).find("--sink egress: packed") == 0);
    o.all_modes = true; // --modes all reports those rows as skipped instead
    CHECK(check_egress_plans(o, plans).empty());
    o.all_modes = false;
    o.sink = Sink::loopback;
    CHECK(check_egress_plans(o, plans).empty());
}

TEST_CASE("an egress run is ok only after a clean pre-check and within the time limit")
{
    Precheck pre;
    pre.counts.sent = 4096;
    pre.counts.verified = 4096;
    Measurement m;
    m.counts.sent = 1000;
    Verdict v = judge_egress({m, m}, pre);
    CHECK(v.status == RunStatus::ok);
    CHECK(v.reason == "2000 sent to the egress sink (not received, not verified); loopback pre-check verified 4096 "
                      "of 4096");
    pre.status = RunStatus::unclean;
    pre.reason = "3 lost, 0 corrupted, 0 duplicated of 4096 sent in the last run";
    v = judge_egress({m}, pre);
    CHECK(v.status == RunStatus::unclean);
    CHECK(v.reason.find("loopback pre-check unclean: 3 lost") == 0);
    pre.status = RunStatus::ok;
    m.timed_out = true;
    CHECK(judge_egress({m}, pre).status == RunStatus::unclean);
}

namespace {

ModeResult egress_result()
{
    ModeResult r;
    r.mode = Mode::msg_zerocopy;
    r.kind = Kind::udp4;
    r.size = 65000;
    r.sink = Sink::egress;
    r.gso_size = 1472;
    r.precheck = Precheck{};
    r.precheck->counts.sent = r.precheck->counts.verified = 4096;
    r.reason = "1000 sent to the egress sink (not received, not verified); loopback pre-check verified 4096 of 4096";
    Measurement m;
    m.counts.sent = 1000;
    m.elapsed_s = 0.5;
    m.zerocopy = ZcCompletions{1000, 0};
    r.runs = {m};
    return r;
}

} // namespace

TEST_CASE("an egress result: received - verified and lost are unknown (not zero) and completions are reported")
{
    const ModeResult r = egress_result();
    const auto j = result_json({r}, r);
    CHECK(j["sink"] == "egress");
    CHECK(j["sent"] == 1000);
    CHECK(j["received"].is_null());
    CHECK(j["verified"].is_null());
    CHECK(j["lost"].is_null());
    CHECK(j["corrupted"] == 0);
    CHECK(j["zerocopy_completions"]["total"] == 1000);
    CHECK(j["zerocopy_completions"]["copied"] == 0);
    CHECK(j["runs"][0]["zerocopy_completions"]["copied"] == 0);
    CHECK(j["precheck"]["verified"] == 4096);
    CHECK(j["gso_size"] == 1472);
    CHECK(j["egress_link"]["tx_packets"].is_null());

    ModeResult lo = egress_result();
    lo.sink = Sink::loopback;
    lo.precheck.reset();
    lo.gso_size = 0;
    const auto jl = result_json({lo}, lo);
    CHECK(jl["sink"] == "loopback");
    CHECK(jl["lost"] == 0);
    CHECK_FALSE(jl.contains("precheck"));
    CHECK_FALSE(jl.contains("egress_link"));
}

TEST_CASE("renderers never report an egress run as lost")
{
    const ModeResult r = egress_result();
    nlohmann::json doc = {{"engine", nlohmann::json::array({result_json({r}, r)})}};
    const auto runs = zc::report::engine_runs(doc);
    REQUIRE(runs.size() == 1);
    CHECK(runs[0].egress);
    CHECK_FALSE(runs[0].counts.has_value());
    REQUIRE(runs[0].egress_sent.has_value());
    CHECK(*runs[0].egress_sent == 1000);
    const std::string table = zc::report::render_engine_table(doc["engine"]);
    CHECK(table.find("sink egress (no receiver); loopback pre-check ok: 4096 of 4096 verified; zero-copy "
                     "completions 1000, copied 0; UDP GSO segments of 1472 B") != std::string::npos);
    CHECK(table.find("losses") == std::string::npos);
}

TEST_CASE("junit passes an ok egress run and prometheus gives its sent count but no verified or lost")
{
    const ModeResult r = egress_result();
    // A real engine report's frame with only the egress entry in it.
    nlohmann::json doc = zc::test::fixture("engine/vm-6.18-engine.json");
    doc["engine"] = nlohmann::json::array({result_json({r}, r)});
    const std::string junit = zc::report::render_junit(doc, {}, false);
    CHECK(junit.find("failures=\"0\"") != std::string::npos);
    CHECK(junit.find("1000 sent to the egress sink") != std::string::npos);
    CHECK(junit.find("<failure") == std::string::npos);
    const std::string prom = zc::report::render_prometheus(doc);
    CHECK(prom.find("zcengine_packets_sent{mode=\"msg-zerocopy\"") != std::string::npos);
    CHECK(prom.find("zcengine_packets_lost") == std::string::npos);
    CHECK(prom.find("zcengine_packets_verified") == std::string::npos);
}
