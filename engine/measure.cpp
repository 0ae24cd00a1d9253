#include "engine/measure.hpp"

#include "core/errno_name.hpp"
#include "core/exhaustion.hpp"
#include "core/proc_files.hpp"
#include "engine/flow.hpp"
#include "engine/options.hpp"
#include "engine/receiver.hpp"
#include "engine/window.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <iostream>
#include <mutex>
#include <thread>

namespace zc::engine {

namespace {

using clock_type = std::chrono::steady_clock;

// The last line of defence of --time-limit: the loop checks the clock
// between calls, but a call that blocks for good (a kernel bug, a socket
// that never drains) would hang the run. Then we say so and exit.
class Watchdog {
public:
    Watchdog(std::chrono::milliseconds limit, std::string what) : what_(std::move(what))
    {
        thread_ = start_thread("the --time-limit watchdog thread", [this, limit] {
            std::unique_lock lock(mutex_);
            if (!cv_.wait_for(lock, limit, [this] { return done_; })) {
                std::cerr << "zcengine: " << what_ << " is stuck in a system call beyond --time-limit; giving up\n";
                std::_Exit(exit_internal);
            }
        });
    }
    ~Watchdog()
    {
        {
            std::lock_guard lock(mutex_);
            done_ = true;
        }
        cv_.notify_one();
        thread_.join();
    }
    Watchdog(const Watchdog&) = delete;
    Watchdog& operator=(const Watchdog&) = delete;

private:
    std::string what_;
    std::mutex mutex_;
    std::condition_variable cv_;
    bool done_ = false;
    std::thread thread_;
};

double seconds(const timeval& tv)
{
    return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6;
}

std::map<std::string, int64_t> snmp_now()
{
    const auto text = read_text_file("/proc/net/snmp");
    return text ? parse_snmp(*text) : std::map<std::string, int64_t>{};
}

// Counters that say where a packet went missing.
bool drop_counter(const std::string& key)
{
    for (const char* word : {"Discard", "Error", "NoPorts", "Unknown", "Drop"}) {
        if (key.find(word) != std::string::npos) return true;
    }
    return false;
}

std::map<std::string, int64_t> snmp_delta(const std::map<std::string, int64_t>& before,
                                          const std::map<std::string, int64_t>& after)
{
    std::map<std::string, int64_t> out;
    for (const auto& [k, v] : after) {
        if (!drop_counter(k)) continue;
        const auto it = before.find(k);
        const int64_t d = v - (it == before.end() ? 0 : it->second);
        if (d != 0) out[k] = d;
    }
    return out;
}

std::string send_failure(const TxStep& step)
{
    return step.failed_call + " failed: " + (step.err != 0 ? errno_text(step.err) : std::string("short transfer"));
}

} // namespace

MeasureOutcome measure(const traffic::Channel& ch, Transmitter& tx, const RunParams& p, std::string_view mode,
                       size_t size)
{
    MeasureOutcome out;
    Flow flow;
    const auto mode_start = clock_type::now(); // progress on a terminal only for runs over a second
    const auto show_progress = [&mode_start] {
        return ::isatty(STDERR_FILENO) && clock_type::now() - mode_start > std::chrono::seconds(1);
    };
    uint64_t next_seq = 0;
    const int rx_fd = ch.rx.get();
    const size_t batch = tx.batch();
    for (int phase = 0; phase <= p.repeat && !out.failed; ++phase) {
        const bool warmup = phase == 0;
        const uint64_t count = warmup ? p.warmup : p.count;
        if (count == 0) continue;
        const auto t_start = clock_type::now();
        const auto hard_deadline = t_start + std::chrono::milliseconds(p.time_limit_ms);
        const auto soft_deadline =
            p.duration_ms && !warmup ? t_start + std::chrono::milliseconds(*p.duration_ms) : hard_deadline;
        tx.wait_acked = [&flow, rx_fd, hard_deadline](uint64_t target) {
            return flow.wait_acked(target, rx_fd, hard_deadline);
        };
        // At the egress sink no one reads the bytes, so nothing waits for a
        // receiver; completion-driven modes still wait for their completions.
        if (!p.receiver) tx.wait_acked = [](uint64_t) { return WaitOutcome::reached; };
        const Watchdog watchdog(std::chrono::milliseconds(p.time_limit_ms) + std::chrono::seconds(5),
                                std::string(mode) + " at " + std::to_string(size) + " B");
        std::optional<Receiver> receiver;
        if (p.receiver) {
            receiver.emplace(ch, size, p.verify, next_seq, flow);
            receiver->start();
        }
        const uint64_t first = next_seq;
        const auto snmp_before = snmp_now();
        rusage ru0{}, ru1{}, tx0{}, tx1{};
        ::getrusage(RUSAGE_SELF, &ru0);
        ::getrusage(RUSAGE_THREAD, &tx0); // this thread sends; the receiver has its own
        flow.waits = flow.stalls = 0;
        const uint64_t sys0 = tx.syscalls;
        const ZcCompletions zc0{tx.zc_completed, tx.zc_copied};
        Measurement m;
        const auto t0 = clock_type::now();
        uint64_t i = 0;
        while (i < count) {
            const auto now = clock_type::now();
            if (now >= soft_deadline) {
                m.timed_out = now >= hard_deadline;
                break;
            }
            const size_t n = static_cast<size_t>(std::min<uint64_t>(batch, count - i));
            if (const auto acked = p.receiver ? credit_wait(i, n, p.window) : std::nullopt) {
                if (flow.wait_acked(first + *acked, rx_fd, hard_deadline) == WaitOutcome::timed_out) {
                    m.timed_out = true;
                    break;
                }
            }
            const TxStep step = tx.send(0, first + i, n);
            i += step.sent;
            if (step.timed_out) {
                m.timed_out = true;
                break;
            }
            if (!step.failed_call.empty()) {
                out.failed = true;
                out.reason = send_failure(step);
                break;
            }
        }
        const auto t1 = clock_type::now();
        tx.drain();
        ::getrusage(RUSAGE_THREAD, &tx1);
        ReceiverReport rr;
        if (receiver) {
            rr = receiver->finish(i, 300, hard_deadline + std::chrono::seconds(1));
        } else {
            rr.counts.sent = i;
        }
        ::getrusage(RUSAGE_SELF, &ru1);
        next_seq = first + i;
        if (warmup) continue;
        m.counts = rr.counts;
        m.elapsed_s = std::chrono::duration<double>(t1 - t0).count();
        m.syscalls = tx.syscalls - sys0;
        m.cpu_user_s = seconds(ru1.ru_utime) - seconds(ru0.ru_utime);
        m.cpu_sys_s = seconds(ru1.ru_stime) - seconds(ru0.ru_stime);
        m.sender_cpu_s = (seconds(tx1.ru_utime) - seconds(tx0.ru_utime)) + (seconds(tx1.ru_stime) - seconds(tx0.ru_stime));
        m.flow_waits = flow.waits;
        m.flow_stalls = flow.stalls;
        m.stale = rr.stale;
        m.socket_drops = rr.socket_drops;
        m.rxq_ovfl = rr.rxq_ovfl_last;
        m.snmp_deltas = snmp_delta(snmp_before, snmp_now());
        m.first_corruption = rr.first_corruption;
        if (tx.reports_completions) m.zerocopy = ZcCompletions{tx.zc_completed - zc0.total, tx.zc_copied - zc0.copied};
        if (rr.err != 0 && !out.failed) {
            out.failed = true;
            out.reason = "recvmmsg on the " + std::string(ch.info->name) + " receiver failed: " + errno_text(rr.err);
        }
        out.runs.push_back(std::move(m));
        if (show_progress()) {
            std::cerr << "\rzcengine: " << mode << " " << size << " B run " << phase << "/" << p.repeat << "   "
                      << std::flush;
        }
    }
    if (show_progress()) std::cerr << "\r\033[K" << std::flush;
    return out;
}

} // namespace zc::engine
