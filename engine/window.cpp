#include "engine/window.hpp"

#include <algorithm>

namespace zc::engine {

size_t window_for_receive_buffer(int rcvbuf, size_t frame, size_t wanted) noexcept
{
    // skb truesize is at most about twice the frame plus the sk_buff itself.
    const size_t per_packet = 2 * (frame + 512);
    const size_t fits = static_cast<size_t>(std::max(rcvbuf, 0)) / per_packet;
    return std::clamp<size_t>(fits, 16, wanted);
}

std::optional<uint64_t> credit_wait(uint64_t sent, size_t n, size_t window) noexcept
{
    if (sent + n <= window) return std::nullopt;
    return sent + n - window;
}

size_t areas_for(bool guard_reuse, size_t window, size_t batch) noexcept
{
    return guard_reuse ? (window + batch - 1) / batch + 1 : 1;
}

size_t packed_batch_limit(size_t window) noexcept
{
    return std::min<size_t>(256, window / 2);
}

GsoGeometry gso_geometry(size_t size, size_t frame, size_t page, size_t window) noexcept
{
    GsoGeometry g;
    g.per_splice = std::max<size_t>(1, std::min<size_t>(64, 65507 / std::max<size_t>(size, 1)));
    const size_t pages_per_splice = (g.per_splice * frame + page - 1) / page + 1;
    size_t splices = std::max<size_t>(1, 128 / pages_per_splice);
    while (splices > 1 && splices * g.per_splice > window / 2) --splices;
    g.batch = splices * g.per_splice;
    g.pipe_bytes = ((g.batch * frame + page - 1) / page + 1) * page;
    return g;
}

} // namespace zc::engine
