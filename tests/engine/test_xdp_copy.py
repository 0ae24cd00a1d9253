"""xdp-copy: frames leave the UMEM of an AF_XDP socket bound XDP_COPY to
one end of a veth pair and are verified on the peer. At 64 and 1400 B every
packet must arrive verified (verified == sent, nothing lost, corrupted or
duplicated), the result must say the socket was bound in copy mode, and
the report must validate. The veth pair lives in a namespace of its own
that dies with the engine's sockets: run with --host-netns inside a
throwaway namespace, the engine must leave no link behind there. A kernel
without AF_XDP (or veth) makes the mode unavailable: skip, with the reason."""
import shutil
import subprocess

import zcengine_test as ze
from zctest import check, finish, skip, validate

ze.require_binary()
args = ["--mode", "xdp-copy", "--sizes", "64,1400", "--count", "20000", "--warmup", "2000", "--time-limit", "20s"]
r, report = ze.run_json(args)
if r.returncode == 2 and "is unavailable here" in r.stderr:
    skip(f"xdp-copy is unavailable here: {r.stderr.strip()}")
check(r.returncode == 0, f"exit {r.returncode}; stderr {r.stderr.strip()}")
check(report is not None, "no report written")
if report is None:
    finish()
validate(report)
rows = report["engine"]
check(sorted(e["size"] for e in rows) == [64, 1400], f"rows: {[(e['mode'], e['size']) for e in rows]}")
for e in rows:
    what = f"xdp-copy {e['size']} B"
    check(e["mode"] == "xdp-copy" and e["kind"] == "packet_raw", f"{what}: mode {e['mode']}, kind {e['kind']}")
    check(e["status"] == "ok", f"{what}: status {e['status']}: {e['reason']}")
    if not e["measured"]:
        continue
    check(e["sent"] == 20000 and e["verified"] == e["sent"], f"{what}: verified {e['verified']} of {e['sent']}")
    check(e["lost"] == 0 and e["corrupted"] == 0 and e["duplicated"] == 0,
          f"{what}: lost {e['lost']}, corrupted {e['corrupted']}, duplicated {e['duplicated']}")
    check(e["bind_mode"] == "copy", f"{what}: bind_mode {e['bind_mode']!r}, expected 'copy' (veth has no XSK zero-copy)")
    check(e["frame_len"] == e["size"] + 14, f"{what}: frame_len {e['frame_len']}")
    # One kick per batch of 32 (0.031); retries under load may add a few, a kick per packet never.
    check(0 < e["syscalls_per_packet"] <= 0.1, f"{what}: {e['syscalls_per_packet']} kicks per packet")
    check("receiver has read" in (e["reuse"] or ""), f"{what}: reuse {e['reuse']!r} does not wait for the receiver")
    print(f"{what}: {e['pps']['median']:.0f} pps, {e['verified']}/{e['sent']} verified")

# Nothing left behind: in a namespace of the test's own, with --host-netns,
# no zcxdp link may remain once the engine has exited.
if shutil.which("unshare") and shutil.which("ip"):
    script = (f"'{ze.ZCENGINE}' --host-netns --mode xdp-copy --sizes 256 --count 2000 --warmup 100 "
              f"--time-limit 20s >/dev/null; echo rc=$?; ip -o link show")
    p = subprocess.run(["unshare", "-n", "sh", "-c", script], capture_output=True, text=True, timeout=120)
    if p.returncode != 0:
        print(f"note: unshare -n refused ({p.stderr.strip()}); the leftover-link check did not run")
    else:
        check("rc=0" in p.stdout, f"--host-netns run: {p.stdout.strip()} {p.stderr.strip()}")
        check("zcxdp" not in p.stdout, f"a veth link was left in the engine's namespace: {p.stdout.strip()}")
else:
    print("note: unshare or ip missing; the leftover-link check did not run")
finish()
