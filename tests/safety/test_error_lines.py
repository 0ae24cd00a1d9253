"""Every error line is one line, with control bytes made visible: an
argument, a path or a value that carries ESC, a newline, BEL or a byte that
is not UTF-8 reaches the terminal as \\x1b, \\n, \\x07 or \\xNN, never raw
(a raw ESC can recolour or retitle the terminal; a newline splits the one
line a script reads)."""
import subprocess

import safetytest as st

st.require_tools()
HOSTILE = ["e\x1b[31mX", "a\nb", "t\x1b]0;title\x07", "r\rs", "u\udcff"]  # last: byte 0xff


def check(argv, label):
    r = subprocess.run(argv, capture_output=True, timeout=60)
    err = r.stderr.decode("utf-8", "surrogateescape")
    st.check(r.returncode != 0, f"{label}: exit 0 for a bad argument")
    lines = err.splitlines()
    st.check(len(lines) == 1, f"{label}: {len(lines)} lines on stderr: {err!r}")
    raw = [c for c in err.rstrip("\n") if ord(c) < 0x20 or 0x7f <= ord(c) <= 0x9f or 0xdc80 <= ord(c) <= 0xdcff]
    st.check(not raw, f"{label}: raw control or non-UTF-8 bytes on stderr: {err!r}")


for i, bad in enumerate(HOSTILE):
    check([st.ZCPROBE, "--xdp-device", bad], f"zcprobe --xdp-device #{i}")
    check([st.ZCPROBE, "--only", "x", f"--bo{bad}gus"], f"zcprobe unknown option #{i}")
    check([st.ZCENGINE, "--kind", bad], f"zcengine --kind #{i}")
    check([st.ZCENGINE, "--mode", bad], f"zcengine --mode #{i}")
    check([st.ZCENGINE, "-o", f"/nonexistent/{bad}/x"], f"zcengine -o #{i}")
    check([st.ZCREPORT, "validate", f"no-such-{bad}.json"], f"zcreport validate #{i}")
    check([st.ZCREPORT, "render", f"no-such-{bad}.json"], f"zcreport render #{i}")
    check([st.ZCREPORT, f"cmd{bad}"], f"zcreport command #{i}")
st.finish()
