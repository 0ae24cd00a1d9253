#!/usr/bin/env python3
"""The man pages (apps/<tool>/<tool>.1.in, built into ZC_BUILD_DIR/man/)
read cleanly through man -l: no roff warning, no mangled marker (CLI11's
"Positionals:", help2man's "Exit codes:"), no hyphenated option (--for‐mat)
at any width, EXIT STATUS once, every section a page needs, the verdict
words, FILES with absolute paths, every EXAMPLES command on a line of its
own exactly as written, a NAME that does not repeat DESCRIPTION, and an
OPTIONS section naming every option of the tool's --help (zcreport:
--help-all), so the page and the code cannot drift.

Env: ZC_BUILD_DIR, ZCPROBE, ZCENGINE, ZCREPORT. Exit 0 pass, 1 fail, 77 skip
(no man: ci/setup --test installs man-db)."""
import gzip
import os
import re
import shutil
import subprocess
import sys
from buildtest import check, finish, help_options

build = os.environ["ZC_BUILD_DIR"]
tools = {name: os.environ[name.upper()] for name in ("zcprobe", "zcengine", "zcreport")}
if not shutil.which("man"):
    print("skip: no man(1); ci/setup --test installs man-db")
    sys.exit(77)


def render(page, width):
    env = {k: v for k, v in os.environ.items() if k not in ("MAN_KEEP_FORMATTING", "MANPAGER", "MANOPT")}
    # -ww: every groff warning; LC_ALL C.UTF-8: a hyphen from hyphenation would show as U+2010.
    env.update(MANWIDTH=str(width), PAGER="cat", MANROFFOPT="-ww", LC_ALL="C.UTF-8")
    r = subprocess.run(["man", "-l", page], capture_output=True, text=True, env=env)
    return r.returncode, r.stdout, r.stderr


def sections(text):
    """Rendered page -> {heading: body}; headings are the unindented lines."""
    out, name = {}, None
    for line in text.splitlines():
        if line and not line[0].isspace() and line.upper() == line and not line.startswith(tuple(t.upper() for t in tools)):
            name = line.strip()
            out.setdefault(name, [])
            out[name + "#count"] = out.get(name + "#count", 0) + 1
        elif name:
            out[name].append(line)
    return out


def help_options_of(*argv):
    return help_options(subprocess.run(list(argv), check=True, capture_output=True, text=True).stdout)


verdicts = {
    "zcprobe": ["supported", "unsupported", "blocked", "skipped", "error", "AFFECTED", "not affected",
                "not determined", "zero-copy", "copy"],
    "zcengine": ["ok", "unclean", "unavailable", "zero-copy", "copy", "not determined"],
    "zcreport": ["supported", "unsupported", "blocked", "skipped", "error", "AFFECTED", "not affected",
                 "not determined", "zero-copy"],
}

for tool, exe in tools.items():
    page = os.path.join(build, "man", tool + ".1.gz")
    if not os.path.exists(page):
        check(False, f"{page} exists")
        continue
    with gzip.open(page, "rt") as f:
        roff = f.read()
    for width in (80, 60, 200):
        rc, text, err = render(page, width)
        check(rc == 0 and not err.strip(), f"{tool}.1 at {width} columns: man -l without a warning {err.strip()[:300]!r}")
        for marker in ("Positionals:", "Exit codes:", "Examples:", "\u2010", "\u00ad"):
            check(marker not in text, f"{tool}.1 at {width} columns: no {marker!r}")
        broken = [l for l in text.splitlines() if re.search(r"\w-$", l.rstrip())]
        check(not broken, f"{tool}.1 at {width} columns: no line ends in a word broken by a hyphen {broken[:3]}")
    rc, text, err = render(page, 80)
    s = sections(text)
    for heading in ("NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "EXIT STATUS", "ENVIRONMENT" if tool != "zcengine" else "ENVIRONMENT",
                    "FILES", "EXAMPLES", "SEE ALSO"):
        check(s.get(heading + "#count") == 1, f"{tool}.1 has {heading} once ({s.get(heading + '#count', 0)})")
    check(text.count("EXIT STATUS") == 1, f"{tool}.1 says EXIT STATUS once")
    name = " ".join(" ".join(s.get("NAME", [])).split())
    description = " ".join(" ".join(s.get("DESCRIPTION", [])).split())
    tagline = name.split(" - ", 1)[-1]
    check(name.startswith(tool + " - ") and tagline and tagline not in description,
          f"{tool}.1 NAME is a tagline that DESCRIPTION does not repeat ({name!r})")
    body = " ".join(text.split())
    for word in verdicts[tool]:
        check(re.search(rf"(^|\W){re.escape(word)}(\W|$)", body) is not None, f"{tool}.1 explains the verdict word {word!r}")
    if tool == "zcprobe":
        for topic in ("AF_XDP", "CVE-2022-0847", "CVE-2026-31431", "CVE-2026-43284", "CVE-2026-46300", "MSG_ZEROCOPY",
                      "SEND_ZC"):
            check(topic in body, f"zcprobe.1 DESCRIPTION covers {topic}")
    files = [l.strip() for l in s.get("FILES", []) if l.startswith("       ") and not l.startswith("              ")]
    paths = [l for l in files if "/" in l.split()[0]] if files else []
    check(paths and all(p.startswith("/") for p in paths), f"{tool}.1 FILES gives absolute paths ({paths})")
    # Examples: each line of a .nf block renders on one line, as written.
    blocks = re.findall(r"^\.nf\n(.*?)^\.fi\n", roff.split(".SH EXAMPLES", 1)[-1], re.S | re.M)
    commands = [l.replace("\\-", "-") for b in blocks for l in b.splitlines()]
    check(len(commands) >= 3, f"{tool}.1 EXAMPLES has at least 3 commands ({len(commands)})")
    lines = {l.strip() for l in "\n".join(s.get("EXAMPLES", [])).splitlines()}
    for c in commands:
        check(c in lines, f"{tool}.1 example renders as written: {c}")
    options_text = "\n".join(s.get("OPTIONS", []))
    want = help_options_of(exe, "--help-all" if tool == "zcreport" else "--help")
    if tool == "zcreport":
        for command in ("render", "matrix", "diff", "validate"):
            want |= help_options_of(exe, command, "--help")
    missing = sorted(o for o in want if not re.search(rf"(^|[\s,]){re.escape(o)}(?![\w-])", options_text, re.M))
    check(not missing, f"{tool}.1 OPTIONS names every --help option (missing: {missing})")

finish()
