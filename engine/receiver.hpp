// The receiver thread: reads every packet back from the channel's receiving
// socket with recvmmsg(), strips what the kernel puts in front (IP or
// Ethernet header), checks it, tallies it, and hands credits to the sender.
#pragma once

#include "engine/accounting.hpp"
#include "engine/flow.hpp"
#include "core/run_identity.hpp"
#include "traffic/socket_kinds.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <thread>

namespace zc::engine {

struct ReceiverReport {
    Counts counts;
    uint64_t stale = 0;            // packets of an earlier phase (warm-up) read now
    int64_t socket_drops = -1;     // SO_MEMINFO SK_MEMINFO_DROPS delta; -1 unknown
    int64_t rxq_ovfl_last = -1;    // last SO_RXQ_OVFL value carried by a packet; -1 none came
    std::string first_corruption;  // "seq 17: bad_payload at byte 300" for the report
    int err = 0;                   // a receive call that failed unexpectedly
};

class Receiver {
public:
    // Sequence numbers run on across the runs of one channel; this run's
    // packets start at first_seq and anything below is a stale (warm-up)
    // packet.
    Receiver(const traffic::Channel& ch, size_t size, bool verify, uint64_t first_seq, Flow& flow);
    ~Receiver();
    Receiver(const Receiver&) = delete;
    Receiver& operator=(const Receiver&) = delete;

    void start();
    // Sender finished after `sent` packets: read until all arrived or the
    // queue stays empty for quiet_ms (and the receiver found it empty on
    // several reads in that time), then stop and report.
    ReceiverReport finish(uint64_t sent, int quiet_ms, std::chrono::steady_clock::time_point deadline);

private:
    void loop();

    const traffic::Channel& ch_;
    size_t size_;
    bool verify_;
    uint64_t first_;
    uint64_t run_ = run_identity();
    Flow& flow_;
    Tally tally_;
    ReceiverReport report_;
    std::atomic<bool> stop_{false};
    std::atomic<uint64_t> empty_reads_{0}; // recvmmsg() calls that found the queue empty
    std::thread thread_;
    int64_t drops_at_start_ = -1;
};

// SK_MEMINFO_DROPS of a socket; -1 where SO_MEMINFO is missing.
int64_t socket_drops(int fd);

} // namespace zc::engine
