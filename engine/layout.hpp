// Where packets sit in the pages the packed modes vmsplice: `no_straddle`
// never lets a packet cross a page boundary (gaps at page ends are left out
// of the vmsplice), `dense` packs back to back from a page-aligned start.
// Pure, so "never crosses a page" is a unit test, not a hope.
#pragma once

#include "engine/modes.hpp"
#include "traffic/socket_kinds.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zc::engine {

enum class LayoutPolicy { no_straddle, dense, automatic };

std::optional<LayoutPolicy> parse_layout(std::string_view s);
const char* layout_name(LayoutPolicy p) noexcept;

struct Segment {
    size_t offset = 0; // from the batch's page-aligned start
    size_t len = 0;
};

struct Layout {
    LayoutPolicy policy = LayoutPolicy::dense; // never automatic once computed
    size_t frame_len = 0;
    std::vector<size_t> offsets;   // one per packet, from the batch start
    std::vector<Segment> segments; // what one vmsplice hands over (one iovec each)
    size_t pages = 0;              // pages the batch touches
    size_t pipe_buffers = 0;       // pipe buffers vmsplice creates (one per page per segment)
};

// Lays out as many packets as fit in max_pipe_buffers pipe buffers, but no
// more than max_packets. Returns nullopt with why when a single frame cannot
// be laid out (no_straddle with frame_len > page).
std::optional<Layout> compute_layout(LayoutPolicy policy, size_t frame_len, size_t page, size_t max_pipe_buffers,
                                     size_t max_packets, std::string* why = nullptr);

// Whether [offset, offset+len) crosses a multiple of page.
constexpr bool crosses_page(size_t offset, size_t len, size_t page) noexcept
{
    return len > 0 && offset / page != (offset + len - 1) / page;
}

// The mode's layout decision: packed and udp-splice resolve --layout auto
// by the splice_straddle probe (packets that cross a page sent whole: dense;
// otherwise no-straddle); udp-gso-splice is dense by construction; other
// modes keep what was asked and give no reason.
struct LayoutDecision {
    LayoutPolicy policy = LayoutPolicy::dense;
    std::string reason; // ModeResult::layout_reason; empty where layout does not apply
};
// The probe decide_layout() needs; empty where it needs none (so none runs).
std::string layout_probe(Mode m, traffic::Kind k, LayoutPolicy requested);
// `probe` and `evidence` as layout_probe() named them (empty, null otherwise).
LayoutDecision decide_layout(Mode m, LayoutPolicy requested, const std::string& probe,
                             const nlohmann::json& evidence);

} // namespace zc::engine
