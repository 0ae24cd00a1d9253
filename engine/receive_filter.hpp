// The engine receiver's kernel filter on kinds that share traffic across a
// namespace (raw IPv4, packet): another run's engine packets and any probe
// payload are dropped before they reach the queue, as the probes' receivers
// drop what is not theirs (traffic/socket_kinds.cpp foreign_filter). In user
// space they were skipped as foreign, but only after they had filled the
// receive queue, so four --host-netns engines side by side lost packets
// (rxq_ovfl) and ran unclean.
#pragma once

#include "core/sys_result.hpp"
#include "traffic/socket_kinds.hpp"

#include <linux/filter.h>

#include <cstdint>
#include <vector>

namespace zc::engine {

// The classic BPF program for kind: keeps what is too short to tell, engine
// packets of run and anything else that is neither an engine packet nor a
// probe payload (damage, judged in user space); drops the rest. A packet of
// ours whose run field was damaged is dropped too, and then counts as lost
// instead of corrupted: damage either way.
std::vector<sock_filter> engine_receive_filter(traffic::Kind kind, uint64_t run);

// Attaches it to fd where kind shares traffic; a no-op otherwise.
SysResult attach_engine_filter(int fd, traffic::Kind kind, uint64_t run);

} // namespace zc::engine
