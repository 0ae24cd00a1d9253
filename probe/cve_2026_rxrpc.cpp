// CVE-2026-43500, the RxRPC half of Dirty Frag: rxrpc decrypted DATA and
// RESPONSE packets in place (rxkad_verify_packet_1(), skb_to_sgvec()) when
// the skb was not cloned, even when its paged frags were page-cache pages
// spliced into a UDP socket. Fixed by aa54b1d27fe0 "rxrpc: Also unshare
// DATA/RESPONSE packets when paged frags are present" (Linus's tree, 7.1;
// Fixes: d0d5c0cd1e71 "rxrpc: Use skb_unshare() rather than
// skb_cow_data()"; Debian 5.10.251-4, 6.1.170-2 and 6.12.86-1 by their
// changelogs). This probe reports exposure only: whether an AF_RXRPC socket
// can be created here, under the module gate (creating one loads rxrpc,
// "net-pf-33"). No behavioural test: an rxkad call needs a keyed service,
// and the kit has none it could validate.
#include "probe/cve_2026.hpp"
#include "probe/cve_2026_verdict.hpp"
#include "probe/families.hpp"
#include "probe/kernel_commits.hpp"
#include "probe/module_gate.hpp"

#include "core/errno_name.hpp"
#include "core/fd.hpp"

#include <sys/socket.h>

#include <cerrno>

#ifndef AF_RXRPC
#define AF_RXRPC 33
#endif

namespace zc::probe {

namespace {

Result run_rxrpc_exposure(const Context& ctx)
{
    const CveId id{"CVE-2026-43500", "Dirty Frag (RxRPC)", "aa54b1d27fe0"};
    const std::vector<ModuleNeed> needs = {{{"rxrpc"}, ""}};
    nlohmann::json ev = cve_evidence(id);
    ev["path_available"] = nullptr;
    ev["path_errno"] = nullptr;
    ev["modules_needed"] = {"rxrpc"};
    const ModuleCheck modules = check_modules(needs, ctx.load_modules, "socket(AF_RXRPC)");
    ev.update(modules.decision.evidence());
    if (modules.decision.gate == ModuleGate::need_load) {
        ev["reached"] = false;
        ev["reach_proof"] = "not run: modules missing";
        Result r = skipped("exposure not determined: " + modules.decision.reason);
        r.evidence = std::move(ev);
        return r;
    }
    // PF_INET: the transport family, as rxrpc's own users pass it.
    Fd s(::socket(AF_RXRPC, SOCK_DGRAM | SOCK_CLOEXEC, PF_INET));
    const int err = s ? 0 : errno;
    s = Fd();
    ev["modules_loaded_by_run"] = modules_loaded_since(modules, needs);
    if (auto r = socket_exposure(id, ev, "socket(AF_RXRPC, SOCK_DGRAM, PF_INET)", err,
                                 "the AF_RXRPC socket family (rxrpc)", modules.decision.no_load)) {
        return *r;
    }
    return from_errno(ctx, "socket(AF_RXRPC, SOCK_DGRAM, PF_INET)", err, {}, ev);
}

} // namespace

void add_cve_2026_rxrpc_probe(std::vector<Spec>& out)
{
    out.push_back(Spec{
        .id = "security.cve_2026_43500",
        .section = "security",
        .title = "exposure to CVE-2026-43500 (dirty frag, rxrpc)",
        .supported_means = "the AF_RXRPC socket family is absent and no module can provide it, so the rxrpc "
                           "in-place decrypt cannot be reached",
        .capabilities = {},
        // Debian carries the fix as its own patch (5.10.251-4, 6.1.170-2,
        // 6.12.86-1 by their changelogs); no upstream stable release is
        // listed here, as none was verified.
        .history = {change(kc::rxrpc_unshare, "rxrpc decrypts unshared skbs in place, spliced frags included",
                           expect(Status::unsupported, "vulnerable", true)),
                    change(kc::rxrpc_dirty_frag_fix, "the fix: rxrpc unshares packets with paged frags (Debian "
                                                     "5.10.251-4, 6.1.170-2, 6.12.86-1 by their changelogs)",
                           expect(Status::supported, "vulnerable", false))},
        .needs_netns = false,
        .run = run_rxrpc_exposure,
    });
}

} // namespace zc::probe
