#include "engine/options.hpp"

#include "engine/wire_format.hpp"
#include "traffic/egress_link.hpp"

namespace zc::engine {

std::vector<Plan> plan_runs(const Options& o, std::string& error)
{
    std::vector<Plan> plans;
    for (Mode m : o.modes) {
        const ModeInfo& info = mode_info(m);
        Plan p{m, info.kinds.front(), {}};
        if (o.kind) {
            if (mode_allows(m, *o.kind)) {
                p.kind = *o.kind;
            } else if (!o.all_modes) {
                std::string allowed;
                for (auto k : info.kinds) allowed += (allowed.empty() ? "" : ", ") + std::string(traffic::kind_info(k).name);
                error = "mode " + std::string(info.name) + " cannot send over " +
                        std::string(traffic::kind_info(*o.kind).name) + "; it allows " + allowed;
                return {};
            } else if (info.kinds.size() > 1) {
                p.skip_reason = "mode does not send over " + std::string(traffic::kind_info(*o.kind).name);
            }
        }
        plans.push_back(p);
    }
    // --modes all: UDP sendmmsg too, the like-for-like baseline of the UDP modes.
    if (o.all_modes && !o.kind) plans.push_back({Mode::sendmmsg, traffic::Kind::udp4, {}});
    return plans;
}

std::string check_sizes(const Options& o, const std::vector<Plan>& plans, size_t page)
{
    if (o.all_modes) return {};
    for (const auto& p : plans) {
        for (size_t s : o.sizes) {
            if (auto e = check_size(p.mode, p.kind, s, page); !e.empty()) return e;
        }
    }
    return {};
}

std::string check_egress_plans(const Options& o, const std::vector<Plan>& plans)
{
    if (o.sink != Sink::egress || o.all_modes) return {};
    for (const auto& p : plans) {
        if (auto e = egress_refusal(p.mode, p.kind); !e.empty()) return "--sink egress: " + e;
        for (size_t s : o.sizes) {
            if (auto e = check_egress_size(p.mode, p.kind, s, traffic::egress_mtu); !e.empty()) return e;
        }
    }
    return {};
}

} // namespace zc::engine
