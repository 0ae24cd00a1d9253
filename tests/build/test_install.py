#!/usr/bin/env python3
"""What `cmake --install` and `cpack -G TGZ` ship (no rebuild: the build
directory as it is): bin/ holds zcprobe, zcengine and zcreport (not
zcengine_bare), each answering --version; a gzip'd man page per tool with
NAME, SYNOPSIS, OPTIONS, EXIT STATUS and EXAMPLES that man(1) renders; the
report schema (the one compiled in, $id urn:zcprobe:report-schema:1); bash
completion for the three tools; LICENSE and Debian's copyright.

Env: ZC_BUILD_DIR, ZC_SOURCE_DIR. Exit 0 pass, 1 fail."""
import gzip
import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from buildtest import check, finish

build = os.environ["ZC_BUILD_DIR"]
src = os.environ["ZC_SOURCE_DIR"]
tools = ("zcprobe", "zcengine", "zcreport")


def expected_tree():
    files = {f"bin/{t}" for t in tools}
    files |= {f"share/man/man1/{t}.1.gz" for t in tools}
    files |= {f"share/bash-completion/completions/{t}" for t in tools}
    files |= {"share/zcprobe/zcprobe-report.schema.json", "share/doc/zcprobe/LICENSE", "share/doc/zcprobe/copyright"}
    files |= {"share/zcprobe/prometheus/zcprobe.rules.yml"}
    return files


def tree_of(root):
    out = set()
    for d, _, names in os.walk(root):
        out |= {os.path.relpath(os.path.join(d, n), root) for n in names}
    return out


with tempfile.TemporaryDirectory() as tmp:
    prefix = os.path.join(tmp, "usr")
    r = subprocess.run(["cmake", "--install", build, "--prefix", prefix], capture_output=True, text=True)
    check(r.returncode == 0, f"cmake --install succeeds {r.stderr.strip()[:300]}")
    check(tree_of(prefix) == expected_tree(),
          f"installed tree is exactly the expected one (extra: {sorted(tree_of(prefix) - expected_tree())}; "
          f"missing: {sorted(expected_tree() - tree_of(prefix))})")

    for t in tools:
        exe = os.path.join(prefix, "bin", t)
        if not os.path.exists(exe):
            continue
        v = subprocess.run([exe, "--version"], capture_output=True, text=True)
        check(v.returncode == 0 and re.fullmatch(rf"{t} \d+\.\d+\.\d+ \(git ([0-9a-f]{{7,40}}(, dirty)?|unknown)\)\n", v.stdout),
              f"installed {t} --version: {v.stdout.strip()!r}")

        page = os.path.join(prefix, "share/man/man1", t + ".1.gz")
        if not os.path.exists(page):
            continue
        with gzip.open(page, "rt") as f:
            roff = f.read()
        for section in ("NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "EXIT STATUS", "EXAMPLES", "SEE ALSO"):
            check(re.search(rf'^\.SH "?{section}"?$', roff, re.M) is not None, f"{t}.1 has a {section} section")
        check(re.search(rf"^\.TH {t.upper()} \"?1\"?", roff, re.M) is not None, f"{t}.1 is a section 1 page")
        for code in ("0", "1", "2", "3", "128+N"):
            check(f"\n.B {code}\n" in re.split(r'\.SH "?EXIT STATUS"?\n', roff, maxsplit=1)[-1].split(".SH", 1)[0],
                  f"{t}.1 EXIT STATUS lists {code}")
        if shutil.which("man"):
            m = subprocess.run(["man", "-l", page], capture_output=True, text=True,
                               env=dict({k: v for k, v in os.environ.items() if k != "MAN_KEEP_FORMATTING"}, MANWIDTH="80", PAGER="cat"))
            check(m.returncode == 0 and "EXIT STATUS" in m.stdout and "EXAMPLES" in m.stdout and not m.stderr.strip(),
                  f"man -l {t}.1.gz renders without a warning {m.stderr.strip()[:200]}")

        comp = os.path.join(prefix, "share/bash-completion/completions", t)
        if os.path.exists(comp):
            b = subprocess.run(["bash", "-n", comp], capture_output=True, text=True)
            check(b.returncode == 0, f"completion {t} is valid bash")
            with open(comp) as f:
                check(f"complete -F _{t} {t}" in f.read(), f"completion {t} registers _{t} for {t}")

    schema_path = os.path.join(prefix, "share/zcprobe/zcprobe-report.schema.json")
    if os.path.exists(schema_path):
        with open(schema_path) as f:
            schema = json.load(f)
        with open(os.path.join(src, "reports/schema/zcprobe-report.schema.json")) as f:
            check(schema == json.load(f) and schema.get("$id") == "urn:zcprobe:report-schema:1",
                  "the installed schema is the tree's, $id urn:zcprobe:report-schema:1")

    # The same tree in the tarball, under one top directory.
    out = os.path.join(tmp, "pkg")
    r = subprocess.run(["cpack", "-G", "TGZ", "-B", out, "--config", os.path.join(build, "CPackConfig.cmake")],
                       capture_output=True, text=True)
    balls = [n for n in os.listdir(out) if n.endswith(".tar.gz")] if os.path.isdir(out) else []
    check(r.returncode == 0 and len(balls) == 1, f"cpack -G TGZ makes one .tar.gz {r.stderr.strip()[:300]}")
    if balls:
        with tarfile.open(os.path.join(out, balls[0])) as tar:
            names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n and tar.getmember(n).isfile()}
        check(names == expected_tree(), f"{balls[0]} holds the installed tree (extra: {sorted(names - expected_tree())}; "
                                        f"missing: {sorted(expected_tree() - names)})")

finish()
