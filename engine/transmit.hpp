// The senders, one per mode. Each lays packets into memory it owns, issues
// exactly the syscalls its mode stands for (and counts them), and never
// rewrites a page the kernel may still reference unless told to (--reuse
// eager).
#pragma once

#include "engine/flow.hpp"
#include "engine/layout.hpp"
#include "engine/modes.hpp"
#include "traffic/socket_kinds.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace zc::engine {

struct TxConfig {
    Mode mode = Mode::page;
    const traffic::Channel* ch = nullptr;
    size_t size = 0;          // packet bytes the receiver gets
    bool verify = true;       // fill every payload byte (otherwise the header only)
    bool guard_reuse = true;  // wait for the receiver (or completions) before rewriting a page
    LayoutPolicy layout = LayoutPolicy::dense; // resolved, packed modes only
    size_t window = 1024;
    // SEND_ZC: ask for IORING_SEND_ZC_REPORT_USAGE (6.2+; the probe
    // io_uring.op_send_zc says whether the kernel takes it).
    bool zc_report_usage = false;
};

struct TxStep {
    size_t sent = 0;         // packets handed to the kernel
    std::string failed_call; // set when a call failed: "splice into raw4_hdrincl socket"
    int err = 0;             // its errno (0 for a short transfer)
    bool timed_out = false;
};

class Transmitter {
public:
    virtual ~Transmitter() = default;
    // Packets per send() call of the engine loop.
    [[nodiscard]] virtual size_t batch() const = 0;
    // Sends packets index first .. first+n-1 with seq = seq_base | index.
    virtual TxStep send(uint64_t seq_base, uint64_t first, size_t n) = 0;
    // After the last packet: anything the mode must wait for (completions).
    virtual void drain() {}

    uint64_t syscalls = 0;        // in the transmit path, counted at each call
    std::string layout_used;      // "dense", "no-straddle"; empty where it does not apply
    size_t memory_bytes = 0;      // packet memory the mode holds
    std::string bind_mode;        // AF_XDP: "copy" or "zerocopy" as bound; empty elsewhere

    // MSG_ZEROCOPY and SEND_ZC only: sends the kernel reported done with,
    // and how many of those it reported it had copied after all.
    bool reports_completions = false;
    uint64_t zc_completed = 0;
    uint64_t zc_copied = 0;

    // Waits until the receiver acknowledged `index`; set by the engine.
    std::function<WaitOutcome(uint64_t)> wait_acked;
};

// Builds the sender; on failure returns nullptr and a one-line error.
std::unique_ptr<Transmitter> make_transmitter(const TxConfig& cfg, std::string& error);

} // namespace zc::engine
