// A random identity for this run, carried in every packet the probes and the
// engine send, so that runs sharing one network namespace (--host-netns)
// tell their own packets from another run's: raw and packet sockets see
// every packet of their protocol in the namespace, whoever sent it.
#pragma once

#include <cstdint>

namespace zc {

// 64 random bits from getrandom(), drawn once per process and never 0.
uint64_t run_identity() noexcept;

// Draws a new identity for this process: the probe runner calls it in each
// forked child, so probes running side by side in one namespace tell their
// packets apart as two runs do (whether or not the parent drew one).
void renew_run_identity() noexcept;

} // namespace zc
