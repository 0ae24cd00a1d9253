// Where every packet went: the receiver's tally of sequence numbers. Pure, so
// the arithmetic is unit-tested: sent = verified + corrupted + lost, with
// duplicates and reordering counted on the side.
#pragma once

#include <cstdint>
#include <vector>

namespace zc::engine {

struct Counts {
    uint64_t sent = 0;
    uint64_t received = 0;   // datagrams read by the receiver, whatever they held
    uint64_t verified = 0;   // first arrival of a sequence number, bytes checked (or header only with --no-verify)
    uint64_t corrupted = 0;  // failed the check
    uint64_t duplicated = 0; // a valid sequence number seen again
    uint64_t reordered = 0;  // first arrival below the highest already seen
    uint64_t lost = 0;       // sent, never arrived valid (derived)
    uint64_t unsent = 0;     // valid packet of this run whose sequence number was never sent
    uint64_t foreign = 0;    // another run's packet (--host-netns), skipped: not received, no damage
};

class Tally {
public:
    void on_sent(uint64_t n) noexcept { sent_ += n; }
    void on_corrupted() noexcept
    {
        ++received_;
        ++corrupted_;
    }
    // A packet whose check passed; returns false if it was a duplicate.
    bool on_valid(uint64_t seq);
    // Another run's packet, read off a socket we share with it.
    void on_foreign() noexcept { ++foreign_; }

    // Counts once all is sent and the receiver is done; lost is what is left
    // after verified and corrupted (a corrupted packet stood for one sent).
    [[nodiscard]] Counts counts() const noexcept;
    [[nodiscard]] uint64_t highest_plus_one() const noexcept { return highest_plus_one_; }

private:
    std::vector<uint64_t> seen_; // bitset by sequence number
    uint64_t sent_ = 0, received_ = 0, verified_ = 0, corrupted_ = 0, duplicated_ = 0, reordered_ = 0, foreign_ = 0;
    uint64_t highest_plus_one_ = 0;
};

// Every packet accounted for and none damaged: the pass condition.
bool clean(const Counts& c) noexcept;
// Sequence numbers that arrived twice or damaged: the eager-reuse signature.
uint64_t damaged(const Counts& c) noexcept;

} // namespace zc::engine
