// Text from arguments, files or the kernel made safe for one error line on
// a terminal: control characters (C0, DEL, C1), line and paragraph
// separators, bidi overrides and isolates, U+FFFE/U+FFFF and bytes that are
// not UTF-8 become `\n`, `\r`, `\t`, `\xNN` or `\uNNNN`. The same rules as
// reports/escape.hpp text_escape(), which renders report strings through
// this one and decodes with the two helpers below.
#pragma once

#include <string>
#include <string_view>

namespace zc {

std::string visible_text(std::string_view text);

// Length of the well-formed UTF-8 character at s[i] (RFC 3629: no overlong
// forms, no surrogates, nothing above U+10FFFF), its code point in cp; 0
// when the byte there starts none.
size_t utf8_char(std::string_view s, size_t i, char32_t& cp);

// A code point that must not reach a terminal or a one-line message as it
// is: C0, DEL, C1, line and paragraph separators, bidi overrides and
// isolates, U+FFFE and U+FFFF.
bool unsafe_char(char32_t c);

} // namespace zc
