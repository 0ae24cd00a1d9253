#include "engine/mode_result.hpp"

#include <algorithm>

namespace zc::engine {

const char* run_status_name(RunStatus s)
{
    switch (s) {
    case RunStatus::ok: return "ok";
    case RunStatus::unclean: return "unclean";
    case RunStatus::failed: return "failed";
    case RunStatus::unavailable: return "unavailable";
    case RunStatus::skipped: return "skipped";
    }
    return "failed";
}

double median_of(std::vector<double> v)
{
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

Spread pps_spread(const std::vector<Measurement>& runs)
{
    Spread s;
    std::vector<double> v;
    for (const auto& m : runs) v.push_back(m.pps());
    if (v.empty()) return s;
    s.median = median_of(v);
    s.min = *std::min_element(v.begin(), v.end());
    s.max = *std::max_element(v.begin(), v.end());
    return s;
}

} // namespace zc::engine
