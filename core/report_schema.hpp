// The report document's version: zcprobe and zcengine write it, zcreport
// reads it (reports/report_reader.hpp accepts a documented range).
#pragma once

#include <string>

namespace zc {

// Bump on any incompatible change to reports/schema/zcprobe-report.schema.json.
inline constexpr int report_schema_version = 1;

// The schema's $id, which every report names in its top-level "$schema": a
// URN, stable and not a web address that would have to stay reachable.
inline std::string report_schema_id(int schema_version)
{
    return "urn:zcprobe:report-schema:" + std::to_string(schema_version);
}

} // namespace zc
