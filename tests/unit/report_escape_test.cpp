// The escaping functions every renderer shares (reports/escape.hpp): what
// each format must never carry raw, and that ordinary text passes unchanged.
#include "reports/escape.hpp"

#include <doctest/doctest.h>

#include <string>
#include <string_view>

using namespace zc::report;
using namespace std::string_literals;

namespace {

// The hostile strings a report from an untrusted host may carry.
const std::string esc_title = "\x1b]0;pwned\x07";  // OSC: retitle the terminal
const std::string clear = "\x1b[2J";              // CSI: clear the screen
const std::string c1_csi = "\xc2\x9b" "2J";       // U+009B: CSI on some terminals
const std::string rlo = "\xe2\x80\xae";           // U+202E RIGHT-TO-LEFT OVERRIDE
const std::string lri = "\xe2\x81\xa6";           // U+2066 LEFT-TO-RIGHT ISOLATE
const std::string lsep = "\xe2\x80\xa8";          // U+2028 LINE SEPARATOR

// No byte below 0x20, no DEL, no C1, no bidi control in the output.
bool inert(const std::string& s)
{
    for (const char c : s) {
        const auto b = static_cast<unsigned char>(c);
        if (b < 0x20 || b == 0x7f) return false;
    }
    return s.find("\xc2\x80") == std::string::npos && s.find("\xc2\x9b") == std::string::npos &&
           s.find(rlo) == std::string::npos && s.find(lri) == std::string::npos && s.find(lsep) == std::string::npos;
}

} // namespace

TEST_CASE("text: controls shown as \\xNN - \\n - \\r - \\t - C1 and bidi as \\uNNNN")
{
    CHECK(text_escape(esc_title) == "\\x1b]0;pwned\\x07");
    CHECK(text_escape(clear) == "\\x1b[2J");
    CHECK(text_escape("a\nb\rc\td") == "a\\nb\\rc\\td");
    CHECK(text_escape("\x7f"s + "\0"s) == "\\x7f\\x00");
    CHECK(text_escape(c1_csi) == "\\u009b2J");
    CHECK(text_escape("x" + rlo + "y" + lri) == "x\\u202ey\\u2066");
    CHECK(text_escape(lsep + "\xe2\x80\xa9") == "\\u2028\\u2029");
    CHECK(text_escape("\xef\xbf\xbe") == "\\ufffe");
    // Not UTF-8: a stray continuation byte, a raw C1 byte, an overlong '/',
    // a surrogate, a truncated sequence; each byte on its own.
    CHECK(text_escape("\x80") == "\\x80");
    CHECK(text_escape("\x9b[2J") == "\\x9b[2J");
    CHECK(text_escape("\xc0\xaf") == "\\xc0\\xaf");
    CHECK(text_escape("\xed\xa0\x80") == "\\xed\\xa0\\x80");
    CHECK(text_escape("\xe2\x80") == "\\xe2\\x80");
    CHECK(inert(text_escape(esc_title + clear + c1_csi + rlo + lri + lsep + "\x80\xff")));
}

TEST_CASE("text: ordinary text - UTF-8 and other format characters unchanged")
{
    const std::string plain = "splice into raw4 socket failed: EINVAL (Invalid argument); <x> | `y` \\ & 'q' \"r\"";
    CHECK(text_escape(plain) == plain);
    const std::string utf8 = "Debian GNU/Linux 12 \xe2\x80\x94 m\xc3\xbcnchen \xf0\x9f\x90\xa7 \xe2\x86\x92";
    CHECK(text_escape(utf8) == utf8);
    CHECK(text_escape("\xc2\xa0") == "\xc2\xa0"); // U+00A0, just past C1
    CHECK(text_escape("\xe2\x80\xa9x") == "\\u2029x");
    CHECK(text_escape("") == "");
}

TEST_CASE("markdown: HTML - table - code - emphasis and link syntax escaped - line breaks visible")
{
    CHECK(markdown_escape("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;");
    CHECK(markdown_escape("a & b") == "a &amp; b");
    CHECK(markdown_escape("a | b") == "a \\| b");
    CHECK(markdown_escape("`x` *y* _z_ [l](u) \\") == "\\`x\\` \\*y\\* \\_z\\_ \\[l\\](u) \\\\");
    CHECK(markdown_escape("row\n| forged | row |") == "row\\n\\| forged \\| row \\|");
    CHECK(markdown_escape("a\r\nb") == "a\\r\\nb");
    CHECK(markdown_escape(esc_title + c1_csi) == "\\x1b\\]0;pwned\\x07\\u009b2J");
    CHECK(inert(markdown_escape(esc_title + clear + c1_csi + rlo + lsep)));
    // What the golden files hold: underscores escaped in prose.
    CHECK(markdown_escape("F_SETPIPE_SZ beyond fs.pipe-max-size") == "F\\_SETPIPE\\_SZ beyond fs.pipe-max-size");
}

TEST_CASE("markdown identifier: an underscore inside a word stays bare - one at an edge does not")
{
    CHECK(markdown_identifier("splice_straddle") == "splice_straddle");
    CHECK(markdown_identifier("zero_copy") == "zero_copy");
    CHECK(markdown_identifier("_pipe_") == "\\_pipe\\_");
    CHECK(markdown_identifier("a_ b") == "a\\_ b");
    CHECK(markdown_identifier("x|<y>\n") == "x\\|&lt;y&gt;\\n");
}

TEST_CASE("markdown code: a code span when plain - escaped text otherwise")
{
    CHECK(markdown_code("pipe.vmsplice") == "`pipe.vmsplice`");
    CHECK(markdown_code("fs.pipe-max-size=1048576") == "`fs.pipe-max-size=1048576`");
    CHECK(markdown_code("a`b") == "a\\`b");
    CHECK(markdown_code("a|b") == "a\\|b");
    CHECK(markdown_code("<script>") == "&lt;script&gt;");
    CHECK(markdown_code("h\nx") == "h\\nx");
    CHECK(markdown_code(esc_title) == "\\x1b\\]0;pwned\\x07");
    CHECK(markdown_code("") == "");
}

TEST_CASE("xml and html: markup as entities - controls XML 1.0 forbids made visible")
{
    CHECK(xml_escape("<a href=\"x\">'&'</a>") == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    CHECK(xml_escape(esc_title) == "\\x1b]0;pwned\\x07");
    CHECK(xml_escape("a\tb\nc\rd") == "a\\tb\\nc\\rd");
    CHECK(xml_escape("\xef\xbf\xbf") == "\\uffff");
    CHECK(xml_escape("\xff") == "\\xff");
    CHECK(inert(xml_escape(esc_title + clear + c1_csi + rlo + lsep + "\x01\x0b\x0c")));
    const std::string utf8 = "m\xc3\xbcnchen \xe2\x86\x92";
    CHECK(xml_escape(utf8) == utf8);
}

TEST_CASE("prometheus label: \\\\ \\\" \\n as the format says - other controls visible")
{
    CHECK(prometheus_label_escape("6.1\"\\\nx") == "6.1\\\"\\\\\\nx");
    // ESC becomes the text \x1b, its backslash escaped for the format.
    CHECK(prometheus_label_escape(esc_title) == "\\\\x1b]0;pwned\\\\x07");
    CHECK(prometheus_label_escape("\r" + c1_csi) == "\\\\r\\\\u009b2J");
    CHECK(prometheus_label_escape("plain-6.18.44_x86") == "plain-6.18.44_x86");
    const std::string out = prometheus_label_escape(esc_title + clear + c1_csi + rlo + "\r\n\t");
    CHECK(inert(out));
    // Every backslash in the output starts one of the format's escapes.
    for (size_t i = 0; i < out.size(); ++i) {
        if (out[i] != '\\') continue;
        REQUIRE(i + 1 < out.size());
        CHECK((out[i + 1] == '\\' || out[i + 1] == '"' || out[i + 1] == 'n'));
        ++i;
    }
}

TEST_CASE("json: ASCII only - so C1 and bidi controls are escaped too - strings stay data")
{
    const nlohmann::json doc = {{"reason", esc_title + c1_csi + rlo + "\n<script>"}};
    const std::string out = json_text(doc);
    std::string flat = out;
    std::erase(flat, '\n'); // the layout's own line breaks; no other control
    CHECK(inert(flat));
    CHECK(out.find("\\u001b]0;pwned\\u0007\\u009b2J\\u202e\\n<script>") != std::string::npos);
    CHECK(nlohmann::json::parse(out) == doc);
}
