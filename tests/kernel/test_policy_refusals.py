"""Policy refusals get the right verdict and cause: under a seccomp filter
that denies unshare and io_uring_setup (as a container runtime might), the
namespace refusal is explained and the traffic probes are skipped with it,
io_uring is blocked naming seccomp; as nobody in the host namespace, raw and
packet sockets are blocked for want of CAP_NET_RAW while UDP still works."""
import json
import os
import shutil

import zctest as t

t.require_binary()
deny = os.environ.get("SECCOMP_DENY", "")
if not os.access(deny, os.X_OK):
    t.skip("the seccomp_deny test tool was not built")

# 1. seccomp denies unshare and io_uring_setup.
r = t.run_wrapped([deny, "unshare,io_uring_setup", "--"], ["--json"])
if r.returncode == 77:
    t.skip(f"cannot install a seccomp filter here: {r.stderr.strip()}")
t.check(r.returncode == 0, f"zcprobe under seccomp exits 0 (got {r.returncode}: {r.stderr.strip()})")
report = json.loads(r.stdout)
t.validate(report)
env = report["environment"]
t.check(env["seccomp_mode"] == 2, "the report records seccomp filter mode 2")
t.check(env["no_new_privs"] is True, "and no_new_privs")
t.check(env["netns"]["isolated"] is False, "no private namespace could be made")
t.check("seccomp" in (env["netns"]["reason"] or ""), f"the refusal names seccomp: {env['netns']['reason']}")
probes = t.by_id(report)
for pid in ["splice.udp4", "splice.raw4_hdrincl", "sendfile.tcp4", "zerocopy.udp4", "packet.tx_ring_v2"]:
    p = probes[pid]
    t.check(p["status"] == "skipped" and "private network namespace" in p["reason"],
            f"{pid} is skipped for want of a namespace ({p['status']}: {p['reason']})")
setup = probes["io_uring.setup"]
t.check(setup["status"] == "blocked" and setup["errno_name"] == "EPERM", f"io_uring.setup blocked ({setup['status']})")
t.check("seccomp" in setup["reason"], f"io_uring.setup names seccomp: {setup['reason']}")
t.check(probes["pipe.vmsplice"]["status"] == "supported", "probes that need no namespace still run")

# 2. nobody in the host namespace: no CAP_NET_RAW.
if os.geteuid() == 0 and shutil.which("setpriv"):
    r = t.run(["--host-netns", "--json", "--only", "splice.*"], user=65534)
    t.check(r.returncode == 0, f"nobody --host-netns exits 0 (got {r.returncode}: {r.stderr.strip()})")
    report = json.loads(r.stdout)
    t.validate(report)
    probes = t.by_id(report)
    for kind in ["raw4_hdrincl", "raw4", "raw6", "packet_raw", "packet_dgram"]:
        p = probes[f"splice.{kind}"]
        t.check(p["status"] == "blocked" and "missing CAP_NET_RAW" in p["reason"],
                f"splice.{kind} blocked for want of CAP_NET_RAW ({p['status']}: {p['reason']})")
    for kind in ["udp4", "tcp4", "unix_stream"]:
        p = probes[f"splice.{kind}"]
        t.check(p["status"] == "supported", f"splice.{kind} works without privileges ({p['reason']})")
t.finish()
