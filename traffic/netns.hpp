// Moving the probe into a private network namespace, so nothing it does is
// seen by, or changes, the host's network.
#pragma once

#include <string>

namespace zc {

struct NetnsOutcome {
    bool isolated = false; // true: we are in a fresh namespace with lo up
    std::string how;       // "netns", "userns+netns" or "host"
    std::string reason;    // why isolation failed (empty when isolated or host by choice)
};

// As root: unshare(CLONE_NEWNET). Otherwise (or if that is refused): a new
// user namespace mapping our uid to 0 plus a network namespace. Brings lo up
// through netlink. Must be called while the process has a single thread.
NetnsOutcome enter_private_netns();

// Why creating a user namespace is refused here, from the sysctls that
// govern it; generic text when none of them explains it.
std::string userns_refusal_cause(int err);

} // namespace zc
