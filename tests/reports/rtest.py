"""Shared helpers for the zcreport system tests: run zcreport, skip (exit 77)
with a reason, collect failures, and make private temp directories."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "kernel"))
from zctest import SKIP, check, finish, skip  # noqa: E402,F401  (one copy of the test protocol)

ZCREPORT = os.environ.get("ZCREPORT", "")
ZCPROBE = os.environ.get("ZCPROBE", "")
HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.environ.get("ZC_SOURCE_DIR", os.path.join(HERE, "..", ".."))
FIXTURES = os.path.join(HERE, "fixtures")
SCHEMA_PATH = os.path.join(SOURCE_DIR, "reports", "schema", "zcprobe-report.schema.json")


def require_binary():
    if not ZCREPORT or not os.access(ZCREPORT, os.X_OK):
        print(f"FAIL: ZCREPORT={ZCREPORT!r} is not an executable; run through ctest")
        sys.exit(1)


def zcreport(args, timeout=120, input=None):
    return subprocess.run([ZCREPORT] + list(args), capture_output=True, timeout=timeout, input=input)


def fixture(*names):
    return os.path.join(FIXTURES, *names)


def all_fixtures():
    out = []
    for root, _, files in os.walk(FIXTURES):
        out += [os.path.join(root, f) for f in files if f.endswith(".json")]
    return sorted(out)


def private_dir():
    return tempfile.mkdtemp(prefix="zcreport-test.")


def cleanup(path):
    shutil.rmtree(path, ignore_errors=True)


def schema_validator():
    try:
        import jsonschema
    except ImportError:
        print("FAIL: python3-jsonschema is missing; ci/setup --test installs it")
        sys.exit(1)
    with open(SCHEMA_PATH) as f:
        return jsonschema.Draft202012Validator(json.load(f))
