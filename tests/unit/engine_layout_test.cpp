#include "engine/layout.hpp"

#include <doctest/doctest.h>

using namespace zc::engine;

TEST_CASE("no-straddle never lets a packet cross a page boundary")
{
    for (size_t page : {size_t{4096}, size_t{16384}}) {
        for (size_t frame = 20; frame <= page; frame += 37) {
            const auto l = compute_layout(LayoutPolicy::no_straddle, frame, page, 64, 256);
            REQUIRE(l.has_value());
            CAPTURE(frame);
            CHECK(l->offsets.front() == 0); // first packet page-aligned
            for (size_t off : l->offsets) CHECK_FALSE(crosses_page(off, frame, page));
            CHECK(l->pipe_buffers <= 64);
            CHECK(l->offsets.size() <= 256);
            // The segments hand over exactly the packets, no gap bytes.
            size_t total = 0;
            for (const auto& s : l->segments) {
                CHECK_FALSE(crosses_page(s.offset, s.len, page));
                total += s.len;
            }
            CHECK(total == l->offsets.size() * frame);
        }
    }
}

TEST_CASE("dense packs back to back from a page-aligned start within the pipe's buffers")
{
    const auto l = compute_layout(LayoutPolicy::dense, 1420, 4096, 16, 1000);
    REQUIRE(l.has_value());
    CHECK(l->offsets[0] == 0);
    CHECK(l->offsets[1] == 1420);
    CHECK(l->segments.size() == 1);
    CHECK(l->segments[0].len == l->offsets.size() * 1420);
    CHECK(l->pages <= 16);
    CHECK(l->offsets.size() == 16 * 4096 / 1420); // 46 fit in 16 pages
    bool straddles = false;
    for (size_t off : l->offsets) straddles = straddles || crosses_page(off, 1420, 4096);
    CHECK(straddles);
}

TEST_CASE("layouts that cannot exist are refused with a reason")
{
    std::string why;
    CHECK_FALSE(compute_layout(LayoutPolicy::no_straddle, 5000, 4096, 16, 10, &why).has_value());
    CHECK(why.find("cannot fit") != std::string::npos);
    CHECK_FALSE(compute_layout(LayoutPolicy::automatic, 100, 4096, 16, 10, &why).has_value());
    CHECK_FALSE(compute_layout(LayoutPolicy::dense, 65536, 4096, 4, 10, &why).has_value());
    CHECK(compute_layout(LayoutPolicy::dense, 9020, 4096, 4, 10).has_value());
}

TEST_CASE("layout names parse both ways")
{
    CHECK(parse_layout("no-straddle") == LayoutPolicy::no_straddle);
    CHECK(parse_layout("dense") == LayoutPolicy::dense);
    CHECK(parse_layout("auto") == LayoutPolicy::automatic);
    CHECK_FALSE(parse_layout("packed").has_value());
    CHECK(std::string(layout_name(LayoutPolicy::no_straddle)) == "no-straddle");
}

TEST_CASE("layout_probe asks the straddle probe only for packed modes under --layout auto")
{
    using zc::traffic::Kind;
    CHECK(layout_probe(Mode::packed, Kind::raw4_hdrincl, LayoutPolicy::automatic) == "splice_straddle.raw4_hdrincl");
    CHECK(layout_probe(Mode::udp_splice, Kind::udp4, LayoutPolicy::automatic) == "splice_straddle.udp4");
    CHECK(layout_probe(Mode::packed, Kind::raw4_hdrincl, LayoutPolicy::dense).empty());
    CHECK(layout_probe(Mode::packed, Kind::raw4_hdrincl, LayoutPolicy::no_straddle).empty());
    CHECK(layout_probe(Mode::page, Kind::raw4_hdrincl, LayoutPolicy::automatic).empty());
    CHECK(layout_probe(Mode::udp_gso_splice, Kind::udp4, LayoutPolicy::automatic).empty());
}

TEST_CASE("--layout auto is dense only where the probe saw straddling packets sent whole")
{
    const std::string id = "splice_straddle.udp4";
    const auto whole = decide_layout(Mode::udp_splice, LayoutPolicy::automatic, id, {{"outcome", "whole"}});
    CHECK(whole.policy == LayoutPolicy::dense);
    CHECK(whole.reason == "auto: probe splice_straddle.udp4 found straddling packets sent whole");
    for (const nlohmann::json& ev : {nlohmann::json{{"outcome", "split"}}, nlohmann::json::object(), nlohmann::json()}) {
        const auto d = decide_layout(Mode::packed, LayoutPolicy::automatic, id, ev);
        CHECK(d.policy == LayoutPolicy::no_straddle);
        CHECK(d.reason == "auto: probe splice_straddle.udp4 did not find straddling packets sent whole");
    }
}

TEST_CASE("an explicit --layout is kept - modes without a layout give no reason")
{
    const auto d = decide_layout(Mode::packed, LayoutPolicy::no_straddle, "", nlohmann::json());
    CHECK(d.policy == LayoutPolicy::no_straddle);
    CHECK(d.reason == "chosen with --layout");
    CHECK(decide_layout(Mode::udp_gso_splice, LayoutPolicy::automatic, "", nlohmann::json()).reason ==
          "UDP GSO cuts one splice of back-to-back datagrams");
    const auto page = decide_layout(Mode::page, LayoutPolicy::automatic, "", nlohmann::json());
    CHECK(page.reason.empty());
}
