#include "engine/run_mode.hpp"

#include "core/errno_name.hpp"
#include "core/page_buffer.hpp"
#include "core/run_identity.hpp"
#include "core/syscalls.hpp"
#include "engine/egress_run.hpp"
#include "engine/measure.hpp"
#include "engine/receive_filter.hpp"
#include "engine/reuse_policy.hpp"
#include "engine/run_verdict.hpp"
#include "engine/transmit.hpp"
#include "engine/window.hpp"
#include "engine/xdp_channel.hpp"
#include "probe/catalog.hpp"
#include "traffic/socket_kinds.hpp"

#include <linux/if_packet.h>
#include <sys/resource.h>
#include <sys/socket.h>

#ifndef PACKET_IGNORE_OUTGOING
#define PACKET_IGNORE_OUTGOING 23
#endif

namespace zc::engine {

namespace {
constexpr int gating_attempts = 3;
} // namespace

const probe::Result& ProbeCache::get(const std::string& id)
{
    auto it = results_.find(id);
    if (it != results_.end()) return it->second;
    probe::Result r;
    const probe::Spec* spec = probe::find_spec(id);
    if (spec == nullptr) {
        r = probe::failed("probe " + id + " is not in the catalog");
    } else {
        // A probe that ran to its end without a conclusion (its datagram
        // lost while another run floods lo, whose backlog then drops ours)
        // is asked again: the engine needs a verdict to decide by. A crash or
        // a time-out (no evidence) is not retried.
        r = probe::run_one(*spec, ctx_, opts_);
        int attempts = 1;
        for (; attempts < gating_attempts && r.status == Status::error && !r.evidence.empty(); ++attempts) {
            r = probe::run_one(*spec, ctx_, opts_);
        }
        if (attempts > 1) r.evidence["attempts"] = attempts;
    }
    return results_.emplace(id, std::move(r)).first->second;
}

namespace {

// Asks for a receive buffer that holds the window and returns the window
// that fits the one the kernel granted.
size_t size_receive_buffer(const traffic::Channel& ch, size_t frame, size_t wanted)
{
    const int fd = ch.rx.get();
    if (!sys::setsockopt_int(fd, SOL_SOCKET, SO_RCVBUFFORCE, receive_buffer_request).ok()) {
        sys::setsockopt_int(fd, SOL_SOCKET, SO_RCVBUF, receive_buffer_request); // capped by net.core.rmem_max
    }
    int got = 0;
    socklen_t len = sizeof got;
    ::getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &got, &len);
    return window_for_receive_buffer(got, frame, wanted);
}

void prepare_channel(const traffic::Channel& ch)
{
    const int rx = ch.rx.get();
    sys::setsockopt_int(rx, SOL_SOCKET, SO_RXQ_OVFL, 1);
    if (ch.info->kind == traffic::Kind::packet_raw) sys::setsockopt_int(rx, SOL_PACKET, PACKET_IGNORE_OUTGOING, 1);
    // A raw sender with protocol 253 receives our packets too; it never reads.
    if (ch.info->kind == traffic::Kind::raw4) sys::setsockopt_int(ch.tx.get(), SOL_SOCKET, SO_RCVBUF, 0);
}

ModeResult refused(ModeResult res, Refusal r)
{
    res.status = r.status;
    res.reason = std::move(r.reason);
    if (!r.probe.empty()) res.probe = std::move(r.probe);
    return res;
}

// The evidence of the probe a decision named; null where it named none.
nlohmann::json evidence_of(const std::string& id, ProbeCache& probes)
{
    return id.empty() ? nlohmann::json() : probes.get(id).evidence;
}

// SEND_ZC: whether the kernel takes IORING_SEND_ZC_REPORT_USAGE, as the
// probe that sends with it found (6.0 and 6.1 refuse it with EINVAL).
bool zc_usage_reported(Mode m, ProbeCache& probes)
{
    if (m != Mode::io_uring_send_zc) return false;
    const auto& ev = probes.get("io_uring.send_zc_udp4").evidence;
    const auto it = ev.find("usage_reported");
    return it != ev.end() && it->is_boolean() && it->get<bool>();
}

} // namespace

RunParams run_params(const Options& o, size_t window)
{
    RunParams p;
    p.count = o.count;
    p.duration_ms = o.duration_ms;
    p.time_limit_ms = o.time_limit_ms;
    p.repeat = o.repeat;
    p.warmup = o.warmup;
    p.verify = o.verify;
    p.window = window;
    return p;
}

ModeResult run_mode(const Plan& plan, size_t size, const Options& o, ProbeCache& probes)
{
    ModeResult res;
    res.mode = plan.mode;
    res.kind = plan.kind;
    res.size = size;
    res.verify = o.verify;
    if (auto r = refuse_plan(plan.mode, plan.kind, plan.skip_reason, size, page_size())) return refused(res, *r);
    for (const auto& id : gating_probes(plan.mode, plan.kind)) {
        if (auto r = refuse_by_probe(id, probes.get(id))) return refused(res, *r);
    }
    const bool eager = o.reuse == Reuse::eager;
    const std::string rp = reuse_probe(plan.mode, plan.kind, eager);
    const ReuseDecision reuse = decide_reuse(plan.mode, eager, rp, evidence_of(rp, probes));
    res.reuse = reuse.text;
    res.probe = reuse.probe;
    const std::string lp = layout_probe(plan.mode, plan.kind, o.layout);
    const LayoutDecision layout = decide_layout(plan.mode, o.layout, lp, evidence_of(lp, probes));
    res.layout_reason = layout.reason;
    if (o.sink == Sink::egress) {
        return run_egress(std::move(res), plan, o, probes,
                          {reuse.guard, layout.policy, zc_usage_reported(plan.mode, probes)});
    }

    const bool xdp = plan.mode == Mode::xdp_copy; // its own veth pair, not loopback
    traffic::ChannelOutcome opened =
        xdp ? open_xdp_channel() : traffic::open_channel(plan.kind, traffic::Admit::everything);
    if (!opened.channel) {
        return refused(res, xdp ? refuse_xdp_channel(opened.failed_call, opened.err)
                                : refuse_channel(opened.failed_call, opened.err));
    }
    const traffic::Channel& ch = *opened.channel;
    // Other runs' packets are dropped in the kernel, before they fill the
    // queue (xdp-copy's namespace is its own: nobody else sends there).
    if (const SysResult r = xdp ? SysResult{} : attach_engine_filter(ch.rx.get(), plan.kind, run_identity()); !r.ok()) {
        return refused(res, {RunStatus::failed, {},
                             "setsockopt(SO_ATTACH_FILTER) on the receiver failed: " + errno_text(r.err)});
    }
    res.frame_len = ch.header_len() + size;
    prepare_channel(ch);
    res.window = size_receive_buffer(ch, res.frame_len, o.window);

    TxConfig cfg;
    cfg.mode = plan.mode;
    cfg.ch = &ch;
    cfg.size = size;
    cfg.verify = o.verify;
    cfg.guard_reuse = reuse.guard;
    cfg.layout = layout.policy;
    cfg.window = res.window;
    cfg.zc_report_usage = zc_usage_reported(plan.mode, probes);
    std::string error;
    auto tx = make_transmitter(cfg, error);
    if (!tx) return refused(res, {RunStatus::failed, {}, error});
    res.layout = tx->layout_used;
    res.memory_bytes = tx->memory_bytes;
    res.bind_mode = tx->bind_mode;

    MeasureOutcome measured = measure(ch, *tx, run_params(o, res.window), mode_info(plan.mode).name, size);
    res.runs = std::move(measured.runs);
    rusage ru{};
    ::getrusage(RUSAGE_SELF, &ru);
    res.peak_rss_kib = ru.ru_maxrss;
    if (measured.failed) return refused(std::move(res), {RunStatus::failed, {}, std::move(measured.reason)});
    const Verdict v = judge_runs(res.runs, eager, o.verify);
    res.status = v.status;
    res.reason = v.reason;
    return res;
}

} // namespace zc::engine
