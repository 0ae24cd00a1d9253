// Text from arguments, files or the kernel made safe for one error line on
// a terminal: control characters (C0, DEL, C1), line and paragraph
// separators, bidi overrides and isolates, U+FFFE/U+FFFF and bytes that are
// not UTF-8 become `\n`, `\r`, `\t`, `\xNN` or `\uNNNN`. The same rules as
// reports/escape.hpp text_escape(), which renders report strings; core
// cannot include reports, so the tools' error lines use this one.
#pragma once

#include <string>
#include <string_view>

namespace zc {

std::string visible_text(std::string_view text);

} // namespace zc
