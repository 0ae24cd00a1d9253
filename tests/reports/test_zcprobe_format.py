"""zcprobe --format uses the shared renderers: with -o, stdout is the same
bytes zcreport renders (text) from the report zcprobe wrote; -o FILE gets
--format's format; --json is still --format json, and a bad --format is
exit 2 with one line."""
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
    # -o FILE gets --format's format and stdout the table: the file is what
    # zcreport renders from the JSON report of a run, and stdout is
    # zcreport's text of the JSON report of the same run.
    js = os.path.join(work, "r.json")
    r = zcprobe(["-o", js, "--color", "never"])
    t.check(r.returncode == 0, f"-o r.json: exit 0 ({r.stderr.decode()[:200]})")
    rendered = t.zcreport(["render", js, "--color", "never"])
    t.check(rendered.returncode == 0 and rendered.stdout == r.stdout,
            "with -o, zcprobe's stdout equals zcreport render (text) of the report it wrote")
    signature = {"markdown": b"#", "junit": b"<?xml", "prometheus": b"# HELP", "html": b"<!DOCTYPE html>", "json": b"{"}
    ext = {"markdown": "md", "junit": "xml", "prometheus": "prom", "html": "html", "json": "json"}
    for fmt in ["markdown", "junit", "prometheus", "html", "json"]:
        out = os.path.join(work, f"report.{ext[fmt]}")
        r = zcprobe(["--format", fmt, "-o", out, "--color", "never"])
        t.check(r.returncode == 0, f"--format {fmt} -o report.{ext[fmt]}: exit 0 ({r.stderr.decode()[:200]})")
        if r.returncode != 0:
            continue
        with open(out, "rb") as f:
            t.check(f.read().lstrip().startswith(signature[fmt]), f"--format {fmt}: the file is {fmt}")
        t.check(b"summary:" in r.stdout, f"--format {fmt} -o: stdout shows the table")
        plain = zcprobe(["--format", fmt])
        t.check(plain.returncode == 0 and plain.stdout.lstrip().startswith(signature[fmt]),
                f"--format {fmt} without -o: {fmt} on stdout")
    j = zcprobe(["--json"])
    t.check(j.returncode == 0 and json.loads(j.stdout)["schema_version"] == 1, "--json still writes the JSON report")
finally:
    t.cleanup(work)
t.finish()
