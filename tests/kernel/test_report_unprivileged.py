"""The whole catalog as an ordinary user (nobody, via setpriv): a user+network
namespace where the kernel allows one, otherwise `skipped` with the exact
reason. Either way the report validates and nothing crashes."""
import json
import os
import shutil

import zctest as t

t.require_binary()
if os.geteuid() != 0:
    t.skip("needs root to switch to an unprivileged user with setpriv")
if shutil.which("setpriv") is None:
    t.skip("setpriv (util-linux) is not installed")

work = t.private_dir()
try:
    out = os.path.join(work, "report.json")
    r = t.run(["-o", out], user=65534, cwd=work)
    t.check(r.returncode == 0, f"zcprobe as nobody exits 0 (got {r.returncode}: {r.stderr.strip()})")
    with open(out) as f:
        report = json.load(f)
    t.validate(report)
    env = report["environment"]
    t.check(env["euid"] == 65534, "the report says it ran as uid 65534")
    t.check(env["capabilities"]["cap_net_raw"] is False, "nobody has no CAP_NET_RAW on the host")
    probes = t.by_id(report)
    netns = env["netns"]
    errors = [f"{p['id']}: {p['reason']}" for p in report["probes"] if p["status"] == "error"]
    t.check(not errors, f"no probe is inconclusive: {errors}")
    if netns["isolated"]:
        t.check(netns["mode"] == "userns+netns", "unprivileged isolation is a user+network namespace")
        for pid in ["splice.tcp4", "splice.udp4", "sendfile.tcp4", "pipe.vmsplice"]:
            p = probes.get(pid)
            if not t.check(p is not None, f"{pid} is in the report"):
                continue
            t.check(p["status"] == "supported", f"{pid} supported as nobody (got {p['status']}: {p['reason']})")
    else:
        t.check(netns["reason"] is not None, "a refused namespace says why")
        for p in report["probes"]:
            if p["id"].startswith("splice."):
                t.check(p["status"] == "skipped" and "namespace" in p["reason"],
                        f"{p['id']} skipped with the namespace reason")
    t.check(probes["pipe.setpipe_sz_beyond_max"]["status"] == "blocked",
            "nobody cannot grow a pipe past fs.pipe-max-size")
finally:
    t.cleanup(work)
t.finish()
