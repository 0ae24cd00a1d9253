"""A kernel line booted without veth (ZC_MATRIX_NO_VETH=1: veth.ko is left
out of the guest's modules, and the guest's empty kernel.modprobe means no
module can load): every probe that needs a veth pair must be `skipped`
naming veth, never `error`, and zerocopy.udp4's top-level evidence must
describe the loopback leg that decided it.

Usage: test_no_veth.py --zcprobe PATH [--zcreport PATH]. Boots debian-6.12
from ci/matrix/kernels.list (QEMU; TCG where KVM is unusable). Exit 77 when
that line cannot run here (no qemu, busybox-static or kernel package), with
the reason."""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
LINE = "debian-6.12"
VETH_PROBES = ("xdp.tx_copy", "xdp.zerocopy_bind", "xdp.need_wakeup")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--zcprobe", required=True)
    ap.add_argument("--zcreport")
    args = ap.parse_args()
    results = tempfile.mkdtemp(prefix="zc-noveth.")
    try:
        cmd = [sys.executable, os.path.join(ROOT, "ci", "kernel-matrix"), "--only", LINE, "--no-engine",
               "--no-expectations", "--zcprobe", args.zcprobe, "--results", results]
        if args.zcreport:
            cmd += ["--zcreport", args.zcreport]
        env = dict(os.environ, ZC_MATRIX_NO_VETH="1")
        r = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=400)
        print(r.stdout[-3000:], end="")
        if r.returncode == 77:
            print(f"skip: {r.stderr.strip()}")
            return 77
        report_path = os.path.join(results, f"{LINE}.json")
        if not os.path.exists(report_path):
            lines = json.load(open(os.path.join(results, "lines.json"))) \
                if os.path.exists(os.path.join(results, "lines.json")) else None
            print(f"FAIL: {LINE} sent no report (exit {r.returncode}): {r.stderr.strip()[:500]} {lines}")
            return 1
        probes = {p["id"]: p for p in json.load(open(report_path))["probes"]}
        failures = 0

        def check(ok, what):
            nonlocal failures
            print(("ok: " if ok else "FAIL: ") + what)
            failures += 0 if ok else 1

        guest_log = os.path.join(results, LINE, "guest.log")
        log = open(guest_log).read() if os.path.exists(guest_log) else ""
        check("veth.ko" not in log, "the guest loaded no veth.ko")
        for pid in VETH_PROBES:
            p = probes.get(pid)
            check(p is not None, f"{pid} is in the report")
            if p is None:
                continue
            check(p["status"] == "skipped", f"{pid} is skipped (got {p['status']}: {p['reason'][:120]})")
            check("veth" in p["reason"], f"{pid}'s reason names veth ({p['reason'][:120]})")
        z = probes.get("zerocopy.udp4")
        check(z is not None and z["status"] != "error", "zerocopy.udp4 is not an error")
        if z is not None:
            ev = z["evidence"]
            check(ev.get("path") == "loopback", f"zerocopy.udp4's evidence describes the loopback leg (path {ev.get('path')})")
            why = (ev.get("veth") or {}).get("why_not") or ""
            check("veth" in why, f"zerocopy.udp4's veth leg says why it did not decide ({why[:120]})")
        check(not any(p["status"] == "error" for p in probes.values()),
              "no probe ended in error: " + ", ".join(i for i, p in probes.items() if p["status"] == "error"))
        return 1 if failures else 0
    finally:
        shutil.rmtree(results, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
