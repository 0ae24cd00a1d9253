// TODO(helper): udp_gso probe family; see probe/families.hpp.
#include "probe/families.hpp"

namespace zc::probe {

void add_udp_gso_probes(std::vector<Spec>& /*out*/) {}

} // namespace zc::probe
