#include "reports/report_reader.hpp"

#include "core/bounded_read.hpp"
#include "reports/escape.hpp"
#include "reports/schema_validator.hpp"

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <iostream>
#include <map>
#include <sstream>

namespace zc::report {

using nlohmann::json;

size_t first_invalid_utf8(std::string_view text)
{
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    const size_t n = text.size();
    size_t i = 0;
    while (i < n) {
        // Reports are mostly ASCII: eight bytes at a time while no high bit is set.
        while (i + 8 <= n) {
            std::uint64_t word = 0;
            std::memcpy(&word, s + i, sizeof word);
            if ((word & 0x8080808080808080ULL) != 0) break;
            i += 8;
        }
        if (i >= n) break;
        const unsigned char c = s[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        size_t len = 0;
        unsigned cp = 0;
        unsigned min = 0;
        if ((c & 0xE0) == 0xC0) {
            len = 2, cp = c & 0x1F, min = 0x80;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3, cp = c & 0x0F, min = 0x800;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4, cp = c & 0x07, min = 0x10000;
        } else {
            return i;
        }
        if (i + len > n) return i;
        for (size_t k = 1; k < len; ++k) {
            if ((s[i + k] & 0xC0) != 0x80) return i;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        // Overlong forms, UTF-16 surrogates and code points past U+10FFFF.
        if (cp < min || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return i;
        i += len;
    }
    return std::string_view::npos;
}

int nesting_depth(std::string_view text, int limit)
{
    int depth = 0;
    int deepest = 0;
    bool in_string = false;
    bool escaped = false;
    for (const char c : text) {
        if (in_string) {
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '"') {
                in_string = false;
            }
            continue;
        }
        if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            deepest = std::max(deepest, ++depth);
            if (deepest > limit) return deepest;
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return deepest;
}

void release_json(json& node) noexcept
{
    // nlohmann's destructor flattens a container into a heap-allocated stack
    // first (json_value::destroy), which can throw bad_alloc from a noexcept
    // destructor. Emptied from the leaves up, every container is empty when
    // it is destroyed and no allocation is made (reserve(0) allocates
    // nothing). Recursion is bounded by the reader's nesting limit.
    if (auto* array = node.get_ptr<json::array_t*>()) {
        while (!array->empty()) {
            release_json(array->back());
            array->pop_back();
        }
    } else if (auto* object = node.get_ptr<json::object_t*>()) {
        while (!object->empty()) {
            release_json(object->begin()->second);
            object->erase(object->begin());
        }
    }
    node = nullptr;
}

ParsedReport::~ParsedReport() { release_json(doc); }
LoadedReport::~LoadedReport() { release_json(doc); }
ReleasedDocs::~ReleasedDocs()
{
    for (auto& d : *this) release_json(d);
}

namespace {

// Builds the document as nlohmann's own json_sax_dom_parser does, into a
// value we own (so a failed parse can release it without allocating), and
// refuses a key that is already in its object: RFC 8259 leaves duplicates
// to the reader and I-JSON (RFC 7493) forbids them, so a report that names
// a field twice could mean one thing to us and another to its next reader.
class StrictDom {
public:
    explicit StrictDom(json& root) : root_(root) {}

    bool null() { return put(nullptr); }
    bool boolean(bool v) { return put(v); }
    bool number_integer(json::number_integer_t v) { return put(v); }
    bool number_unsigned(json::number_unsigned_t v) { return put(v); }
    bool number_float(json::number_float_t v, const json::string_t&) { return put(v); }
    bool string(json::string_t& v) { return put(std::move(v)); }
    bool binary(json::binary_t&) { return fail("binary values are not JSON"); }
    bool start_object(std::size_t) { return open(json::value_t::object); }
    bool start_array(std::size_t) { return open(json::value_t::array); }
    bool end_object() { return close(); }
    bool end_array() { return close(); }
    bool key(json::string_t& k)
    {
        auto& object = stack_.back()->get_ref<json::object_t&>();
        const auto [it, fresh] = object.try_emplace(k);
        if (!fresh) {
            return fail("duplicate key \"" + k + "\" in the object at " + pointer() +
                        "; a key appears once per object (RFC 7493 I-JSON)");
        }
        pending_ = &it->second;
        keys_.back() = &it->first;
        return true;
    }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e)
    {
        // nlohmann's message starts "[json.exception.parse_error.101] parse
        // error at line 3, column 5: ..."; keep what follows the tag.
        std::string what = e.what();
        if (const auto close = what.find("] "); close != std::string::npos) what = what.substr(close + 2);
        return fail(what);
    }
    [[nodiscard]] const std::string& error() const { return error_; }
    [[nodiscard]] bool too_deep() const { return too_deep_; }

private:
    template <class V>
    json* place(V&& v)
    {
        if (stack_.empty()) {
            root_ = json(std::forward<V>(v));
            return &root_;
        }
        if (auto* array = stack_.back()->get_ptr<json::array_t*>()) {
            array->emplace_back(std::forward<V>(v));
            return &array->back();
        }
        *pending_ = json(std::forward<V>(v));
        return pending_;
    }
    template <class V>
    bool put(V&& v)
    {
        place(std::forward<V>(v));
        return true;
    }
    bool open(json::value_t t)
    {
        // nlohmann's parser keeps its own stack (no recursion), so the
        // depth limit is checked here, as containers open, instead of in a
        // pass of its own over the text before parsing.
        if (stack_.size() >= static_cast<size_t>(max_report_depth)) {
            too_deep_ = true;
            return fail("JSON nested deeper than " + std::to_string(max_report_depth) + " levels; reports nest far less");
        }
        json* node = place(t);
        stack_.push_back(node);
        keys_.push_back(nullptr);
        return true;
    }
    bool close()
    {
        stack_.pop_back();
        keys_.pop_back();
        return true;
    }
    bool fail(std::string what)
    {
        error_ = std::move(what);
        return false;
    }
    // JSON pointer of the innermost open container.
    std::string pointer() const
    {
        std::string p;
        for (size_t i = 0; i + 1 < stack_.size(); ++i) {
            const json& c = *stack_[i];
            p = pointer_append(p, c.is_array() ? std::to_string(c.size() - 1) : *keys_[i]);
        }
        return p.empty() ? "/" : p;
    }

    json& root_;
    std::vector<json*> stack_; // open containers, outermost first
    std::vector<const std::string*> keys_; // per open container: its last key (in its object)
    json* pending_ = nullptr;  // the member a key() made, waiting for its value
    std::string error_;
    bool too_deep_ = false;
};

} // namespace

ParsedReport parse_report_text(std::string_view text)
{
    ParsedReport out;
    if (text.size() > max_report_bytes) {
        out.error = "larger than the limit of " + std::to_string(max_report_bytes) + " bytes (16 MiB)";
        return out;
    }
    if (const size_t bad = first_invalid_utf8(text); bad != std::string_view::npos) {
        out.error = "not valid UTF-8 at byte offset " + std::to_string(bad) + "; reports are UTF-8 JSON";
        return out;
    }
    // nlohmann's lexer takes a NUL byte for the end of input, so a report
    // followed by "\0anything" would read as the report alone. JSON allows
    // no NUL outside strings, and none raw inside one.
    if (const size_t nul = text.find('\0'); nul != std::string_view::npos) {
        out.error = "not valid JSON: a NUL byte at byte offset " + std::to_string(nul) +
                    "; a report is one JSON value and nothing after it";
        return out;
    }
    StrictDom dom(out.doc);
    bool parsed = false;
    try {
        // strict: anything after the value but whitespace is an error.
        parsed = json::sax_parse(text.begin(), text.end(), &dom, json::input_format_t::json, true);
    } catch (const std::bad_alloc&) {
        // The partial document is released without allocating before the
        // exception goes on; main says what ran out (exit 3).
        release_json(out.doc);
        throw;
    }
    if (!parsed) {
        release_json(out.doc);
        std::string what = dom.error();
        if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) what = "empty file, expected a JSON object";
        out.error = dom.too_deep() ? what : "not valid JSON: " + what;
    }
    return out;
}

namespace {

// What a schema cannot say: probe ids are unique, the summary counts the
// probes that are there, and each engine result (mode, kind, size) appears
// once. Runs on a document the schema accepted, so the types hold.
std::vector<std::string> consistency_errors(const json& doc)
{
    std::vector<std::string> errors;
    const json& probes = doc["probes"];
    std::map<std::string, size_t> first_at;
    std::map<std::string, long long> by_status;
    for (size_t i = 0; i < probes.size(); ++i) {
        const std::string id = probes[i]["id"].get<std::string>();
        if (const auto [it, fresh] = first_at.emplace(id, i); !fresh) {
            errors.push_back("/probes/" + std::to_string(i) + "/id: \"" + id + "\" already at /probes/" +
                             std::to_string(it->second) + "; probe ids are unique");
        }
        ++by_status[probes[i]["status"].get<std::string>()];
    }
    const json& summary = doc["summary"];
    for (const auto& [key, value] : summary.items()) {
        const long long want = key == "total" ? static_cast<long long>(probes.size()) : by_status[key];
        if (value.get<long long>() != want) {
            errors.push_back("/summary/" + key + ": " + std::to_string(value.get<long long>()) + ", but " +
                             std::to_string(want) + (key == "total" ? " probes are in the report" :
                                                                      " probes have status " + key));
        }
    }
    if (const auto engine = doc.find("engine"); engine != doc.end()) {
        std::map<std::string, size_t> seen;
        for (size_t i = 0; i < engine->size(); ++i) {
            const json& e = (*engine)[i];
            const std::string key = e["mode"].get<std::string>() + "/" + e["kind"].get<std::string>() + "/" +
                                    std::to_string(e["size"].get<long long>());
            if (const auto [it, fresh] = seen.emplace(key, i); !fresh) {
                errors.push_back("/engine/" + std::to_string(i) + ": " + key + " already at /engine/" +
                                 std::to_string(it->second) + "; each mode, kind and size appears once");
            }
        }
    }
    return errors;
}

// Numbers past 2^53 are refused, which bounds every integer and keeps any
// conversion a renderer makes defined. A float stays a float: where the
// schema says integer, 2000.0 is refused by the validator (it is written
// by no zcprobe and would read as a different value elsewhere).
// Returns the pointer of the first offending number, or "".
std::string check_number_range(const json& node, const std::string& pointer)
{
    constexpr double limit = 9007199254740992.0; // 2^53
    if (node.is_number_float()) {
        const double d = node.get<double>();
        if (!(std::fabs(d) <= limit)) return pointer.empty() ? "/" : pointer;
    } else if (node.is_number_unsigned()) {
        if (node.get<std::uint64_t>() > static_cast<std::uint64_t>(limit)) return pointer.empty() ? "/" : pointer;
    } else if (node.is_number_integer()) {
        const auto v = node.get<std::int64_t>();
        if (v > static_cast<std::int64_t>(limit) || v < -static_cast<std::int64_t>(limit)) {
            return pointer.empty() ? "/" : pointer;
        }
    } else if (node.is_object()) {
        for (const auto& [key, value] : node.items()) {
            if (auto bad = check_number_range(value, pointer_append(pointer, key)); !bad.empty()) return bad;
        }
    } else if (node.is_array()) {
        for (size_t i = 0; i < node.size(); ++i) {
            if (auto bad = check_number_range(node[i], pointer_append(pointer, std::to_string(i))); !bad.empty()) {
                return bad;
            }
        }
    }
    return {};
}

// check_number_range() without building a pointer per node (most reports
// pass, and the pointer strings cost more than the walk).
bool numbers_in_range(const json& node)
{
    constexpr double limit = 9007199254740992.0; // 2^53
    switch (node.type()) {
    case json::value_t::number_float:
        return std::fabs(node.get<double>()) <= limit;
    case json::value_t::number_unsigned:
        return node.get<std::uint64_t>() <= static_cast<std::uint64_t>(limit);
    case json::value_t::number_integer: {
        const auto v = node.get<std::int64_t>();
        return v <= static_cast<std::int64_t>(limit) && v >= -static_cast<std::int64_t>(limit);
    }
    case json::value_t::object:
        for (const auto& [key, value] : node.get_ref<const json::object_t&>()) {
            if (!numbers_in_range(value)) return false;
        }
        return true;
    case json::value_t::array:
        for (const auto& value : node) {
            if (!numbers_in_range(value)) return false;
        }
        return true;
    default:
        return true;
    }
}

LoadedReport check_unescaped(std::string_view text)
{
    LoadedReport out;
    ParsedReport parsed = parse_report_text(text);
    if (!parsed.error.empty()) {
        out.errors.push_back(parsed.error);
        return out;
    }
    const std::string range =
        std::to_string(min_supported_schema_version) + ".." + std::to_string(max_supported_schema_version);
    if (!parsed.doc.is_object()) {
        out.errors.push_back("/: expected a JSON object (a zcprobe report), got " + json_type_name(parsed.doc));
        return out;
    }
    if (const std::string bad = numbers_in_range(parsed.doc) ? "" : check_number_range(parsed.doc, ""); !bad.empty()) {
        out.errors.push_back(bad + ": a number beyond +-2^53 (RFC 7493 I-JSON); no report field holds one");
        return out;
    }
    const auto version = parsed.doc.find("schema_version");
    if (version == parsed.doc.end()) {
        out.errors.push_back("/schema_version: missing; not a zcprobe report (supported schema_version " + range + ")");
        return out;
    }
    if (!version->is_number_integer()) {
        out.errors.push_back("/schema_version: expected an integer in " + range + ", got " + json_type_name(*version));
        return out;
    }
    if (const auto v = version->get<long long>(); v < min_supported_schema_version || v > max_supported_schema_version) {
        out.errors.push_back("/schema_version: " + std::to_string(v) + " is not supported; this zcreport reads " +
                             range + (v > max_supported_schema_version ? " (the report is from a newer zcprobe)" : ""));
        return out;
    }
    // Optional (older reports lack it); when present it must name the schema
    // of the report's own schema_version, which is the one checked below.
    if (const auto id = parsed.doc.find("$schema"); id != parsed.doc.end()) {
        const std::string ours = report_schema_id(version->get<int>());
        if (!id->is_string()) {
            out.errors.push_back("/$schema: expected the string " + ours + " (or no $schema), got " + json_type_name(*id));
            return out;
        }
        if (std::string named = id->get<std::string>(); named != ours) {
            if (named.size() > 80) named = named.substr(0, 77) + "...";
            out.errors.push_back("/$schema: '" + named + "' is not the zcprobe report schema; expected " + ours +
                                 " (or no $schema)");
            return out;
        }
    }
    static const SchemaValidator validator(report_schema());
    for (const auto& e : validator.validate(parsed.doc)) {
        out.errors.push_back((e.pointer.empty() ? "/" : e.pointer) + ": " + e.expected);
    }
    if (out.errors.empty()) out.errors = consistency_errors(parsed.doc);
    if (out.errors.empty()) out.doc = std::move(parsed.doc);
    return out;
}

} // namespace

LoadedReport check_report_text(std::string_view text)
{
    LoadedReport out = check_unescaped(text);
    // Error lines quote keys and values of the report (an untrusted host's
    // text) and go to a terminal: controls shown, never sent raw.
    for (auto& e : out.errors) e = text_escape(e);
    return out;
}

LoadedReport load_report_file(const std::string& path)
{
    LoadedReport out;
    std::string text;
    if (path == "-") {
        // stdin is the caller's to bound: a pipe from a long zcprobe run is fine.
        // Read one byte past the limit to tell "at the limit" from "over it",
        // without trusting a size that a pipe or /proc file would not report.
        text.resize(max_report_bytes + 1);
        std::cin.read(text.data(), static_cast<std::streamsize>(text.size()));
        const auto got = static_cast<size_t>(std::cin.gcount());
        if (std::cin.bad()) {
            out.errors.push_back(std::string("cannot read: ") + std::strerror(errno));
            return out;
        }
        text.resize(got);
    } else {
        BoundedRead r = read_bounded(path, max_report_bytes, report_open_wait_ms, report_stall_ms);
        if (!r.error.empty()) {
            out.errors.push_back(r.error);
            return out;
        }
        text = std::move(r.text);
    }
    if (text.size() > max_report_bytes) {
        out.errors.push_back("larger than the limit of " + std::to_string(max_report_bytes) +
                             " bytes (16 MiB); not a zcprobe report");
        return out;
    }
    return check_report_text(text);
}

} // namespace zc::report
