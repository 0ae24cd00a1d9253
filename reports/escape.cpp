#include "reports/escape.hpp"

#include "core/visible_text.hpp"

#include <cstdio>

namespace zc::report {

namespace {

// One character of the input: its bytes, and its code point when the bytes
// are well-formed UTF-8 (one stray byte otherwise).
struct Unit {
    std::string_view bytes;
    char32_t cp = 0;
    bool valid = false;
};

// One character: strict UTF-8 as core's utf8_char() decodes it, anything
// else is one invalid byte.
Unit next_unit(std::string_view s, size_t i)
{
    char32_t cp = 0;
    const size_t len = utf8_char(s, i, cp);
    if (len == 0) return {s.substr(i, 1), 0, false};
    return {s.substr(i, len), cp, true};
}

bool unsafe(const Unit& u)
{
    return !u.valid || unsafe_char(u.cp);
}

// The visible text for an unsafe unit: ASCII letters, digits and one
// backslash, so it needs no further escaping in any format but Prometheus.
std::string visible(const Unit& u)
{
    char buf[16];
    if (!u.valid) {
        std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned char>(u.bytes[0]));
        return buf;
    }
    switch (u.cp) {
    case '\n': return "\\n";
    case '\r': return "\\r";
    case '\t': return "\\t";
    default: break;
    }
    if (u.cp < 0x80) {
        std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(u.cp));
    } else {
        std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(u.cp));
    }
    return buf;
}

// Walks text one character at a time: unsafe ones become visible text,
// safe ones go to `safe` (which appends them, escaped as its format wants).
template <class Safe>
std::string escape_with(std::string_view text, Safe&& safe)
{
    std::string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size();) {
        const Unit u = next_unit(text, i);
        if (unsafe(u)) {
            out += visible(u);
        } else {
            safe(out, u, i);
        }
        i += u.bytes.size();
    }
    return out;
}

bool alnum(std::string_view text, size_t i)
{
    if (i >= text.size()) return false;
    const char c = text[i];
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

std::string markdown(std::string_view text, bool bare_inner_underscore)
{
    return escape_with(text, [&](std::string& out, const Unit& u, size_t i) {
        switch (u.cp) {
        case '&': out += "&amp;"; return;
        case '<': out += "&lt;"; return;
        case '>': out += "&gt;"; return;
        case '_':
            if (bare_inner_underscore && i > 0 && alnum(text, i - 1) && alnum(text, i + 1)) break;
            out += '\\';
            break;
        case '|':
        case '\\':
        case '`':
        case '*':
        case '[':
        case ']': out += '\\'; break;
        default: break;
        }
        out += u.bytes;
    });
}

} // namespace

std::string text_escape(std::string_view text)
{
    return escape_with(text, [](std::string& out, const Unit& u, size_t) { out += u.bytes; });
}

std::string markdown_escape(std::string_view text)
{
    return markdown(text, false);
}

std::string markdown_identifier(std::string_view text)
{
    return markdown(text, true);
}

std::string markdown_code(std::string_view text)
{
    bool plain = !text.empty();
    for (size_t i = 0; i < text.size() && plain;) {
        const Unit u = next_unit(text, i);
        plain = !unsafe(u) && u.cp != '`' && u.cp != '|' && u.cp != '\\' && u.cp != '<' && u.cp != '>' &&
                u.cp != '&';
        i += u.bytes.size();
    }
    if (!plain) return markdown_escape(text);
    std::string out;
    out.reserve(text.size() + 2);
    out += '`';
    out += text;
    out += '`';
    return out;
}

std::string xml_escape(std::string_view text)
{
    return escape_with(text, [](std::string& out, const Unit& u, size_t) {
        switch (u.cp) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: out += u.bytes;
        }
    });
}

std::string prometheus_label_escape(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size();) {
        const Unit u = next_unit(text, i);
        if (u.valid && u.cp == '\n') {
            out += "\\n";
        } else if (unsafe(u)) {
            for (const char c : visible(u)) {
                if (c == '\\') out += '\\';
                out += c;
            }
        } else if (u.cp == '\\') {
            out += "\\\\";
        } else if (u.cp == '"') {
            out += "\\\"";
        } else {
            out += u.bytes;
        }
        i += u.bytes.size();
    }
    return out;
}

std::string json_text(const nlohmann::json& doc)
{
    return doc.dump(2, ' ', true) + "\n";
}

} // namespace zc::report
