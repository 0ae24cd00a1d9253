// Pieces the two HTML renderers (one report, a matrix) share: the page
// shell with inline CSS (self-contained: no network needed to view it), the
// colour legends, status and transmit-grid cells, and the inline-SVG
// throughput chart. Every colour comes with a symbol or a pattern, so a
// page printed in greyscale reads the same.
#pragma once

#include "reports/matrix.hpp"
#include "reports/verdict_view.hpp"

#include <string>
#include <vector>

namespace zc::report::html {

std::string page(const std::string& title, const std::string& body);
std::string legend();
// <td class="sev-SEVERITY">word mark</td> (verdict_view.hpp decides word
// and severity); "-" (class sev-none) when the word is empty. extra_class is
// added to the class list (e.g. "changed").
std::string verdict_cell(const std::string& word, const std::string& zero_copy, Severity severity,
                         const std::string& extra_class = "");
// A transmit-grid cell (verdict words of TransmitGrid): symbol and word on
// the verdict's colour; tooltip names the probe and its reason.
std::string grid_cell(const std::string& verdict, const std::string& tooltip);
std::string grid_legend();
// <svg id="engine-chart">: grouped bars, Gbit/s per packet size, one bar
// (class "series") per series with its own colour and fill pattern, and a
// legend under it; a bar whose run was unclean is outlined in red and
// marked with a cross; "" when there are no series.
std::string engine_chart(const std::vector<EngineSeries>& series);


} // namespace zc::report::html
