"""AF_XDP probes on this kernel: the socket family exists, copy-mode TX
through a veth pair delivers every frame intact with every completion back,
a zero-copy bind on veth is refused with its errno (veth has no XSK
zero-copy), and XDP_USE_NEED_WAKEUP is accepted. Then as nobody: a user
namespace gives the probes their own CAP_NET_RAW, or they report blocked or
skipped with a reason; never error."""
import json
import os
import shutil

import zctest as t

t.require_binary()
if os.geteuid() != 0:
    t.skip("needs root to create veth links and to switch to nobody")

r = t.run(["--only", "*xdp*", "--json"])
if not t.check(r.returncode == 0, f"zcprobe exits 0 (got {r.returncode}: {r.stderr.strip()})"):
    t.finish()
report = json.loads(r.stdout)
t.validate(report)
probes = t.by_id(report)
if probes.get("xdp.socket", {}).get("status") == "unsupported":
    t.skip(f"this kernel has no AF_XDP: {probes['xdp.socket']['reason']}")
t.check(set(probes) == {"xdp.socket", "xdp.tx_copy", "xdp.zerocopy_bind", "xdp.zerocopy_bind_device",
                        "xdp.need_wakeup"},
        f"exactly the five xdp probes ran (got {sorted(probes)})")
t.check(probes["xdp.zerocopy_bind_device"]["status"] == "skipped", "no --xdp-device: the device bind is skipped")
for p in report["probes"]:
    t.check(p["section"] == "xdp", f"{p['id']} is in the xdp section")
    t.check(p["status"] != "error", f"{p['id']} is not inconclusive ({p['reason']})")
    t.check(len(p["introduced"]["commit"] or "") >= 12, f"{p['id']} cites a kernel commit")

t.check(probes["xdp.socket"]["status"] == "supported", "AF_XDP sockets open as root")
for pid in ["xdp.tx_copy", "xdp.need_wakeup"]:
    p = probes[pid]
    ev = p["evidence"]
    if not t.check(p["status"] == "supported", f"{pid} supported (got {p['status']}: {p['reason']})"):
        continue
    t.check(ev["bytes_verified"] is True, f"{pid}: every byte of every frame verified")
    t.check(ev["received"] == ev["frames"], f"{pid}: all {ev['frames']} frames received")
    t.check(ev["completions"] == ev["frames"] and ev["completions_match"] is True,
            f"{pid}: the completion ring returned every frame address")
    t.check(ev["witness"] == "original" and ev["zero_copy"] is False,
            f"{pid}: copy mode delivers the bytes from send time (witness {ev['witness']})")
    t.check(ev["xdp_options_zerocopy"] is False, f"{pid}: XDP_OPTIONS reports copy mode")
t.check(probes["xdp.need_wakeup"]["evidence"]["tx_need_wakeup"] is True,
        "the tx ring shows XDP_RING_NEED_WAKEUP after a need_wakeup bind")

zc = probes["xdp.zerocopy_bind"]
t.check(zc["status"] == "unsupported", f"zero-copy bind on veth unsupported (got {zc['status']}: {zc['reason']})")
t.check(zc["errno_name"] == "EOPNOTSUPP", f"refused with EOPNOTSUPP (got {zc['errno_name']})")
t.check("veth" in zc["reason"] and "zero-copy" in zc["reason"], "the reason names the driver and zero-copy")

# As nobody: honest verdicts whatever isolation the kernel allows.
if shutil.which("setpriv") is not None:
    work = t.private_dir()
    try:
        for extra in ([], ["--host-netns"]):
            r = t.run(["--only", "*xdp*", "--json"] + extra, user=65534, cwd=work)
            t.check(r.returncode == 0, f"as nobody {extra}: exits 0 (got {r.returncode}: {r.stderr.strip()})")
            rep = json.loads(r.stdout)
            t.validate(rep)
            isolated = rep["environment"]["netns"]["isolated"]
            for p in rep["probes"]:
                t.check(p["status"] != "error", f"nobody {extra}: {p['id']} not inconclusive ({p['reason']})")
                if p["status"] in ("blocked", "skipped"):
                    t.check(bool(p["reason"]), f"nobody {extra}: {p['id']} says why it is {p['status']}")
            by = t.by_id(rep)
            if not isolated:
                t.check(by["xdp.socket"]["status"] == "blocked" and "CAP_NET_RAW" in by["xdp.socket"]["reason"],
                        f"nobody in the host namespace: xdp.socket blocked for CAP_NET_RAW "
                        f"(got {by['xdp.socket']['status']}: {by['xdp.socket']['reason']})")
                for pid in ["xdp.tx_copy", "xdp.zerocopy_bind", "xdp.need_wakeup"]:
                    t.check(by[pid]["status"] == "skipped" and "namespace" in by[pid]["reason"],
                            f"nobody in the host namespace: {pid} skipped for the namespace")
            else:
                # A user namespace owns the network namespace: CAP_NET_RAW there
                # is enough for xsk_create() (ns_capable), so the verdicts match root's.
                for pid in ["xdp.socket", "xdp.tx_copy", "xdp.need_wakeup"]:
                    t.check(by[pid]["status"] == probes[pid]["status"],
                            f"nobody in its own namespace: {pid} as for root (got {by[pid]['status']})")
    finally:
        t.cleanup(work)
t.finish()
