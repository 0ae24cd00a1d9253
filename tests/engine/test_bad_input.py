"""Bad input: one line on stderr naming what was wrong, exit 2, nothing
hangs and no output file is written."""
import os
import tempfile

import zcengine_test as ze
from zctest import check, finish

ze.require_binary()
d = tempfile.mkdtemp(prefix="zcengine-bad.")
out = os.path.join(d, "report.json")
cases = [
    (["--mode", "nope"], "unknown mode"),
    (["--modes", "page,zzz"], "unknown mode"),
    (["--kind", "tcp9"], "unknown socket kind"),
    (["--sizes", "10"], "below"),
    (["--sizes", "70000", "--mode", "sendto"], "above"),
    (["--mode", "page", "--sizes", "9000"], "above"),
    (["--mode", "udp-gso-splice", "--kind", "raw4"], "allows udp4"),
    (["--count", "0"], "--count"),
    (["--reuse", "sometimes"], "--reuse"),
    (["--layout", "zigzag"], "--layout"),
    (["--format", "xml"], "--format 'xml' is not one of"),
    (["--time-limit", "2h"], "--time-limit"),
    (["--bogus-flag"], "bogus"),
    (["--mode", "page", "--count", "10", "-o", "/nonexistent-dir/x.json"], "nonexistent"),
]
for args, expect in cases:
    target = out if "-o" not in args else None
    full = args + (["-o", target] if target else [])
    r = ze.run(full, timeout=30)
    lines = [l for l in r.stderr.splitlines() if l.strip()]
    check(r.returncode == 2, f"{args}: exit {r.returncode}, expected 2")
    check(len(lines) == 1, f"{args}: {len(lines)} stderr lines: {r.stderr!r}")
    check(expect in r.stderr, f"{args}: stderr lacks {expect!r}: {r.stderr!r}")
    check(not os.path.exists(out), f"{args}: wrote {out}")
    check(r.stdout == "", f"{args}: wrote to stdout: {r.stdout[:200]!r}")
os.rmdir(d)
finish()
