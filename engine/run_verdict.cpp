#include "engine/run_verdict.hpp"

#include "core/errno_name.hpp"
#include "core/verdict.hpp"

namespace zc::engine {

std::optional<Refusal> refuse_plan(Mode m, traffic::Kind k, const std::string& skip_reason, size_t size, size_t page)
{
    if (!skip_reason.empty()) return Refusal{RunStatus::skipped, {}, skip_reason};
    if (auto e = check_size(m, k, size, page); !e.empty()) return Refusal{RunStatus::skipped, {}, e};
    return std::nullopt;
}

std::optional<Refusal> refuse_by_probe(const std::string& id, const probe::Result& r)
{
    if (r.status == Status::supported) return std::nullopt;
    return Refusal{RunStatus::unavailable, id,
                   "probe " + id + " is " + std::string(status_name(r.status)) + ": " + r.reason};
}

Refusal refuse_channel(const std::string& failed_call, int err)
{
    const bool blocked = classify_errno(err) == Status::blocked;
    return Refusal{blocked ? RunStatus::unavailable : RunStatus::failed, {},
                   failed_call + " failed: " + errno_text(err) +
                       (blocked ? "; needs CAP_NET_RAW for this socket kind" : "")};
}

Verdict judge_runs(const std::vector<Measurement>& runs, bool eager, bool verify)
{
    bool all_clean = true;
    for (const auto& m : runs) all_clean = all_clean && clean(m.counts) && !m.timed_out;
    if (all_clean) {
        return {RunStatus::ok,
                "every packet arrived and " + std::string(verify ? "every byte verified" : "sequence checked")};
    }
    const Measurement& m = runs.back();
    return {RunStatus::unclean,
            std::to_string(m.counts.lost) + " lost, " + std::to_string(m.counts.corrupted) + " corrupted, " +
                std::to_string(m.counts.duplicated) + " duplicated of " + std::to_string(m.counts.sent) +
                " sent in the last run" + (m.timed_out ? "; the time limit stopped it" : "") +
                (eager && (m.counts.duplicated > 0 || m.counts.corrupted > 0)
                     ? "; later packets' bytes arrived in place of earlier ones: pages were rewritten while "
                       "the kernel still referenced them"
                     : "")};
}

} // namespace zc::engine
