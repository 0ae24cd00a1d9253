// Moving the probe into a private network namespace, so nothing it does is
// seen by, or changes, the host's network; and, where none can be made,
// deciding whether the namespace zcprobe is in may carry its traffic.
#pragma once

#include "traffic/netlink.hpp"

#include <string>
#include <vector>

namespace zc {

struct NetnsOutcome {
    bool isolated = false; // true: we are in a fresh namespace with lo up
    // "netns" or "userns+netns": a namespace zcprobe made; "current": the
    // one it started in, shown safe (only lo up: traffic cannot leave the
    // machine); "host": the one it started in, not shown safe (--host-netns
    // or nothing else possible).
    std::string how;
    std::string reason; // why no private namespace, and why "current" is safe; empty when nothing to say
};

// As root: unshare(CLONE_NEWNET). Otherwise (or if that is refused, or lo
// cannot be raised there for want of CAP_NET_ADMIN): a new user namespace
// mapping our uid to 0 plus a network namespace. Brings lo up through
// netlink. Where neither works, judges the namespace it started in
// (current_netns). Must be called while the process has a single thread.
NetnsOutcome enter_private_netns();

// The namespace the process is in, judged by its links: "current" when
// judge_current_netns() finds it safe, else "host". why_not_private says
// why no private namespace is used (the user's --host-netns, or the
// refusals), and starts the reason.
NetnsOutcome current_netns(const std::string& why_not_private);

// Pure: whether a namespace with these links may carry the probes' traffic.
// Safe when lo is up and every other link is down (usually there is none:
// a container started with no network, or Docker's and Kubernetes'
// sandboxes before a network is attached; fallback tunnels such as tunl0
// or sit0 exist down where their modules are loaded): a packet cannot leave
// the machine through a link that is down. An up link besides lo may lead
// off the machine, and a container's namespace cannot then be told from
// the host's, so it is not judged safe.
struct NetnsJudgement {
    bool safe = false;
    std::string why;
};
NetnsJudgement judge_current_netns(const std::vector<netlink::LinkInfo>& links);

// Why creating a user namespace is refused here, from the sysctls that
// govern it; generic text when none of them explains it.
std::string userns_refusal_cause(int err);

} // namespace zc
