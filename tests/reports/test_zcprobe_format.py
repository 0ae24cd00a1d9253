"""zcprobe --format uses the shared renderers: the same bytes zcreport
renders from zcprobe's own JSON (generated_at aside), --json is still
--format json, and a bad --format is exit 2 with one line."""
import json
import os
import subprocess

import rtest as t

t.require_binary()
if not t.ZCPROBE or not os.access(t.ZCPROBE, os.X_OK):
    print(f"FAIL: ZCPROBE={t.ZCPROBE!r} is not an executable; run through ctest")
    raise SystemExit(1)
work = t.private_dir()


def zcprobe(args):
    return subprocess.run([t.ZCPROBE, "--only", "pipe.*"] + args, capture_output=True, timeout=120)


try:
    r = zcprobe(["--format", "nope"])
    t.check(r.returncode == 2 and len(r.stderr.decode().strip().splitlines()) == 1
            and "--format 'nope' is not one of text|json|markdown|junit|prometheus|html" in r.stderr.decode(),
            f"bad --format: exit 2, one line ({r.returncode}: {r.stderr.decode().strip()!r})")
    for fmt in ["markdown", "junit", "prometheus", "html", "json"]:
        out = os.path.join(work, f"{fmt}.json")
        r = zcprobe(["--format", fmt, "-o", out])
        t.check(r.returncode == 0, f"--format {fmt}: exit 0 ({r.stderr.decode()[:200]})")
        if r.returncode != 0:
            continue
        rendered = t.zcreport(["render", out, "--format", fmt])
        t.check(rendered.returncode == 0, f"zcreport renders zcprobe's own report ({rendered.stderr.decode()[:200]})")
        t.check(rendered.stdout == r.stdout, f"--format {fmt}: zcprobe's stdout equals zcreport render of its report")
    j = zcprobe(["--json"])
    t.check(j.returncode == 0 and json.loads(j.stdout)["schema_version"] == 1, "--json still writes the JSON report")
finally:
    t.cleanup(work)
t.finish()
