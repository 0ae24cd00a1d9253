"""Shared helpers for the engine kernel tests: run zcengine, read and
validate its JSON report, skip (exit 77) or fail with a reason."""
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "kernel"))
import zctest  # noqa: E402  (schema validation, check/skip/finish)

ZCENGINE = os.environ.get("ZCENGINE", "")


def require_binary():
    if not ZCENGINE or not os.access(ZCENGINE, os.X_OK):
        print(f"FAIL: ZCENGINE={ZCENGINE!r} is not an executable; run through ctest")
        sys.exit(1)
    if os.geteuid() != 0:
        r = subprocess.run(["unshare", "-Urn", "true"], capture_output=True)
        if r.returncode != 0:
            zctest.skip("not root and no user namespace: zcengine cannot make a private network namespace")


def run(args, timeout=120, wrapper=()):
    return subprocess.run(list(wrapper) + [ZCENGINE] + list(args), capture_output=True, text=True, timeout=timeout)


def run_json(args, timeout=120, wrapper=()):
    """Runs with -o into a temp file; returns (completed process, report or None)."""
    d = tempfile.mkdtemp(prefix="zcengine-test.")
    out = os.path.join(d, "report.json")
    r = run(list(args) + ["-o", out], timeout=timeout, wrapper=wrapper)
    report = None
    if os.path.exists(out):
        with open(out) as f:
            report = json.load(f)
        os.unlink(out)
    os.rmdir(d)
    return r, report
