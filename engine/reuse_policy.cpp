#include "engine/reuse_policy.hpp"

namespace zc::engine {

namespace {

// Modes whose own completions say when a page is free again.
bool completion_driven(Mode m)
{
    return m == Mode::msg_zerocopy || m == Mode::io_uring_send_zc || m == Mode::tx_ring || m == Mode::xdp_copy;
}

} // namespace

std::string reuse_probe(Mode m, traffic::Kind k, bool eager)
{
    if (eager || completion_driven(m)) return {};
    return zero_copy_probe(m, k);
}

bool evidence_says_copied(const nlohmann::json& evidence)
{
    return evidence.is_object() && evidence.contains("zero_copy") && evidence["zero_copy"].is_boolean() &&
           !evidence["zero_copy"].get<bool>();
}

ReuseDecision decide_reuse(Mode m, bool eager, const std::string& probe, const nlohmann::json& evidence)
{
    ReuseDecision d;
    if (eager) {
        d.guard = false;
        d.text = m == Mode::tx_ring    ? "eager (frames rewritten as soon as the ring hands them back, before the "
                                         "receiver read them, on purpose)"
                 : m == Mode::xdp_copy ? "eager (UMEM frames rewritten as soon as their completion comes back, before "
                                         "the receiver read them, on purpose)"
                                       : "eager (rewrites pages at once, on purpose)";
    } else if (m == Mode::msg_zerocopy) {
        d.text = "safe (waits for the MSG_ZEROCOPY completion)";
    } else if (m == Mode::io_uring_send_zc) {
        d.text = "safe (waits for the SEND_ZC notification)";
    } else if (m == Mode::tx_ring) {
        d.text = "safe (a frame is rewritten once the ring hands it back and the receiver has read the packet it "
                 "carried: loopback hands frames back before delivery)";
    } else if (m == Mode::xdp_copy) {
        d.text = "safe (a UMEM frame is rewritten once its completion came back and the receiver has read the packet "
                 "it carried)";
    } else if (!probe.empty()) {
        const bool copies = evidence_says_copied(evidence);
        d.guard = !copies;
        d.probe = probe;
        d.text = copies ? "safe (probe " + probe + " saw the kernel copy: pages reused at once)"
                        : "safe (probe " + probe + " saw zero-copy or was inconclusive: pages reused after the "
                                                   "receiver acknowledged them)";
    } else {
        d.guard = false;
        d.text = "safe (the kernel copies)";
    }
    return d;
}

} // namespace zc::engine
