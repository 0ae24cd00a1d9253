"""--reuse eager rewrites pages at once: where the probe found splice into
UDP zero-copy, the receiver must see the damage (corrupted or duplicated
packets: later packets' bytes in place of earlier ones) and zcengine exits 1.
Where the kernel copies, the diagnostic has nothing to show: skip 77.

The damage is a race between the sender rewriting a page and the receiver
reading the datagram that still references it. On two free cores the
receiver often keeps up and wins it; pinned to one CPU (taskset) the
receiver cannot read while the sender refills, so the race is lost on every
batch and the diagnostic is deterministic."""
import shutil

import zcengine_test as ze
from zctest import check, finish, skip, validate

ze.require_binary()
if shutil.which("taskset") is None:
    skip("taskset (util-linux) is needed to make the eager-reuse race deterministic")
one_cpu = ["taskset", "-c", "0"]
r, report = ze.run_json(["--mode", "udp-splice", "--sizes", "1400", "--count", "20000", "--reuse", "eager",
                         "--time-limit", "20s"], wrapper=one_cpu)
if r.returncode == 2:
    skip(f"udp-splice is unavailable here: {r.stderr.strip()}")
check(report is not None, f"no report; exit {r.returncode}; stderr {r.stderr.strip()}")
if report is None:
    finish()
validate(report)
probes = {p["id"]: p for p in report["probes"]}
zc = probes.get("splice.udp4", {}).get("evidence", {}).get("zero_copy")
if zc is not True:
    skip(f"probe splice.udp4 found zero_copy={zc}: the kernel copies, so eager reuse cannot corrupt")
e = report["engine"][0]
damaged = e["corrupted"] + e["duplicated"]
check(damaged > 0, f"eager reuse on a zero-copy path showed no damage: {e['verified']}/{e['sent']} verified")
check(e["status"] == "unclean", f"status {e['status']}, expected unclean")
check(r.returncode == 1, f"exit {r.returncode}, expected 1")
check("eager" in (e["reuse"] or ""), f"reuse says {e['reuse']}")
print(f"eager reuse: {e['corrupted']} corrupted, {e['duplicated']} duplicated of {e['sent']}")
# The same run with the default (safe) policy is clean.
r2, report2 = ze.run_json(["--mode", "udp-splice", "--sizes", "1400", "--count", "20000", "--time-limit", "20s"],
                          wrapper=one_cpu)
check(r2.returncode == 0, f"safe reuse exit {r2.returncode}: {r2.stderr.strip()}")
if report2 is not None:
    e2 = report2["engine"][0]
    check(e2["verified"] == e2["sent"] and e2["corrupted"] == 0, f"safe reuse not clean: {e2}")
finish()
