// The verdict of a CVE probe (ids security.cve_*), decided in one place so
// that "not affected" always carries its proof: the probe's path must be
// shown to have reached the vulnerable operation with the spliced
// page-cache page still referenced. Without that proof the result is
// "exposure not determined" (skipped), never a pass. Pure: the unit tests
// feed it what the kernel would have shown.
#pragma once

#include "probe/probe.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zc::probe {

// Whether the spliced page-cache page was still referenced when the
// vulnerable operation ran (evidence "reached"), and how that was shown or
// why not (evidence "reach_proof"). nullopt = not known.
struct Reach {
    std::optional<bool> reached;
    std::string proof;
};

// Who a CVE probe is, for its evidence.
struct CveId {
    std::string cve;         // "CVE-2026-46300"
    std::string common_name; // "Fragnesia"
    std::string fix_commit;  // "f84eca581739"
};

// The evidence every CVE probe starts from; "reached" and "reach_proof"
// are null until a builder below sets them.
nlohmann::json cve_evidence(const CveId& id);

// The verdict once the probe read its file back: `changed` bytes differ
// from what it wrote. A change is itself proof of reach (AFFECTED,
// unsupported, vulnerable true). No change is "not affected" (supported)
// only with reach.reached == true; otherwise skipped, reason "exposure not
// determined: ...", vulnerable null.
Result cve_verdict(const CveId& id, nlohmann::json evidence, size_t changed, const Reach& reach,
                   std::string_view what_ran, std::string_view ran_proof);

// The path this probe takes does not exist here (the kernel refused with
// err). When no module can be loaded on demand (`no_load` names why, from
// no_autoload_reason()), the vulnerable code is absent from this kernel:
// "not affected" (supported, vulnerable false) with path_available false,
// reached false and a reach_proof naming why. The renderers accept
// supported only with reached true or path_available false. When a module
// may still load (`no_load` empty), absence now proves nothing: skipped,
// "exposure not determined".
Result cve_path_absent(const CveId& id, nlohmann::json evidence, std::string_view what, int err,
                       std::string_view lacking, std::string_view no_load);

// The exposure of a path this kit has no behavioural test for (CVE-2026-43500,
// the RxRPC half of Dirty Frag): socket_err is the errno of the socket()
// that opens the path (0: it was created). Created: skipped, "exposure not
// determined: <family> present, no behavioural test", path_available true,
// reached null. Refused with EAFNOSUPPORT: cve_path_absent() (not affected
// when no module can load). Any other errno: nullopt (the caller's error).
std::optional<Result> socket_exposure(const CveId& id, nlohmann::json evidence, std::string_view what, int socket_err,
                                      std::string_view family, std::string_view no_load);

// What a rewrite-after-splice witness saw on a UDP receiver: the spliced
// bytes as written (the socket had copied them at append), as rewritten
// (the page was still referenced when the datagram left), or nothing, with
// or without Udp InCsumErrors rising (a checksum computed at append over
// the old bytes no longer matches: the page was still referenced).
enum class WitnessSeen { original, rewritten, nothing, other };
// `where` names the shape ("a corked udp4 datagram with a spliced file
// region"); `csum_rose` is nullopt when the counter could not be read.
Reach udp_witness_reach(WitnessSeen seen, std::optional<bool> csum_rose, std::string_view where);

} // namespace zc::probe
