#include "probe/cve_2026_verdict.hpp"

#include "core/errno_name.hpp"

#include <cerrno>

namespace zc::probe {

nlohmann::json cve_evidence(const CveId& id)
{
    return {{"cve", id.cve},
            {"common_name", id.common_name},
            {"fix_commit", id.fix_commit},
            {"vulnerable", nullptr},
            {"reached", nullptr},
            {"reach_proof", nullptr},
            {"file_bytes_changed", nullptr}};
}

namespace {

nlohmann::json reached_json(const std::optional<bool>& r)
{
    return r ? nlohmann::json(*r) : nlohmann::json(nullptr);
}

std::string cve_label(const CveId& id)
{
    return id.cve + " (" + id.common_name + ")";
}

} // namespace

Result cve_verdict(const CveId& id, nlohmann::json ev, size_t changed, const Reach& reach, std::string_view what_ran,
                   std::string_view ran_proof)
{
    ev["file_bytes_changed"] = changed;
    if (changed != 0) {
        ev["vulnerable"] = true;
        ev["reached"] = true;
        ev["reach_proof"] = "the file changed: the kernel wrote into the spliced page-cache page";
        return unsupported(std::string(what_ran) + " changed " + std::to_string(changed) +
                               " bytes of the spliced temp file; kernel is affected by " + cve_label(id),
                           std::move(ev));
    }
    ev["reached"] = reached_json(reach.reached);
    ev["reach_proof"] = reach.proof.empty() ? nlohmann::json(nullptr) : nlohmann::json(reach.proof);
    if (reach.reached.value_or(false)) {
        ev["vulnerable"] = false;
        std::string why = std::string(ran_proof);
        why += why.empty() ? "" : "; ";
        return supported(std::string(what_ran) + " left the spliced temp file unchanged (" + why + reach.proof +
                             "); kernel is not affected by " + cve_label(id),
                         std::move(ev));
    }
    ev["vulnerable"] = nullptr;
    Result r = skipped("exposure not determined: " + std::string(what_ran) +
                       " left the spliced temp file unchanged, but " +
                       (reach.proof.empty() ? std::string("nothing showed that the spliced page reached the "
                                                          "vulnerable operation")
                                            : reach.proof) +
                       "; cannot tell whether the kernel is affected by " + cve_label(id));
    r.evidence = std::move(ev);
    return r;
}

Result cve_path_absent(const CveId& id, nlohmann::json ev, std::string_view what, int err, std::string_view lacking,
                       std::string_view no_load)
{
    const std::string refused = std::string(what) + " failed: " + errno_text(err) + "; the kernel lacks " +
                                std::string(lacking);
    ev["path_available"] = false;
    ev["path_errno"] = errno_name(err).value_or(std::to_string(err));
    ev["reached"] = false;
    if (!no_load.empty()) {
        ev["vulnerable"] = false;
        ev["reach_proof"] = "the vulnerable code is absent: " + refused + " and no module can be loaded (" +
                            std::string(no_load) + ")";
        return supported(refused + ", and no module can be loaded (" + std::string(no_load) +
                             "); the vulnerable code is absent, so the kernel is not affected by " + cve_label(id),
                         std::move(ev));
    }
    ev["vulnerable"] = nullptr;
    ev["reach_proof"] = refused + "; a module could still provide it";
    Result r = skipped("exposure not determined: " + refused + ", so this probe cannot reach " + cve_label(id) +
                       ", but a kernel module could still provide it");
    r.evidence = std::move(ev);
    return r;
}

std::optional<Result> socket_exposure(const CveId& id, nlohmann::json ev, std::string_view what, int socket_err,
                                      std::string_view family, std::string_view no_load)
{
    if (socket_err == EAFNOSUPPORT) return cve_path_absent(id, std::move(ev), what, socket_err, family, no_load);
    if (socket_err != 0) return std::nullopt;
    ev["path_available"] = true;
    ev["path_errno"] = nullptr;
    ev["vulnerable"] = nullptr;
    ev["reached"] = nullptr;
    ev["reach_proof"] = "no behavioural test: " + std::string(what) + " succeeded, so the path exists";
    Result r = skipped("exposure not determined: " + std::string(family) + " present (" + std::string(what) +
                       " succeeded), no behavioural test; cannot tell whether the kernel is affected by " +
                       cve_label(id));
    r.evidence = std::move(ev);
    return r;
}

Reach udp_witness_reach(WitnessSeen seen, std::optional<bool> csum_rose, std::string_view where)
{
    const std::string w(where);
    switch (seen) {
    case WitnessSeen::rewritten:
        return {true, "rewrite witness: " + w + " delivered the bytes written after splice, so the page-cache page "
                                                "was still referenced when it left"};
    case WitnessSeen::original:
        return {false, "this kernel copies spliced pages into UDP at append (observed: " + w +
                           " delivered the bytes as spliced, not as rewritten), so ESP never sees page-cache pages"};
    case WitnessSeen::nothing:
        if (csum_rose.value_or(false)) {
            return {true, "checksum-drop witness: " + w + " rewritten after splice was dropped with a udp checksum "
                                                          "error, so the page-cache page was still referenced at uncork"};
        }
        return {std::nullopt, "the witness datagram (" + w + ") never arrived and no udp checksum error was counted" +
                                  (csum_rose ? std::string() : std::string(" (Udp InCsumErrors unreadable)"))};
    case WitnessSeen::other: break;
    }
    return {std::nullopt, "the witness datagram (" + w + ") arrived with bytes that are neither the spliced nor the "
                                                         "rewritten ones"};
}

} // namespace zc::probe
