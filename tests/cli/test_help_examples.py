#!/usr/bin/env python3
"""Every "Examples:" line of zcprobe's, zcengine's and zcreport's --help runs
as written (in a scratch directory, the tools first on PATH) and does what
the exit codes promise: 0, or 1 where the example is a gate (--require, diff,
--reuse eager). zcprobe's examples run first and write the report.json that
zcreport's examples read (old.json and new.json are copies of it).

Env: ZCPROBE, ZCENGINE, ZCREPORT. Exit 0 pass, 1 fail, 77 skip (not root:
zcengine needs a private network namespace)."""
import os
import shutil
import subprocess
import sys
import tempfile

tools = {name: os.environ[name.upper()] for name in ("zcprobe", "zcengine", "zcreport")}
if os.geteuid() != 0:
    print("skip: zcengine's examples need root for their private network namespace")
    sys.exit(77)

failures = []


def examples(tool):
    text = subprocess.run([tools[tool], "--help"], check=True, capture_output=True, text=True).stdout
    lines = text.split("\nExamples:\n", 1)[1].splitlines() if "\nExamples:\n" in text else []
    return [line[len("  $ "):] for line in lines if line.startswith("  $ ")]


with tempfile.TemporaryDirectory() as tmp:
    bindir = os.path.join(tmp, "bin")
    os.mkdir(bindir)
    for name, path in tools.items():
        os.symlink(os.path.abspath(path), os.path.join(bindir, name))
    env = dict(os.environ, PATH=bindir + ":" + os.environ.get("PATH", "/usr/bin:/bin"))
    env.pop("NO_COLOR", None)
    for tool in ("zcprobe", "zcengine", "zcreport"):
        found = examples(tool)
        if not 3 <= len(found) <= 5:
            failures.append(f"{tool} --help has {len(found)} examples; want 3 to 5")
        if tool == "zcreport":
            if not os.path.exists(os.path.join(tmp, "report.json")):
                failures.append("no zcprobe example wrote report.json for zcreport's examples")
                break
            for copy in ("old.json", "new.json"):
                shutil.copy(os.path.join(tmp, "report.json"), os.path.join(tmp, copy))
        for cmd in found:
            if not cmd.startswith(tool) and f" {tool} " not in cmd:
                failures.append(f"{tool} example does not run {tool}: {cmd}")
            r = subprocess.run(["sh", "-c", cmd], cwd=tmp, env=env, capture_output=True, text=True, timeout=300)
            gate = "--require" in cmd or " diff " in cmd or "--reuse eager" in cmd
            ok = r.returncode == 0 or (gate and r.returncode == 1)
            target = os.path.join(tmp, cmd.split(" -o ")[1].split()[0]) if " -o " in cmd else None
            wrote = r.stdout.strip() != "" or (target is not None and os.path.exists(target) and os.path.getsize(target) > 0)
            print(f"{'ok' if ok and wrote else 'FAIL'}: exit {r.returncode}: {cmd}")
            if not ok or not wrote:
                failures.append(f"{cmd}: exit {r.returncode}, stderr: {r.stderr.strip()[:300]}")

for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
