#include "apps/zcengine/cli.hpp"
#include "engine/modes.hpp"
#include "engine/wire_format.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <vector>

using namespace zc::engine;

namespace {

ParsedCli parse(std::vector<const char*> args)
{
    args.insert(args.begin(), "zcengine");
    return parse_cli(static_cast<int>(args.size()), args.data());
}

} // namespace

TEST_CASE("defaults: page mode - 1400 bytes - safe reuse - auto layout - verify")
{
    const auto p = parse({});
    REQUIRE(p.options);
    CHECK(p.options->modes == std::vector<Mode>{Mode::page});
    CHECK(p.options->sizes == std::vector<size_t>{1400});
    CHECK(p.options->reuse == Reuse::safe);
    CHECK(p.options->layout == LayoutPolicy::automatic);
    CHECK(p.options->verify);
    CHECK(p.options->warmup >= 1000);
}

TEST_CASE("modes - sizes and flags parse")
{
    const auto p = parse({"--modes", "packed,sendmmsg,packed", "--sizes", "64,1400", "--no-verify", "--reuse",
                          "eager", "--layout", "no-straddle", "--repeat", "3", "--duration", "2s"});
    REQUIRE(p.options);
    CHECK(p.options->modes == std::vector<Mode>{Mode::packed, Mode::sendmmsg});
    CHECK(p.options->sizes == std::vector<size_t>{64, 1400});
    CHECK_FALSE(p.options->verify);
    CHECK(p.options->reuse == Reuse::eager);
    CHECK(p.options->layout == LayoutPolicy::no_straddle);
    CHECK(p.options->repeat == 3);
    CHECK(p.options->duration_ms == 2000);
    const auto all = parse({"--modes", "all"});
    REQUIRE(all.options);
    CHECK(all.options->all_modes);
    CHECK(all.options->modes.size() == all_modes().size());
}

TEST_CASE("bad input is one line and exit 2")
{
    const std::vector<std::vector<const char*>> bad = {
        {"--mode", "nope"},          {"--modes", "page,nope"},   {"--mode", "page,packed"},
        {"--mode", "page", "--modes", "packed"},                  {"--kind", "tcp9"},
        {"--sizes", "64,abc"},       {"--sizes", ","},           {"--count", "0"},
        {"--count", "-5"},           {"--duration", "0"},        {"--time-limit", "1h"},
        {"--repeat", "0"},           {"--reuse", "sometimes"},   {"--layout", "sparse"},
        {"--window", "3"},           {"--frobnicate"},
    };
    for (const auto& args : bad) {
        const auto p = parse(args);
        CAPTURE(args.front());
        CHECK_FALSE(p.options.has_value());
        CHECK(p.exit_code == exit_usage);
        CHECK_FALSE(p.message.empty());
        CHECK(p.message.find('\n') == std::string::npos);
    }
}

TEST_CASE("a mode that cannot send over the kind is refused unless --modes all")
{
    auto p = parse({"--mode", "udp-gso-splice", "--kind", "raw4"});
    REQUIRE(p.options);
    std::string err;
    CHECK(plan_runs(*p.options, err).empty());
    CHECK(err.find("allows udp4") != std::string::npos);
    p = parse({"--modes", "all", "--kind", "raw4"});
    REQUIRE(p.options);
    err.clear();
    for (const auto& pl : plan_runs(*p.options, err)) {
        // Single-kind modes keep theirs; the others take the kind asked for.
        const auto& kinds = mode_info(pl.mode).kinds;
        CHECK(pl.kind == (kinds.size() == 1 ? kinds.front() : zc::traffic::Kind::raw4));
        CHECK(pl.skip_reason.empty());
    }
    CHECK(err.empty());
    p = parse({"--modes", "all", "--kind", "tcp4"});
    REQUIRE(p.options);
    bool skipped = false;
    for (const auto& pl : plan_runs(*p.options, err)) skipped = skipped || !pl.skip_reason.empty();
    CHECK(skipped);
    CHECK(err.empty());
}

TEST_CASE("sizes are checked against the engine header - the protocol and one page for page mode")
{
    using zc::traffic::Kind;
    CHECK_FALSE(check_size(Mode::page, Kind::raw4_hdrincl, packet_header_len - 1, 4096).empty());
    CHECK(check_size(Mode::page, Kind::raw4_hdrincl, packet_header_len, 4096).empty());
    CHECK(check_size(Mode::page, Kind::raw4_hdrincl, 1400, 4096).empty());
    CHECK_FALSE(check_size(Mode::page, Kind::raw4_hdrincl, 9000, 4096).empty());
    CHECK(check_size(Mode::packed, Kind::raw4_hdrincl, 9000, 4096).empty());
    CHECK(check_size(Mode::sendto, Kind::udp4, 65507, 4096).empty());
    CHECK_FALSE(check_size(Mode::sendto, Kind::udp4, 65508, 4096).empty());
    CHECK_FALSE(check_size(Mode::sendto, Kind::raw4_hdrincl, 65516, 4096).empty());
    // xdp-copy: one Ethernet frame within the veth pair's MTU.
    CHECK(check_size(Mode::xdp_copy, Kind::packet_raw, 64, 4096).empty());
    CHECK(check_size(Mode::xdp_copy, Kind::packet_raw, 1500, 4096).empty());
    CHECK(check_size(Mode::xdp_copy, Kind::packet_raw, 1501, 4096).find("veth link's MTU") != std::string::npos);
    auto p = parse({"--mode", "page", "--sizes", "9000"});
    REQUIRE(p.options);
    std::string err;
    const auto plans = plan_runs(*p.options, err);
    CHECK_FALSE(check_sizes(*p.options, plans, 4096).empty());
}

TEST_CASE("each mode names the probes that gate it")
{
    using zc::traffic::Kind;
    const auto page = gating_probes(Mode::page, Kind::raw4_hdrincl);
    CHECK(std::find(page.begin(), page.end(), "splice.raw4_hdrincl") != page.end());
    const auto gso = gating_probes(Mode::udp_gso_splice, Kind::udp4);
    CHECK(std::find(gso.begin(), gso.end(), "udp.gso_splice") != gso.end());
    CHECK(gating_probes(Mode::sendmmsg, Kind::udp4).empty());
    const auto xdp = gating_probes(Mode::xdp_copy, Kind::packet_raw);
    CHECK(xdp == std::vector<std::string>{"xdp.socket", "xdp.tx_copy"});
    CHECK(zero_copy_probe(Mode::packed, Kind::udp4) == "splice.udp4");
    CHECK(zero_copy_probe(Mode::sendto, Kind::udp4).empty());
}
