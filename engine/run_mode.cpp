#include "engine/run_mode.hpp"

#include "core/errno_name.hpp"
#include "core/page_buffer.hpp"
#include "core/proc_files.hpp"
#include "core/syscalls.hpp"
#include "engine/flow.hpp"
#include "engine/receiver.hpp"
#include "engine/transmit.hpp"
#include "probe/catalog.hpp"
#include "traffic/socket_kinds.hpp"

#include <linux/if_packet.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <iostream>
#include <mutex>
#include <thread>

#ifndef PACKET_IGNORE_OUTGOING
#define PACKET_IGNORE_OUTGOING 23
#endif

namespace zc::engine {

using clock_type = std::chrono::steady_clock;

const probe::Result& ProbeCache::get(const std::string& id)
{
    auto it = results_.find(id);
    if (it != results_.end()) return it->second;
    probe::Result r;
    const probe::Spec* spec = probe::find_spec(id);
    if (spec == nullptr) {
        r = probe::failed("probe " + id + " is not in the catalog");
    } else {
        r = probe::run_one(*spec, ctx_, opts_);
    }
    return results_.emplace(id, std::move(r)).first->second;
}

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

namespace {

// The last line of defence of --time-limit: the loop checks the clock
// between calls, but a call that blocks for good (a kernel bug, a socket
// that never drains) would hang the run. Then we say so and exit.
class Watchdog {
public:
    Watchdog(std::chrono::milliseconds limit, std::string what) : what_(std::move(what))
    {
        thread_ = std::thread([this, limit] {
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

// A receive buffer that holds the window, so flow control, not the socket,
// decides when the sender waits. Returns the window that fits.
size_t size_receive_buffer(const traffic::Channel& ch, size_t frame, size_t wanted)
{
    const int fd = ch.rx.get();
    constexpr int want_bytes = 32 << 20;
    if (!sys::setsockopt_int(fd, SOL_SOCKET, SO_RCVBUFFORCE, want_bytes).ok()) {
        sys::setsockopt_int(fd, SOL_SOCKET, SO_RCVBUF, want_bytes); // capped by net.core.rmem_max
    }
    int got = 0;
    socklen_t len = sizeof got;
    ::getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &got, &len);
    // skb truesize is at most about twice the frame plus the sk_buff itself.
    const size_t per_packet = 2 * (frame + 512);
    const size_t fits = static_cast<size_t>(std::max(got, 0)) / per_packet;
    return std::clamp<size_t>(fits, 16, wanted);
}

void prepare_channel(const traffic::Channel& ch)
{
    const int rx = ch.rx.get();
    sys::setsockopt_int(rx, SOL_SOCKET, SO_RXQ_OVFL, 1);
    if (ch.info->kind == traffic::Kind::packet_raw) sys::setsockopt_int(rx, SOL_PACKET, PACKET_IGNORE_OUTGOING, 1);
    // A raw sender with protocol 253 receives our packets too; it never reads.
    if (ch.info->kind == traffic::Kind::raw4) sys::setsockopt_int(ch.tx.get(), SOL_SOCKET, SO_RCVBUF, 0);
}

} // namespace

ModeResult run_mode(const Plan& plan, size_t size, const Options& o, ProbeCache& probes)
{
    ModeResult res;
    res.mode = plan.mode;
    res.kind = plan.kind;
    res.size = size;
    res.verify = o.verify;
    const std::string kind_name(traffic::kind_info(plan.kind).name);
    if (!plan.skip_reason.empty()) {
        res.status = RunStatus::skipped;
        res.reason = plan.skip_reason;
        return res;
    }
    if (auto e = check_size(plan.mode, plan.kind, size, page_size()); !e.empty()) {
        res.status = RunStatus::skipped;
        res.reason = e;
        return res;
    }
    for (const auto& id : gating_probes(plan.mode, plan.kind)) {
        const probe::Result& r = probes.get(id);
        if (r.status != Status::supported) {
            res.status = RunStatus::unavailable;
            res.probe = id;
            res.reason = "probe " + id + " is " + std::string(status_name(r.status)) + ": " + r.reason;
            return res;
        }
    }
    // Reuse: rewrite at once only where the probe saw the kernel copy.
    bool guard = true;
    if (o.reuse == Reuse::eager) {
        guard = false;
        res.reuse = plan.mode == Mode::tx_ring
                        ? "eager (frames rewritten as soon as the ring hands them back, before the receiver read "
                          "them, on purpose)"
                        : "eager (rewrites pages at once, on purpose)";
    } else if (plan.mode == Mode::msg_zerocopy) {
        res.reuse = "safe (waits for the MSG_ZEROCOPY completion)";
    } else if (plan.mode == Mode::io_uring_send_zc) {
        res.reuse = "safe (waits for the SEND_ZC notification)";
    } else if (plan.mode == Mode::tx_ring) {
        res.reuse = "safe (a frame is rewritten once the ring hands it back and the receiver has read the packet it "
                    "carried: loopback hands frames back before delivery)";
    } else if (const std::string zp = zero_copy_probe(plan.mode, plan.kind); !zp.empty()) {
        const auto& ev = probes.get(zp).evidence;
        const bool copies = ev.contains("zero_copy") && ev["zero_copy"].is_boolean() && !ev["zero_copy"].get<bool>();
        guard = !copies;
        res.probe = zp;
        res.reuse = copies ? "safe (probe " + zp + " saw the kernel copy: pages reused at once)"
                           : "safe (probe " + zp + " saw zero-copy or was inconclusive: pages reused after the "
                                                   "receiver acknowledged them)";
    } else {
        guard = false;
        res.reuse = "safe (the kernel copies)";
    }
    LayoutPolicy layout = o.layout;
    if (plan.mode == Mode::packed || plan.mode == Mode::udp_splice) {
        if (layout == LayoutPolicy::automatic) {
            const std::string id = "splice_straddle." + kind_name;
            const probe::Result& r = probes.get(id);
            const bool whole = r.evidence.contains("outcome") && r.evidence["outcome"] == "whole";
            layout = whole ? LayoutPolicy::dense : LayoutPolicy::no_straddle;
            res.layout_reason = "auto: probe " + id + (whole ? " found straddling packets sent whole"
                                                             : " did not find straddling packets sent whole");
        } else {
            res.layout_reason = "chosen with --layout";
        }
    }

    if (plan.mode == Mode::udp_gso_splice) res.layout_reason = "UDP GSO cuts one splice of back-to-back datagrams";
    traffic::ChannelOutcome opened = traffic::open_channel(plan.kind);
    if (!opened.channel) {
        const Status st = classify_errno(opened.err);
        res.status = st == Status::blocked ? RunStatus::unavailable : RunStatus::failed;
        res.reason = opened.failed_call + " failed: " + errno_text(opened.err) +
                     (st == Status::blocked ? "; needs CAP_NET_RAW for this socket kind" : "");
        return res;
    }
    const traffic::Channel& ch = *opened.channel;
    res.frame_len = ch.header_len() + size;
    prepare_channel(ch);
    res.window = size_receive_buffer(ch, res.frame_len, o.window);

    TxConfig cfg;
    cfg.mode = plan.mode;
    cfg.ch = &ch;
    cfg.size = size;
    cfg.verify = o.verify;
    cfg.guard_reuse = guard;
    cfg.layout = layout;
    cfg.window = res.window;
    std::string error;
    auto tx = make_transmitter(cfg, error);
    if (!tx) {
        res.status = RunStatus::failed;
        res.reason = error;
        return res;
    }
    res.layout = tx->layout_used;
    res.memory_bytes = tx->memory_bytes;

    Flow flow;
    const auto mode_start = clock_type::now(); // progress on a terminal only for runs over a second
    uint64_t next_seq = 0;
    bool failed = false;
    const int total_phases = o.repeat + 1;
    for (int phase = 0; phase < total_phases && !failed; ++phase) {
        const bool warmup = phase == 0;
        const uint64_t count = warmup ? o.warmup : o.count;
        if (count == 0) continue;
        const auto t_start = clock_type::now();
        const auto hard_deadline = t_start + std::chrono::milliseconds(o.time_limit_ms);
        const auto soft_deadline =
            o.duration_ms && !warmup ? t_start + std::chrono::milliseconds(*o.duration_ms) : hard_deadline;
        const int rx_fd = ch.rx.get();
        tx->wait_acked = [&flow, rx_fd, hard_deadline](uint64_t target) {
            return flow.wait_acked(target, rx_fd, hard_deadline);
        };
        const Watchdog watchdog(std::chrono::milliseconds(o.time_limit_ms) + std::chrono::seconds(5),
                                std::string(mode_info(plan.mode).name) + " at " + std::to_string(size) + " B");
        Receiver receiver(ch, size, o.verify, next_seq, flow);
        receiver.start();
        const uint64_t first = next_seq;
        const auto snmp_before = snmp_now();
        rusage ru0{}, ru1{}, tx0{}, tx1{};
        ::getrusage(RUSAGE_SELF, &ru0);
        ::getrusage(RUSAGE_THREAD, &tx0); // this thread sends; the receiver has its own
        flow.waits = flow.stalls = 0;
        const uint64_t sys0 = tx->syscalls;
        Measurement m;
        const auto t0 = clock_type::now();
        uint64_t i = 0;
        const size_t batch = tx->batch();
        while (i < count) {
            const auto now = clock_type::now();
            if (now >= soft_deadline) {
                m.timed_out = now >= hard_deadline;
                break;
            }
            const size_t n = static_cast<size_t>(std::min<uint64_t>(batch, count - i));
            const uint64_t seq = first + i;
            if (seq + n > first + res.window) {
                if (flow.wait_acked(seq + n - res.window, rx_fd, hard_deadline) == WaitOutcome::timed_out) {
                    m.timed_out = true;
                    break;
                }
            }
            const TxStep step = tx->send(0, seq, n);
            i += step.sent;
            if (step.timed_out) {
                m.timed_out = true;
                break;
            }
            if (!step.failed_call.empty()) {
                res.status = RunStatus::failed;
                res.reason = step.failed_call + " failed: " +
                             (step.err != 0 ? errno_text(step.err) : std::string("short transfer"));
                failed = true;
                break;
            }
        }
        const auto t1 = clock_type::now();
        tx->drain();
        ::getrusage(RUSAGE_THREAD, &tx1);
        const ReceiverReport rr = receiver.finish(i, 300, hard_deadline + std::chrono::seconds(1));
        ::getrusage(RUSAGE_SELF, &ru1);
        next_seq = first + i;
        if (warmup) continue;
        m.counts = rr.counts;
        m.elapsed_s = std::chrono::duration<double>(t1 - t0).count();
        m.syscalls = tx->syscalls - sys0;
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
        if (rr.err != 0 && !failed) {
            res.status = RunStatus::failed;
            res.reason = "recvmmsg on the " + kind_name + " receiver failed: " + errno_text(rr.err);
            failed = true;
        }
        res.runs.push_back(std::move(m));
        if (::isatty(STDERR_FILENO) && clock_type::now() - mode_start > std::chrono::seconds(1)) {
            std::cerr << "\rzcengine: " << mode_info(plan.mode).name << " " << size << " B run " << phase << "/"
                      << o.repeat << "   " << std::flush;
        }
    }
    if (::isatty(STDERR_FILENO) && clock_type::now() - mode_start > std::chrono::seconds(1)) {
        std::cerr << "\r\033[K" << std::flush;
    }
    rusage ru{};
    ::getrusage(RUSAGE_SELF, &ru);
    res.peak_rss_kib = ru.ru_maxrss;
    if (failed) return res;
    bool all_clean = true;
    for (const auto& m : res.runs) all_clean = all_clean && clean(m.counts) && !m.timed_out;
    if (!all_clean) {
        res.status = RunStatus::unclean;
        const Measurement& m = res.runs.back();
        res.reason = std::to_string(m.counts.lost) + " lost, " + std::to_string(m.counts.corrupted) + " corrupted, " +
                     std::to_string(m.counts.duplicated) + " duplicated of " + std::to_string(m.counts.sent) +
                     " sent in the last run" + (m.timed_out ? "; the time limit stopped it" : "") +
                     (o.reuse == Reuse::eager && (m.counts.duplicated > 0 || m.counts.corrupted > 0)
                          ? "; later packets' bytes arrived in place of earlier ones: pages were rewritten while "
                            "the kernel still referenced them"
                          : "");
    } else {
        res.reason = "every packet arrived and " + std::string(o.verify ? "every byte verified" : "sequence checked");
    }
    return res;
}

} // namespace zc::engine
