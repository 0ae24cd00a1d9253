"""--require is the deploy gate: exit 0 when every required probe is
supported, exit 1 with one line per failure otherwise; the JSON goes to
stdout with --json and to a file, written whole, with -o."""
import json
import os

import zctest as t

t.require_binary()
work = t.private_dir()
try:
    ok = t.run(["--only", "pipe.*", "--require", "pipe.tee,pipe.vmsplice", "--json"])
    t.check(ok.returncode == 0, f"required and supported: exit 0 (got {ok.returncode}: {ok.stderr.strip()})")
    report = json.loads(ok.stdout)
    t.validate(report)
    t.check(len(report["probes"]) == 7, "--only pipe.* ran the seven pipe probes")

    # Without CAP_SYS_RESOURCE this probe is blocked: a real failing requirement.
    out = os.path.join(work, "gate.json")
    fail = t.run(["--only", "pipe.*", "--require", "pipe.setpipe_sz_beyond_max", "-o", out])
    with open(out) as f:
        gated = t.by_id(json.load(f))
    if gated["pipe.setpipe_sz_beyond_max"]["status"] == "supported":
        t.skip("this host may grow pipes past fs.pipe-max-size (CAP_SYS_RESOURCE), so no requirement fails")
    t.check(fail.returncode == 1, f"a required probe not supported: exit 1 (got {fail.returncode})")
    lines = [l for l in fail.stderr.splitlines() if l.strip()]
    t.check(len(lines) == 1 and "required probe pipe.setpipe_sz_beyond_max is blocked" in lines[0],
            f"one line names the failed requirement: {lines}")
    t.check(os.path.exists(out), "the report is still written when the gate fails")

    excluded = t.run(["--only", "pipe.tee", "--require", "pipe.vmsplice"])
    t.check(excluded.returncode == 1, "a required probe that was not run fails the gate")
    t.check("was not run" in excluded.stderr, "and says it was not run")
finally:
    t.cleanup(work)
t.finish()
