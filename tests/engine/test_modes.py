"""Every mode runs briefly at three sizes (9000 B: more packets in flight
than a PACKET_TX_RING has frames) and ends with 0 corrupted and every
packet accounted for (verified == sent), reuse safe by default. A mode the
kernel lacks must be reported unavailable naming its probe, never a crash or
a zero; the report must validate against the schema."""
import zcengine_test as ze
from zctest import check, finish, validate, no_empty_strings

ze.require_binary()
r, report = ze.run_json(["--modes", "all", "--sizes", "64,1400,9000", "--count", "3000", "--warmup", "500",
                         "--time-limit", "20s"])
check(r.returncode in (0, 1), f"exit {r.returncode}; stderr: {r.stderr.strip()}")
check(report is not None, "no report written")
if report is not None:
    validate(report)
    check(not no_empty_strings(report), f"empty strings at {no_empty_strings(report)}")
    check(report["tool"]["name"] == "zcengine", "tool.name is not zcengine")
    probe_ids = {p["id"] for p in report["probes"]}
    ran = 0
    for e in report["engine"]:
        what = f"{e['mode']}/{e['kind']}/{e['size']}"
        if e["status"] == "unavailable":
            check(e["probe"] in probe_ids, f"{what}: unavailable but names no probe in the report ({e['probe']})")
            check(e["reason"], f"{what}: unavailable without a reason")
            print(f"note: {what} unavailable: {e['reason']}")
            continue
        if e["status"] == "skipped":
            check(e["reason"], f"{what}: skipped without a reason")
            continue
        ran += 1
        check(e["status"] == "ok", f"{what}: status {e['status']}: {e['reason']}")
        check(e["measured"], f"{what}: not measured")
        check(e["sent"] == 3000, f"{what}: sent {e['sent']}, not 3000")
        check(e["corrupted"] == 0, f"{what}: {e['corrupted']} corrupted")
        check(e["verified"] == e["sent"], f"{what}: verified {e['verified']} of {e['sent']}")
        check(e["lost"] == 0 and e["duplicated"] == 0, f"{what}: lost {e['lost']}, duplicated {e['duplicated']}")
        check(e["pps"]["median"] > 0, f"{what}: zero pps")
        if e["mode"] == "page":
            check(abs(e["syscalls_per_packet"] - 4.0) < 1e-9, f"{what}: {e['syscalls_per_packet']} syscalls/packet")
        if e["mode"] == "packed":
            check(e["syscalls_per_packet"] <= 1.05, f"{what}: {e['syscalls_per_packet']} syscalls/packet")
            check(e["layout"] in ("dense", "no-straddle"), f"{what}: layout {e['layout']}")
    check(ran > 0, "no mode ran at all")
finish()
