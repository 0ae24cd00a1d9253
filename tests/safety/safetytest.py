"""Shared helpers for the safety tests: the three tools' paths, skip (exit 77)
with a reason, checks that collect failures, and a scratch directory that is
removed at exit."""
import atexit
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "kernel"))
from zctest import SKIP, check, finish, skip  # noqa: E402,F401  (one copy of the test protocol)

ZCPROBE = os.environ.get("ZCPROBE", "")
ZCENGINE = os.environ.get("ZCENGINE", "")
ZCREPORT = os.environ.get("ZCREPORT", "")
SOURCE_DIR = os.environ.get("ZC_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
FIXTURES = os.path.join(SOURCE_DIR, "tests", "reports", "fixtures")


def require_tools():
    for name, path in (("ZCPROBE", ZCPROBE), ("ZCENGINE", ZCENGINE), ("ZCREPORT", ZCREPORT)):
        if not path or not os.access(path, os.X_OK):
            print(f"FAIL: {name}={path!r} is not an executable; run through ctest")
            sys.exit(1)


def scratch_dir():
    """A private directory for this test, removed at exit."""
    d = tempfile.mkdtemp(prefix="zcsafety.")
    atexit.register(shutil.rmtree, d, True)
    return d


def run(argv, timeout=60, **kw):
    return subprocess.run(argv, capture_output=True, text=True, timeout=timeout, **kw)


def children_of(pid):
    """Processes whose parent is pid, as (pid, start time) pairs."""
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append((int(entry), fields[19]))
    return out
