"""PACKET_TX_RING frames come back (TP_STATUS_AVAILABLE) from the skb's
destructor, and loopback_xmit() orphans the skb before delivering it, so over
loopback a frame is handed back while the receiver's queued packet still
points into it. With 9000-byte packets the ring has 256 frames, fewer than
the flow window, so a sender trusting the status word alone overwrites
packets not yet read. The default (safe) policy must stay clean; --reuse
eager (status word only) must show the damage where the probe found the
ring zero-copy. Pinned to one CPU (taskset) so the receiver falls behind on
every batch, as in the eager-reuse test."""
import shutil

import zcengine_test as ze
from zctest import check, finish, skip, validate

ze.require_binary()
if shutil.which("taskset") is None:
    skip("taskset (util-linux) is needed to make the reuse race deterministic")
one_cpu = ["taskset", "-c", "0"]
args = ["--mode", "tx-ring", "--kind", "packet_raw", "--sizes", "9000", "--count", "20000", "--time-limit", "20s"]
r, report = ze.run_json(args, wrapper=one_cpu)
if r.returncode == 2:
    skip(f"tx-ring is unavailable here: {r.stderr.strip()}")
check(report is not None, f"no report; exit {r.returncode}; stderr {r.stderr.strip()}")
if report is None:
    finish()
validate(report)
e = report["engine"][0]
if e["status"] in ("unavailable", "skipped"):
    skip(f"tx-ring at 9000 B is {e['status']}: {e['reason']}")
check(r.returncode == 0, f"safe reuse exit {r.returncode}: {e['reason']}")
check(e["verified"] == e["sent"] == 20000 and e["corrupted"] == 0 and e["duplicated"] == 0,
      f"safe reuse not clean: {e['verified']}/{e['sent']} verified, {e['corrupted']} corrupted, "
      f"{e['duplicated']} duplicated")
zc = {p["id"]: p for p in report["probes"]}.get("packet.tx_ring_v2", {}).get("evidence", {}).get("zero_copy")
if zc is not True:
    skip(f"probe packet.tx_ring_v2 found zero_copy={zc}: the ring is copied, eager reuse cannot corrupt")
r2, report2 = ze.run_json(args + ["--reuse", "eager"], wrapper=one_cpu)
check(report2 is not None, f"no eager report; exit {r2.returncode}; stderr {r2.stderr.strip()}")
if report2 is not None:
    e2 = report2["engine"][0]
    check(e2["corrupted"] + e2["duplicated"] > 0,
          f"eager reuse of ring frames showed no damage: {e2['verified']}/{e2['sent']} verified")
    check(r2.returncode == 1 and e2["status"] == "unclean", f"eager: exit {r2.returncode}, status {e2['status']}")
    print(f"tx-ring eager reuse: {e2['corrupted']} corrupted, {e2['duplicated']} duplicated of {e2['sent']}")
finish()
