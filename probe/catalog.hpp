// The probe catalog: every probe in a fixed order, ids unique and stable.
#pragma once

#include "probe/probe.hpp"

#include <string_view>
#include <vector>

namespace zc::probe {

const std::vector<Spec>& catalog();
const Spec* find_spec(std::string_view id);

} // namespace zc::probe
