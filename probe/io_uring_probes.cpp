// TODO(helper): io_uring probe family; see probe/families.hpp.
#include "probe/families.hpp"

namespace zc::probe {

void add_io_uring_probes(std::vector<Spec>& /*out*/) {}

} // namespace zc::probe
