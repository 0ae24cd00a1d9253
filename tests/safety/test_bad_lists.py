#!/usr/bin/env python3
"""Bad input that used to pass or hang (README "Safety"): an empty item in any
comma-separated list option of zcprobe, zcengine or zcreport ("1400,,64",
"a,", ",a") is exit 2 with one line naming the option (it used to be dropped,
so a typo silently changed what ran); `zcreport validate FIFO` with no writer
is exit 2 within seconds (it used to block forever), while a FIFO that does
get a writer and bash process substitution `<(cat r.json)` keep working."""
import os
import shutil
import subprocess
import threading
import time

from safetytest import ZCENGINE, ZCPROBE, ZCREPORT, FIXTURES, check, finish, require_tools, run, scratch_dir

require_tools()
FIXTURE = os.path.join(FIXTURES, "vm-6.18.json")
ENGINE = [ZCENGINE, "--count", "2000", "--warmup", "100"]


def lines(text):
    return [l for l in text.splitlines() if l.strip()]


# (what, argv, the option the line must name). --only pipe.tee keeps an old
# binary that ignores the empty item from running every probe.
CASES = []
for bad in ("pipe.tee,,pipe.splice_udp4", "pipe.tee,", ",pipe.tee"):
    CASES += [
        (f"zcprobe --only {bad}", [ZCPROBE, "--only", bad], "--only"),
        (f"zcprobe --skip {bad}", [ZCPROBE, "--only", "pipe.*", "--skip", bad], "--skip"),
        (f"zcprobe --require {bad}", [ZCPROBE, "--only", "pipe.tee", "--require", bad], "--require"),
    ]
CASES += [
    ("zcprobe --test-fault pipe.tee=crash,", [ZCPROBE, "--only", "pipe.tee", "--test-fault", "pipe.tee=crash,"],
     "--test-fault"),
    ("zcengine --sizes 1400,,64", ENGINE + ["--mode", "sendto", "--sizes", "1400,,64"], "--sizes"),
    ("zcengine --sizes 64,", ENGINE + ["--mode", "sendto", "--sizes", "64,"], "--sizes"),
    ("zcengine --modes sendto,", ENGINE + ["--modes", "sendto,", "--sizes", "64"], "--modes"),
    ("zcengine --modes ,sendto", ENGINE + ["--modes", ",sendto", "--sizes", "64"], "--modes"),
    ("zcengine --mode ''", ENGINE + ["--mode", "", "--sizes", "64"], "--mode"),
]
for sub, files in (("render", [FIXTURE]), ("matrix", [FIXTURE]), ("diff", [FIXTURE, FIXTURE])):
    CASES.append((f"zcreport {sub} --redact-word a,,b", [ZCREPORT, sub, *files, "--redact", "--redact-word", "a,,b"],
                  "--redact-word"))
CASES += [
    ("zcreport render --require pipe.tee,", [ZCREPORT, "render", FIXTURE, "--require", "pipe.tee,"], "--require"),
    ("zcreport render --require ,pipe.tee", [ZCREPORT, "render", FIXTURE, "--require", ",pipe.tee"], "--require"),
]

for what, argv, option in CASES:
    r = run(argv, timeout=120)
    check(r.returncode == 2, f"{what}: exit 2 wanted, got {r.returncode}")
    check(len(lines(r.stderr)) == 1 and option in r.stderr and "empty" in r.stderr,
          f"{what}: one line naming {option} and the empty item wanted, got {r.stderr!r}")
    check(r.stdout == "", f"{what}: wrote output for bad input: {r.stdout[:80]!r}")

# zcreport validate on a FIFO nobody writes: exit 2 within seconds, naming it.
work = scratch_dir()
fifo = os.path.join(work, "report.fifo")
os.mkfifo(fifo)
start = time.monotonic()
try:
    r = run([ZCREPORT, "validate", fifo], timeout=30)
    elapsed = time.monotonic() - start
    check(r.returncode == 2, f"validate FIFO without writer: exit 2 wanted, got {r.returncode}")
    check(len(lines(r.stderr)) == 1 and fifo in r.stderr, f"validate FIFO without writer: {r.stderr!r}")
    check(elapsed < 15, f"validate FIFO without writer took {elapsed:.1f} s")
except subprocess.TimeoutExpired:
    check(False, "zcreport validate on a FIFO without a writer hung for 30 s")

# A writer that comes a second later is waited for.
def late_writer():
    time.sleep(1)
    with open(fifo, "wb") as f, open(FIXTURE, "rb") as src:
        f.write(src.read())


t = threading.Thread(target=late_writer, daemon=True)
t.start()
r = run([ZCREPORT, "validate", fifo], timeout=30)
t.join(10)
check(r.returncode == 0 and "valid" in r.stdout, f"validate FIFO with a late writer: {r.returncode} {r.stderr!r}")

# Process substitution: /dev/fd/N pipes keep working, for every command that reads files.
if shutil.which("bash"):
    for what, line in (("validate", f"'{ZCREPORT}' validate <(cat '{FIXTURE}')"),
                       ("render", f"'{ZCREPORT}' render <(cat '{FIXTURE}') --format json"),
                       ("diff", f"'{ZCREPORT}' diff <(cat '{FIXTURE}') <(cat '{FIXTURE}')")):
        r = run(["bash", "-c", line], timeout=30)
        check(r.returncode == 0 and r.stdout, f"zcreport {what} <(cat r.json): exit {r.returncode} {r.stderr!r}")
else:
    print("note: bash is missing; process substitution not checked")

finish()
