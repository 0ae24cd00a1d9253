// Escaping for every output format, in one place. Report strings (reasons,
// evidence, host names, kernel release, ...) come from hosts we do not
// control and from bug tickets; a renderer must never let them clear a
// terminal, retitle it, split a table row or inject HTML.
//
// Characters no renderer emits raw ("unsafe"), in any format:
//   C0 controls U+0000..U+001F and DEL U+007F (ESC, BEL, CR, LF, TAB, ...);
//   C1 controls U+0080..U+009F (some terminals read U+009B as CSI);
//   U+2028, U+2029 (line and paragraph separators: line breaks to some viewers);
//   bidi embeddings, overrides and isolates U+202A..U+202E, U+2066..U+2069
//   (they reorder what follows, "Trojan Source", CVE-2021-42574);
//   U+FFFE, U+FFFF (not allowed in XML 1.0);
//   bytes that are not well-formed UTF-8.
// Each is shown as visible ASCII text, the same in every format:
//   \n \r \t for LF, CR, TAB; \xNN for other C0 controls, DEL and stray
//   bytes; \uNNNN for the others (lower-case hex). Backslashes in the data
//   are left alone in text output: the escaping is for display, not a
//   reversible encoding (JSON output is the lossless form).
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace zc::report {

// Terminal text (render, matrix and diff text, zcprobe/zcengine tables):
// unsafe characters made visible, everything else unchanged.
std::string text_escape(std::string_view text);

// Markdown prose and table cells (headings too): unsafe characters made
// visible, so a line break never splits a row or a heading; & < > as HTML
// entities; | \ ` * _ [ ] backslash-escaped (no table split, code span,
// emphasis or link).
std::string markdown_escape(std::string_view text);

// A Markdown identifier (probe id, section): like markdown_escape, but an
// underscore between two letters or digits stays bare, where GFM never reads
// it as emphasis ("splice_straddle").
std::string markdown_identifier(std::string_view text);

// `text` as a Markdown code span when it is plain (no backtick, | \ < > &,
// or unsafe character); otherwise markdown_escape(text) without the code
// span, since a code span cannot escape a backtick and keeps < and & raw.
std::string markdown_code(std::string_view text);

// XML 1.0 and HTML text and attribute values: & < > " ' as entities, unsafe
// characters made visible (XML 1.0 cannot carry most C0 controls at all,
// not even as character references).
std::string xml_escape(std::string_view text);

// A Prometheus text-exposition label value: \ " and LF escaped as the format
// says (\\ \" \n); other unsafe characters made visible, their backslash
// doubled (the format knows no other escape).
std::string prometheus_label_escape(std::string_view text);

// JSON output: nlohmann escapes C0 controls; ASCII-only output also escapes
// C1 controls and bidi overrides (\u009b), so a report cat to a terminal is
// inert. Two-space indent and a final newline, as every JSON output here.
std::string json_text(const nlohmann::json& doc);

} // namespace zc::report
