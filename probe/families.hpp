// Each probe family adds its entries to the catalog. One file per family.
#pragma once

#include "probe/probe.hpp"

#include <vector>

namespace zc::probe {

void add_pipe_probes(std::vector<Spec>& out);      // pipe_probes.cpp
void add_splice_probes(std::vector<Spec>& out);    // splice_probes.cpp: splice.<kind>
void add_straddle_probes(std::vector<Spec>& out);  // straddle_probes.cpp: splice_straddle.<kind>
void add_sendfile_probes(std::vector<Spec>& out);  // sendfile_probes.cpp: sendfile.<kind>
void add_zerocopy_probes(std::vector<Spec>& out);  // zerocopy_probes.cpp: zerocopy.<kind>
void add_packet_probes(std::vector<Spec>& out);    // packet_probes.cpp: packet.*
void add_udp_gso_probes(std::vector<Spec>& out);   // udp_gso_probes.cpp: udp.*
void add_io_uring_probes(std::vector<Spec>& out);  // io_uring_probes.cpp: io_uring.*
void add_security_probes(std::vector<Spec>& out);  // security_probes.cpp: security.*
void add_xdp_probes(std::vector<Spec>& out);       // xdp_probes.cpp: xdp.*
void add_cve_2026_probes(std::vector<Spec>& out);  // cve_2026_probes.cpp: security.cve_2026_*
void add_cve_2026_rxrpc_probe(std::vector<Spec>& out); // cve_2026_rxrpc.cpp: security.cve_2026_43500

} // namespace zc::probe
