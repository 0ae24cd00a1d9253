#include "engine/accounting.hpp"

#include <algorithm>

namespace zc::engine {

bool Tally::on_valid(uint64_t seq)
{
    ++received_;
    const size_t word = static_cast<size_t>(seq / 64);
    if (word >= seen_.size()) seen_.resize(std::max(word + 1, seen_.size() * 2), 0);
    const uint64_t bit = uint64_t{1} << (seq % 64);
    if ((seen_[word] & bit) != 0) {
        ++duplicated_;
        return false;
    }
    seen_[word] |= bit;
    ++verified_;
    if (seq + 1 < highest_plus_one_) {
        ++reordered_;
    } else {
        highest_plus_one_ = seq + 1;
    }
    return true;
}

Counts Tally::counts() const noexcept
{
    Counts c;
    c.sent = sent_;
    c.received = received_;
    c.corrupted = corrupted_;
    c.duplicated = duplicated_;
    c.reordered = reordered_;
    c.foreign = foreign_;
    // A valid packet of this run beyond what was sent was never sent: a
    // damaged sequence number that still passed the check, or a bug.
    uint64_t in_range = verified_;
    if (highest_plus_one_ > sent_) {
        uint64_t extra = 0;
        for (uint64_t s = sent_; s < highest_plus_one_; ++s) {
            if ((seen_[static_cast<size_t>(s / 64)] >> (s % 64)) & 1U) ++extra;
        }
        in_range -= extra;
        c.unsent = extra;
    }
    c.verified = in_range;
    const uint64_t accounted = in_range + corrupted_;
    c.lost = sent_ > accounted ? sent_ - accounted : 0;
    return c;
}

bool clean(const Counts& c) noexcept
{
    return c.corrupted == 0 && c.duplicated == 0 && c.unsent == 0 && c.lost == 0 && c.verified == c.sent;
}

uint64_t damaged(const Counts& c) noexcept
{
    return c.corrupted + c.duplicated + c.unsent;
}

} // namespace zc::engine
