"""JUnit output (default, --require, --strict, a skipped-heavy report and
one with hostile text) validates against tests/reports/junit.xsd with
xmllint (Debian's libxml2-utils), and its counts match its testcases."""
import json
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET

import rtest as t

t.require_binary()
xmllint = shutil.which("xmllint")
if not xmllint:
    t.skip("xmllint is missing (Debian package libxml2-utils; ci/setup installs it)")
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
    runs = [
        ("default", [t.fixture("vm-6.18.json")], 0, 0),
        ("require", [t.fixture("vm-6.18.json"), "--require", "zerocopy.*,splice.*"], 7, 0),
        ("strict", [t.fixture("ci-runner-6.1.json"), "--strict"], None, 0),
        ("skipped", [skippy], 0, 5),
        ("skipped-strict", [skippy, "--strict"], None, 0),
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
            statuses = [p["status"] for p in json.load(open(args[0]))["probes"]]
            t.check(n_fail == sum(1 for s in statuses if s != "supported"), f"{name}: strict fails every non-supported")
        t.check(n_skip == skipped, f"{name}: {skipped} skipped (got {n_skip})")
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
