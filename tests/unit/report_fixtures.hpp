// Fixture and golden-file access for the report unit tests. Goldens live in
// tests/reports/golden/; ZC_UPDATE_GOLDEN=1 rewrites them from the current
// renderers (then review the diff before committing).
#pragma once

#include "reports/report_reader.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace zc::test {

inline std::string reports_dir()
{
    return std::string(ZC_SOURCE_DIR) + "/tests/reports";
}

inline std::string read_text(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    REQUIRE_MESSAGE(in, "cannot open " << path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// A fixture that must pass the reader (schema and all).
inline nlohmann::json fixture(const std::string& name)
{
    const auto r = report::check_report_text(read_text(reports_dir() + "/fixtures/" + name));
    REQUIRE_MESSAGE(r.ok(), name << ": " << (r.errors.empty() ? "" : r.errors.front()));
    return r.doc;
}

inline void check_golden(const std::string& name, const std::string& actual)
{
    const std::string path = reports_dir() + "/golden/" + name;
    const char* update = std::getenv("ZC_UPDATE_GOLDEN");
    if (update != nullptr && std::string(update) == "1") {
        std::ofstream(path, std::ios::binary) << actual;
        MESSAGE("rewrote " << path);
        return;
    }
    std::ifstream in(path, std::ios::binary);
    REQUIRE_MESSAGE(in, "missing golden " << path << "; run the unit tests with ZC_UPDATE_GOLDEN=1");
    std::ostringstream s;
    s << in.rdbuf();
    CHECK_MESSAGE(s.str() == actual, "output differs from " << path << "; if intended, rerun with ZC_UPDATE_GOLDEN=1");
}

} // namespace zc::test
