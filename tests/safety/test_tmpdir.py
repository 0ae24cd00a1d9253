"""TMPDIR is input: where it is not a directory the tool can write to,
zcprobe and zcengine refuse with exit 2 and one line naming TMPDIR and what
is valid, before running anything (README "Safety")."""
import os

import safetytest as t

t.require_tools()
scratch = t.scratch_dir()
a_file = os.path.join(scratch, "file")
with open(a_file, "w") as f:
    f.write("x")
for tool, argv in (("zcprobe", [t.ZCPROBE, "--only", "pipe.tee"]),
                   ("zcengine", [t.ZCENGINE, "--modes", "page", "--count", "20000"])):
    for bad, why in (("/nonexistent", "ENOENT"), (a_file, "is not a directory")):
        r = t.run(argv, env=dict(os.environ, TMPDIR=bad))
        lines = r.stderr.strip().splitlines()
        t.check(r.returncode == 2, f"{tool} with TMPDIR={bad}: exit 2 (got {r.returncode}: {r.stderr.strip()!r})")
        t.check(len(lines) == 1 and f"TMPDIR '{bad}'" in lines[0] and why in lines[0]
                and "set TMPDIR to an existing directory" in lines[0],
                f"{tool} with TMPDIR={bad}: one line naming TMPDIR, why and what is valid (got {r.stderr.strip()!r})")
        t.check(r.stdout == "", f"{tool} with TMPDIR={bad}: no report on stdout")
t.finish()
