"""Policy refusals get the right verdict and cause: under a seccomp filter
that denies unshare and io_uring_setup (as a container runtime might), in a
namespace with a link up besides lo, the namespace refusal is explained
(naming --host-netns) and the traffic probes are skipped with it, io_uring
is blocked naming seccomp; in a namespace holding only lo (a container's)
the probes run there (mode "current"); with vmsplice denied the splice
probes still get a verdict (pipe filled by write()) while pipe.vmsplice
stays blocked; without CAP_NET_ADMIN, lo is raised in a user namespace of
zcprobe's own; as nobody in the host namespace, raw and packet sockets are
blocked for want of CAP_NET_RAW while UDP still works; every refusal names
a layer in its sandbox answer, and the layer is the one the test put there;
under a filter answering ENOSYS for io_uring_* with /proc/sys/kernel
masked, io_uring is not "unsupported"."""
import json
import os
import shutil

import zctest as t

t.require_binary()
deny = os.environ.get("SECCOMP_DENY", "")
if not os.access(deny, os.X_OK):
    t.skip("the seccomp_deny test tool was not built")

# 1. seccomp denies unshare and io_uring_setup, in a namespace of the test's
# own with a veth link up (as root), or in the host's (where eth0 is up).
netns_tools = os.geteuid() == 0 and shutil.which("unshare") and shutil.which("ip")


def in_namespace(setup, wrapper):
    """A fresh network namespace (lo up, then setup), zcprobe under wrapper."""
    script = "ip link set lo up" + "".join(f" && {c}" for c in setup) + ' && exec "$@"'
    return ["unshare", "-n", "sh", "-c", script, "sh"] + list(wrapper)


extra_link = ["ip link add zcpt0 type veth peer name zcpt1", "ip link set zcpt0 up"]
wrapper = in_namespace(extra_link, [deny, "unshare,io_uring_setup", "--"]) if netns_tools else \
    [deny, "unshare,io_uring_setup", "--"]
r = t.run_wrapped(wrapper, ["--json"])
if r.returncode == 77:
    t.skip(f"cannot install a seccomp filter here: {r.stderr.strip()}")
t.check(r.returncode == 0, f"zcprobe under seccomp exits 0 (got {r.returncode}: {r.stderr.strip()})")
report = json.loads(r.stdout)
t.validate(report)
env = report["environment"]
t.check(env["seccomp_mode"] == 2, "the report records seccomp filter mode 2")
t.check(env["no_new_privs"] is True, "and no_new_privs")
t.check(env["netns"]["isolated"] is False, "no private namespace could be made")
reason = env["netns"]["reason"] or ""
t.check("seccomp" in reason, f"the refusal names seccomp: {reason}")
if netns_tools:
    t.check(env["netns"]["mode"] == "host", f"a namespace with a link up besides lo is not used on its own "
            f"({env['netns']['mode']})")
    t.check("zcpt0" in reason and "--host-netns" in reason,
            f"the reason names the link and the flag that runs the probes there: {reason}")
probes = t.by_id(report)
if env["netns"]["mode"] == "host":
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

# 1b. The same filter in a namespace holding only lo, as in a container
# started by Docker or Kubernetes: the probes run there, named "current".
if netns_tools:
    r = t.run_wrapped(in_namespace([], [deny, "unshare,io_uring_setup", "--"]), ["--json"])
    t.check(r.returncode == 0, f"zcprobe in an only-lo namespace exits 0 (got {r.returncode}: {r.stderr.strip()})")
    report = json.loads(r.stdout)
    t.validate(report)
    ns = report["environment"]["netns"]
    t.check(ns["mode"] == "current" and ns["isolated"] is False, f"the only-lo namespace is used as 'current' ({ns})")
    t.check("only lo" in (ns["reason"] or "") and "seccomp" in (ns["reason"] or ""),
            f"the reason says why no private one and why this one is safe: {ns['reason']}")
    probes = t.by_id(report)
    for pid in ["splice.udp4", "splice.tcp4", "sendfile.tcp4", "zerocopy.udp4", "udp.gso"]:
        p = probes[pid]
        t.check(p["status"] == "supported", f"{pid} gets a verdict there ({p['status']}: {p['reason']})")
    skipped = [p["id"] for p in report["probes"] if p["status"] == "skipped"]
    t.check(len(skipped) <= 8, f"at most 8 probes skipped in the only-lo namespace ({len(skipped)}: {skipped})")
else:
    print("note: not root or no unshare/ip: the only-lo namespace case is not run")

# 1c. seccomp denies vmsplice (Podman's profile): splice into the socket is
# still measured, the pipe filled by write(); vmsplice's own verdict stays.
r = t.run_wrapped([deny, "vmsplice", "--"], ["--json", "--only", "splice.*,splice_straddle.*,udp.gso_splice,pipe.vmsplice"])
t.check(r.returncode == 0, f"zcprobe with vmsplice denied exits 0 (got {r.returncode}: {r.stderr.strip()})")
report = json.loads(r.stdout)
t.validate(report)
probes = t.by_id(report)
vm = probes["pipe.vmsplice"]
t.check(vm["status"] == "blocked" and vm["errno_name"] == "EPERM", f"pipe.vmsplice stays blocked ({vm['status']})")
if report["environment"]["netns"]["isolated"] or report["environment"]["netns"]["mode"] == "current":
    for pid in ["splice.udp4", "splice.tcp4", "splice.unix_stream", "splice_straddle.udp4", "udp.gso_splice"]:
        p = probes[pid]
        ev = p["evidence"]
        t.check(p["status"] not in ("blocked", "skipped", "error"), f"{pid} gets a verdict ({p['status']}: {p['reason']})")
        t.check(ev.get("pipe_filled_by") == "write" and "EPERM" in (ev.get("vmsplice") or ""),
                f"{pid} says write() filled the pipe because vmsplice was refused ({ev.get('pipe_filled_by')}, "
                f"{ev.get('vmsplice')})")
    for pid in ["splice.udp4", "splice.tcp4", "udp.gso_splice"]:
        p = probes[pid]
        t.check(p["evidence"].get("zero_copy") is None, f"{pid}: zero_copy of user pages is not claimed "
                f"({p['evidence'].get('zero_copy')})")
        t.check("write()" in p["reason"], f"{pid}: the reason says what was measured: {p['reason']}")
else:
    print("note: no private namespace here: the vmsplice case checks only pipe.vmsplice")

# 1d. unshare(CLONE_NEWNET) allowed but no CAP_NET_ADMIN (lo cannot be
# raised): a user namespace of its own raises it, and the reason names it.
if os.geteuid() == 0 and shutil.which("setpriv"):
    r = t.run_wrapped(["setpriv", "--bounding-set=-net_admin", "--inh-caps=-net_admin"],
                      ["--json", "--only", "splice.udp4"])
    t.check(r.returncode == 0, f"zcprobe without CAP_NET_ADMIN exits 0 (got {r.returncode}: {r.stderr.strip()})")
    report = json.loads(r.stdout)
    t.validate(report)
    ns = report["environment"]["netns"]
    t.check(report["environment"]["capabilities"]["cap_net_admin"] is False, "the run lacked CAP_NET_ADMIN")
    t.check(ns["mode"] == "userns+netns" and ns["isolated"] is True,
            f"lo raised in a user namespace of its own ({ns})")
    t.check("CAP_NET_ADMIN" in (ns["reason"] or ""), f"the reason names CAP_NET_ADMIN: {ns['reason']}")
    t.check(t.by_id(report)["splice.udp4"]["status"] == "supported", "splice.udp4 runs there")

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
