// Comma-separated command-line lists ("pipe.*,splice.udp4"), shared by the
// three tools so they split them the same way. An empty item ("64,,1400",
// "a,", "") is a typo, not "nothing": it is refused, naming the option, so a
// dropped item never changes what runs.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace zc {

struct SplitList {
    std::vector<std::string> items;
    std::string error; // "" on success, else one line naming the option and the empty item
    [[nodiscard]] bool ok() const { return error.empty(); }
};

// option is how the message names the list, e.g. "--sizes".
SplitList split_list(std::string_view option, const std::string& text);
// Each value split in turn: the form CLI11 gives for a repeated option. No
// values at all is an empty list, not an error (the option was not given).
SplitList split_list(std::string_view option, const std::vector<std::string>& values);

} // namespace zc
