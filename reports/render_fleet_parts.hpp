// Phrases the fleet renderers (text, Markdown, HTML) share, so the three say
// the same thing in the same words.
#pragma once

#include "reports/fleet.hpp"

#include <string>
#include <vector>

namespace zc::report::fleet {

// Host names a list shows before "and N more".
inline constexpr size_t hosts_shown = 8;
// Sets of differing hosts a group shows in text and Markdown.
inline constexpr size_t columns_shown = 20;

// "1 host", "12 hosts".
std::string hosts_count(size_t n);
// "6.1.0-28-amd64 (debian 12)", or the release alone.
std::string group_label(const FleetGroup& g);
// "10000 reports: 9997 read, 2 bad, 1 foreign; 6 kernel groups; 37 hosts need attention; 12 differ from their
// kernel group's majority".
std::string summary_line(const Fleet& f);
// The status columns of the probe table: status_names(), then "missing"
// when a report lacks a probe.
std::vector<std::string> status_columns(const Fleet& f);

} // namespace zc::report::fleet
