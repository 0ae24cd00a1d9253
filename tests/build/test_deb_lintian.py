#!/usr/bin/env python3
"""The .deb that `cpack -G DEB` makes from this build directory (no
rebuild) is clean: lintian reports no error and no warning (informational
tags are allowed and printed; every override the package ships is listed
with its reason), and the control fields are what README "Install on a host"
promises: the configured Maintainer, no Homepage (there is none), Version
0.1.0-1, Recommends: bash-completion, an extended description wrapped under
80 columns; changelog.Debian.gz and a copyright file with a notice.

Without a configured maintainer (ZC_PACKAGE_MAINTAINER, DEBFULLNAME and
DEBEMAIL) cpack refuses a .deb; the test then checks that refusal and
builds its throwaway .deb with a stand-in that says what it is
(<package-test@zcprobe.invalid>, a reserved name no mail reaches).

Env: ZC_BUILD_DIR, ZC_PACKAGE_MAINTAINER (as configured, "" for none).
Exit 0 pass, 1 fail, 77 skip (no lintian or dpkg-deb: ci/setup --test)."""
import gzip
import os
import re
import shutil
import subprocess
import sys
import tempfile
from buildtest import check, finish

build = os.environ["ZC_BUILD_DIR"]
maintainer = os.environ.get("ZC_PACKAGE_MAINTAINER", "")
for tool in ("lintian", "dpkg-deb", "cpack"):
    if not shutil.which(tool):
        print(f"skip: no {tool}; ci/setup --test installs it")
        sys.exit(77)


with tempfile.TemporaryDirectory(prefix="zcprobe-deb.") as tmp:
    config = os.path.join(build, "CPackConfig.cmake")
    args = ["cpack", "-G", "DEB", "-B", tmp, "--config", config]
    if not maintainer:
        r = subprocess.run(args, capture_output=True, text=True)
        check(r.returncode != 0 and "ZC_PACKAGE_MAINTAINER" in r.stdout + r.stderr,
              "without a maintainer, cpack -G DEB refuses and says how to set one")
        maintainer = "zcprobe package test <package-test@zcprobe.invalid>"
        args += ["-D", f"CPACK_DEBIAN_PACKAGE_MAINTAINER={maintainer}"]
        print(f"note: no maintainer configured; this throwaway .deb uses {maintainer!r}")
    r = subprocess.run(args, capture_output=True, text=True)
    debs = [n for n in os.listdir(tmp) if n.endswith(".deb")]
    check(r.returncode == 0 and len(debs) == 1, f"cpack -G DEB makes one .deb {(r.stdout + r.stderr).strip()[-300:]}")
    if not debs:
        sys.exit(1)
    deb = os.path.join(tmp, debs[0])
    check(re.fullmatch(r"zcprobe_\d+\.\d+\.\d+-1_\w+\.deb", debs[0]) is not None, f"file name {debs[0]}")

    control = subprocess.run(["dpkg-deb", "-f", deb], capture_output=True, text=True, check=True).stdout
    fields = dict(re.findall(r"^([\w-]+): (.*)$", control, re.M))
    check(fields.get("Maintainer") == maintainer, f"Maintainer is the configured one ({fields.get('Maintainer')!r})")
    check("Homepage" not in fields, "no Homepage field (the project has none)")
    check(re.fullmatch(r"\d+\.\d+\.\d+-1", fields.get("Version", "")) is not None, f"Version {fields.get('Version')}")
    check(fields.get("Recommends") == "bash-completion", f"Recommends: bash-completion ({fields.get('Recommends')!r})")
    description = control.split("Description:", 1)[1].splitlines()
    extended = [l for l in description[1:] if l.startswith(" ")]
    check(len(extended) >= 3 and all(len(l) < 80 for l in extended),
          f"extended description wrapped: {len(extended)} lines, longest {max((len(l) for l in extended), default=0)}")

    listing = subprocess.run(["dpkg-deb", "-c", deb], capture_output=True, text=True, check=True).stdout
    check("./usr/share/doc/zcprobe/changelog.Debian.gz" in listing, "ships usr/share/doc/zcprobe/changelog.Debian.gz")
    unpacked = os.path.join(tmp, "root")
    subprocess.run(["dpkg-deb", "-x", deb, unpacked], check=True)
    doc = os.path.join(unpacked, "usr/share/doc/zcprobe")
    if os.path.exists(os.path.join(doc, "changelog.Debian.gz")):
        with gzip.open(os.path.join(doc, "changelog.Debian.gz"), "rt") as f:
            first = f.readline()
        check(first.startswith(f"zcprobe ({fields.get('Version')}) "), f"changelog's top entry is this version: {first.strip()}")
    with open(os.path.join(doc, "copyright")) as f:
        check(re.search(r"^Copyright: \d{4} ", f.read(), re.M) is not None, "copyright has a notice with a year")
    overrides = os.path.join(unpacked, "usr/share/lintian/overrides/zcprobe")
    if os.path.exists(overrides):
        with open(overrides) as f:
            text = f.read()
        lines = text.splitlines()
        tags = [(i, l) for i, l in enumerate(lines) if l and not l.startswith("#")]
        allowed = ("zcprobe: initial-upload-closes-no-bugs", "zcprobe: statically-linked-binary [usr/bin/")
        check(all(l.startswith(allowed) for _, l in tags), f"only the overrides README names ({[l for _, l in tags]})")
        check(all(i > 0 and lines[i - 1].startswith("# ") for i, _ in tags), "every override has its reason above it")
        static = "statically-linked-binary" in text
        with open(os.path.join(build, "CMakeCache.txt")) as f:
            check(static == ("ZC_STATIC:BOOL=ON" in f.read()), "statically-linked-binary is overridden in a static build only")
        print("overrides shipped:\n  " + "\n  ".join(text.splitlines()))

    # --display-info --pedantic: I: and P: tags are printed and do not fail.
    # Exit 2: a tag at --fail-on's level; 1: lintian itself failed.
    r = subprocess.run(["lintian", "--display-info", "--pedantic", "--show-overrides", "--color", "never",
                        "--fail-on", "error,warning", deb], capture_output=True, text=True, timeout=600, cwd=tmp)
    tags = [l for l in r.stdout.splitlines() if re.match(r"^[EWIPXO]: ", l)]
    print("lintian:\n  " + "\n  ".join(tags or ["(no tags)"]))
    errors = [t for t in tags if t.startswith("E: ")]
    warnings = [t for t in tags if t.startswith("W: ")]
    check(r.returncode in (0, 2), f"lintian ran (exit {r.returncode}) {r.stderr.strip()[-300:]}")
    # Its own verdict too (without --show-overrides, which counts overridden tags).
    v = subprocess.run(["lintian", "--pedantic", "--fail-on", "error,warning", deb], capture_output=True, text=True,
                       timeout=600, cwd=tmp)
    check(v.returncode == 0, f"lintian --fail-on error,warning exits 0 ({v.returncode})")
    check(not errors, f"lintian: 0 errors ({len(errors)})")
    check(not warnings, f"lintian: 0 warnings ({len(warnings)})")

finish()
