#include "reports/escape.hpp"

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

// Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above
// U+10FFFF; anything else is one invalid byte.
Unit next_unit(std::string_view s, size_t i)
{
    const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char lead = b(i);
    if (lead < 0x80) return {s.substr(i, 1), lead, true};
    size_t len = 0;
    char32_t cp = 0, min = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
        len = 2, cp = lead & 0x1F, min = 0x80;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        len = 3, cp = lead & 0x0F, min = 0x800;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        len = 4, cp = lead & 0x07, min = 0x10000;
    } else {
        return {s.substr(i, 1), 0, false};
    }
    if (i + len > s.size()) return {s.substr(i, 1), 0, false};
    for (size_t k = 1; k < len; ++k) {
        if ((b(i + k) & 0xC0) != 0x80) return {s.substr(i, 1), 0, false};
        cp = (cp << 6) | (b(i + k) & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return {s.substr(i, 1), 0, false};
    return {s.substr(i, len), cp, true};
}

bool unsafe(const Unit& u)
{
    if (!u.valid) return true;
    const char32_t c = u.cp;
    return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x2028 || c == 0x2029 || (c >= 0x202A && c <= 0x202E) ||
           (c >= 0x2066 && c <= 0x2069) || c == 0xFFFE || c == 0xFFFF;
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
