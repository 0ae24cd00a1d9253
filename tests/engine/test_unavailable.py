"""A mode the kernel (or policy) cannot do is reported as such, naming the
probe that says so, never a crash or a zero. Policy is simulated with a
seccomp filter (tests/kernel/seccomp_deny): an explicitly requested mode is
refused with one line and exit 2 and no report; under --modes all the row
is `unavailable` with the probe named and the rest still runs. With unshare
denied (a Docker-like container), zcengine runs in a namespace holding only
lo (mode "current") and refuses one with another link up."""
import json
import os
import shutil
import tempfile

import zcengine_test as ze
from zctest import check, finish, skip, validate
import subprocess

ze.require_binary()
deny = os.environ.get("SECCOMP_DENY", "")
if not deny or not os.access(deny, os.X_OK):
    skip(f"SECCOMP_DENY={deny!r} is not an executable")

d = tempfile.mkdtemp(prefix="zcengine-unavail.")
out = os.path.join(d, "r.json")


def take_report():
    """The report at out, validated, then removed (None if none was written)."""
    if not os.path.exists(out):
        return None
    with open(out) as f:
        report = json.load(f)
    os.unlink(out)
    validate(report)
    return report


r = subprocess.run([deny, "vmsplice", "--", ze.ZCENGINE, "--mode", "page", "--count", "2000", "-o", out],
                   capture_output=True, text=True, timeout=120)
lines = [l for l in r.stderr.splitlines() if l.strip()]
check(r.returncode == 2, f"explicit page under a vmsplice ban: exit {r.returncode}, expected 2")
check(len(lines) == 1 and "pipe.vmsplice" in r.stderr, f"stderr should name the probe in one line: {r.stderr!r}")
check(not os.path.exists(out), "a report was written for refused input")

r = subprocess.run([deny, "io_uring_setup", "--", ze.ZCENGINE, "--modes", "all", "--sizes", "64", "--count", "2000",
                    "-o", out], capture_output=True, text=True, timeout=170)
check(r.returncode == 0, f"--modes all under an io_uring ban: exit {r.returncode}: {r.stderr.strip()}")
report = take_report()
if report is not None:
    rows = {e["mode"]: e for e in report["engine"] if e["kind"] in ("udp4", "packet_raw", "raw4_hdrincl")}
    for m in ("io-uring-send", "io-uring-send-zc"):
        e = rows.get(m)
        check(e is not None and e["status"] == "unavailable", f"{m}: {e and e['status']}")
        if e:
            check(e["probe"] == "io_uring.setup", f"{m}: probe {e['probe']}")
            check(not e["measured"] and "pps" not in e, f"{m}: an unavailable mode must carry no numbers")
    check(rows.get("page", {}).get("status") == "ok", "page did not run clean next to the unavailable modes")
else:
    check(False, "no report written for --modes all")

if os.geteuid() == 0 and shutil.which("unshare") and shutil.which("ip"):
    def in_namespace(setup):
        script = "ip link set lo up" + "".join(f" && {c}" for c in setup) + ' && exec "$@"'
        return ["unshare", "-n", "sh", "-c", script, "sh", deny, "unshare", "--", ze.ZCENGINE, "--modes", "sendto",
                "--sizes", "64", "--count", "2000", "-o", out]
    r = subprocess.run(in_namespace([]), capture_output=True, text=True, timeout=120)
    check(r.returncode == 0, f"only-lo namespace, unshare denied: exit {r.returncode}: {r.stderr.strip()}")
    report = take_report()
    check(report is not None, "no report for the only-lo namespace")
    if report is not None:
        check(report["environment"]["netns"]["mode"] == "current", f"mode: {report['environment']['netns']}")
    r = subprocess.run(in_namespace(["ip link add zct0 type veth peer name zct1", "ip link set zct0 up"]),
                       capture_output=True, text=True, timeout=120)
    check(r.returncode == 2 and "zct0" in r.stderr and "--host-netns" in r.stderr,
          f"a namespace with a link up besides lo is refused naming it and --host-netns: {r.returncode} {r.stderr!r}")
    check(not os.path.exists(out), "no report for the refused run")
os.rmdir(d)
finish()
