// libFuzzer target: the report reader gets bytes from strangers. Whatever
// they are, check_report_text must return (no crash, no sanitizer report,
// no exception) with either a valid document or at least one error line.
#include "reports/report_reader.hpp"

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const zc::report::LoadedReport r = zc::report::check_report_text(text);
    // A valid report is an object with probes; an invalid one says why.
    if (r.ok() && !(r.doc.is_object() && r.doc.contains("probes"))) std::abort();
    if (!r.ok() && r.errors.front().empty()) std::abort();
    return 0;
}
