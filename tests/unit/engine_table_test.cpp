// zcengine's comparison table comes from the report JSON (engine/report_json
// -> reports/render_engine_text), so zcengine and zcreport print one table.
#include "engine/report_json.hpp"
#include "reports/render_text.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace zc::engine;
using zc::traffic::Kind;

namespace {

Measurement run(uint64_t sent, double elapsed_s)
{
    Measurement m;
    m.counts.sent = sent;
    m.counts.received = sent;
    m.counts.verified = sent;
    m.elapsed_s = elapsed_s;
    m.syscalls = sent;
    m.cpu_user_s = 0.01;
    m.cpu_sys_s = 0.03;
    m.sender_cpu_s = 0.02;
    return m;
}

std::vector<ModeResult> sample_results()
{
    ModeResult page;
    page.mode = Mode::page;
    page.kind = Kind::raw4_hdrincl;
    page.size = 1400;
    page.layout = "no-straddle";
    page.layout_reason = "probe splice_straddle.raw4_hdrincl: copied";
    page.reuse = "safe (waits for the receiver)";
    page.runs = {run(100000, 0.5), run(100000, 0.4), run(100000, 0.45)};

    ModeResult packed;
    packed.mode = Mode::packed;
    packed.kind = Kind::raw4_hdrincl;
    packed.size = 1400;
    packed.status = RunStatus::unclean;
    packed.reason = "2 packets lost, 3 corrupted";
    packed.reuse = "eager";
    Measurement bad = run(1000, 0.01);
    bad.counts.verified = 995;
    bad.counts.corrupted = 3;
    bad.counts.lost = 2;
    bad.counts.unsent = 1;
    bad.socket_drops = 2;
    bad.snmp_deltas = {{"Ip.InDiscards", 2}};
    bad.first_corruption = "seq 17 byte 40: expected 0x11, got 0x22";
    packed.runs = {bad};

    ModeResult mmsg;
    mmsg.mode = Mode::sendmmsg;
    mmsg.kind = Kind::raw4_hdrincl;
    mmsg.size = 1400;
    mmsg.runs = {run(100000, 0.25)};

    ModeResult zc;
    zc.mode = Mode::msg_zerocopy;
    zc.kind = Kind::udp4;
    zc.size = 1400;
    zc.status = RunStatus::unavailable;
    zc.reason = "MSG_ZEROCOPY unavailable here";
    return {page, packed, mmsg, zc};
}

std::string table_of(const std::vector<ModeResult>& results)
{
    nlohmann::json engine = nlohmann::json::array();
    for (const auto& r : results) engine.push_back(result_json(results, r));
    return zc::report::render_engine_table(engine);
}

} // namespace

// The expected text is what zcengine's own table printer (engine/render.cpp,
// before the table moved to reports/) printed for these results, except that
// an unknown SO_RXQ_OVFL count (null in the JSON) now reads "unknown", not -1,
// and the spread of a single repeat reads "not measured", not 0.0.
TEST_CASE("engine table: zcengine's columns - notes and footer from the JSON")
{
    const std::string expected =
        "MODE             KIND            SIZE STATUS             PPS          +-%  GBIT/S  SC/PKT  CPU NS/P  TX NS/P     "
        "VERIFIED   LOST    BAD   xPAGE   xMMSG\n"
        "page             raw4_hdrincl    1400 ok              222222         11.2    2.49   1.000       400      200 "
        "300000/300000      0      0    1.00    0.56\n"
        "    layout no-straddle (probe splice_straddle.raw4_hdrincl: copied)\n"
        "packed           raw4_hdrincl    1400 unclean         100000 not measured    1.12   1.000     40000    20000     "
        "995/1000      2      4    0.45    0.25\n"
        "    2 packets lost, 3 corrupted\n"
        "    first corruption: seq 17 byte 40: expected 0x11, got 0x22\n"
        "    losses: socket drops 2, SO_RXQ_OVFL unknown, Ip.InDiscards +2\n"
        "sendmmsg         raw4_hdrincl    1400 ok              400000 not measured    4.48   1.000       400      200 "
        "100000/100000      0      0    1.80    1.00\n"
        "msg-zerocopy     udp4            1400 unavailable MSG_ZEROCOPY unavailable here\n"
        "reuse page: safe (waits for the receiver)\n"
        "reuse packed: eager\n"
        "ratios: xPAGE against page, xMMSG against sendmmsg, same size (and socket kind where it ran)\n";
    CHECK(table_of(sample_results()) == expected);
}

TEST_CASE("engine table: a field a report from a file leaves out shows as -")
{
    const auto engine = nlohmann::json::parse(R"([{"mode": "sendto", "kind": "udp4", "size": 64, "status": "ok",
        "reason": null, "probe": null, "layout": null, "layout_reason": null, "reuse": null, "verify": true,
        "measured": true, "pps": {"median": 1000, "min": 900, "max": 1100, "spread": 0.2}}])");
    const std::string table = zc::report::render_engine_table(engine);
    CHECK(table.find("sendto           udp4              64 ok                1000         10.0       -       -         -"
                     "        -            -      -      0       -       -\n") != std::string::npos);
}
