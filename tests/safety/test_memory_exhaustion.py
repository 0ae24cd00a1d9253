"""Memory exhaustion is exit 3 with one line naming what ran out, in every
tool; never an abort (nlohmann::json's destructor allocates, and a second
bad_alloc while the first unwinds used to end in std::terminate).

zcreport validate and matrix read a large valid report (52,000 probes,
15.6 MB) under address-space limits (prlimit --as) from too small to
enough; zcengine and zcprobe run under small limits. Each run must end with
0 (enough memory) or 3 and exactly one line on stderr that says what ran
out."""
import copy
import json
import os
import shutil
from collections import Counter

import safetytest as st

st.require_tools()
if not shutil.which("prlimit"):
    st.skip("prlimit(1) is missing")

d = st.scratch_dir()
with open(os.path.join(st.FIXTURES, "vm-6.18.json")) as f:
    doc = json.load(f)
small = copy.deepcopy(min(doc["probes"], key=lambda p: len(json.dumps(p))))
small.update(history=[], reason="r", title="t")
probes = []
for i in range(52000):
    p = copy.deepcopy(small)
    p["id"] = f"io_uring.s{i}"
    probes.append(p)
doc["probes"] = probes
by_status = Counter(p["status"] for p in probes)
doc["summary"] = {k: (len(probes) if k == "total" else by_status.get(k, 0)) for k in doc["summary"]}
big = os.path.join(d, "big.json")
with open(big, "w") as f:
    json.dump(doc, f, separators=(",", ":"))
print(f"report: {os.path.getsize(big)} bytes, {len(probes)} probes")

r = st.run([st.ZCREPORT, "validate", big])
st.check(r.returncode == 0, f"the large report does not validate without a limit: {r.stderr.strip()[:300]}")

WORDS = ("out of memory", "cannot start")


def limited(limit, argv, label):
    r = st.run(["prlimit", f"--as={limit}"] + argv, timeout=120)
    lines = r.stderr.splitlines()
    if r.returncode == 3:
        st.check(len(lines) == 1 and any(w in lines[0] for w in WORDS),
                 f"{label} --as={limit}: exit 3 but stderr is not one line naming what ran out: {r.stderr[-400:]!r}")
    else:
        st.check(r.returncode in (0, 1), f"{label} --as={limit}: exit {r.returncode}; stderr {r.stderr[-400:]!r}")
    print(f"{label} --as={limit}: exit {r.returncode} {lines[-1][:120] if lines else ''}")
    return r.returncode


codes = []
for limit in (40_000_000, 60_000_000, 80_000_000, 100_000_000, 125_000_000, 150_000_000, 175_000_000):
    codes.append(limited(limit, [st.ZCREPORT, "validate", big], "zcreport validate"))
for limit in (150_000_000, 200_000_000, 250_000_000):
    codes.append(limited(limit, [st.ZCREPORT, "matrix", big, big], "zcreport matrix"))
st.check(3 in codes, "no zcreport run ran out of memory: the limits test nothing")

engine = []
for limit in (16_777_216, 33_554_432, 50_331_648):
    engine.append(limited(limit, [st.ZCENGINE, "--count", "2000"], "zcengine"))
st.check(3 in engine, "no zcengine run ran out of memory: the limits test nothing")
for limit in (16_777_216, 33_554_432):
    limited(limit, [st.ZCPROBE, "--only", "pipe.*"], "zcprobe")
st.finish()
