#include "core/glob.hpp"

#include <fnmatch.h>

#include <string>

namespace zc {

bool glob_match(std::string_view pattern, std::string_view text)
{
    return ::fnmatch(std::string(pattern).c_str(), std::string(text).c_str(), 0) == 0;
}

} // namespace zc
