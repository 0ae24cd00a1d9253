#!/usr/bin/python3
"""A stand-in for qemu-system-x86_64 (installed on PATH by
test_matrix_runs.py): no kernel boots, but the matrix sees what a guest
would do. FAKE_QEMU_MODE:
  kvm-hangs  accel=kvm hangs (like a guest behind a broken nested KVM);
             accel=tcg sends a minimal report over the results chardev
  kvm-works  accel=kvm reaches /init (prints the check's marker); tcg as above
  kvm-error  accel=kvm prints QEMU's KVM failure and hangs; tcg as above
  sleep      every boot hangs (to kill the matrix mid-boot)
Each start leaves FAKE_QEMU_PIDS/PID holding its command line."""
import hashlib
import json
import os
import sys
import time

args = sys.argv[1:]
pids = os.environ.get("FAKE_QEMU_PIDS")
if pids:
    with open(os.path.join(pids, str(os.getpid())), "w") as f:
        f.write(" ".join(args) + "\n")
mode = os.environ.get("FAKE_QEMU_MODE", "kvm-hangs")
kvm = any("accel=kvm" in a for a in args)


def option_path(prefix):
    for a in args:
        if a.startswith(prefix):
            return a[len(prefix):]
    return None


if kvm and mode == "kvm-error":
    print("KVM internal error. Suberror: 1\nextra data[0]: 0x0000000000000000\nRAX=0000000000000000",
          file=sys.stderr, flush=True)
    time.sleep(3600)
if mode == "sleep" or (kvm and mode == "kvm-hangs"):
    print("fake qemu: hanging", file=sys.stderr, flush=True)
    time.sleep(3600)
    sys.exit(1)
if kvm and option_path("file:"):  # kvm-works: the accelerator check's boot
    with open(option_path("file:"), "w") as f:
        f.write("[    0.000000] Linux version fake\nZCMATRIX-ALIVE\n")
    sys.exit(0)
label = next((w[len("zcm.name="):] for a in args for w in a.split() if w.startswith("zcm.name=")), "guest")
report = {"kernel": {"release": f"fake-{label}"}, "summary": {"supported": 1},
          "probes": [{"id": "pipe.vmsplice", "section": "pipe", "status": "supported", "errno": None,
                      "errno_name": None, "reason": "fake", "evidence": {"zero_copy": True}}]}
data = json.dumps(report).encode()
frame = (b"\nZCMATRIX-FILE probe.json %d %s\n" % (len(data), hashlib.sha256(data).hexdigest().encode())
         + data + b"\nZCMATRIX-END\n\nZCMATRIX-DONE\n")
with open(option_path("file,id=out,path="), "wb") as f:
    f.write(frame)
