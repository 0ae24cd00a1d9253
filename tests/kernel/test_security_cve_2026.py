"""security.cve_2026_*: the splice page-cache-write family. On every kernel
each probe ends conclusive (supported, unsupported, or skipped naming the
modules it would need, or "exposure not determined"), a "not affected"
carries proof that the path ran and reached the bug (reached true and its
reach_proof) or that the path is absent and no module can load
(path_available false), an "affected" carries the changed bytes,
and the run's private directory is left empty. Where this host lacks AF_ALG,
the Copy Fail probe must say so with EAFNOSUPPORT; where ESP runs, the
Fragnesia probe shows its datagram was reassembled. The Dirty Pipe probe
(security.cve_2022_0847) names its CVE and fix the same way."""
import errno
import json
import os
import socket
import subprocess

import zctest as t

t.require_binary()
if os.geteuid() != 0:
    t.skip("needs root for the private namespace and the xfrm state")

tmp = t.private_dir()
try:
    env = dict(os.environ, TMPDIR=tmp)
    r = subprocess.run([t.ZCPROBE, "--json", "--only", "security.cve_2026_*,security.cve_2022_0847"], capture_output=True, text=True,
                       timeout=120, env=env)
    if not t.check(r.returncode == 0, f"zcprobe exits 0 (got {r.returncode}: {r.stderr.strip()})"):
        t.finish()
    report = json.loads(r.stdout)
    t.validate(report)
    t.check(t.no_empty_strings(report) == [], f"no empty strings: {t.no_empty_strings(report)}")
    probes = t.by_id(report)
    expected = {"security.cve_2026_31431": ("CVE-2026-31431", "Copy Fail", "a664bf3d603d"),
                "security.cve_2026_43284": ("CVE-2026-43284", "Dirty Frag", "f4c50a4034e6"),
                "security.cve_2026_46300": ("CVE-2026-46300", "Fragnesia", "f84eca581739"),
                "security.cve_2026_43500": ("CVE-2026-43500", "Dirty Frag (RxRPC)", "aa54b1d27fe0")}
    for pid, (cve, name, fix) in expected.items():
        t.check(pid in probes, f"{pid} ran")
        if pid not in probes:
            continue
        p = probes[pid]
        ev = p["evidence"]
        t.check(p["status"] in ("supported", "unsupported", "skipped"),
                f"{pid} is conclusive ({p['status']}: {p['reason']})")
        t.check(any(h["commit"] == fix for h in p["history"]), f"{pid} cites its fix commit {fix} in its history")
        if p["status"] == "skipped" and "cve" not in ev:
            continue  # skipped before it began (no private namespace)
        t.check((ev.get("cve"), ev.get("common_name"), ev.get("fix_commit")) == (cve, name, fix),
                f"{pid} names {cve} ({name}), fix {fix}: {ev}")
        t.check("reached" in ev and "reach_proof" in ev, f"{pid}: evidence has reached and reach_proof: {ev}")
        if p["status"] == "supported" and ev.get("path_available") is False:
            # Path absent: proof only when no module can load.
            t.check(ev["vulnerable"] is False and ev["reached"] is False and ev.get("modules_may_load") is False
                    and ev["reach_proof"].startswith("the vulnerable code is absent: "),
                    f"{pid}: not affected because the path is absent and no module can load: {ev}")
        elif p["status"] == "supported" and pid == "security.cve_2026_43500":
            t.check(False, f"{pid}: an exposure probe is never 'not affected' with the path present: {ev}")
        elif p["status"] == "supported":
            t.check(ev["vulnerable"] is False, f"{pid}: supported means not vulnerable")
            t.check(ev["reached"] is True and isinstance(ev["reach_proof"], str),
                    f"{pid}: not affected only with proof of reach: {ev}")
            proof = ev.get("decrypt_errno") == "EBADMSG" or (
                ev.get("integrity_failed_after", 0) > ev.get("integrity_failed_before", 0))
            t.check(ev["path_available"] is True and proof, f"{pid}: not affected with proof the path ran: {ev}")
            t.check(ev["file_bytes_changed"] == 0, f"{pid}: the file read back unchanged")
        elif p["status"] == "unsupported":
            t.check(ev["vulnerable"] is True and ev["changes"] and ev["reached"] is True,
                    f"{pid}: affected shows the changed bytes: {ev}")
        elif p["status"] == "skipped":
            t.check(p["reason"].startswith("exposure not determined: ") and ev["reached"] is not True,
                    f"{pid}: skipped says exposure not determined ({p['reason']})")
            if ev["path_available"] is None and ev.get("file_bytes_changed") is None and ev["modules_missing"]:
                t.check("--load-modules" in p["reason"], f"{pid}: skipped names --load-modules ({p['reason']})")

    pipe = probes.get("security.cve_2022_0847")
    if t.check(pipe is not None, "security.cve_2022_0847 ran"):
        ev = pipe["evidence"]
        t.check((ev.get("cve"), ev.get("common_name"), ev.get("fix_commit")) ==
                ("CVE-2022-0847", "Dirty Pipe", "9d2231c5d74e"),
                f"security.cve_2022_0847 names CVE-2022-0847 (Dirty Pipe), fix 9d2231c5d74e: {ev}")
        if pipe["status"] in ("supported", "unsupported"):
            t.check(ev["vulnerable"] is (pipe["status"] == "unsupported"),
                    f"security.cve_2022_0847: vulnerable matches its status: {pipe['status']}, {ev}")

    # Fragnesia lowers lo's MTU in a namespace of its own: the run's stays.
    frag = probes.get("security.cve_2026_46300", {})
    if frag.get("evidence", {}).get("path_available") is True:
        t.check(frag["evidence"].get("mtu") == 1280 and frag["evidence"].get("ip_reasm_oks") == 1,
                f"security.cve_2026_46300: one datagram reassembled at MTU 1280: {frag['evidence']}")

    # What this host can tell without the probe: no AF_ALG means EAFNOSUPPORT.
    try:
        socket.socket(38, socket.SOCK_SEQPACKET, 0).close()  # AF_ALG
        af_alg = True
    except OSError as e:
        af_alg = e.errno != errno.EAFNOSUPPORT
    if not af_alg and not os.path.exists("/proc/modules"):
        p = probes["security.cve_2026_31431"]
        t.check(p["status"] == "supported" and p["evidence"]["path_errno"] == "EAFNOSUPPORT"
                and p["evidence"]["reached"] is False and p["evidence"]["path_available"] is False,
                f"without AF_ALG and modules copy fail is absent, not affected, EAFNOSUPPORT ({p['reason']})")
    left = [os.path.join(dp, f) for dp, dn, fs in os.walk(tmp) for f in fs + dn]
    t.check(left == [], f"nothing left in the private directory: {left}")
finally:
    t.cleanup(tmp)
t.finish()
