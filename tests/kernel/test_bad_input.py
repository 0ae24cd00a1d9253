"""Bad input: one clear line on stderr, exit 2, and no output file."""
import os

import zctest as t

t.require_binary()
work = t.private_dir()
try:
    out = os.path.join(work, "report.json")
    cases = [
        (["--only", "nosuch.*", "-o", out], "--only pattern 'nosuch.*' matches no probe id"),
        (["--skip", "pipe.nope", "-o", out], "--skip pattern 'pipe.nope' matches no probe id"),
        (["--require", "splice.udp5", "-o", out], "--require id 'splice.udp5' matches no probe id"),
        (["--timeout", "forever", "-o", out], "--timeout 'forever' is not a duration"),
        (["--timeout", "0", "-o", out], "--timeout '0' is not a duration"),
        (["--timeout", "-5s", "-o", out], "--timeout"),
        (["--bogus", "-o", out], "--bogus"),
        (["-o", "/nonexistent-dir/report.json"], "directory /nonexistent-dir is not writable"),
        (["-o", work], "it is a directory"),
        (["--test-fault", "pipe.tee=explode", "-o", out], "must be ID=crash or ID=hang"),
    ]
    for args, expected in cases:
        r = t.run(args)
        lines = [l for l in r.stderr.splitlines() if l.strip()]
        t.check(r.returncode == 2, f"{args}: exit 2 (got {r.returncode})")
        t.check(len(lines) == 1, f"{args}: one line on stderr (got {lines})")
        t.check(expected in r.stderr, f"{args}: stderr names the problem ({expected!r} in {r.stderr.strip()!r})")
        t.check(r.stdout == "", f"{args}: nothing on stdout")
        t.check(not os.path.exists(out), f"{args}: no output file written")
    leftovers = [f for f in os.listdir(work)]
    t.check(leftovers == [], f"no temp files left in the output directory: {leftovers}")
finally:
    t.cleanup(work)
t.finish()
