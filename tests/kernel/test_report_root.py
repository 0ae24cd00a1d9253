"""The whole catalog as root in a private network namespace: the report
validates against the schema, nothing is inconclusive, and the verdicts that
hold on every kernel since 4.14 hold here."""
import json
import os
import time

import zctest as t

t.require_binary()
if os.geteuid() != 0:
    t.skip("needs root (a private network namespace via unshare(CLONE_NEWNET))")

work = t.private_dir()
try:
    out = os.path.join(work, "report.json")
    start = time.monotonic()
    r = t.run(["-o", out])
    elapsed = time.monotonic() - start
    t.check(r.returncode == 0, f"zcprobe exits 0 (got {r.returncode}: {r.stderr.strip()})")
    with open(out) as f:
        report = json.load(f)
    t.validate(report)
    t.check(t.no_empty_strings(report) == [], f"no empty strings: {t.no_empty_strings(report)[:5]}")
    t.check(report["environment"]["netns"]["mode"] == "netns", "root runs in its own network namespace")
    t.check(report["environment"]["netns"]["isolated"] is True, "the namespace is isolated")
    t.check("up" in (report["environment"]["loopback"]["flags"] or []), "lo is up in the namespace")
    probes = t.by_id(report)
    errors = [f"{p['id']}: {p['reason']}" for p in report["probes"] if p["status"] == "error"]
    t.check(not errors, f"no probe is inconclusive: {errors}")
    t.check("summary:" in r.stdout, "the table ends with a summary line")

    # Verdicts that hold on every kernel since 4.14.
    for pid in ["pipe.vmsplice", "pipe.vmsplice_gift", "pipe.setpipe_sz", "pipe.splice_devnull", "pipe.tee",
                "pipe.splice_from_file", "splice.tcp4", "splice.tcp6", "splice.udp4", "splice.unix_stream",
                "sendfile.tcp4", "sendfile.udp4", "zerocopy.tcp4", "packet.tx_ring_v1", "packet.tx_ring_v2",
                "packet.qdisc_bypass"]:
        p = probes.get(pid)
        if not t.check(p is not None, f"{pid} is in the report"):
            continue
        t.check(p["status"] == "supported", f"{pid} supported (got {p['status']}: {p['reason']})")
    for pid in ["splice.tcp4", "splice.udp4", "sendfile.tcp4"]:
        t.check(probes.get(pid, {}).get("evidence", {}).get("bytes_verified") is True, f"{pid}: bytes verified")
    for kind in ["tcp4", "tcp6", "unix_stream"]:
        straddle = probes.get(f"splice_straddle.{kind}", {})
        t.check(straddle.get("evidence", {}).get("outcome") == "stream", f"splice_straddle.{kind} reports a stream")
    # Datagram kinds end their wait at the end marker sent after splice(),
    # not at the timeout (the pre-6.5 truncated frames used to wait it out).
    for p in report["probes"]:
        ev = p["evidence"]
        if p["id"].startswith("splice_straddle.") and ev.get("outcome") in ("whole", "split", "truncated"):
            t.check(ev.get("ended_by") == "marker", f"{p['id']}: the wait ended at the marker (got {ev.get('ended_by')})")
    t.check(probes["pipe.vmsplice"]["evidence"]["references_user_pages"] in (True, False),
            "vmsplice evidence says whether the pipe references user pages")
    # This runner lacks CAP_SYS_RESOURCE; where it has it, the beyond-max probe is supported.
    beyond = probes["pipe.setpipe_sz_beyond_max"]
    if not report["environment"]["capabilities"]["cap_sys_resource"]:
        t.check(beyond["status"] == "blocked" and beyond["errno_name"] == "EPERM",
                f"beyond fs.pipe-max-size without CAP_SYS_RESOURCE is blocked by EPERM ({beyond['status']})")
        t.check("environment fact" in beyond["reason"], "and the reason says it is an environment fact")
    for p in report["probes"]:
        if p["status"] in ("unsupported", "blocked"):
            t.check(p["errno"] is not None or p["evidence"], f"{p['id']}: {p['status']} rests on an errno or evidence")
    print(f"full catalog: {len(report['probes'])} probes in {elapsed * 1000:.0f} ms")
finally:
    t.cleanup(work)
t.finish()
