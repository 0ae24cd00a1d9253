"""The Prometheus rules shipped with the kit (prometheus/zcprobe.rules.yml):
promtool check rules passes, promtool test rules passes
(prometheus_rules.test.yml: each alert with a firing and a silent case,
the recording rules' counts), and every metric the rules read is one that
zcreport render --format prometheus writes for a zcprobe and a zcengine
report. The tests can fail: the same tests on rules with a wrong stale
threshold fail."""
import os
import re
import shutil
import subprocess

import rtest as t

t.require_binary()
promtool = shutil.which("promtool")
if not promtool:
    t.skip("promtool is missing (Debian package prometheus; ci/setup --test installs it)")
rules = os.path.join(t.SOURCE_DIR, "prometheus", "zcprobe.rules.yml")
tests = os.path.join(t.HERE, "prometheus_rules.test.yml")
work = t.private_dir()
try:
    r = subprocess.run([promtool, "check", "rules", rules], capture_output=True, timeout=60)
    t.check(r.returncode == 0, f"promtool check rules: {(r.stdout + r.stderr).decode()[-500:]}")
    r = subprocess.run([promtool, "test", "rules", tests], capture_output=True, timeout=120)
    t.check(r.returncode == 0, f"promtool test rules: {(r.stdout + r.stderr).decode()[-1500:]}")

    # Metrics the rules read, against what zcreport exports.
    with open(rules) as f:
        text = f.read()
    exprs = " ".join(re.findall(r"^\s*expr:\s*(.*)$", text, re.M))
    used = set(re.findall(r"\b(zc(?:probe|engine)_[a-z_]+)\b", exprs))
    exported = set()
    for name in [t.fixture("host-6.18-affected.json"), t.fixture("engine", "eager-unclean.json")]:
        out = t.zcreport(["render", name, "--format", "prometheus"])
        t.check(out.returncode == 0, f"{os.path.basename(name)}: rendered")
        exported |= set(re.findall(r"^# TYPE (\S+) ", out.stdout.decode(), re.M))
    t.check(used and used <= exported, f"the rules read only exported metrics: {sorted(used - exported)} missing")
    for needed in ["zcprobe_cve_affected", "zcprobe_probe_supported", "zcprobe_report_timestamp_seconds",
                   "zcengine_packets_lost", "zcengine_packets_corrupted", "zcprobe_probe_status"]:
        t.check(needed in used, f"the rules use {needed}")

    # A wrong threshold (3 days instead of 2) must fail the tests.
    broken_dir = os.path.join(work, "prometheus")
    os.makedirs(broken_dir)
    with open(os.path.join(broken_dir, "zcprobe.rules.yml"), "w") as f:
        f.write(text.replace("> 2 * 86400", "> 3 * 86400"))
    tests_dir = os.path.join(work, "tests", "reports")
    os.makedirs(tests_dir)
    shutil.copy(tests, tests_dir)
    r = subprocess.run([promtool, "test", "rules", os.path.join(tests_dir, os.path.basename(tests))],
                       capture_output=True, timeout=120)
    t.check(r.returncode != 0 and b"ZcprobeReportStale" in r.stdout + r.stderr,
            f"a wrong stale threshold fails the tests (exit {r.returncode})")
finally:
    t.cleanup(work)
t.finish()
