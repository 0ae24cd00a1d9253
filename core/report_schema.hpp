// The report document's version: zcprobe and zcengine write it, zcreport
// reads it (reports/report_reader.hpp accepts a documented range).
#pragma once

namespace zc {

// Bump on any incompatible change to reports/schema/zcprobe-report.schema.json.
inline constexpr int report_schema_version = 1;

} // namespace zc
