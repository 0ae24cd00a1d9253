"""A refusal names the cause that applies, checked, not guessed:
- zcengine --host-netns --mode xdp-copy without CAP_SYS_ADMIN says that
  CAP_SYS_ADMIN is what it lacks (its veth pair lives in a namespace of its
  own, and making one needs CAP_SYS_ADMIN), not CAP_NET_RAW/CAP_NET_ADMIN;
- a setns() EPERM inside the user namespace an unprivileged zcprobe runs in
  names the user namespace, not an LSM.
Both run in a network namespace this test makes (unshare -n)."""
import json
import os
import shutil
import subprocess

import safetytest as st

st.require_tools()
if os.geteuid() != 0:
    st.skip("needs root to make a network namespace and to drop to nobody")
for tool in ("unshare", "ip", "capsh", "setpriv"):
    if not shutil.which(tool):
        st.skip(f"{tool} is missing")
if subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode != 0:
    st.skip("unshare -n is not possible here")


def in_netns(cmd):
    return st.run(["unshare", "-n", "sh", "-c", "ip link set lo up; " + cmd], timeout=120)


r = in_netns(f"capsh --drop=cap_sys_admin -- -c 'exec {st.ZCENGINE} --host-netns --mode xdp-copy --count 1000'")
print(f"zcengine xdp-copy without CAP_SYS_ADMIN: exit {r.returncode}: {r.stderr.strip()}")
st.check(r.returncode == 2 and "CAP_SYS_ADMIN" in r.stderr,
         f"the refusal does not name CAP_SYS_ADMIN: exit {r.returncode} {r.stderr.strip()!r}")
st.check("CAP_NET_RAW and CAP_NET_ADMIN" not in r.stderr, f"the refusal blames the wrong capability: {r.stderr!r}")

# setpriv as the kernel tests do (tests/kernel/zctest.py run()): it execs
# the binary before the capabilities go, so a checkout under a directory
# only root may enter (mktemp -d) still works.
r = in_netns("setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "
             f"{st.ZCPROBE} --only 'xdp.zerocopy_bind_device' --xdp-device lo --json")
try:
    probe = json.loads(r.stdout)["probes"][0]
except (ValueError, KeyError, IndexError):
    st.check(False, f"zcprobe as nobody gave no report: exit {r.returncode} {r.stderr.strip()[-300:]!r}")
    st.finish()
print(f"xdp.zerocopy_bind_device as nobody: {probe['status']}: {probe['reason']}")
if probe["status"] == "skipped":
    st.skip(f"nobody cannot make a user namespace here: {probe['reason']}")
if probe["status"] == "blocked" and "setns(" in probe["reason"]:
    st.check("LSM" not in probe["reason"] and "user namespace" in probe["reason"],
             f"a setns() EPERM in our own user namespace is blamed on something else: {probe['reason']!r}")
else:
    st.skip(f"the probe did not reach setns() (status {probe['status']}): {probe['reason']}")
st.finish()
