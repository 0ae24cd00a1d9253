"""zcengine decides by probes run through zcprobe's runner (README "Safety"):
each gating probe in a child process with a time limit, its files in the
run's private directory (mode 0700 under TMPDIR, gone at the end). A probe
that crashes or hangs becomes an `error` verdict; the engine lives on."""
import os
import stat
import subprocess
import time

import safetytest as t

t.require_tools()
scratch = t.scratch_dir()
RUN = [t.ZCENGINE, "--modes", "page", "--count", "20000"]


# 1. Watch a run: its private directory and its probe processes.
tmpdir = os.path.join(scratch, "tmp")
os.mkdir(tmpdir)
out = os.path.join(scratch, "e.json")
p = subprocess.Popen(RUN + ["-o", out], env=dict(os.environ, TMPDIR=tmpdir),
                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
dirs, modes = set(), set()
deadline = time.monotonic() + 60
while p.poll() is None and time.monotonic() < deadline:
    for e in os.listdir(tmpdir):
        try:
            modes.add(stat.S_IMODE(os.stat(os.path.join(tmpdir, e)).st_mode))
            dirs.add(e)
        except OSError:
            pass
    time.sleep(0.002)
if p.poll() is None:
    p.kill()
err = p.communicate()[1]
t.check(p.returncode == 0, f"zcengine --modes page exits 0 (got {p.returncode}: {err.strip()})")
t.check(any(d.startswith("zcengine.") for d in dirs),
        f"zcengine made its private directory under TMPDIR (saw {sorted(dirs)})")
t.check(modes == {0o700} if dirs else False, f"the private directory is mode 0700 (saw {sorted(map(oct, modes))})")
t.check(os.listdir(tmpdir) == [], f"and removed it at the end (left {os.listdir(tmpdir)})")

# 2. A gating probe that crashes, and one that hangs: an error verdict that
#    makes the mode unavailable (exit 2, one line), not a dead engine.
#    The hanging probe lives long enough to be seen as zcengine's child.
for fault, words in (("crash", "probe crashed with SIGSEGV"), ("hang", "probe timed out after 2000 ms")):
    start = time.monotonic()
    p = subprocess.Popen(RUN + ["--test-fault", f"splice.raw4_hdrincl={fault}"], env=dict(os.environ, TMPDIR=tmpdir),
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    kids = set()
    while p.poll() is None and time.monotonic() < start + 60:
        kids.update(k for k, _ in t.children_of(p.pid))
        time.sleep(0.01)
    if p.poll() is None:
        p.kill()
    err = p.communicate()[1]
    elapsed = time.monotonic() - start
    lines = err.strip().splitlines()
    t.check(p.returncode == 2 and len(lines) == 1 and "probe splice.raw4_hdrincl is error" in err and words in err,
            f"a gating probe that injects a {fault}: exit 2 and one line with '{words}' (got {p.returncode}: {err.strip()!r})")
    if fault == "hang":
        t.check(len(kids) >= 1, f"the hanging gating probe ran in a child process of zcengine (saw {len(kids)})")
    t.check(elapsed < 30, f"the {fault} stays bounded ({elapsed:.1f} s)")
    t.check(os.listdir(tmpdir) == [], f"nothing left after the {fault} (left {os.listdir(tmpdir)})")
t.finish()
