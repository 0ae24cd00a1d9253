"""An interrupt leaves nothing behind (README "Safety"): SIGINT, SIGTERM or
SIGHUP to zcprobe, zcengine or zcreport mid-run ends it with exit 128+signal
and one "interrupted" line on stderr, with no private directory, no
half-written -o temp file and no child process left. Each signal is sent
after several delays, so it lands in different phases of the run, and once
while the -o temp file is held open (strace delays its fsync)."""
import os
import re
import shutil
import signal
import subprocess
import time

import safetytest as t

t.require_tools()
scratch = t.scratch_dir()
DELAYS = (0.02, 0.05, 0.1, 0.3)
SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
F = t.FIXTURES
TOOLS = {
    "zcprobe": lambda d: [t.ZCPROBE, "-o", os.path.join(d, "r.json")],
    "zcengine": lambda d: [t.ZCENGINE, "--modes", "page", "--count", "2000000", "--duration", "3s",
                           "-o", os.path.join(d, "e.json")],
    # The biggest job zcreport has: a matrix of 160 reports (four fixtures,
    # each 40 times), written with -o; it must outlast the longest delay.
    "zcreport": lambda d: [t.ZCREPORT, "matrix", "--format", "json", "-o", os.path.join(d, "m.json")] +
                          [os.path.join(F, n) for n in ("ci-runner-6.1.json", "vm-6.18.json", "vm-6.19-regressed.json",
                                                        "vm-6.18-nobody.json")] * 40,
}
# What a run may leave in its TMPDIR: the finished -o file and nothing else.
LEFTOVER = re.compile(r"^(zcprobe|zcengine)\.|\.[A-Za-z0-9]{6}$")


def default_signals():
    # The tools keep an inherited SIG_IGN (nohup); the test wants the default.
    for s in SIGNALS:
        signal.signal(s, signal.SIG_DFL)


def alive(pid, start):
    """pid is still the process seen (not a reused pid) and not a zombie."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return False
    return fields[19] == start and fields[0] != "Z"


def runs_with_tmpdir(tmpdir):
    """Any process still carrying this trial's TMPDIR (a lost child)."""
    found = []
    needle = f"TMPDIR={tmpdir}".encode() + b"\0"
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            with open(f"/proc/{entry}/environ", "rb") as f:
                if needle in f.read():
                    found.append(int(entry))
        except OSError:
            continue
    return found


def blocks_signals(pid):
    """The tool's main() has installed its interrupt path: SIGINT, SIGTERM
    and SIGHUP are blocked (/proc/PID/status SigBlk)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("SigBlk:"):
                    mask = int(line.split()[1], 16)
                    return all(mask & (1 << (s - 1)) for s in SIGNALS)
    except OSError:
        pass
    return False


interrupted = {}
for tool, argv_for in TOOLS.items():
    for sig in SIGNALS:
        name = signal.Signals(sig).name
        for delay in DELAYS:
            trial = os.path.join(scratch, f"{tool}-{name}-{delay}")
            os.mkdir(trial)
            what = f"{tool} with {name} after {delay} s"
            env = dict(os.environ, TMPDIR=trial)
            p = subprocess.Popen(argv_for(trial), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                 text=True, preexec_fn=default_signals)
            # A signal before main() (the loader, static constructors) kills
            # the tool by its default action: nothing exists yet to clean
            # up. So the delays count from the moment main() took the
            # signals over, waited for at most 1 s (a tool that never does
            # is caught below, killed by the signal).
            started = time.monotonic()
            while not blocks_signals(p.pid) and p.poll() is None and time.monotonic() < started + 1:
                time.sleep(0.001)
            time.sleep(delay)
            kids = t.children_of(p.pid)
            if p.poll() is None:
                p.send_signal(sig)
            try:
                _, err = p.communicate(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
                _, err = p.communicate()
                t.check(False, f"{what}: still running 30 s after the signal")
                continue
            rc = p.returncode
            lines = [l for l in err.splitlines() if "interrupted" in l]
            if rc == 128 + sig:
                interrupted[(tool, name)] = interrupted.get((tool, name), 0) + 1
                t.check(len(lines) == 1 and f"{tool}: interrupted by {name}" in lines[0],
                        f"{what}: one line '{tool}: interrupted by {name}...' on stderr (got {err.strip()!r})")
            else:
                t.check(rc == 0, f"{what}: exit {128 + sig} (interrupted) or 0 (finished first), got {rc}"
                                 f"{' (killed by the signal, no cleanup)' if rc < 0 else ''}: {err.strip()!r}")
            left = [e for e in os.listdir(trial) if LEFTOVER.search(e)]
            t.check(not left, f"{what}: nothing left in TMPDIR, found {left}")
            # Children die with the tool: a lost one would be reparented and
            # still alive, or still carry this trial's TMPDIR.
            deadline = time.monotonic() + 2
            while time.monotonic() < deadline and (any(alive(k, s) for k, s in kids) or runs_with_tmpdir(trial)):
                time.sleep(0.02)
            survivors = [k for k, s in kids if alive(k, s)] + runs_with_tmpdir(trial)
            t.check(not survivors, f"{what}: no child process left, found {survivors}")

# The -o temp file: a signal between its creation and the rename is a
# narrow window, so hold it open by delaying the writer's fsync with strace
# (where installed), then interrupt. The temp file must go too.
strace = shutil.which("strace")
QUICK = {
    "zcprobe": lambda d: [t.ZCPROBE, "--only", "pipe.tee", "-o", os.path.join(d, "r.json")],
    "zcengine": lambda d: [t.ZCENGINE, "--modes", "sendto", "--count", "2000", "-o", os.path.join(d, "r.json")],
    "zcreport": lambda d: [t.ZCREPORT, "render", "--format", "json", "-o", os.path.join(d, "r.json"),
                           os.path.join(F, "vm-6.18.json")],
}
if not strace:
    print("note: strace is not installed; the check of the -o temp file under interrupt is left out")
for tool, argv_for in QUICK.items() if strace else ():
    trial = os.path.join(scratch, f"{tool}-tempfile")
    os.mkdir(trial)
    what = f"{tool} with SIGTERM while its -o temp file is open"
    p = subprocess.Popen([strace, "-f", "-qq", "-o", "/dev/null", "-e", "trace=fsync",
                          "-e", "inject=fsync:delay_enter=3000000"] + argv_for(trial),
                         env=dict(os.environ, TMPDIR=trial), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                         text=True, preexec_fn=default_signals)
    temp = []
    deadline = time.monotonic() + 30
    while not temp and p.poll() is None and time.monotonic() < deadline:
        temp = [e for e in os.listdir(trial) if re.fullmatch(r"r\.json\.[A-Za-z0-9]{6}", e)]
        time.sleep(0.005)
    pids = [k for k, _ in t.children_of(p.pid)]
    t.check(bool(temp) and len(pids) == 1, f"{what}: the temp file appeared ({temp}) under strace ({pids})")
    if temp and pids:
        os.kill(pids[0], signal.SIGTERM)
    _, err = p.communicate(timeout=60)
    t.check(p.returncode == 128 + signal.SIGTERM and f"removed {os.path.join(trial, temp[0]) if temp else '?'}" in err,
            f"{what}: exit 143 and the line names the removed temp file (got {p.returncode}: {err.strip()!r})")
    left = [e for e in os.listdir(trial) if LEFTOVER.search(e)]
    t.check(not left, f"{what}: nothing left in TMPDIR, found {left}")

for tool in TOOLS:
    for sig in SIGNALS:
        name = signal.Signals(sig).name
        n = interrupted.get((tool, name), 0)
        print(f"{tool} {name}: interrupted in {n} of {len(DELAYS)} trials")
        # At 0.02 s every tool is still running; a tool that was never
        # interrupted would make this test vacuous.
        t.check(n >= 1, f"{tool} {name}: at least one trial caught it mid-run")
t.finish()
