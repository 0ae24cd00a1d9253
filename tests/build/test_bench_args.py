"""The ci/bench-* scripts answer --help with their header and refuse a bad
number with one line and exit 2, before they install, build or run
anything (a mistyped argument must not start a build or apt-get)."""
import os
import subprocess
from buildtest import check, finish

root = os.environ["ZC_SOURCE_DIR"]


def run(script, *args):
    return subprocess.run([os.path.join(root, "ci", script), *args], capture_output=True, text=True, timeout=30)


for script, bad in (("bench-probe", ["x"]), ("bench-engine", ["2", "lots"]), ("bench-egress", ["0"]),
                    ("bench-fleet", ["--count", "ten"])):
    h = run(script, "--help")
    check(h.returncode == 0 and len(h.stdout.splitlines()) >= 3 and not h.stderr,
          f"{script} --help: exit {h.returncode}, {len(h.stdout.splitlines())} lines, stderr {h.stderr!r}")
    r = run(script, *bad)
    lines = r.stderr.splitlines()
    check(r.returncode == 2 and len(lines) == 1 and lines[0].startswith(script + ":") and "Traceback" not in r.stderr
          and not r.stdout, f"{script} {' '.join(bad)}: exit {r.returncode}, stdout {r.stdout!r}, stderr {r.stderr!r}")

finish()
