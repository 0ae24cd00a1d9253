#!/usr/bin/env python3
"""What -o does with what its path names, for zcprobe, zcengine and zcreport
(README "Safety"): a device is written through and stays a device (an
operator's `-o /dev/null` as root once turned /dev/null into a JSON file), a
symlink stays a link and its target is replaced, a FIFO is written through
(and one without a reader fails in bounded time), a directory, a link loop
and `-o ''` are exit 2 with one line; new files honour the umask and a
replaced file keeps its mode. Device nodes live in a private tmpfs mounted in
a private mount namespace (unshare -m), never in the host's /dev."""
import json
import os
import shutil
import stat
import subprocess
import threading
import time

from safetytest import (ZCENGINE, ZCPROBE, ZCREPORT, FIXTURES, check, finish, require_tools, run, scratch_dir,
                        skip)

require_tools()
if os.geteuid() != 0:
    skip("needs root for mknod and a private mount namespace")
if not shutil.which("unshare"):
    skip("unshare(1) is not installed")

FIXTURE = os.path.join(FIXTURES, "vm-6.18.json")
TOOLS = {
    "zcprobe": lambda out: [ZCPROBE, "--only", "pipe.tee", "-o", out],
    "zcengine": lambda out: [ZCENGINE, "--mode", "sendto", "--count", "2000", "--warmup", "100", "--sizes", "64",
                             "-o", out],
    "zcreport": lambda out: [ZCREPORT, "render", FIXTURE, "--format", "json", "-o", out],
}


def lines(text):
    return [l for l in text.splitlines() if l.strip()]


def is_json(path):
    try:
        with open(path) as f:
            json.load(f)
        return True
    except (OSError, ValueError):
        return False


for tool, argv in TOOLS.items():
    work = scratch_dir()

    # A character device (1:3, the null device) in a private tmpfs: written
    # through, still a device afterwards, and no temp file beside it.
    dev = os.path.join(work, "dev")
    os.mkdir(dev)
    cmd = " ".join(f"'{a}'" for a in argv(os.path.join(dev, "null")))
    script = (f"mount -t tmpfs -o mode=755 none '{dev}' && mknod -m666 '{dev}/null' c 1 3 && {cmd}; rc=$?; "
              f"echo \"RC=$rc\"; stat -c 'TYPE=%F' '{dev}/null'; echo \"LS=$(ls -A '{dev}' | tr '\\n' ' ')\"")
    r = run(["unshare", "-m", "--propagation", "private", "sh", "-c", script], timeout=120)
    check("RC=0" in r.stdout, f"{tool}: -o onto a device: exit 0 wanted, got {r.stdout!r} {r.stderr!r}")
    check("TYPE=character special file" in r.stdout,
          f"{tool}: -o onto a character device replaced it: {r.stdout!r}")
    check("LS=null \n" in r.stdout + "\n" or r.stdout.rstrip().endswith("LS=null"),
          f"{tool}: -o onto a device left something beside it: {r.stdout!r}")

    # A dangling symlink: the target is created, the link stays a link.
    link = os.path.join(work, "link.json")
    target = os.path.join(work, "target.json")
    os.symlink("target.json", link)
    r = run(argv(link), timeout=120)
    check(r.returncode == 0, f"{tool}: -o onto a dangling link: exit {r.returncode}: {r.stderr!r}")
    check(os.path.islink(link), f"{tool}: -o replaced the symlink {link} by a file")
    check(is_json(target), f"{tool}: -o through a dangling link did not write its target")
    # Again, now that the target exists: replaced, link kept.
    if not os.path.islink(link):
        os.unlink(link)
        os.symlink("target.json", link)
    with open(target, "w") as f:
        f.write("old\n")
    os.chmod(target, 0o640)
    r = run(argv(link), timeout=120)
    check(r.returncode == 0 and os.path.islink(link) and is_json(target),
          f"{tool}: -o onto a link to a file: exit {r.returncode}, link kept {os.path.islink(link)}")
    check(stat.S_IMODE(os.stat(target).st_mode) == 0o640,
          f"{tool}: the link's target lost its mode 0640: {oct(os.stat(target).st_mode)}")

    # A symlink loop: exit 2, one line.
    os.symlink("loop_b", os.path.join(work, "loop_a"))
    os.symlink("loop_a", os.path.join(work, "loop_b"))
    r = run(argv(os.path.join(work, "loop_a")), timeout=120)
    check(r.returncode == 2 and len(lines(r.stderr)) == 1,
          f"{tool}: -o onto a symlink loop: exit 2 and one line wanted, got {r.returncode} {r.stderr!r}")
    check(os.path.islink(os.path.join(work, "loop_a")), f"{tool}: -o replaced a looping symlink")

    # A FIFO with a reader: the reader gets the JSON, the FIFO stays a FIFO.
    fifo = os.path.join(work, "fifo")
    os.mkfifo(fifo)
    got = {}

    def reader():
        with open(fifo, "rb") as f:
            got["data"] = f.read()

    t = threading.Thread(target=reader, daemon=True)
    t.start()
    r = run(argv(fifo), timeout=120)
    t.join(10)
    check(r.returncode == 0, f"{tool}: -o onto a FIFO with a reader: exit {r.returncode}: {r.stderr!r}")
    check(stat.S_ISFIFO(os.lstat(fifo).st_mode), f"{tool}: -o replaced the FIFO {fifo}")
    if not stat.S_ISFIFO(os.lstat(fifo).st_mode):
        os.unlink(fifo)
        os.mkfifo(fifo)
    try:
        json.loads(got.get("data", b"").decode())
        check(True, "")
    except ValueError:
        check(False, f"{tool}: the FIFO's reader did not get a JSON document")
    # A FIFO nobody reads: exit 2 in bounded time, one line, still a FIFO.
    start = time.monotonic()
    try:
        r = run(argv(fifo), timeout=60)
        elapsed = time.monotonic() - start
        check(r.returncode == 2 and len(lines(r.stderr)) == 1,
              f"{tool}: -o onto a FIFO without a reader: exit 2 and one line wanted, got {r.returncode} {r.stderr!r}")
        check(elapsed < 30, f"{tool}: -o onto a FIFO without a reader took {elapsed:.1f} s")
    except subprocess.TimeoutExpired:
        check(False, f"{tool}: -o onto a FIFO without a reader hung for 60 s")
    check(stat.S_ISFIFO(os.lstat(fifo).st_mode), f"{tool}: -o replaced the FIFO {fifo} (no reader)")

    # A directory: exit 2, one line, untouched.
    d = os.path.join(work, "adir")
    os.mkdir(d)
    r = run(argv(d), timeout=120)
    check(r.returncode == 2 and len(lines(r.stderr)) == 1 and os.listdir(d) == [],
          f"{tool}: -o onto a directory: exit 2, one line, nothing written wanted: {r.returncode} {r.stderr!r}")

    # umask 077: a new report is 0600.
    private = os.path.join(work, "private.json")
    r = run(argv(private), timeout=120, preexec_fn=lambda: os.umask(0o077))
    check(r.returncode == 0 and is_json(private), f"{tool}: -o with umask 077: exit {r.returncode} {r.stderr!r}")
    if os.path.exists(private):
        check(stat.S_IMODE(os.stat(private).st_mode) == 0o600,
              f"{tool}: umask 077 wants a 0600 report, got {oct(stat.S_IMODE(os.stat(private).st_mode))}")

    # An existing 0600 file stays 0600 (the default umask 022 would give 0644).
    kept = os.path.join(work, "kept.json")
    with open(kept, "w") as f:
        f.write("old\n")
    os.chmod(kept, 0o600)
    r = run(argv(kept), timeout=120, preexec_fn=lambda: os.umask(0o022))
    check(r.returncode == 0 and is_json(kept), f"{tool}: -o onto a 0600 file: exit {r.returncode} {r.stderr!r}")
    check(stat.S_IMODE(os.stat(kept).st_mode) == 0o600,
          f"{tool}: a replaced 0600 report became {oct(stat.S_IMODE(os.stat(kept).st_mode))}")

    # -o '': exit 2, one line (it used to be ignored).
    r = run(argv(""), timeout=120, cwd=work)
    check(r.returncode == 2 and len(lines(r.stderr)) == 1,
          f"{tool}: -o '': exit 2 and one line wanted, got {r.returncode} {r.stderr!r}")

finish()
