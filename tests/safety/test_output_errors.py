#!/usr/bin/env python3
"""A failed write of the output is never silent (README "Safety"): stdout on
/dev/full and -o onto a full device are exit 2 with one line on stderr, for
zcprobe, zcengine and zcreport. stdout is the host's /dev/full opened by this
test (a redirection cannot replace it); the -o device is a private node
(1:7, the full device) in a tmpfs in a private mount namespace, because the
old -o replaced whatever it named."""
import os
import shutil
import subprocess

from safetytest import ZCENGINE, ZCPROBE, ZCREPORT, FIXTURES, check, finish, require_tools, run, scratch_dir, skip

require_tools()
if not os.path.exists("/dev/full"):
    skip("no /dev/full here")

FIXTURE = os.path.join(FIXTURES, "vm-6.18.json")
ENGINE = [ZCENGINE, "--mode", "sendto", "--count", "2000", "--warmup", "100", "--sizes", "64"]
STDOUT_RUNS = {
    "zcprobe --json": [ZCPROBE, "--only", "pipe.tee", "--json"],
    "zcprobe table": [ZCPROBE, "--only", "pipe.tee"],
    "zcprobe --list": [ZCPROBE, "--list"],
    "zcprobe --help": [ZCPROBE, "--help"],
    "zcengine --json": ENGINE + ["--json"],
    "zcengine table": ENGINE,
    "zcreport render": [ZCREPORT, "render", FIXTURE, "--format", "json"],
    "zcreport validate": [ZCREPORT, "validate", FIXTURE],
    "zcreport matrix": [ZCREPORT, "matrix", FIXTURE],
    "zcreport diff": [ZCREPORT, "diff", FIXTURE, FIXTURE],
}


def lines(text):
    return [l for l in text.splitlines() if l.strip()]


for name, argv in STDOUT_RUNS.items():
    with open("/dev/full", "w") as full:
        r = subprocess.run(argv, stdout=full, stderr=subprocess.PIPE, text=True, timeout=120)
    check(r.returncode == 2, f"{name} > /dev/full: exit 2 wanted, got {r.returncode}")
    check(len(lines(r.stderr)) == 1 and "standard output" in r.stderr,
          f"{name} > /dev/full: one line naming standard output wanted, got {r.stderr!r}")

if os.geteuid() != 0 or not shutil.which("unshare"):
    skip("-o onto a full device needs root and unshare(1) for a private device node (stdout checks ran)")

O_RUNS = {
    "zcprobe": [ZCPROBE, "--only", "pipe.tee"],
    "zcengine": ENGINE,
    "zcreport": [ZCREPORT, "render", FIXTURE, "--format", "json"],
}
for name, argv in O_RUNS.items():
    dev = os.path.join(scratch_dir(), "dev")
    os.mkdir(dev)
    cmd = " ".join(f"'{a}'" for a in argv + ["-o", f"{dev}/full"])
    script = (f"mount -t tmpfs -o mode=755 none '{dev}' && mknod -m666 '{dev}/full' c 1 7 && {cmd} >/dev/null; "
              f"echo \"RC=$?\"; stat -c 'TYPE=%F' '{dev}/full'")
    r = run(["unshare", "-m", "--propagation", "private", "sh", "-c", script], timeout=120)
    check("RC=2" in r.stdout, f"{name} -o FULL-DEVICE: exit 2 wanted, got {r.stdout!r}")
    check(len(lines(r.stderr)) == 1 and "full" in r.stderr,
          f"{name} -o FULL-DEVICE: one line naming the path wanted, got {r.stderr!r}")
    check("TYPE=character special file" in r.stdout, f"{name} -o FULL-DEVICE replaced the device: {r.stdout!r}")

finish()
