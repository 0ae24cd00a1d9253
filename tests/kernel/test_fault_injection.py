"""A probe that crashes and one that hangs: both become `error` naming the
signal or the time-out, within the limit, and every other result is intact."""
import json
import os
import time

import zctest as t

t.require_binary()
work = t.private_dir()
try:
    out = os.path.join(work, "report.json")
    start = time.monotonic()
    r = t.run(["--only", "pipe.*", "--timeout", "300ms", "--test-fault", "pipe.tee=crash",
               "--test-fault", "pipe.vmsplice=hang", "-o", out])
    elapsed = time.monotonic() - start
    t.check(r.returncode == 0, f"exit 0 without --require (got {r.returncode}: {r.stderr.strip()})")
    with open(out) as f:
        report = json.load(f)
    t.validate(report)
    probes = t.by_id(report)
    crash, hang = probes["pipe.tee"], probes["pipe.vmsplice"]
    t.check(crash["status"] == "error" and "SIGSEGV" in crash["reason"], f"crash reported: {crash['reason']}")
    t.check(hang["status"] == "error" and "timed out after 300 ms" in hang["reason"], f"hang reported: {hang['reason']}")
    t.check(hang["duration_us"] < 1_000_000, "the hang was cut at about the time limit")
    others = [p for p in report["probes"] if p["id"] not in ("pipe.tee", "pipe.vmsplice")]
    t.check(len(others) >= 4, "the other pipe probes are in the report")
    t.check(all(p["status"] != "error" for p in others), "the other probes are intact")
    t.check(elapsed < 5, f"the whole run stays bounded ({elapsed:.1f} s)")
    gate = t.run(["--only", "pipe.*", "--timeout", "300ms", "--test-fault", "pipe.tee=crash", "--require", "pipe.tee"])
    t.check(gate.returncode == 1, f"a crashed required probe fails the gate (exit {gate.returncode})")
finally:
    t.cleanup(work)
t.finish()
