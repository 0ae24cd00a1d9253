#!/usr/bin/env python3
"""What issue 21 asked of everyday use, through the real binaries:
- zcprobe --list honours --only/--skip (text and JSON);
- -o FILE gets --format's format (JSON without --format), stdout the table;
  a file name whose extension announces another format is exit 2, one line,
  no file (zcprobe, zcengine, zcreport);
- -q/--quiet: the summary line and the gate's verdict only;
- --color=auto|always|never (NO_COLOR still counts for auto), zcprobe and
  zcreport render/matrix;
- a progress line on stderr only when stderr is a terminal and the run
  takes longer than about a second (zcprobe's catalog, zcengine's modes).

Env: ZCPROBE, ZCENGINE, ZCREPORT, ZC_SOURCE_DIR. Exit 0 pass, 1 fail, 77
skip (not root: the probe runs and zcengine need a private namespace)."""
import json
import os
import pty
import re
import select
import subprocess
import sys
import tempfile
import time

ZCPROBE, ZCENGINE, ZCREPORT = (os.environ[n] for n in ("ZCPROBE", "ZCENGINE", "ZCREPORT"))
FIXTURE = os.path.join(os.environ["ZC_SOURCE_DIR"], "tests/reports/fixtures/vm-6.18.json")
if os.geteuid() != 0:
    print("skip: the probe and engine runs here need root for their private network namespace")
    sys.exit(77)
failures = []
ESC = "\x1b["
env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}


def check(ok, what):
    print(("ok: " if ok else "FAIL: ") + what)
    if not ok:
        failures.append(what)


def run(argv, extra_env=None, cwd=None):
    return subprocess.run(argv, capture_output=True, text=True, timeout=240, cwd=cwd,
                          env=dict(env, **(extra_env or {})))


def on_pty(argv, which, extra_env=None):
    """Runs argv with stdout or stderr (which) on a terminal, the other on a
    pipe; returns (exit code, terminal bytes as text, pipe text)."""
    master, slave = pty.openpty()
    kw = {"stdout": slave, "stderr": subprocess.PIPE} if which == "stdout" else {"stdout": subprocess.PIPE, "stderr": slave}
    p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, env=dict(env, **(extra_env or {})), **kw)
    os.close(slave)
    tty, pipe = b"", p.stdout if which == "stderr" else p.stderr
    chunks = []
    open_fds = [master, pipe.fileno()]
    deadline = time.time() + 240
    while open_fds and time.time() < deadline:
        r, _, _ = select.select(open_fds, [], [], 1)
        for fd in r:
            try:
                data = os.read(fd, 65536)
            except OSError:  # EIO: the terminal's last writer is gone
                data = b""
            if not data:
                open_fds.remove(fd)
            elif fd == master:
                tty += data
            else:
                chunks.append(data)
    os.close(master)
    p.wait()
    return p.returncode, tty.decode(errors="replace"), b"".join(chunks).decode(errors="replace")


with tempfile.TemporaryDirectory(prefix="zc-use.") as tmp:
    # --list honours --only/--skip.
    r = run([ZCPROBE, "--list", "--json", "--only", "security.*"])
    ids = [e["id"] for e in json.loads(r.stdout)] if r.returncode == 0 else []
    check(r.returncode == 0 and ids and all(i.startswith("security.") for i in ids),
          f"--list --json --only 'security.*' lists only security probes ({ids})")
    full = json.loads(run([ZCPROBE, "--list", "--json"]).stdout)
    r = run([ZCPROBE, "--list", "--json", "--skip", "security.*,xdp.*"])
    skipped = [e["id"] for e in json.loads(r.stdout)] if r.returncode == 0 else []
    check(len(skipped) + len([e for e in full if e["id"].startswith(("security.", "xdp."))]) == len(full)
          and not any(i.startswith(("security.", "xdp.")) for i in skipped), "--list --skip leaves those out")
    r = run([ZCPROBE, "--list", "--only", "security.*"])
    first_lines = [l.split()[0] for l in r.stdout.splitlines() if l and not l[0].isspace()]
    check(r.returncode == 0 and first_lines == ids, f"--list (text) --only lists the same ids ({first_lines})")
    r = run([ZCPROBE, "--list", "--only", "nosuch.*"])
    check(r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1 and not r.stdout,
          f"--list --only with a pattern matching nothing: exit 2, one line ({r.stderr.strip()!r})")

    # -o gets --format's format; stdout the table.
    prom = os.path.join(tmp, "x.prom")
    r = run([ZCPROBE, "--only", "pipe.*", "--format", "prometheus", "-o", prom])
    text = open(prom).read() if os.path.exists(prom) else ""
    check(r.returncode == 0 and text.startswith("# HELP") and "zcprobe_" in text and not text.lstrip().startswith("{"),
          f"--format prometheus -o x.prom writes Prometheus text ({text[:40]!r})")
    check("summary:" in r.stdout and not r.stdout.startswith("# HELP"), "stdout then shows the table")
    js = os.path.join(tmp, "r.json")
    r = run([ZCPROBE, "--only", "pipe.tee", "-o", js])
    check(r.returncode == 0 and json.load(open(js))["schema_version"] == 1, "-o r.json without --format: JSON")
    for argv, name in (([ZCPROBE, "--only", "pipe.tee"], "zcprobe"),
                       ([ZCENGINE, "--mode", "page", "--count", "100"], "zcengine")):
        bad = os.path.join(tmp, f"{name}.prom")
        r = run(argv + ["-o", bad])
        check(r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1 and "--format prometheus" in r.stderr
              and not os.path.exists(bad), f"{name} -o x.prom without --format: exit 2, one line ({r.stderr.strip()!r})")
    r = run([ZCREPORT, "render", FIXTURE, "-o", os.path.join(tmp, "r.html")])
    check(r.returncode == 2 and "--format html" in r.stderr and not os.path.exists(os.path.join(tmp, "r.html")),
          f"zcreport render -o r.html in text: exit 2 ({r.stderr.strip()!r})")
    r = run([ZCREPORT, "render", FIXTURE, "--format", "html", "-o", os.path.join(tmp, "r.html")])
    check(r.returncode == 0 and os.path.exists(os.path.join(tmp, "r.html")), "zcreport render --format html -o r.html")

    # --quiet.
    r = run([ZCPROBE, "-q", "--only", "pipe.tee,pipe.vmsplice", "--require", "pipe.tee"])
    lines = r.stdout.splitlines()
    check(len(lines) == 2 and lines[0].startswith("summary: ") and "(2 probes)" in lines[0]
          and lines[1] == "require pipe.tee: " + ("passed" if r.returncode == 0 else "FAILED (pipe.tee)"),
          f"-q --require: the summary and the gate's verdict only ({lines})")
    r = run([ZCPROBE, "-q", "--only", "pipe.tee", "--require", "pipe.vmsplice"])
    lines = r.stdout.splitlines()
    check(r.returncode == 1 and len(lines) == 2 and lines[1] == "require pipe.vmsplice: FAILED (pipe.vmsplice)"
          and "was not run" in r.stderr, f"-q with a failed gate: exit 1, FAILED naming the probe ({lines})")
    r = run([ZCPROBE, "-q", "--only", "pipe.tee"])
    check(r.returncode == 0 and len(r.stdout.splitlines()) == 1, f"-q without --require: one line ({r.stdout!r})")
    r = run([ZCPROBE, "-q", "--format", "json"])
    check(r.returncode == 2 and "-o FILE" in r.stderr, f"-q --format json without -o: exit 2 ({r.stderr.strip()!r})")
    r = run([ZCENGINE, "-q", "--modes", "page,sendto", "--count", "2000"])
    check(r.returncode == 0 and re.fullmatch(r"runs: 2: 2 clean, 0 unclean, 0 failed, 0 unavailable, 0 skipped\n", r.stdout),
          f"zcengine -q: one summary line ({r.stdout!r})")

    # --color.
    for argv, what in (([ZCPROBE, "--only", "pipe.tee"], "zcprobe"), ([ZCREPORT, "render", FIXTURE], "zcreport render"),
                       ([ZCREPORT, "matrix", FIXTURE, FIXTURE, "--label", "a,b"], "zcreport matrix")):
        r = run(argv + ["--color=always"])
        check(r.returncode == 0 and ESC in r.stdout, f"{what} --color=always colours a pipe")
        r = run(argv + ["--color=always"], {"NO_COLOR": "1"})
        check(r.returncode == 0 and ESC in r.stdout, f"{what} --color=always overrides NO_COLOR")
        r = run(argv + ["--color", "auto"])
        check(r.returncode == 0 and ESC not in r.stdout, f"{what} --color auto: a pipe is not coloured")
        rc, tty, _ = on_pty(argv + ["--color=never"], "stdout")
        check(rc == 0 and ESC not in tty and "pipe.tee" in tty, f"{what} --color=never: a terminal is not coloured")
        rc, tty, _ = on_pty(argv, "stdout")
        check(rc == 0 and ESC in tty, f"{what} (auto): a terminal is coloured")
        rc, tty, _ = on_pty(argv, "stdout", {"NO_COLOR": "1"})
        check(rc == 0 and ESC not in tty and "pipe.tee" in tty, f"{what} (auto) with NO_COLOR: not coloured")
        r = run(argv + ["--color=sometimes"])
        check(r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1 and "--color 'sometimes'" in r.stderr,
              f"{what} --color=sometimes: exit 2, one line")

    # Progress: on a terminal, after about a second; never in a pipe.
    # A probe made to hang (test-only fault) stretches the run past a second
    # at a known point; the probes after it draw the line.
    # One at a time (--jobs 1), so the probes after it start after the second.
    long_probe = [ZCPROBE, "--only", "pipe.*,splice.*", "--test-fault", "pipe.vmsplice=hang", "--timeout", "1500ms",
                  "--jobs", "1"]
    start = time.time()
    r = run(long_probe)
    took = time.time() - start
    check(took > 1.5, f"the long zcprobe run takes over 1.5 s ({took:.1f} s)")
    check(r.returncode == 0 and "\r" not in r.stderr and "zcprobe: [" not in r.stderr,
          f"zcprobe with stderr on a pipe: no progress ({r.stderr[:100]!r})")
    rc, tty, out = on_pty(long_probe, "stderr")
    check(rc == 0 and re.search(r"\r\x1b\[Kzcprobe: \[\d+/\d+\] \S+", tty) is not None and tty.endswith("\r" + ESC + "K"),
          f"zcprobe with stderr on a terminal: a progress line, erased at the end ({tty[-80:]!r})")
    check("summary:" in out and "\r" not in out, "stdout keeps the table, without progress")
    rc, tty, _ = on_pty([ZCPROBE, "--only", "pipe.tee"], "stderr")
    check(rc == 0 and tty == "", f"a run under a second: no progress line ({tty!r})")
    long_engine = [ZCENGINE, "--modes", "page,sendto,sendmmsg,packed", "--count", "100000"]
    rc, tty, out = on_pty(long_engine, "stderr")
    check(rc == 0 and re.search(r"\r\x1b\[Kzcengine: \[\d/4\] \S+ over \S+, 1400 B", tty) is not None,
          f"zcengine with stderr on a terminal: a progress line per run ({tty[-80:]!r})")
    r = run(long_engine)
    check(r.returncode == 0 and "\r" not in r.stderr and not r.stderr.strip(), "zcengine with stderr on a pipe: no progress")

sys.exit(1 if failures else 0)
