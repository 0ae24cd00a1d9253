"""Reports from strangers: malformed, truncated, huge, deeply nested, invalid
UTF-8, wrong types, a future schema_version, not a file. Each gives one
clear line on stderr and exit 2 from render, matrix and diff, nothing on
stdout and no output file; validate gives exit 2 and names the problem."""
import json
import os

import rtest as t

t.require_binary()
work = t.private_dir()
try:
    with open(t.fixture("vm-6.18.json"), "rb") as f:
        good_bytes = f.read()
    good = json.loads(good_bytes)

    def write(name, data):
        path = os.path.join(work, name)
        with open(path, "wb") as f:
            f.write(data if isinstance(data, bytes) else data.encode())
        return path

    future = dict(good, schema_version=2)
    wrong = json.loads(good_bytes)
    wrong["probes"][0]["status"] = 1
    cases = [
        (write("truncated.json", good_bytes[: len(good_bytes) // 2]), "not valid JSON"),
        (write("empty.json", b""), "empty file"),
        (write("garbage.json", b"\x00\x01binary"), "not valid JSON"),
        (write("latin1.json", good_bytes.replace(b'"vm"', b'"v\xe9"')), "not valid UTF-8 at byte offset"),
        (write("deep.json", b"[" * 100000 + b"]" * 100000), "nested deeper than 64 levels"),
        (write("huge.json", b" " * (16 * 1024 * 1024 + 1)), "larger than the limit of 16777216 bytes (16 MiB)"),
        (write("future.json", json.dumps(future)), "/schema_version: 2 is not supported; this zcreport reads 1..1"),
        (write("array.json", "[]"), "expected a JSON object"),
        (write("wrongtype.json", json.dumps(wrong)), "/probes/0/status: expected one of"),
        (os.path.join(work, "missing.json"), "cannot open: No such file or directory"),
        (work, "is a directory"),
    ]
    out = os.path.join(work, "out.md")
    fine = t.fixture("vm-6.18.json")
    for path, expected in cases:
        name = os.path.basename(path)
        for args in (["render", path, "--format", "markdown", "-o", out],
                     ["matrix", fine, path, "--format", "markdown", "-o", out],
                     ["diff", fine, path, "--format", "markdown", "-o", out],
                     ["render", path, "--format", "junit"]):
            r = t.zcreport(args)
            err = r.stderr.decode(errors="replace")
            lines = [l for l in err.splitlines() if l.strip()]
            t.check(r.returncode == 2, f"{name} {args[0]}: exit 2 (got {r.returncode}; {err.strip()[:200]})")
            t.check(len(lines) == 1, f"{name} {args[0]}: one line on stderr (got {len(lines)})")
            t.check(expected in err, f"{name} {args[0]}: stderr names the problem ({expected!r} in {err.strip()[:200]!r})")
            t.check(r.stdout == b"", f"{name} {args[0]}: nothing on stdout")
            t.check(not os.path.exists(out), f"{name} {args[0]}: no output file")
        r = t.zcreport(["validate", path])
        t.check(r.returncode == 2 and expected in r.stderr.decode(errors="replace"),
                f"{name} validate: exit 2 naming the problem (got {r.returncode}: {r.stderr.decode()[:200]})")

    usage = [
        (["render", fine, "--format", "yaml"], "--format 'yaml' is not one of"),
        (["matrix", fine, "--format", "pdf"], "--format 'pdf' is not one of text|markdown|json|html"),
        (["diff", fine], "b is required"),
        (["render", fine, "--require", "nosuch.*"], "--require 'nosuch.*' matches no probe id"),
        (["render", fine, "-o", "/nonexistent-dir/x.md"], "/nonexistent-dir"),
        (["bogus"], "'bogus' is not a command; commands: validate, render, matrix, diff"),
        ([], "subcommand"),
    ]
    for args, expected in usage:
        r = t.zcreport(args)
        err = r.stderr.decode()
        t.check(r.returncode == 2, f"{args}: exit 2 (got {r.returncode})")
        t.check(len(err.strip().splitlines()) == 1, f"{args}: one line on stderr ({err.strip()!r})")
        t.check(expected in err, f"{args}: names the problem ({expected!r} in {err.strip()!r})")
    t.check(not os.path.exists(out), "no output file left")
    leftovers = [f for f in os.listdir(work) if f.startswith(".") or "tmp" in f]
    t.check(leftovers == [], f"no temp files left: {leftovers}")

    h = t.zcreport(["--help"])
    help_text = h.stdout.decode()
    t.check(h.returncode == 0 and "Exit codes: 0 ok; 1" in help_text and "3 internal error" in help_text,
            "--help documents the exit codes")
finally:
    t.cleanup(work)
t.finish()
