// The CVE probes' verdicts: "not affected" only with proof of reach.
#include "probe/cve_2026_verdict.hpp"
#include "probe/xfrm_netlink.hpp"

#include <doctest/doctest.h>

#include <linux/netlink.h>

#include <cerrno>
#include <cstring>

using namespace zc::probe;
using zc::Status;

namespace {

const CveId fragnesia{"CVE-2026-46300", "Fragnesia", "f84eca581739"};

std::vector<Reach> all_reaches()
{
    return {{true, "witness"}, {false, "copied at append"}, {std::nullopt, ""}, {std::nullopt, "never arrived"}};
}

} // namespace

TEST_CASE("cve_verdict: no not-affected without reached true - for every builder and input")
{
    for (const size_t changed : {size_t{0}, size_t{4}}) {
        for (const Reach& reach : all_reaches()) {
            const Result r = cve_verdict(fragnesia, cve_evidence(fragnesia), changed, reach, "an esp packet", "ran");
            CAPTURE(changed);
            CAPTURE(reach.proof);
            REQUIRE(r.evidence.contains("reached"));
            REQUIRE(r.evidence.contains("reach_proof"));
            if (r.status == Status::supported) {
                CHECK(r.evidence["reached"] == true);
                CHECK(r.evidence["vulnerable"] == false);
                CHECK(r.evidence["reach_proof"].is_string());
            }
            if (changed != 0) {
                CHECK(r.status == Status::unsupported);
                CHECK(r.evidence["vulnerable"] == true);
                CHECK(r.evidence["reached"] == true); // a changed file is itself proof of reach
            } else if (reach.reached == true) {
                CHECK(r.status == Status::supported);
            } else {
                CHECK(r.status == Status::skipped);
                CHECK(r.reason.rfind("exposure not determined: ", 0) == 0);
                CHECK(r.evidence["vulnerable"].is_null());
                CHECK(r.evidence["reached"] != true);
            }
        }
    }
}

// What the renderers' view model accepts as "not affected".
static bool proven_not_affected(const Result& r)
{
    return r.status == Status::supported &&
           (r.evidence.value("reached", nlohmann::json()) == true ||
            r.evidence.value("path_available", nlohmann::json()) == false);
}

TEST_CASE("cve_path_absent: path absent and no module can load is a proof - a loadable module is not")
{
    const Result absent = cve_path_absent(fragnesia, cve_evidence(fragnesia), "socket(AF_ALG)", EAFNOSUPPORT, "AF_ALG",
                                          "kernel.modprobe is empty (no module autoloading)");
    CHECK(absent.status == Status::supported);
    CHECK(proven_not_affected(absent));
    CHECK(absent.evidence["path_available"] == false);
    CHECK(absent.evidence["reached"] == false);
    CHECK(absent.evidence["vulnerable"] == false);
    CHECK(absent.evidence["path_errno"] == "EAFNOSUPPORT");
    const std::string proof = absent.evidence["reach_proof"];
    CHECK(proof.rfind("the vulnerable code is absent: ", 0) == 0);
    CHECK(proof.find("kernel.modprobe is empty") != std::string::npos);

    const Result loadable = cve_path_absent(fragnesia, cve_evidence(fragnesia), "socket(AF_ALG)", EAFNOSUPPORT,
                                            "AF_ALG", "");
    CHECK(loadable.status == Status::skipped);
    CHECK(!proven_not_affected(loadable));
    CHECK(loadable.reason.rfind("exposure not determined: ", 0) == 0);
    CHECK(loadable.evidence["reached"] == false);
    CHECK(loadable.evidence["vulnerable"].is_null());
}

TEST_CASE("every CVE result builder: supported only with the proof the view model accepts")
{
    std::vector<Result> all;
    for (const size_t changed : {size_t{0}, size_t{4}}) {
        for (const Reach& reach : all_reaches()) {
            all.push_back(cve_verdict(fragnesia, cve_evidence(fragnesia), changed, reach, "an esp packet", "ran"));
        }
    }
    for (const char* no_load : {"", "the kernel has no module support (no /proc/modules)"}) {
        all.push_back(cve_path_absent(fragnesia, cve_evidence(fragnesia), "w", EPROTONOSUPPORT, "esp4", no_load));
    }
    for (const Result& r : all) {
        CAPTURE(r.reason);
        REQUIRE(r.evidence.contains("reached"));
        REQUIRE(r.evidence.contains("reach_proof"));
        if (r.status == Status::supported) {
            CHECK(proven_not_affected(r));
            CHECK(r.evidence["vulnerable"] == false);
            CHECK(r.evidence["reach_proof"].is_string());
        }
        if (r.status == Status::unsupported) CHECK(r.evidence["vulnerable"] == true);
    }
}

TEST_CASE("cve_verdict: the 6.1.172 case - unchanged file after a copy at append - is not determined")
{
    const Reach copied = udp_witness_reach(WitnessSeen::original, false, "a corked udp4 datagram");
    CHECK(copied.reached == false);
    CHECK(copied.proof.find("copies spliced pages into UDP at append") != std::string::npos);
    const Result r = cve_verdict(fragnesia, cve_evidence(fragnesia), 0, copied, "an esp datagram", "esp input ran");
    CHECK(r.status == Status::skipped);
    CHECK(r.evidence["reached"] == false);
    CHECK(r.reason.find("copies spliced pages") != std::string::npos);
}

TEST_CASE("udp_witness_reach: what the receiver saw decides reach")
{
    CHECK(udp_witness_reach(WitnessSeen::rewritten, false, "w").reached == true);
    CHECK(udp_witness_reach(WitnessSeen::nothing, true, "w").reached == true);
    CHECK(udp_witness_reach(WitnessSeen::nothing, true, "w").proof.find("checksum-drop witness") == 0);
    CHECK(!udp_witness_reach(WitnessSeen::nothing, false, "w").reached.has_value());
    CHECK(!udp_witness_reach(WitnessSeen::nothing, std::nullopt, "w").reached.has_value());
    CHECK(!udp_witness_reach(WitnessSeen::other, true, "w").reached.has_value());
}

namespace {

void put_msg(std::vector<uint8_t>& buf, uint16_t type, uint32_t seq, uint32_t pid, const void* payload, size_t len)
{
    nlmsghdr h{};
    h.nlmsg_len = static_cast<uint32_t>(NLMSG_HDRLEN + len);
    h.nlmsg_type = type;
    h.nlmsg_seq = seq;
    h.nlmsg_pid = pid;
    const size_t at = buf.size();
    buf.resize(at + NLMSG_ALIGN(h.nlmsg_len), 0);
    std::memcpy(buf.data() + at, &h, sizeof h);
    if (len != 0) std::memcpy(buf.data() + at + NLMSG_HDRLEN, payload, len);
}

} // namespace

TEST_CASE("xfrm match_reply: by sequence number and port id - past answers to other requests")
{
    std::vector<uint8_t> buf;
    nlmsgerr stale{};
    stale.error = -EEXIST;
    put_msg(buf, NLMSG_ERROR, 6, 42, &stale, sizeof stale);  // an earlier request
    put_msg(buf, NLMSG_ERROR, 7, 99, &stale, sizeof stale);  // another socket's port
    const uint8_t info[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    put_msg(buf, 16 /* XFRM_MSG_NEWSA */, 7, 42, info, sizeof info);
    xfrm::Reply r = xfrm::match_reply(buf.data(), buf.size(), 7, 42);
    CHECK(r.matched);
    CHECK(!r.is_error);
    CHECK(r.type == 16);
    CHECK(r.payload.size() == sizeof info);
    r = xfrm::match_reply(buf.data(), buf.size(), 6, 42);
    CHECK(r.is_error);
    CHECK(r.error == EEXIST);
    CHECK(!xfrm::match_reply(buf.data(), buf.size(), 8, 42).matched);
    // A truncated message is a cause, not an errno.
    buf.resize(buf.size() - 4);
    r = xfrm::match_reply(buf.data(), buf.size(), 7, 42);
    CHECK(!r.malformed.empty());
}

TEST_CASE("socket_exposure: the RxRPC half - present is not determined and absent is a proof only when nothing can load")
{
    const CveId rx{"CVE-2026-43500", "Dirty Frag (RxRPC)", "aa54b1d27fe0"};
    const auto present = socket_exposure(rx, cve_evidence(rx), "socket(AF_RXRPC)", 0, "AF_RXRPC", "");
    REQUIRE(present.has_value());
    CHECK(present->status == Status::skipped);
    CHECK(present->reason.rfind("exposure not determined: AF_RXRPC present", 0) == 0);
    CHECK(present->evidence["path_available"] == true);
    CHECK(present->evidence["reached"].is_null());
    CHECK(!proven_not_affected(*present));

    const auto absent = socket_exposure(rx, cve_evidence(rx), "socket(AF_RXRPC)", EAFNOSUPPORT, "AF_RXRPC",
                                        "kernel.modules_disabled is 1");
    REQUIRE(absent.has_value());
    CHECK(absent->status == Status::supported);
    CHECK(proven_not_affected(*absent));
    CHECK(absent->evidence["path_available"] == false);

    const auto loadable = socket_exposure(rx, cve_evidence(rx), "socket(AF_RXRPC)", EAFNOSUPPORT, "AF_RXRPC", "");
    REQUIRE(loadable.has_value());
    CHECK(loadable->status == Status::skipped);

    CHECK(!socket_exposure(rx, cve_evidence(rx), "socket(AF_RXRPC)", EPERM, "AF_RXRPC", "").has_value());
}
