#include "reports/schema_validator.hpp"

#include <cmath>
#include <map>
#include <mutex>
#include <regex>
#include <optional>
#include <set>
#include <stdexcept>
#include <unordered_map>

namespace zc::report {

using nlohmann::json;

namespace {

const std::set<std::string> supported_keywords = {
    "type",      "properties", "required", "additionalProperties", "patternProperties", "propertyNames",
    "items",     "enum",       "const",    "pattern",              "minimum",           "minLength",
    "oneOf",     "allOf",      "not",      "if",                   "then",              "else",
    "$ref",
    "$schema",   "$id",        "title",    "description",          "$comment",          "$defs"};

// Keywords whose value is a schema, an array of schemas or a map of schemas:
// the constructor walks them to refuse what we do not implement.
void check_keywords(const json& schema, const std::string& where)
{
    if (schema.is_boolean()) return;
    if (!schema.is_object()) throw std::invalid_argument("schema at " + where + " is not an object");
    for (const auto& [key, value] : schema.items()) {
        if (!supported_keywords.contains(key)) {
            throw std::invalid_argument("schema keyword '" + key + "' at " + where + " is not supported");
        }
        if (key == "properties" || key == "patternProperties" || key == "$defs") {
            for (const auto& [name, sub] : value.items()) check_keywords(sub, where + "/" + key + "/" + name);
        } else if (key == "oneOf" || key == "allOf") {
            for (size_t i = 0; i < value.size(); ++i) check_keywords(value[i], where + "/" + key + "/" + std::to_string(i));
        } else if (key == "additionalProperties" || key == "propertyNames" || key == "items" || key == "not" ||
                   key == "if" || key == "then" || key == "else") {
            check_keywords(value, where + "/" + key);
        } else if (key == "$ref" && value.get<std::string>().rfind("#/$defs/", 0) != 0) {
            throw std::invalid_argument("$ref '" + value.get<std::string>() + "' at " + where + " is not #/$defs/...");
        }
    }
}

// Stricter than JSON Schema, which counts 2000.0 as an integer: a report
// field the schema calls integer must be written as one. A float there is
// written by no zcprobe, and a reader in another language may keep it a
// float (render 2000.0 where we would say 2000), so it is refused.
bool integral(const json& v) { return v.is_number_integer(); }

bool has_type(const json& v, const std::string& type)
{
    if (type == "null") return v.is_null();
    if (type == "boolean") return v.is_boolean();
    if (type == "integer") return integral(v);
    if (type == "number") return v.is_number();
    if (type == "string") return v.is_string();
    if (type == "array") return v.is_array();
    if (type == "object") return v.is_object();
    return false;
}

size_t code_points(const std::string& s)
{
    size_t n = 0;
    for (const unsigned char c : s) n += (c & 0xC0) != 0x80 ? 1 : 0;
    return n;
}

std::string short_value(const json& v)
{
    std::string text = v.dump(-1, ' ', false, json::error_handler_t::replace);
    if (text.size() > 60) text = text.substr(0, 57) + "...";
    return text;
}

// Our schema's patterns are plain ECMAScript; compile each once.
const std::regex& compiled(const std::string& pattern)
{
    // Filled while the validator is made; zcreport fleet validates on
    // several threads, and the interpreter looks patterns up again.
    static std::mutex lock;
    static std::map<std::string, std::regex> cache;
    const std::lock_guard<std::mutex> hold(lock);
    auto it = cache.find(pattern);
    if (it == cache.end()) it = cache.emplace(pattern, std::regex(pattern, std::regex::ECMAScript)).first;
    return it->second;
}

// std::regex walks a pattern one character at a time through a recursive
// executor; the compiled path asks the same questions of the same strings
// in every report of a fleet (probe ids, commits, versions, errno names), so
// each thread keeps the answers. Bounded: emptied when it reaches max_memo.
bool memo_search(const std::string& s, const std::regex& pattern)
{
    constexpr size_t max_memo = 1 << 16;
    thread_local std::unordered_map<const std::regex*, std::unordered_map<std::string, bool>> memo;
    auto& answers = memo[&pattern];
    if (const auto it = answers.find(s); it != answers.end()) return it->second;
    if (answers.size() >= max_memo) answers.clear();
    const bool found = std::regex_search(s, pattern);
    answers.emplace(s, found);
    return found;
}

} // namespace

std::string json_type_name(const json& value)
{
    if (value.is_null()) return "null";
    if (value.is_boolean()) return "boolean";
    if (integral(value)) return "integer";
    if (value.is_number()) return "number";
    if (value.is_string()) return "string";
    if (value.is_array()) return "array";
    return "object";
}

std::string pointer_append(const std::string& pointer, const std::string& token)
{
    std::string out = pointer + "/";
    for (const char c : token) {
        if (c == '~') {
            out += "~0";
        } else if (c == '/') {
            out += "~1";
        } else {
            out += c;
        }
    }
    return out;
}

// One schema object with its keywords looked up. Pointers point into
// nodes_ (children) or into root_ (const and enum values), both owned by the
// validator and never moved.
struct SchemaValidator::Node {
    bool is_boolean = false;
    bool boolean = true;
    const Node* ref = nullptr;
    bool has_type = false;
    unsigned types = 0; // type_bit() of each type named
    const json* constant = nullptr;
    const json* enumeration = nullptr;
    std::optional<size_t> min_length;
    const std::regex* pattern = nullptr;
    std::optional<double> minimum;
    std::vector<std::string> required;
    std::unordered_map<std::string, const Node*> properties;
    std::vector<std::pair<const std::regex*, const Node*>> pattern_properties;
    const Node* property_names = nullptr;
    const Node* additional = nullptr;
    const Node* items = nullptr;
    const Node* negated = nullptr;
    std::vector<const Node*> all_of, one_of;
    const Node* if_ = nullptr;
    const Node* then_ = nullptr;
    const Node* else_ = nullptr;
};

SchemaValidator::SchemaValidator(json schema) : root_(std::move(schema))
{
    check_keywords(root_, "#");
    // Every $ref must resolve now, not halfway through a report.
    std::vector<const json*> todo{&root_};
    while (!todo.empty()) {
        const json* s = todo.back();
        todo.pop_back();
        if (s->is_object()) {
            if (s->contains("$ref")) resolve(*s);
            for (const auto& [k, v] : s->items()) todo.push_back(&v);
        } else if (s->is_array()) {
            for (const auto& v : *s) todo.push_back(&v);
        }
    }
    top_ = compile(root_);
}

const json& SchemaValidator::resolve(const json& schema) const
{
    const std::string ref = schema.at("$ref").get<std::string>();
    const std::string name = ref.substr(std::string("#/$defs/").size());
    const auto defs = root_.find("$defs");
    if (defs == root_.end() || !defs->contains(name)) {
        throw std::invalid_argument("$ref '" + ref + "' does not resolve");
    }
    return defs->at(name);
}

std::string SchemaValidator::describe(const json& schema) const
{
    if (schema.is_boolean()) return schema.get<bool>() ? "anything" : "nothing";
    if (schema.contains("$ref")) return describe(resolve(schema));
    if (schema.contains("const")) return short_value(schema["const"]);
    if (schema.contains("enum")) {
        std::string out = "one of ";
        for (size_t i = 0; i < schema["enum"].size(); ++i) out += (i ? ", " : "") + short_value(schema["enum"][i]);
        return out;
    }
    if (schema.contains("required") && !schema.contains("type")) {
        std::string out = "an object with ";
        for (size_t i = 0; i < schema["required"].size(); ++i) out += (i ? ", " : "") + schema["required"][i].get<std::string>();
        return out;
    }
    if (schema.contains("oneOf")) {
        std::string out;
        for (size_t i = 0; i < schema["oneOf"].size(); ++i) out += (i ? " or " : "") + describe(schema["oneOf"][i]);
        return out;
    }
    std::string out;
    if (const auto t = schema.find("type"); t != schema.end()) {
        if (t->is_string()) {
            out = t->get<std::string>();
        } else {
            for (size_t i = 0; i < t->size(); ++i) out += (i ? " or " : "") + (*t)[i].get<std::string>();
        }
    } else {
        out = "a value";
    }
    if (const auto m = schema.find("minLength"); m != schema.end()) {
        out += " of at least " + m->dump() + " character" + (m->get<long long>() == 1 ? "" : "s");
    }
    if (const auto m = schema.find("minimum"); m != schema.end()) out += " >= " + m->dump();
    if (const auto p = schema.find("pattern"); p != schema.end()) out += " matching " + p->get<std::string>();
    return out;
}

std::string SchemaValidator::describe_condition(const json& condition, const std::string& prefix) const
{
    std::string out;
    if (const auto props = condition.find("properties"); props != condition.end()) {
        for (const auto& [key, sub] : props->items()) {
            const std::string inner = sub.contains("properties") ? describe_condition(sub, prefix + key + ".")
                                                                 : prefix + key + " is " + describe(sub);
            out += (out.empty() ? "" : " and ") + inner;
        }
    }
    return out.empty() ? "a condition" : out;
}

namespace {

enum TypeBit : unsigned {
    null_bit = 1U << 0,
    boolean_bit = 1U << 1,
    integer_bit = 1U << 2,
    number_bit = 1U << 3,
    string_bit = 1U << 4,
    array_bit = 1U << 5,
    object_bit = 1U << 6,
};

unsigned type_bit(const std::string& type)
{
    if (type == "null") return null_bit;
    if (type == "boolean") return boolean_bit;
    if (type == "integer") return integer_bit;
    if (type == "number") return number_bit;
    if (type == "string") return string_bit;
    if (type == "array") return array_bit;
    if (type == "object") return object_bit;
    return 0; // has_type() matches nothing for an unknown name either
}

// The bits of every type name has_type() accepts for v.
unsigned instance_types(const json& v)
{
    if (v.is_null()) return null_bit;
    if (v.is_boolean()) return boolean_bit;
    if (integral(v)) return integer_bit | number_bit;
    if (v.is_number()) return number_bit;
    if (v.is_string()) return string_bit;
    if (v.is_array()) return array_bit;
    return object_bit;
}

} // namespace

SchemaValidator::~SchemaValidator() = default;

SchemaValidator::Node* SchemaValidator::compile(const json& schema)
{
    if (const auto it = compiled_.find(&schema); it != compiled_.end()) return it->second;
    nodes_.push_back(std::make_unique<Node>());
    Node* n = nodes_.back().get();
    compiled_.emplace(&schema, n); // before the children: a $ref may lead back here
    if (schema.is_boolean()) {
        n->is_boolean = true;
        n->boolean = schema.get<bool>();
        return n;
    }
    if (schema.contains("$ref")) n->ref = compile(resolve(schema));
    if (const auto t = schema.find("type"); t != schema.end()) {
        n->has_type = true;
        if (t->is_string()) {
            n->types = type_bit(t->get<std::string>());
        } else {
            for (const auto& one : *t) n->types |= type_bit(one.get<std::string>());
        }
    }
    if (const auto c = schema.find("const"); c != schema.end()) n->constant = &*c;
    if (const auto e = schema.find("enum"); e != schema.end()) n->enumeration = &*e;
    if (const auto m = schema.find("minLength"); m != schema.end()) n->min_length = m->get<size_t>();
    if (const auto p = schema.find("pattern"); p != schema.end()) n->pattern = &compiled(p->get<std::string>());
    if (const auto m = schema.find("minimum"); m != schema.end()) n->minimum = m->get<double>();
    if (const auto r = schema.find("required"); r != schema.end()) {
        for (const auto& key : *r) n->required.push_back(key.get<std::string>());
    }
    if (const auto props = schema.find("properties"); props != schema.end()) {
        for (const auto& [key, sub] : props->items()) n->properties.emplace(key, compile(sub));
    }
    if (const auto pp = schema.find("patternProperties"); pp != schema.end()) {
        for (const auto& [pattern, sub] : pp->items()) n->pattern_properties.emplace_back(&compiled(pattern), compile(sub));
    }
    if (const auto names = schema.find("propertyNames"); names != schema.end()) n->property_names = compile(*names);
    if (const auto add = schema.find("additionalProperties"); add != schema.end()) {
        n->additional = compile(*add);
    }
    if (const auto items = schema.find("items"); items != schema.end()) n->items = compile(*items);
    if (const auto no = schema.find("not"); no != schema.end()) n->negated = compile(*no);
    if (const auto all = schema.find("allOf"); all != schema.end()) {
        for (const auto& sub : *all) n->all_of.push_back(compile(sub));
    }
    if (const auto one = schema.find("oneOf"); one != schema.end()) {
        for (const auto& sub : *one) n->one_of.push_back(compile(sub));
    }
    if (const auto c = schema.find("if"); c != schema.end()) n->if_ = compile(*c);
    if (const auto t = schema.find("then"); t != schema.end()) n->then_ = compile(*t);
    if (const auto e = schema.find("else"); e != schema.end()) n->else_ = compile(*e);
    return n;
}

// The same verdict as check(schema, v, ptr, nullptr), keyword for keyword,
// stopping at the first failure.
bool SchemaValidator::accepts(const Node& n, const json& v) const
{
    if (n.is_boolean) return n.boolean;
    if (n.ref && !accepts(*n.ref, v)) return false;
    if (n.has_type && (instance_types(v) & n.types) == 0) return false;
    if (n.constant && v != *n.constant) return false;
    if (n.enumeration) {
        bool any = false;
        for (const auto& one : *n.enumeration) any = any || v == one;
        if (!any) return false;
    }
    if (v.is_string()) {
        const auto& s = v.get_ref<const std::string&>();
        if (n.min_length && code_points(s) < *n.min_length) return false;
        if (n.pattern && (s.size() > max_pattern_subject || !memo_search(s, *n.pattern))) return false;
    }
    if (v.is_number() && n.minimum && v.get<double>() < *n.minimum) return false;
    if (v.is_object()) {
        for (const auto& key : n.required) {
            if (!v.contains(key)) return false;
        }
        for (const auto& [key, value] : v.items()) {
            bool known = false;
            if (const auto p = n.properties.find(key); p != n.properties.end()) {
                known = true;
                if (!accepts(*p->second, value)) return false;
            }
            for (const auto& [pattern, sub] : n.pattern_properties) {
                if (key.size() <= max_pattern_subject && memo_search(key, *pattern)) {
                    known = true;
                    if (!accepts(*sub, value)) return false;
                }
            }
            if (n.property_names && !accepts(*n.property_names, json(key))) return false;
            if (known || !n.additional) continue;
            if (!accepts(*n.additional, value)) return false; // false compiles to a node that refuses
        }
    }
    if (v.is_array() && n.items) {
        for (const auto& item : v) {
            if (!accepts(*n.items, item)) return false;
        }
    }
    if (n.negated && accepts(*n.negated, v)) return false;
    for (const Node* sub : n.all_of) {
        if (!accepts(*sub, v)) return false;
    }
    if (!n.one_of.empty()) {
        size_t valid = 0;
        for (const Node* sub : n.one_of) valid += accepts(*sub, v) ? 1 : 0;
        if (valid != 1) return false;
    }
    if (n.if_) {
        const Node* branch = accepts(*n.if_, v) ? n.then_ : n.else_;
        if (branch && !accepts(*branch, v)) return false;
    }
    return true;
}

bool SchemaValidator::accepts(const json& instance) const { return accepts(*top_, instance); }

std::vector<SchemaError> SchemaValidator::interpret(const json& instance) const
{
    std::vector<SchemaError> errors;
    check(root_, instance, "", &errors);
    return errors;
}

std::vector<SchemaError> SchemaValidator::validate(const json& instance) const
{
    if (accepts(instance)) return {};
    std::vector<SchemaError> errors = interpret(instance);
    // Both refuse or both accept (unit-tested); should they ever part, the
    // report is refused all the same, with a line that says so.
    if (errors.empty()) errors.push_back({"", "refused by the compiled schema but not by its interpreter (a zcreport bug)"});
    return errors;
}

bool SchemaValidator::check(const json& schema, const json& v, const std::string& ptr,
                            std::vector<SchemaError>* errors) const
{
    if (schema.is_boolean()) {
        if (!schema.get<bool>() && errors) errors->push_back({ptr, "no value allowed here"});
        return schema.get<bool>();
    }
    bool ok = true;
    auto fail = [&](std::string what) {
        ok = false;
        if (errors) errors->push_back({ptr, std::move(what)});
    };
    const std::string got = "got " + json_type_name(v);

    if (const auto r = schema.find("$ref"); r != schema.end()) {
        ok = check(resolve(schema), v, ptr, errors) && ok;
    }
    if (const auto t = schema.find("type"); t != schema.end()) {
        bool any = false;
        if (t->is_string()) {
            any = has_type(v, t->get<std::string>());
        } else {
            for (const auto& one : *t) any = any || has_type(v, one.get<std::string>());
        }
        if (!any) {
            fail("expected " + describe(json{{"type", *t}}) + ", " + got);
            return false; // the other keywords would only repeat the type error
        }
    }
    if (const auto c = schema.find("const"); c != schema.end() && v != *c) {
        fail("expected " + short_value(*c) + ", got " + short_value(v));
    }
    if (const auto e = schema.find("enum"); e != schema.end()) {
        bool any = false;
        for (const auto& one : *e) any = any || v == one;
        if (!any) fail("expected " + describe(json{{"enum", *e}}) + ", got " + short_value(v));
    }
    if (v.is_string()) {
        const auto& s = v.get_ref<const std::string&>();
        if (const auto m = schema.find("minLength"); m != schema.end() && code_points(s) < m->get<size_t>()) {
            fail("expected a string of at least " + m->dump() + " character" + (m->get<size_t>() == 1 ? "" : "s") +
                 " (unknown is null, never \"\"), got " + short_value(v));
        }
        if (const auto p = schema.find("pattern"); p != schema.end()) {
            const std::string& pattern = p->get_ref<const std::string&>();
            if (s.size() > max_pattern_subject) {
                fail("expected a string matching " + pattern + " (at most " + std::to_string(max_pattern_subject) +
                     " bytes), got " + std::to_string(s.size()) + " bytes");
            } else if (!std::regex_search(s, compiled(pattern))) {
                fail("expected a string matching " + pattern + ", got " + short_value(v));
            }
        }
    }
    if (v.is_number()) {
        if (const auto m = schema.find("minimum"); m != schema.end() && v.get<double>() < m->get<double>()) {
            fail("expected a number >= " + m->dump() + ", got " + short_value(v));
        }
    }
    if (v.is_object()) {
        const json empty = json::object();
        const auto props_it = schema.find("properties");
        const json& props = props_it != schema.end() ? *props_it : empty;
        const auto pattern_it = schema.find("patternProperties");
        if (const auto req = schema.find("required"); req != schema.end()) {
            for (const auto& key : *req) {
                if (!v.contains(key.get<std::string>())) fail("missing required key \"" + key.get<std::string>() + "\"");
            }
        }
        for (const auto& [key, value] : v.items()) {
            const std::string child = pointer_append(ptr, key);
            bool known = false;
            if (const auto p = props.find(key); p != props.end()) {
                known = true;
                ok = check(*p, value, child, errors) && ok;
            }
            if (pattern_it != schema.end()) {
                for (const auto& [pattern, sub] : pattern_it->items()) {
                    if (key.size() <= max_pattern_subject && std::regex_search(key, compiled(pattern))) {
                        known = true;
                        ok = check(sub, value, child, errors) && ok;
                    }
                }
            }
            if (const auto names = schema.find("propertyNames"); names != schema.end()) {
                std::vector<SchemaError> name_errors;
                if (!check(*names, json(key), child, errors ? &name_errors : nullptr)) {
                    ok = false;
                    if (errors) errors->push_back({child, "key: " + name_errors.front().expected});
                }
            }
            if (known) continue;
            const auto add = schema.find("additionalProperties");
            if (add == schema.end()) continue;
            if (add->is_boolean() && !add->get<bool>()) {
                std::string allowed;
                for (const auto& [name, sub] : props.items()) allowed += (allowed.empty() ? "" : ", ") + name;
                if (pattern_it != schema.end()) {
                    for (const auto& [pattern, sub] : pattern_it->items()) {
                        allowed += (allowed.empty() ? "keys matching " : ", keys matching ") + pattern;
                    }
                }
                ok = false;
                if (errors) errors->push_back({child, "unexpected key; allowed: " + allowed});
            } else {
                ok = check(*add, value, child, errors) && ok;
            }
        }
    }
    if (v.is_array()) {
        if (const auto items = schema.find("items"); items != schema.end()) {
            for (size_t i = 0; i < v.size(); ++i) ok = check(*items, v[i], pointer_append(ptr, std::to_string(i)), errors) && ok;
        }
    }
    if (const auto n = schema.find("not"); n != schema.end() && check(*n, v, ptr, nullptr)) {
        fail("expected anything but " + describe(*n) + ", got " + short_value(v));
    }
    if (const auto all = schema.find("allOf"); all != schema.end()) {
        for (const auto& sub : *all) ok = check(sub, v, ptr, errors) && ok;
    }
    if (const auto one = schema.find("oneOf"); one != schema.end()) {
        size_t valid = 0;
        for (const auto& sub : *one) valid += check(sub, v, ptr, nullptr) ? 1 : 0;
        if (valid != 1) {
            // Name the branch of the same JSON type when exactly one has it:
            // "" against text_or_null is a too-short string, not "not null".
            const json* same_type = nullptr;
            size_t same = 0;
            for (const auto& sub : *one) {
                const json& s = sub.contains("$ref") ? resolve(sub) : sub;
                if (!s.contains("type")) continue;
                if (check(json{{"type", s["type"]}}, v, ptr, nullptr)) {
                    same_type = &sub;
                    ++same;
                }
            }
            if (valid == 0 && same == 1 && errors) {
                check(*same_type, v, ptr, errors);
                ok = false;
            } else {
                fail("expected " + describe(schema) + (valid > 1 ? " (matches more than one)" : "") + ", got " +
                     short_value(v));
            }
        }
    }
    if (const auto cond = schema.find("if"); cond != schema.end()) {
        const bool holds = check(*cond, v, ptr, nullptr);
        const auto branch = schema.find(holds ? "then" : "else");
        if (branch != schema.end()) {
            std::vector<SchemaError> branch_errors;
            if (!check(*branch, v, ptr, errors ? &branch_errors : nullptr)) {
                ok = false;
                if (errors) {
                    const std::string because = std::string(holds ? " (because " : " (because not: ") +
                                                describe_condition(*cond) + ")";
                    for (auto& e : branch_errors) errors->push_back({e.pointer, e.expected + because});
                }
            }
        }
    }
    return ok;
}

} // namespace zc::report
