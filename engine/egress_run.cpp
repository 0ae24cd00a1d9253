#include "engine/egress_run.hpp"

#include "core/errno_name.hpp"
#include "core/syscalls.hpp"
#include "engine/measure.hpp"
#include "engine/run_mode.hpp"
#include "traffic/egress_link.hpp"
#include "probe/module_gate.hpp"
#include "traffic/netlink.hpp"

#include <netinet/in.h>
#include <netinet/udp.h>
#include <sys/resource.h>

#ifndef UDP_SEGMENT
#define UDP_SEGMENT 103
#endif

namespace zc::engine {

namespace {

Precheck run_precheck(const Plan& plan, size_t size, const Options& o, ProbeCache& probes)
{
    Options lo = o;
    lo.sink = Sink::loopback;
    lo.count = precheck_count(o.count);
    lo.duration_ms.reset();
    lo.repeat = 1;
    lo.warmup = 0;
    lo.verify = true;
    const ModeResult r = run_mode(plan, size, lo, probes);
    Precheck pre;
    pre.status = r.status;
    pre.reason = r.reason;
    for (const auto& m : r.runs) pre.counts = m.counts;
    return pre;
}

ModeResult refused(ModeResult res, RunStatus status, std::string reason)
{
    res.status = status;
    res.reason = std::move(reason);
    return res;
}

} // namespace

Verdict judge_egress(const std::vector<Measurement>& runs, const Precheck& pre)
{
    const std::string checked = "loopback pre-check verified " + std::to_string(pre.counts.verified) + " of " +
                                std::to_string(pre.counts.sent);
    if (pre.status != RunStatus::ok) {
        return {RunStatus::unclean, "loopback pre-check " + std::string(run_status_name(pre.status)) + ": " +
                                        pre.reason};
    }
    uint64_t sent = 0;
    for (const auto& m : runs) {
        if (m.timed_out) return {RunStatus::unclean, "the time limit stopped a run at the egress sink; " + checked};
        sent += m.counts.sent;
    }
    return {RunStatus::ok, std::to_string(sent) + " sent to the egress sink (not received, not verified); " + checked};
}

ModeResult run_egress(ModeResult res, const Plan& plan, const Options& o, ProbeCache& probes,
                      const EgressSetup& setup)
{
    res.sink = Sink::egress;
    if (auto e = egress_refusal(plan.mode, plan.kind); !e.empty()) return refused(std::move(res), RunStatus::skipped, e);
    if (auto e = check_egress_size(plan.mode, plan.kind, res.size, traffic::egress_mtu); !e.empty()) {
        return refused(std::move(res), RunStatus::skipped, e);
    }
    // veth through the module gate (probe/module_gate.hpp): creating the
    // pair loads veth where it is a module not loaded, so without
    // --load-modules the run is skipped; absent with nothing able to load,
    // it is skipped too, never failed.
    const probe::ModuleCheck modules =
        probe::check_modules(probe::veth_needs(), o.load_modules, "creating the egress veth pair");
    if (modules.decision.gate == probe::ModuleGate::need_load) {
        return refused(std::move(res), RunStatus::skipped, modules.decision.reason);
    }
    const traffic::EgressLink& link = traffic::egress_link();
    if (!link.error.empty()) {
        if (const auto why = probe::module_absent_reason(modules.decision, link.veth_kind_unsupported); !why.empty()) {
            return refused(std::move(res), RunStatus::skipped, why + " (" + link.error + ")");
        }
        return refused(std::move(res), RunStatus::failed, link.error);
    }

    res.precheck = run_precheck(plan, res.size, o, probes);
    if (res.precheck->status == RunStatus::unavailable) {
        return refused(std::move(res), RunStatus::unavailable, res.precheck->reason);
    }

    traffic::ChannelOutcome opened = traffic::open_egress_channel(plan.kind, link.ifindex);
    if (!opened.channel) {
        Refusal r = refuse_channel(opened.failed_call, opened.err);
        return refused(std::move(res), r.status, std::move(r.reason));
    }
    const traffic::Channel& ch = *opened.channel;
    res.frame_len = ch.header_len() + res.size;
    res.gso_size = egress_gso_size(plan.kind, res.size, traffic::egress_mtu);
    if (res.gso_size > 0) {
        // One send of up to 64 KB leaves as one GSO skb: veth takes UDP GSO
        // (NETIF_F_GSO_UDP_L4), so nothing segments it on the way out.
        if (const auto r = sys::setsockopt_int(ch.tx.get(), IPPROTO_UDP, UDP_SEGMENT, static_cast<int>(res.gso_size));
            !r.ok()) {
            return refused(std::move(res), RunStatus::unavailable,
                           "setsockopt(UDP_SEGMENT) on udp4 socket failed: " + errno_text(r.err));
        }
    }
    res.window = o.window;
    // Nothing reads the frames at an egress sink: the ring's own status
    // word is the only thing to wait for (veth does not orphan the skb, so
    // the frame comes back once the far end dropped it).
    if (plan.mode == Mode::tx_ring && setup.guard_reuse) {
        res.reuse = "safe (a frame is rewritten once the ring hands it back; nothing receives at the egress sink)";
    }

    TxConfig cfg;
    cfg.mode = plan.mode;
    cfg.ch = &ch;
    cfg.size = res.size;
    cfg.verify = o.verify;
    cfg.guard_reuse = setup.guard_reuse;
    cfg.layout = setup.layout;
    cfg.window = res.window;
    cfg.zc_report_usage = setup.zc_report_usage;
    std::string error;
    auto tx = make_transmitter(cfg, error);
    if (!tx) return refused(std::move(res), RunStatus::failed, error);
    res.layout = tx->layout_used;
    res.memory_bytes = tx->memory_bytes;

    RunParams p = run_params(o, res.window);
    p.receiver = false;
    std::string counter_error;
    const auto before = netlink::link_counters(traffic::egress_link_name, counter_error);
    MeasureOutcome measured = measure(ch, *tx, p, mode_info(plan.mode).name, res.size);
    if (const auto after = netlink::link_counters(traffic::egress_link_name, counter_error); before && after) {
        res.link_tx_packets = static_cast<int64_t>(after->tx_packets - before->tx_packets);
        res.link_tx_dropped = static_cast<int64_t>(after->tx_dropped - before->tx_dropped);
    }
    res.runs = std::move(measured.runs);
    rusage ru{};
    ::getrusage(RUSAGE_SELF, &ru);
    res.peak_rss_kib = ru.ru_maxrss;
    if (measured.failed) return refused(std::move(res), RunStatus::failed, std::move(measured.reason));
    const Verdict v = judge_egress(res.runs, *res.precheck);
    res.status = v.status;
    res.reason = v.reason;
    return res;
}

} // namespace zc::engine
