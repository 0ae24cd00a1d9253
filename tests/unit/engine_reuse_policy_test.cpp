#include "engine/reuse_policy.hpp"

#include <doctest/doctest.h>

using namespace zc::engine;
using zc::traffic::Kind;

TEST_CASE("reuse_probe names a probe only where its evidence decides")
{
    CHECK(reuse_probe(Mode::page, Kind::raw4_hdrincl, false) == "splice.raw4_hdrincl");
    CHECK(reuse_probe(Mode::packed, Kind::raw4, false) == "splice.raw4");
    CHECK(reuse_probe(Mode::udp_splice, Kind::udp4, false) == "splice.udp4");
    CHECK(reuse_probe(Mode::udp_gso_splice, Kind::udp4, false) == "udp.gso_splice");
    // Eager, completion-driven and copy modes decide without a probe.
    CHECK(reuse_probe(Mode::page, Kind::raw4_hdrincl, true).empty());
    CHECK(reuse_probe(Mode::msg_zerocopy, Kind::udp4, false).empty());
    CHECK(reuse_probe(Mode::io_uring_send_zc, Kind::udp4, false).empty());
    CHECK(reuse_probe(Mode::tx_ring, Kind::packet_raw, false).empty());
    CHECK(reuse_probe(Mode::xdp_copy, Kind::packet_raw, false).empty());
    CHECK(reuse_probe(Mode::sendto, Kind::raw4_hdrincl, false).empty());
    CHECK(reuse_probe(Mode::io_uring_send, Kind::udp4, false).empty());
}

TEST_CASE("only a boolean false zero_copy says the kernel copied")
{
    CHECK(evidence_says_copied({{"zero_copy", false}}));
    CHECK_FALSE(evidence_says_copied({{"zero_copy", true}}));
    CHECK_FALSE(evidence_says_copied({{"zero_copy", "false"}}));
    CHECK_FALSE(evidence_says_copied({{"zero_copy", nullptr}}));
    CHECK_FALSE(evidence_says_copied(nlohmann::json::object()));
    CHECK_FALSE(evidence_says_copied(nlohmann::json()));
}

TEST_CASE("splice modes reuse pages at once only where the probe saw the kernel copy")
{
    const auto copied = decide_reuse(Mode::page, false, "splice.raw4_hdrincl", {{"zero_copy", false}});
    CHECK_FALSE(copied.guard);
    CHECK(copied.probe == "splice.raw4_hdrincl");
    CHECK(copied.text == "safe (probe splice.raw4_hdrincl saw the kernel copy: pages reused at once)");

    const auto zc = decide_reuse(Mode::udp_splice, false, "splice.udp4", {{"zero_copy", true}});
    CHECK(zc.guard);
    CHECK(zc.probe == "splice.udp4");
    CHECK(zc.text.find("saw zero-copy or was inconclusive") != std::string::npos);

    // A probe that said nothing (error, timeout) keeps the guard on.
    CHECK(decide_reuse(Mode::packed, false, "splice.raw4", nlohmann::json::object()).guard);
    CHECK(decide_reuse(Mode::udp_gso_splice, false, "udp.gso_splice", nlohmann::json()).guard);
}

TEST_CASE("completion-driven modes wait for their completions - copy modes reuse at once")
{
    const auto mz = decide_reuse(Mode::msg_zerocopy, false, "", nlohmann::json());
    CHECK(mz.guard);
    CHECK(mz.probe.empty());
    CHECK(mz.text == "safe (waits for the MSG_ZEROCOPY completion)");
    CHECK(decide_reuse(Mode::io_uring_send_zc, false, "", nlohmann::json()).text ==
          "safe (waits for the SEND_ZC notification)");
    const auto ring = decide_reuse(Mode::tx_ring, false, "", nlohmann::json());
    CHECK(ring.guard);
    CHECK(ring.text.find("the receiver has read the packet") != std::string::npos);
    // AF_XDP in copy mode: the completion alone would do, but the frame also
    // waits for the receiver, as the other zero-copy paths' pages do.
    const auto xsk = decide_reuse(Mode::xdp_copy, false, "", nlohmann::json());
    CHECK(xsk.guard);
    CHECK(xsk.probe.empty());
    CHECK(xsk.text.find("completion came back and the receiver has read") != std::string::npos);
    for (Mode m : {Mode::sendto, Mode::sendmmsg, Mode::io_uring_send}) {
        const auto d = decide_reuse(m, false, "", nlohmann::json());
        CHECK_FALSE(d.guard);
        CHECK(d.text == "safe (the kernel copies)");
    }
}

TEST_CASE("--reuse eager turns every guard off and says it is on purpose")
{
    for (const auto& info : all_modes()) {
        const auto d = decide_reuse(info.mode, true, "", nlohmann::json());
        CAPTURE(info.name);
        CHECK_FALSE(d.guard);
        CHECK(d.probe.empty());
        CHECK(d.text.rfind("eager (", 0) == 0);
        CHECK(d.text.find("on purpose") != std::string::npos);
    }
    CHECK(decide_reuse(Mode::tx_ring, true, "", nlohmann::json()).text.find("frames rewritten") !=
          std::string::npos);
    CHECK(decide_reuse(Mode::xdp_copy, true, "", nlohmann::json()).text.find("UMEM frames rewritten") !=
          std::string::npos);
}
