#include "report_fixtures.hpp"

#include "reports/matrix.hpp"

using namespace zc;
using nlohmann::json;

TEST_CASE("matrix: one column per report - differing rows first - missing probes shown as absent")
{
    json partial = test::fixture("vm-6.18.json");
    partial["probes"].erase(partial["probes"].begin() + 1); // drop pipe.vmsplice_gift
    const auto m = report::build_matrix({test::fixture("vm-6.18.json"), test::fixture("ci-runner-6.1.json"), partial});
    REQUIRE(m.columns.size() == 3);
    CHECK(m.columns[0].label == "vm 6.18.44-fc-v782");
    CHECK(m.columns[2].label == "vm 6.18.44-fc-v782 #2");
    CHECK(m.rows.size() == 65);
    size_t differing = 0;
    bool seen_same = false;
    for (const auto& row : m.rows) {
        CHECK(row.cells.size() == 3);
        if (row.differs) {
            CHECK_FALSE(seen_same); // every differing row precedes every other
            ++differing;
        } else {
            seen_same = true;
        }
        if (row.id == "pipe.vmsplice_gift") {
            CHECK(row.differs);
            CHECK(row.cells[2].status.empty());
        }
        if (row.id == "io_uring.send_zc_udp4") {
            CHECK(row.cells[1].status == "blocked");
        }
    }
    // vmsplice_gift, io_uring.send_zc_udp4, splice_straddle.udp4, and Dirty Pipe: "not affected" where the
    // report proves the reach, "not determined (no proof of reach)" in the older 6.1 report.
    CHECK(differing == 4);
    const json j = report::matrix_json(m);
    CHECK(j["rows"][0]["differs"] == true);
}
