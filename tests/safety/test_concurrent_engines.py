"""Four zcengine --host-netns --modes all runs side by side in one network
namespace all end clean, three times over. Raw and packet receivers see
every packet of their protocol in the namespace; the engine's receivers
drop other runs' packets in the kernel (engine/receive_filter.hpp), as the
probes' do, so a neighbour's flood never fills their queue (before, runs
lost packets to rxq_ovfl and ended unclean, exit 1). Runs inside a network
namespace this test makes (unshare -n), never the host's."""
import json
import os
import shutil
import subprocess
import time

import safetytest as st

st.require_tools()
if os.geteuid() != 0:
    st.skip("needs root to make a private network namespace (unshare -n)")
if not shutil.which("unshare") or not shutil.which("ip"):
    st.skip("unshare(1) or ip(8) is missing")
if subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode != 0:
    st.skip("unshare -n is not possible here")

ROUNDS, RUNS, COUNT = 3, 4, 60000
d = st.scratch_dir()
script = os.path.join(d, "scenario.sh")
with open(script, "w") as f:
    f.write(f"""ip link set lo up
cd {d}
for r in $(seq 1 {ROUNDS}); do
  for i in $(seq 1 {RUNS}); do
    "{st.ZCENGINE}" --host-netns --modes all --count {COUNT} --time-limit 40s --json > e.$r.$i.json 2> e.$r.$i.err &
  done
  wait
done
""")
t0 = time.monotonic()
r = st.run(["unshare", "-n", "sh", script], timeout=170)
print(f"{ROUNDS} rounds of {RUNS} engines took {time.monotonic() - t0:.1f} s")
st.check(r.returncode == 0, f"scenario failed (exit {r.returncode}): {r.stderr.strip()[-300:]}")
for rnd in range(1, ROUNDS + 1):
    for i in range(1, RUNS + 1):
        name = os.path.join(d, f"e.{rnd}.{i}")
        try:
            with open(name + ".json") as f:
                doc = json.load(f)
        except (OSError, ValueError) as e:
            st.check(False, f"round {rnd} engine {i}: no report ({e}): {open(name + '.err').read()[-300:]!r}")
            continue
        for e in doc["engine"]:
            if e["status"] in ("skipped", "unavailable"):
                continue
            lost = [run["lost"] for run in e.get("runs", [])]
            st.check(e["status"] == "ok", f"round {rnd} engine {i} {e['mode']}/{e['kind']}: {e['status']}, "
                                          f"lost {lost}: {str(e.get('reason'))[:200]}")
st.finish()
