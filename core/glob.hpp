// Shell-style glob on ids ("splice.*", "*.udp4", "pipe.?ee"): --only,
// --skip and --require of zcprobe and zcreport match the same way.
#pragma once

#include <string_view>

namespace zc {

bool glob_match(std::string_view pattern, std::string_view text);

} // namespace zc
