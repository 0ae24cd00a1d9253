"""Probes run side by side (--jobs) decide exactly as one after another
(--jobs 1): every probe's status, errno, reason and evidence are the same,
in the same order, as root and as an ordinary user (nobody, via setpriv).
Three rounds, each --jobs 1 against the default and against --jobs 64, so a
verdict that depends on which probes happen to overlap shows up.

Left out of the comparison, because they differ between any two runs: the
veth pair's names (made from the probe's pid), times in microseconds
(keys ending in _us, and duration_us), and evidence "foreign" (datagrams of
another run a receiver skipped: it depends on what else is on the wire)."""
import json
import os
import shutil

import zctest as t

ROUNDS = 3


def verdict_view(node, key=""):
    """The report's node without what differs between any two runs."""
    if isinstance(node, dict):
        return {k: verdict_view(v, k) for k, v in node.items()
                if not k.endswith("_us") and k not in ("foreign", "links")}
    if isinstance(node, list):
        return [verdict_view(v, key) for v in node]
    return node


def run_report(work, jobs, user):
    args = ["--json"] + ([] if jobs is None else ["--jobs", str(jobs)])
    r = t.run(args, user=user, cwd=work)
    if not t.check(r.returncode == 0, f"zcprobe {' '.join(args)} exits 0 (got {r.returncode}: {r.stderr.strip()})"):
        return None
    return json.loads(r.stdout)


def compare(serial, parallel, label):
    s_ids = [p["id"] for p in serial["probes"]]
    p_ids = [p["id"] for p in parallel["probes"]]
    if not t.check(s_ids == p_ids, f"{label}: the probes come back in catalog order"):
        return
    differ = []
    for s, p in zip(serial["probes"], parallel["probes"]):
        for key in ("status", "errno", "reason", "evidence"):
            if verdict_view(s[key]) != verdict_view(p[key]):
                differ.append(f"{s['id']} {key}: serial {json.dumps(verdict_view(s[key]))[:300]} "
                              f"parallel {json.dumps(verdict_view(p[key]))[:300]}")
    t.check(not differ, f"{label}: every probe decides as with --jobs 1: " + "; ".join(differ))


t.require_binary()
users = [None]
if os.geteuid() == 0 and shutil.which("setpriv") is not None:
    users.append(65534)
work = t.private_dir()
try:
    for user in users:
        who = "root" if user is None and os.geteuid() == 0 else ("uid 65534" if user else "this user")
        for i in range(ROUNDS):
            serial = run_report(work, 1, user)
            for jobs in (None, 64):
                parallel = run_report(work, jobs, user)
                if serial is not None and parallel is not None:
                    compare(serial, parallel, f"{who}, round {i + 1}, --jobs {jobs or 'default'}")
finally:
    t.cleanup(work)
t.finish()
