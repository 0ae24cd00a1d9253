#!/usr/bin/env python3
"""cmake/hardening.cmake reaches the tools of an optimised build, dynamic or
static: every compile of ours has -D_FORTIFY_SOURCE=2 with optimisation
(-O2 or -O3) and -fstack-protector-strong; the executables call the checked
variants (__*_chk: fortify took effect, as lintian's
hardening-no-fortify-functions looks for), have a GNU_RELRO segment, and a
dynamic one is bound at start-up (BIND_NOW; lintian's hardening-no-bindnow).
A Debug or sanitizer build has no fortify by design: exit 77.

Env: ZC_BUILD_DIR, ZCPROBE, ZCENGINE, ZCREPORT. Exit 0 pass, 1 fail, 77 skip."""
import json
import os
import re
import subprocess
import sys
from buildtest import check, finish

build = os.environ["ZC_BUILD_DIR"]
tools = {name: os.environ[name.upper()] for name in ("zcprobe", "zcengine", "zcreport")}


cache = open(os.path.join(build, "CMakeCache.txt")).read()
build_type = re.search(r"^CMAKE_BUILD_TYPE:\w+=(.*)$", cache, re.M)
if (build_type and build_type.group(1) == "Debug") or re.search(r"^ZC_SANITIZE:BOOL=ON$", cache, re.M):
    print("skip: a Debug or sanitizer build has no _FORTIFY_SOURCE by design (cmake/hardening.cmake)")
    sys.exit(77)

with open(os.path.join(build, "compile_commands.json")) as f:
    commands = json.load(f)
ours = [c for c in commands if "/tests/" not in c["file"] and "/_deps/" not in c["file"]]
check(len(ours) > 20, f"compile_commands.json lists our sources ({len(ours)})")
bad = [c["file"] for c in ours
       if not ("-D_FORTIFY_SOURCE=2" in c["command"] and re.search(r"\s-O[23s]\b", c["command"])
               and "-fstack-protector-strong" in c["command"])]
check(not bad, f"every compile has -D_FORTIFY_SOURCE=2, -O2/-O3 and -fstack-protector-strong (not: {bad[:3]})")

for tool, exe in tools.items():
    symbols = subprocess.run(["nm", exe], capture_output=True, text=True).stdout + \
        subprocess.run(["nm", "-D", exe], capture_output=True, text=True).stdout
    chk = sorted(set(re.findall(r"\b(__\w+_chk)\b", symbols)))
    check(len(chk) > 0, f"{tool} calls checked functions ({', '.join(chk[:4])}...)")
    headers = subprocess.run(["readelf", "-lW", exe], capture_output=True, text=True).stdout
    check("GNU_RELRO" in headers, f"{tool} has a GNU_RELRO segment")
    dynamic = subprocess.run(["readelf", "-dW", exe], capture_output=True, text=True).stdout
    if "There is no dynamic section" in dynamic or "NEEDED" not in dynamic:
        print(f"note: {tool} is static: no PLT to bind at start-up")
    else:
        check(re.search(r"\(FLAGS\).*\bBIND_NOW\b|\(FLAGS_1\).*\bNOW\b", dynamic) is not None,
              f"{tool} is bound at start-up (BIND_NOW)")

finish()
