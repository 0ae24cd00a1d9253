// A JSON Schema validator for the subset of draft 2020-12 that our own report
// schema uses. None of our chosen Debian dependencies validates JSON Schema,
// and reports must be checked on hosts that have nothing but our static
// binaries, so zcreport walks the schema document itself. The tests
// cross-check every verdict against python3-jsonschema.
//
// Keywords: type, properties, required, additionalProperties,
// patternProperties, propertyNames, items, enum, const, pattern, minimum,
// minLength, oneOf, allOf, not, if/then/else, $ref to "#/$defs/...". Annotations
// ($schema, $id, title, description, $comment) are ignored. Any other keyword
// makes the constructor throw, so the schema cannot silently outgrow us.
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace zc::report {

struct SchemaError {
    std::string pointer;  // JSON pointer into the instance, "" for the root
    std::string expected; // what the schema wanted there, and what it found
};

class SchemaValidator {
public:
    // Throws std::invalid_argument naming the first unsupported keyword or
    // unresolvable $ref.
    explicit SchemaValidator(nlohmann::json schema);

    // The verdict comes from the compiled form (below); only a report it
    // refuses is walked again by the schema interpreter, which words the
    // errors. Both implement the same keywords; the unit tests hold them to
    // the same verdict.
    std::vector<SchemaError> validate(const nlohmann::json& instance) const;

    // The verdict alone, from the compiled form.
    bool accepts(const nlohmann::json& instance) const;
    // The interpreter alone (what validate() says about a refused report).
    std::vector<SchemaError> interpret(const nlohmann::json& instance) const;

    // libstdc++'s std::regex recurses once per character; patterns are only
    // tried on strings up to this length (longer ones fail the pattern), so
    // a hostile report cannot overflow the stack.
    static constexpr size_t max_pattern_subject = 1024;

    SchemaValidator(const SchemaValidator&) = delete;
    SchemaValidator& operator=(const SchemaValidator&) = delete;
    ~SchemaValidator();

private:
    struct Node;
    // The schema compiled once: every keyword looked up, every $ref
    // resolved and every pattern compiled when the validator is made, so
    // checking a report costs no map lookups in the schema document. (The
    // interpreter looked up ~20 keywords per instance node, by string, and
    // that was most of the 37 ms a 90 KB report took.)
    bool accepts(const Node& node, const nlohmann::json& instance) const;
    Node* compile(const nlohmann::json& schema);

    // errors == nullptr: only the verdict is wanted.
    bool check(const nlohmann::json& schema, const nlohmann::json& instance, const std::string& pointer,
               std::vector<SchemaError>* errors) const;
    const nlohmann::json& resolve(const nlohmann::json& schema) const;
    std::string describe(const nlohmann::json& schema) const;
    std::string describe_condition(const nlohmann::json& condition, const std::string& prefix = "") const;

    nlohmann::json root_;
    std::vector<std::unique_ptr<Node>> nodes_; // owned; by the schema object they compile
    std::map<const nlohmann::json*, Node*> compiled_;
    Node* top_ = nullptr;
};

// The report schema compiled into the binary (reports/schema/*.json at build
// time), so a static zcreport needs no file beside it.
const nlohmann::json& report_schema();

// A string naming the instance's JSON type: "null", "boolean", "integer",
// "number", "string", "array" or "object".
std::string json_type_name(const nlohmann::json& value);

// Appends an escaped key or index to a JSON pointer (RFC 6901: ~ -> ~0, / -> ~1).
std::string pointer_append(const std::string& pointer, const std::string& token);

} // namespace zc::report
