"""--host-netns sends and receives in the caller's namespace and creates
nothing there: no link, address, neighbour, route or xfrm state, whether the
run ends or is interrupted (SIGTERM shortly after start).

The test makes its own namespace (unshare -n), so that one plays the
caller's; the tools run in it without CAP_SYS_ADMIN (capsh --drop), as a
service holding only CAP_NET_ADMIN/CAP_NET_RAW would, so they cannot make a
private namespace of their own. `ip monitor` records every link, address,
neighbour and route change while they run, and the namespace is compared
before and after."""
import os
import shutil
import subprocess
import time

import safetytest as st

st.require_tools()
if os.geteuid() != 0:
    st.skip("needs root to make a private network namespace (unshare -n)")
for tool in ("unshare", "ip", "capsh"):
    if not shutil.which(tool):
        st.skip(f"{tool} is missing")
if subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode != 0:
    st.skip("unshare -n is not possible here")

d = st.scratch_dir()
ENGINE_MODES = "--modes all --count 2000 --sizes 1400 --time-limit 20s"
INTERRUPT_AFTER = ("0.03", "0.1", "0.3", "0.8")
script = os.path.join(d, "scenario.sh")
with open(script, "w") as f:
    f.write(f"""
cd {d}
ip link set lo up
snap() {{
  {{ ip -d link show; ip addr show; ip neigh show; ip route show table all; ip -6 route show table all
     ip -6 neigh show; ip xfrm state; ip xfrm policy; }} > "$1" 2>&1
}}
# Runs a command without CAP_SYS_ADMIN, as the caller would.
nosys() {{ capsh --drop=cap_sys_admin -- -c "exec $*"; }}
snap before
ip monitor link address neigh route > monitor.log 2>&1 &
mon=$!
ip xfrm monitor > xfrm.log 2>&1 &
xmon=$!
sleep 0.2
n=0
run() {{ n=$((n+1)); nosys "$@" > out.$n 2> err.$n; echo "$n rc=$? $*" >> runs.log; }}
interrupted() {{
  delay=$1; shift; n=$((n+1))
  nosys "$@" > out.$n 2> err.$n &
  pid=$!
  sleep "$delay"; kill -TERM $pid 2>/dev/null; wait $pid
  echo "$n rc=$? after $delay s: $*" >> runs.log
}}
run "{st.ZCENGINE}" --host-netns {ENGINE_MODES}
run "{st.ZCENGINE}" --host-netns --mode msg-zerocopy --kind udp4 --count 2000
run "{st.ZCPROBE}" --host-netns --json
for t in {' '.join(INTERRUPT_AFTER)}; do
  interrupted $t "{st.ZCENGINE}" --host-netns --mode msg-zerocopy --kind udp4 --count 20000
  interrupted $t "{st.ZCENGINE}" --host-netns {ENGINE_MODES}
  interrupted $t "{st.ZCPROBE}" --host-netns --json
done
sleep 0.3
kill $mon $xmon
wait $mon $xmon 2>/dev/null
snap after
""")
t0 = time.monotonic()
r = st.run(["unshare", "-n", "sh", script], timeout=170)
print(f"scenario took {time.monotonic() - t0:.1f} s")
st.check(r.returncode == 0, f"scenario failed (exit {r.returncode}): {r.stderr.strip()[-400:]}")


def read(name):
    try:
        with open(os.path.join(d, name), errors="replace") as f:
            return f.read()
    except OSError as e:
        return f"<{e}>"


runs = read("runs.log")
print(runs, end="")
for line in runs.splitlines():
    n, rc = line.split()[0], line.split()[1]
    # 0 clean, 1 unclean (a mode lost packets), 143 interrupted; never a crash.
    st.check(rc in ("rc=0", "rc=1", "rc=143"), f"run {n}: {line}: {read('err.' + n).strip()[-300:]!r}")
# A run that was not interrupted must not have been refused for want of a
# namespace: that would test nothing.
for n in ("1", "2", "3"):
    st.check(read(f"out.{n}").strip() != "", f"run {n} printed no report: {read('err.' + n).strip()[-300:]!r}")
before, after = read("before"), read("after")
st.check(before == after, "the namespace changed:\n--- before\n" + before + "--- after\n" + after)
events = read("monitor.log").strip()
st.check(events == "", "links, addresses, neighbours or routes were changed during the runs:\n" + events[:1500])
xfrm = read("xfrm.log").strip()
st.check(xfrm == "", "xfrm state or policy was changed during the runs:\n" + xfrm[:800])
# The gating probe says why its veth leg did not run.
out2 = read("out.3")
st.check("links are created only in a namespace the tool made" in out2,
         "zcprobe's JSON does not say why the veth legs were skipped")
st.finish()
