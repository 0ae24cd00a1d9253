"""A report means one thing to every reader: zcreport refuses (exit 2, one
line per file) a NUL or any bytes after the JSON value, a key given twice in
any object, and a float where the schema says integer (2000.0), for every
command that reads reports. What validates renders exactly as it reads."""
import json
import os
import re

import safetytest as st

st.require_tools()
d = st.scratch_dir()
with open(os.path.join(st.FIXTURES, "vm-6.18.json"), "rb") as f:
    probe_text = f.read()
with open(os.path.join(st.FIXTURES, "engine", "vm-6.18-engine.json"), "rb") as f:
    engine_text = f.read()
first_status = re.search(rb'"status": "[a-z]+"', probe_text)
assert first_status, "fixture has no status"
engine_doc = json.loads(engine_text)
engine_doc["engine"][0]["sent"] = 2000
float_sent = json.dumps(engine_doc, indent=1).replace('"sent": 2000,', '"sent": 2000.0,', 1).encode()
assert b'"sent": 2000.0' in float_sent

CASES = {
    "nul_then_garbage": probe_text + b"\0garbage{{{",
    "prefix_then_nul": b'{"a":1}\0' + probe_text,
    "trailing_bytes": probe_text + b" x",
    "second_value": probe_text + b"{}",
    "duplicate_schema_version": probe_text.replace(b"{", b'{"schema_version": 2,', 1),
    "duplicate_status": probe_text[:first_status.end()] + b", " + first_status.group(0).replace(b'"supported"', b'"error"')
    + probe_text[first_status.end():],
    "float_count": float_sent,
    "fractional_count": float_sent.replace(b'"sent": 2000.0', b'"sent": 2000.5'),
    "exponent_count": float_sent.replace(b'"sent": 2000.0', b'"sent": 2e3'),
}
for name, text in CASES.items():
    path = os.path.join(d, name + ".json")
    with open(path, "wb") as f:
        f.write(text)
    for argv in (["validate", path], ["render", "--format", "text", path], ["matrix", path], ["diff", path, path]):
        r = st.run([st.ZCREPORT] + argv)
        lines = r.stderr.splitlines()
        st.check(r.returncode == 2 and len(lines) == 1 and not r.stdout,
                 f"zcreport {argv[0]} {name}: exit {r.returncode}, stdout {len(r.stdout)} bytes, "
                 f"stderr {r.stderr[-300:]!r}; expected exit 2 and one line")

# The originals still validate, and the engine counts render as written.
for name, text in (("probe", probe_text), ("engine", engine_text)):
    path = os.path.join(d, name + "-ok.json")
    with open(path, "wb") as f:
        f.write(text)
    r = st.run([st.ZCREPORT, "validate", path])
    st.check(r.returncode == 0, f"unchanged {name} fixture: exit {r.returncode} {r.stderr.strip()[:200]}")
st.finish()
