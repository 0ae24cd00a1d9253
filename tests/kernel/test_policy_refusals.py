"""Policy refusals get the right verdict and cause: under a seccomp filter
that denies unshare and io_uring_setup (as a container runtime might), the
namespace refusal is explained and the traffic probes are skipped with it,
io_uring is blocked naming seccomp; as nobody in the host namespace, raw and
packet sockets are blocked for want of CAP_NET_RAW while UDP still works;
every refusal names a layer in its sandbox answer, and the layer is the one
the test put there; under a filter answering ENOSYS for io_uring_* with
/proc/sys/kernel masked, io_uring is not "unsupported"."""
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
t.check(env["seccomp_filters"] in (1, None), f"one seccomp filter is reported ({env['seccomp_filters']})")
sb = setup["sandbox"]
t.check(sb["answer"] == "refused" and sb["layer"] == "seccomp" and sb["detail"] == "io_uring_setup"
        and sb["cause_checked"] is True, f"io_uring.setup: seccomp refuses io_uring_setup, checked ({sb})")
t.check("io_uring_setup" in (sb["fix"] or ""), f"and the fix names it: {sb['fix']}")
for pid, p in probes.items():
    if p["status"] == "blocked":
        t.check(p["sandbox"]["answer"] == "refused" and p["sandbox"]["layer"] not in (None, "none"),
                f"{pid} blocked: its sandbox answer names a layer ({p['sandbox']})")
groups = {g["fix"]: g for g in report["sandbox_refusals"]}
uring_fix = "allow io_uring_setup, io_uring_enter, io_uring_register in the seccomp profile"
t.check(uring_fix in groups and "io_uring.setup" in groups[uring_fix]["probes"],
        f"sandbox_refusals groups io_uring under its fix: {list(groups)}")

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
        # socket() needs CAP_NET_RAW alone: nothing else is named.
        t.check(p["sandbox"]["layer"] == "capability" and p["sandbox"]["detail"] == "CAP_NET_RAW"
                and p["sandbox"]["cause_checked"] is True and "CAP_NET_ADMIN" not in p["reason"],
                f"splice.{kind}: the refusal names CAP_NET_RAW only, checked ({p['sandbox']}; {p['reason']})")
    r = t.run(["--host-netns", "--json", "--only", "zerocopy.raw4"], user=65534)
    zc = t.by_id(json.loads(r.stdout))["zerocopy.raw4"]
    t.check(zc["sandbox"]["detail"] == "CAP_NET_RAW" and "CAP_NET_ADMIN" not in zc["reason"],
            f"zerocopy.raw4's socket() EPERM blames CAP_NET_RAW alone ({zc['reason']})")
    for kind in ["udp4", "tcp4", "unix_stream"]:
        p = probes[f"splice.{kind}"]
        t.check(p["status"] == "supported", f"splice.{kind} works without privileges ({p['reason']})")

# 3. ENOSYS for io_uring_* (Podman's answer) with /proc/sys/kernel masked
# (no kernel.io_uring_disabled, as before 6.6): /proc/kallsyms still shows
# the kernel has io_uring, so it is blocked by seccomp, not unsupported.
r = t.run_wrapped([deny, "--enosys", "--hide", "/proc/sys/kernel", "io_uring_setup,io_uring_enter,io_uring_register",
                   "--"], ["--json", "--only", "io_uring.*"])
if r.returncode == 77:
    t.skip(f"cannot mask /proc/sys/kernel here: {r.stderr.strip()}")
t.check(r.returncode == 0, f"zcprobe under the ENOSYS filter exits 0 (got {r.returncode}: {r.stderr.strip()})")
report = json.loads(r.stdout)
t.validate(report)
t.check(report["environment"]["sysctls"]["kernel.io_uring_disabled"] is None, "kernel.io_uring_disabled is hidden")
setup = t.by_id(report)["io_uring.setup"]
if setup["evidence"].get("kallsyms_lists_io_uring_setup") is None:
    t.skip("/proc/kallsyms is not readable here, so nothing shows the kernel has io_uring")
t.check(setup["status"] == "blocked" and setup["errno_name"] == "ENOSYS",
        f"io_uring.setup is blocked, not unsupported ({setup['status']}: {setup['reason']})")
t.check(setup["sandbox"]["layer"] == "seccomp" and setup["sandbox"]["cause_checked"] is True,
        f"and seccomp is named, checked ({setup['sandbox']})")
for pid, p in t.by_id(report).items():
    t.check(p["status"] != "unsupported",
            f"{pid}: no io_uring probe reads unsupported under the filter ({p['status']}: {p['reason']})")
t.finish()
