"""Shared helpers for the kernel tests: run zcprobe, validate its report
against the JSON Schema, skip (exit 77) with a reason, fail with one."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

SKIP = 77
ZCPROBE = os.environ.get("ZCPROBE", "")
SOURCE_DIR = os.environ.get("ZC_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
SCHEMA_PATH = os.path.join(SOURCE_DIR, "reports", "schema", "zcprobe-report.schema.json")

_failures = []


def skip(reason):
    print(f"SKIP: {reason}")
    sys.exit(SKIP)


def check(condition, message):
    if not condition:
        _failures.append(message)
        print(f"FAIL: {message}")
    return condition


def finish():
    if _failures:
        print(f"{len(_failures)} check(s) failed")
        sys.exit(1)
    print("all checks passed")
    sys.exit(0)


def require_binary():
    if not ZCPROBE or not os.access(ZCPROBE, os.X_OK):
        print(f"FAIL: ZCPROBE={ZCPROBE!r} is not an executable; run through ctest")
        sys.exit(1)


def run(args, user=None, timeout=120, cwd=None):
    """Runs zcprobe; as another user through setpriv when user is given."""
    cmd = [ZCPROBE] + list(args)
    if user is not None:
        cmd = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", "--inh-caps=-all"] + cmd
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=cwd)


def run_wrapped(wrapper, args, timeout=120):
    """Runs zcprobe under a wrapper command (e.g. a seccomp filter)."""
    return subprocess.run(list(wrapper) + [ZCPROBE] + list(args), capture_output=True, text=True, timeout=timeout)


def validate(report):
    try:
        import jsonschema
    except ImportError:
        print("FAIL: python3-jsonschema is missing; ci/setup --test installs it")
        sys.exit(1)
    with open(SCHEMA_PATH) as f:
        schema = json.load(f)
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(report), key=lambda e: list(e.absolute_path))
    for e in errors[:20]:
        check(False, f"schema: /{'/'.join(str(p) for p in e.absolute_path)}: {e.message}")
    return not errors


def no_empty_strings(node, path="", out=None):
    """Unknown is null, never "": list every empty string in the report."""
    out = [] if out is None else out
    if isinstance(node, dict):
        for k, v in node.items():
            no_empty_strings(v, f"{path}/{k}", out)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            no_empty_strings(v, f"{path}/{i}", out)
    elif node == "":
        out.append(path)
    return out


def by_id(report):
    return {p["id"]: p for p in report["probes"]}


def private_dir():
    d = tempfile.mkdtemp(prefix="zctest.")
    os.chmod(d, 0o777)  # the unprivileged run writes its report here too
    return d


def cleanup(d):
    shutil.rmtree(d, ignore_errors=True)
