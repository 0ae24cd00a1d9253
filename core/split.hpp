// Comma-separated command-line lists ("pipe.*,splice.udp4"), shared by the
// three tools so they split them the same way: empty items are dropped.
#pragma once

#include <string>
#include <vector>

namespace zc {

std::vector<std::string> split_commas(const std::string& text);
// Each item split in turn: the form CLI11 gives for a repeated option.
std::vector<std::string> split_commas(const std::vector<std::string>& items);

} // namespace zc
