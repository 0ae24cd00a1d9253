"""JUnit output (default, --require, --strict, a skipped-heavy report, one
with hostile text, and engine reports clean and corrupted) validates against
tests/reports/junit.xsd with xmllint (Debian's libxml2-utils), and its
counts match its testcases; an engine run that corrupted packets fails."""
import json
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET

import rtest as t

t.require_binary()
xmllint = shutil.which("xmllint")
if not xmllint:
    t.skip("xmllint is missing (Debian package libxml2-utils; ci/setup --test installs it)")
xsd = os.path.join(t.HERE, "junit.xsd")
work = t.private_dir()
try:
    with open(t.fixture("vm-6.18.json")) as f:
        doc = json.load(f)
    for p in doc["probes"][:5]:
        p.update(status="skipped", reason="not run: <no netns> & \"quotes\" \u00e9 \x01 control")
    for status in ("supported", "unsupported", "blocked", "skipped", "error"):
        doc["summary"][status] = sum(1 for p in doc["probes"] if p["status"] == status)
    skippy = os.path.join(work, "skippy.json")
    with open(skippy, "w") as f:
        json.dump(doc, f)
    # skipped: what the run could not tell (blocked, skipped, a CVE probe
    # without proof of reach); --strict adds no failure for any of them nor
    # for an unsupported probe: only what needs attention fails.
    runs = [
        ("default", [t.fixture("vm-6.18.json")], 0, 1),
        ("require", [t.fixture("vm-6.18.json"), "--require", "zerocopy.*,splice.*"], 7, 1),
        ("strict", [t.fixture("ci-runner-6.1.json"), "--strict"], None, None),
        ("skipped", [skippy], 0, 5),
        ("skipped-strict", [skippy, "--strict"], None, None),
    ]
    for name, args, failures, skipped in runs:
        out = os.path.join(work, f"{name}.xml")
        r = t.zcreport(["render"] + args + ["--format", "junit", "-o", out])
        t.check(r.returncode in (0, 1), f"{name}: rendered (exit {r.returncode}: {r.stderr.decode()[:200]})")
        v = subprocess.run([xmllint, "--noout", "--schema", xsd, out], capture_output=True, text=True)
        t.check(v.returncode == 0, f"{name}: valid against junit.xsd: {v.stderr.strip()[:400]}")
        root = ET.parse(out).getroot()
        suite = root.find("testsuite")
        cases = suite.findall("testcase")
        n_fail = sum(1 for c in cases if c.find("failure") is not None)
        n_skip = sum(1 for c in cases if c.find("skipped") is not None)
        t.check(int(suite.get("tests")) == len(cases) == 65, f"{name}: tests={suite.get('tests')} = {len(cases)} testcases")
        t.check(int(suite.get("failures")) == n_fail, f"{name}: failures attribute matches ({n_fail})")
        t.check(int(suite.get("skipped")) == n_skip, f"{name}: skipped attribute matches ({n_skip})")
        if failures is not None:
            t.check(n_fail == failures, f"{name}: {failures} failures (got {n_fail})")
        else:
            # The rules of reports/verdict_view.hpp, written again: an error
            # or an affected CVE fails; blocked, skipped and a CVE probe
            # without evidence.reached true are skipped.
            probes = json.load(open(args[0]))["probes"]
            def affected(p):
                return p["id"].startswith("security.cve_") and p["status"] == "unsupported" and \
                    p["evidence"].get("vulnerable") is True
            def undetermined_cve(p):
                return p["id"].startswith("security.cve_") and p["status"] == "supported" and \
                    p["evidence"].get("reached") is not True
            want_fail = sum(1 for p in probes if p["status"] == "error" or affected(p))
            want_skip = sum(1 for p in probes if p["status"] in ("blocked", "skipped") or undetermined_cve(p))
            t.check(n_fail == want_fail, f"{name}: strict fails what needs attention only ({want_fail}, got {n_fail})")
            t.check(n_skip == want_skip, f"{name}: {want_skip} skipped (got {n_skip})")
        if skipped is not None:
            t.check(n_skip == skipped, f"{name}: {skipped} skipped (got {n_skip})")
    # An engine report: a second suite, one testcase per run (mode, kind,
    # size). A run that corrupted packets fails; the unavailable one skips.
    with open(t.fixture("engine", "vm-6.18-engine.json")) as f:
        eng = json.load(f)
    bad_run = eng["engine"][3]
    bad_run.update(status="unclean", corrupted=5, verified=bad_run["verified"] - 5,
                   reason="0 lost, 5 corrupted, 0 duplicated of 100000 sent in the last run")
    corrupt = os.path.join(work, "corrupt-engine.json")
    with open(corrupt, "w") as f:
        json.dump(eng, f)
    for name, source, want_fail in [("engine", t.fixture("engine", "vm-6.18-engine.json"), 0),
                                    ("engine-corrupted", corrupt, 1)]:
        out = os.path.join(work, f"{name}.xml")
        r = t.zcreport(["render", source, "--format", "junit", "-o", out])
        t.check(r.returncode == 0, f"{name}: rendered (exit {r.returncode}: {r.stderr.decode()[:200]})")
        v = subprocess.run([xmllint, "--noout", "--schema", xsd, out], capture_output=True, text=True)
        t.check(v.returncode == 0, f"{name}: valid against junit.xsd: {v.stderr.strip()[:400]}")
        root = ET.parse(out).getroot()
        suites = root.findall("testsuite")
        t.check([s.get("name").split()[0] for s in suites] == ["zcprobe", "zcengine"],
                f"{name}: a probe suite and an engine suite")
        engine = suites[-1]
        cases = engine.findall("testcase")
        failed = [c for c in cases if c.find("failure") is not None]
        skipped_cases = [c for c in cases if c.find("skipped") is not None]
        t.check(len(cases) == len(eng["engine"]) == int(engine.get("tests")),
                f"{name}: one testcase per engine run ({len(cases)})")
        t.check(len(failed) == int(engine.get("failures")) == want_fail, f"{name}: {want_fail} failing run(s)")
        t.check([(c.get("classname"), c.get("name")) for c in skipped_cases] == [("zcengine.msg-zerocopy", "msg-zerocopy udp4 64 B")],
                f"{name}: the unavailable run is skipped")
        t.check(int(root.get("failures")) == sum(int(s.get("failures")) for s in suites),
                f"{name}: testsuites counts every suite")
        if want_fail and failed:
            c = failed[0]
            t.check((c.get("classname"), c.get("name")) == (f"zcengine.{bad_run['mode']}",
                                                            f"{bad_run['mode']} {bad_run['kind']} {bad_run['size']} B"),
                    f"{name}: the corrupted run is the failing testcase")
            t.check("5 corrupted" in c.find("failure").get("message"), f"{name}: the failure counts the corruption")

    # The checker must be able to fail: a testcase without a name is rejected.
    bad = os.path.join(work, "bad.xml")
    with open(os.path.join(work, "default.xml")) as f:
        text = f.read()
    with open(bad, "w") as f:
        f.write(text.replace('name="pipe.vmsplice"', "", 1))
    v = subprocess.run([xmllint, "--noout", "--schema", xsd, bad], capture_output=True, text=True)
    t.check(v.returncode != 0, "junit.xsd rejects a testcase without a name")
finally:
    t.cleanup(work)
t.finish()
