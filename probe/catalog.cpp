#include "probe/catalog.hpp"

#include "probe/families.hpp"

#include <set>
#include <stdexcept>
#include <string>

namespace zc::probe {

const std::vector<Spec>& catalog()
{
    static const std::vector<Spec> specs = [] {
        std::vector<Spec> out;
        add_pipe_probes(out);
        add_splice_probes(out);
        add_straddle_probes(out);
        add_sendfile_probes(out);
        add_zerocopy_probes(out);
        add_packet_probes(out);
        add_udp_gso_probes(out);
        add_io_uring_probes(out);
        add_security_probes(out);
        add_xdp_probes(out);
        add_cve_2026_probes(out);
        add_cve_2026_rxrpc_probe(out);
        std::set<std::string> seen;
        for (const auto& s : out) {
            if (!seen.insert(s.id).second) {
                throw std::logic_error("duplicate probe id in catalog: " + s.id);
            }
        }
        return out;
    }();
    return specs;
}

const Spec* find_spec(std::string_view id)
{
    for (const auto& s : catalog()) {
        if (s.id == id) return &s;
    }
    return nullptr;
}

} // namespace zc::probe
