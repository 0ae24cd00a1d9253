"""Every file a probe creates is made inside the run's private directory
with O_CREAT|O_EXCL|O_NOFOLLOW|O_CLOEXEC (README "Safety"), so a file or
symlink already at that name is never followed or truncated. Traced with
strace where it is installed; the sources are checked in any case."""
import glob
import os
import re
import shutil
import subprocess

import safetytest as t

t.require_tools()
scratch = t.scratch_dir()

# 1. The sources: no probe or engine file opens with O_CREAT itself; they
#    call create_private_file (core/private_dir.cpp), which holds the flags.
for path in sorted(glob.glob(os.path.join(t.SOURCE_DIR, "probe", "*.cpp")) +
                   glob.glob(os.path.join(t.SOURCE_DIR, "engine", "*.cpp"))):
    with open(path) as f:
        for n, line in enumerate(f, 1):
            code = re.sub(r'"(\\.|[^"\\])*"', '""', line.split("//")[0])  # not in strings or comments
            if "O_CREAT" in code:
                t.check(False, f"{os.path.relpath(path, t.SOURCE_DIR)}:{n} opens with O_CREAT itself, not through "
                               f"create_private_file: {line.strip()}")

# 2. What zcprobe really does: every creating open of the probes that make
#    files, traced across the probe processes.
strace = shutil.which("strace")
if not strace:
    print("note: strace is not installed; the traced check is left out")
else:
    log = os.path.join(scratch, "strace.log")
    tmpdir = os.path.join(scratch, "tmp")
    os.mkdir(tmpdir)
    r = t.run([strace, "-f", "-qq", "-e", "trace=open,openat,openat2,creat,mkdir", "-o", log,
               t.ZCPROBE, "--only", "pipe.splice_from_file,sendfile.*,security.*"],
              env=dict(os.environ, TMPDIR=tmpdir), timeout=120)
    t.check(r.returncode == 0, f"zcprobe under strace exits 0 (got {r.returncode}: {r.stderr.strip()[-300:]})")
    with open(log) as f:
        trace = f.read()
    mkdirs = re.findall(r'mkdir\("([^"]+)", (0\d+)\) = 0', trace)
    private = [(d, mode) for d, mode in mkdirs if os.path.basename(d).startswith("zcprobe.")]
    t.check(len(private) == 1 and private[0][1] == "0700",
            f"one private directory, mode 0700, under TMPDIR (mkdirs: {mkdirs})")
    root = private[0][0] + "/" if private else "\0"
    creates = [(m.group(1), m.group(2)) for m in re.finditer(r'open(?:at)?\((?:AT_FDCWD, )?"([^"]+)", ([A-Z_|]+)', trace)
               if "O_CREAT" in m.group(2)]
    t.check(len(creates) >= 2, f"the probes created their temp files (saw {len(creates)})")
    for path, flags in creates:
        t.check(path.startswith(root) and "/" not in path[len(root):],
                f"{path} is created directly inside the private directory {root}")
        for flag in ("O_EXCL", "O_NOFOLLOW", "O_CLOEXEC"):
            t.check(flag in flags.split("|"), f"{path} is created with {flag} (flags {flags})")
        t.check("O_TRUNC" not in flags, f"{path} is not truncated on open (flags {flags})")
    t.check(os.listdir(tmpdir) == [], f"nothing left in TMPDIR: {os.listdir(tmpdir)}")
t.finish()
