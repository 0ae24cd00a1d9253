"""--xdp-device: a name that is not a usable link is refused with one line and
exit 2; without the option xdp.zerocopy_bind_device is skipped and says so;
with it naming a veth in the namespace zcprobe starts in (a throwaway
`unshare -n` namespace this test makes, so nothing touches the host's links),
the zero-copy bind is refused with EOPNOTSUPP (veth has no XSK zero-copy),
which shows the socket was made and bound in that namespace."""
import json
import os
import shutil
import subprocess

import zctest as t

t.require_binary()

for bad, what in [("nosuch-zc0", "no such"), ("a/b", "not a network device name"),
                  ("x" * 16, "longer than"), ("", "empty")]:
    r = t.run(["--xdp-device", bad, "--only", "xdp.zerocopy_bind_device"])
    lines = r.stderr.strip().splitlines()
    t.check(r.returncode == 2, f"--xdp-device {bad!r}: exit 2 (got {r.returncode})")
    t.check(len(lines) == 1 and "--xdp-device" in lines[0] and what in lines[0],
            f"--xdp-device {bad!r}: one line naming the option and '{what}' (got {r.stderr!r})")
    t.check(r.stdout == "", f"--xdp-device {bad!r}: no report on stdout")

r = t.run(["--only", "xdp.zerocopy_bind_device", "--json"])
if t.check(r.returncode == 0, f"without --xdp-device: exit 0 (got {r.returncode}: {r.stderr.strip()})"):
    p = t.by_id(json.loads(r.stdout)).get("xdp.zerocopy_bind_device", {})
    t.check(p.get("status") == "skipped" and p.get("reason") == "no --xdp-device given",
            f"without --xdp-device: skipped, 'no --xdp-device given' (got {p.get('status')}: {p.get('reason')})")

if os.geteuid() != 0 or shutil.which("unshare") is None or shutil.which("ip") is None:
    t.skip("the veth part needs root, unshare and ip")
script = ('ip link add zcxd0 type veth peer name zcxd1 && ip link set zcxd1 up && ip link set zcxd0 up && '
          'exec "$0" --only "xdp.*" --xdp-device zcxd0 --json')
r = subprocess.run(["unshare", "-n", "sh", "-c", script, t.ZCPROBE], capture_output=True, text=True, timeout=120)
if not t.check(r.returncode == 0, f"veth in the starting namespace: exit 0 (got {r.returncode}: {r.stderr.strip()})"):
    t.finish()
report = json.loads(r.stdout)
t.validate(report)
probes = t.by_id(report)
if probes.get("xdp.socket", {}).get("status") == "unsupported":
    t.skip(f"this kernel has no AF_XDP: {probes['xdp.socket']['reason']}")
p = probes.get("xdp.zerocopy_bind_device", {})
ev = p.get("evidence", {})
t.check(p.get("status") == "unsupported" and p.get("errno_name") == "EOPNOTSUPP",
        f"zero-copy bind on the veth: unsupported EOPNOTSUPP (got {p.get('status')} {p.get('errno_name')}: "
        f"{p.get('reason')})")
t.check("bind(" in p.get("reason", "") and "zero-copy" in p.get("reason", ""),
        f"the reason names the bind and zero-copy (got {p.get('reason')!r})")
t.check(ev.get("device") == "zcxd0" and ev.get("queue") == 0 and isinstance(ev.get("ifindex"), int),
        f"evidence names the device, queue 0 and its ifindex (got {ev})")
t.check(len(p.get("introduced", {}).get("commit") or "") >= 12, "the probe cites a kernel commit")
t.check(any(h["commit"] == "37e0ca657a3d" for h in p.get("history", [])),
        "history cites the virtio-net XSK zero-copy commit")
t.finish()
