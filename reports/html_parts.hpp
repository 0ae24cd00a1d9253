// Pieces the two HTML renderers (one report, a matrix) share: the page
// shell with inline CSS (self-contained: no network needed to view it), the
// colour legend, status cells and the inline-SVG throughput chart.
#pragma once

#include "reports/matrix.hpp"

#include <string>
#include <vector>

namespace zc::report::html {

std::string page(const std::string& title, const std::string& body);
std::string legend();
// <td class="st-STATUS">status mark</td>; "-" (class st-none) when absent.
std::string status_cell(const std::string& status, const std::string& zero_copy);
// <svg id="engine-chart">: Gbit/s against packet size (log scale), one line
// per series; "" when there are no series.
std::string engine_chart(const std::vector<EngineSeries>& series);

} // namespace zc::report::html
