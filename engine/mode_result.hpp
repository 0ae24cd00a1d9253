// What one mode at one size came to: the status, the decisions behind it and
// one Measurement per measured run. Plain data, read by the renderers.
#pragma once

#include "engine/accounting.hpp"
#include "engine/modes.hpp"
#include "engine/sink.hpp"
#include "traffic/socket_kinds.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace zc::engine {

// Sends the kernel reported done with (MSG_ZEROCOPY completions, SEND_ZC
// notifications) and those of them it had copied after all.
struct ZcCompletions {
    uint64_t total = 0;
    uint64_t copied = 0;
};

struct Measurement {
    Counts counts;
    double elapsed_s = 0;       // first send to last send returning
    uint64_t syscalls = 0;      // transmit-path calls, counted by the sender
    double cpu_user_s = 0;      // whole process (sender + receiver), getrusage
    double cpu_sys_s = 0;
    double sender_cpu_s = 0;    // the sending thread alone (user + system), RUSAGE_THREAD
    uint64_t flow_waits = 0;
    uint64_t flow_stalls = 0;
    bool timed_out = false;
    uint64_t stale = 0;
    int64_t socket_drops = -1;
    int64_t rxq_ovfl = -1;
    std::map<std::string, int64_t> snmp_deltas; // drop/error counters that moved
    std::string first_corruption;
    std::optional<ZcCompletions> zerocopy; // modes that report completions

    [[nodiscard]] double pps() const { return elapsed_s > 0 ? static_cast<double>(counts.sent) / elapsed_s : 0; }
};

enum class RunStatus { ok, unclean, failed, unavailable, skipped };
const char* run_status_name(RunStatus s);

// The brief fully verified run on loopback before an egress measurement:
// bytes cannot be checked where nothing receives them.
struct Precheck {
    RunStatus status = RunStatus::ok;
    std::string reason;
    Counts counts;
};

struct ModeResult {
    Mode mode = Mode::page;
    traffic::Kind kind = traffic::Kind::raw4_hdrincl;
    size_t size = 0;
    size_t frame_len = 0;
    RunStatus status = RunStatus::ok;
    std::string reason;               // one line
    std::string probe;                // the probe behind unavailable / the reuse decision
    std::string layout;               // packed modes: the layout used
    std::string layout_reason;
    std::string reuse;                // "safe (waits for the receiver)", "safe (kernel copies)", "eager"
    bool verify = true;
    size_t window = 0;
    size_t memory_bytes = 0;
    std::string bind_mode;            // AF_XDP modes: how the socket was bound; empty before that
    int64_t peak_rss_kib = 0;
    std::vector<Measurement> runs;
    Sink sink = Sink::loopback;
    size_t gso_size = 0;             // egress udp4 above the MTU: UDP_SEGMENT
    std::optional<Precheck> precheck; // egress only
    // Egress: what the veth link counted over the warm-up and the measured
    // runs (one per skb; a GSO send is one), proof the packets left
    // through veth_xmit(); -1 unknown.
    int64_t link_tx_packets = -1;
    int64_t link_tx_dropped = -1;
};

// median, min, max of pps over the runs (pure).
struct Spread {
    double median = 0, min = 0, max = 0;
};
Spread pps_spread(const std::vector<Measurement>& runs);
double median_of(std::vector<double> v);

} // namespace zc::engine
