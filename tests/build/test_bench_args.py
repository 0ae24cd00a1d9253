"""The ci/bench-* scripts answer --help with their header and refuse a bad
number with one line and exit 2, before they install, build or run
anything (a mistyped argument must not start a build or apt-get)."""
import os
import subprocess
import sys

root = os.environ["ZC_SOURCE_DIR"]
failures = []


def run(script, *args):
    return subprocess.run([os.path.join(root, "ci", script), *args], capture_output=True, text=True, timeout=30)


for script, bad in (("bench-probe", ["x"]), ("bench-engine", ["2", "lots"]), ("bench-egress", ["0"]),
                    ("bench-fleet", ["--count", "ten"])):
    h = run(script, "--help")
    if h.returncode != 0 or len(h.stdout.splitlines()) < 3 or h.stderr:
        failures.append(f"{script} --help: exit {h.returncode}, {len(h.stdout.splitlines())} lines, stderr {h.stderr!r}")
    r = run(script, *bad)
    lines = r.stderr.splitlines()
    if r.returncode != 2 or len(lines) != 1 or not lines[0].startswith(script + ":") or "Traceback" in r.stderr \
            or r.stdout:
        failures.append(f"{script} {' '.join(bad)}: exit {r.returncode}, stdout {r.stdout!r}, stderr {r.stderr!r}")

for f in failures:
    print("FAIL:", f)
print(f"bench scripts: {8 - len(failures)} of 8 checks hold")
sys.exit(1 if failures else 0)
