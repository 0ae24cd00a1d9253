#include "probe/families.hpp"

namespace zc::probe {

void add_pipe_probes(std::vector<Spec>& /*out*/) {}

} // namespace zc::probe
