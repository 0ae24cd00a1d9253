"""--require is the deploy gate: exit 0 when every required probe has both
answers yes (the kernel supports it AND this sandbox allows it), exit 1
with one line per failure otherwise; the JSON goes to stdout with --json
and to a file, written whole, with -o."""
import json
import os
import shutil

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

    for p in report["probes"]:
        if p["id"] in ("pipe.tee", "pipe.vmsplice"):
            t.check(p["sandbox"]["answer"] == "allowed", f"{p['id']} passed with both answers yes ({p['sandbox']})")

    # The kernel's yes is not enough: as nobody, zcprobe holds CAP_NET_RAW
    # only in its own user namespace, so the packet ring works there but an
    # application started the same way would be refused.
    if os.geteuid() == 0 and shutil.which("setpriv"):
        both = t.run(["--only", "packet.tx_ring_v3", "--require", "packet.tx_ring_v3", "--json"], user=65534)
        probe = t.by_id(json.loads(both.stdout))["packet.tx_ring_v3"]
        if probe["status"] != "supported":
            t.skip(f"packet.tx_ring_v3 is {probe['status']} in zcprobe's own user namespace here: {probe['reason']}")
        t.check(probe["sandbox"]["answer"] == "refused" and probe["sandbox"]["granted_by_own_user_namespace"] ==
                ["CAP_NET_RAW"], f"supported, but refused in this sandbox ({probe['sandbox']})")
        t.check(both.returncode == 1, f"supported by the kernel, refused by the sandbox: exit 1 (got {both.returncode})")
        t.check("supported by the kernel but refused in this sandbox: capability CAP_NET_RAW" in both.stderr,
                f"the failure line names the layer and the capability: {both.stderr.strip()}")

    excluded = t.run(["--only", "pipe.tee", "--require", "pipe.vmsplice"])
    t.check(excluded.returncode == 1, "a required probe that was not run fails the gate")
    t.check("was not run" in excluded.stderr, "and says it was not run")
finally:
    t.cleanup(work)
t.finish()
