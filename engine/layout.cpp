#include "engine/layout.hpp"

#include <algorithm>

namespace zc::engine {

std::optional<LayoutPolicy> parse_layout(std::string_view s)
{
    if (s == "no-straddle") return LayoutPolicy::no_straddle;
    if (s == "dense") return LayoutPolicy::dense;
    if (s == "auto") return LayoutPolicy::automatic;
    return std::nullopt;
}

const char* layout_name(LayoutPolicy p) noexcept
{
    switch (p) {
    case LayoutPolicy::no_straddle: return "no-straddle";
    case LayoutPolicy::dense: return "dense";
    case LayoutPolicy::automatic: return "auto";
    }
    return "unknown";
}

namespace {

size_t pages_touched(size_t offset, size_t len, size_t page)
{
    return len == 0 ? 0 : (offset + len - 1) / page - offset / page + 1;
}

} // namespace

std::optional<Layout> compute_layout(LayoutPolicy policy, size_t frame_len, size_t page, size_t max_pipe_buffers,
                                     size_t max_packets, std::string* why)
{
    Layout l;
    l.frame_len = frame_len;
    if (frame_len == 0 || page == 0 || max_packets == 0 || max_pipe_buffers == 0) {
        if (why != nullptr) *why = "empty frame, page, batch or pipe";
        return std::nullopt;
    }
    if (policy == LayoutPolicy::automatic) {
        if (why != nullptr) *why = "auto must be resolved to no-straddle or dense first";
        return std::nullopt;
    }
    l.policy = policy;
    if (policy == LayoutPolicy::no_straddle) {
        if (frame_len > page) {
            if (why != nullptr) {
                *why = "a " + std::to_string(frame_len) + "-byte frame cannot fit in one " + std::to_string(page) +
                       "-byte page";
            }
            return std::nullopt;
        }
        const size_t per_page = page / frame_len;
        while (l.offsets.size() < max_packets && l.pages < max_pipe_buffers) {
            const size_t base = l.pages * page;
            size_t k = 0;
            for (; k < per_page && l.offsets.size() < max_packets; ++k) l.offsets.push_back(base + k * frame_len);
            l.segments.push_back({base, k * frame_len});
            ++l.pages;
        }
        l.pipe_buffers = l.pages;
        return l;
    }
    // dense: back to back; one segment, as many packets as the pipe holds.
    size_t n = 0;
    while (n < max_packets && pages_touched(0, (n + 1) * frame_len, page) <= max_pipe_buffers) ++n;
    if (n == 0) {
        if (why != nullptr) {
            *why = "a " + std::to_string(frame_len) + "-byte frame needs more than " +
                   std::to_string(max_pipe_buffers) + " pipe buffers";
        }
        return std::nullopt;
    }
    for (size_t i = 0; i < n; ++i) l.offsets.push_back(i * frame_len);
    l.segments.push_back({0, n * frame_len});
    l.pages = pages_touched(0, n * frame_len, page);
    l.pipe_buffers = l.pages;
    return l;
}

namespace {

bool packs_pages(Mode m)
{
    return m == Mode::packed || m == Mode::udp_splice;
}

} // namespace

std::string layout_probe(Mode m, traffic::Kind k, LayoutPolicy requested)
{
    if (!packs_pages(m) || requested != LayoutPolicy::automatic) return {};
    return "splice_straddle." + std::string(traffic::kind_info(k).name);
}

LayoutDecision decide_layout(Mode m, LayoutPolicy requested, const std::string& probe, const nlohmann::json& evidence)
{
    LayoutDecision d;
    d.policy = requested;
    if (m == Mode::udp_gso_splice) {
        d.reason = "UDP GSO cuts one splice of back-to-back datagrams";
    } else if (packs_pages(m) && requested != LayoutPolicy::automatic) {
        d.reason = "chosen with --layout";
    } else if (packs_pages(m)) {
        const bool whole = evidence.is_object() && evidence.contains("outcome") && evidence["outcome"] == "whole";
        d.policy = whole ? LayoutPolicy::dense : LayoutPolicy::no_straddle;
        d.reason = "auto: probe " + probe + (whole ? " found straddling packets sent whole"
                                                   : " did not find straddling packets sent whole");
    }
    return d;
}

} // namespace zc::engine
