"""Prometheus output passes `promtool check metrics` (Debian's prometheus
package) for a plain report, an engine report and a matrix of hostile
text; the series carry the values of the report."""
import json
import os
import shutil
import subprocess

import rtest as t

t.require_binary()
promtool = shutil.which("promtool")
if not promtool:
    t.skip("promtool is missing (Debian package prometheus; ci/setup --test installs it)")
work = t.private_dir()
try:
    with open(t.fixture("vm-6.18.json")) as f:
        doc = json.load(f)
    doc["kernel"]["release"] = 'weird "release"\\ with\nnewline'
    hostile = os.path.join(work, "hostile.json")
    with open(hostile, "w") as f:
        json.dump(doc, f)
    for name in [t.fixture("vm-6.18.json"), t.fixture("engine", "vm-6.18-engine.json"), hostile]:
        r = t.zcreport(["render", name, "--format", "prometheus"])
        t.check(r.returncode == 0, f"{name}: rendered")
        v = subprocess.run([promtool, "check", "metrics"], input=r.stdout, capture_output=True, timeout=60)
        # promtool exits 0 for clean input, 3 for lint warnings only, 1 for errors.
        t.check(v.returncode == 0, f"{os.path.basename(name)}: promtool check metrics: exit {v.returncode} "
                                   f"{(v.stdout + v.stderr).decode()[:500]}")
        text = r.stdout.decode()
        if "engine" in os.path.basename(name):
            # An engine report exports its own prefix only (test_node_exporter: no collision with zcprobe's file).
            t.check("zcprobe_" not in text, "engine report: no zcprobe_* series")
            t.check("zcengine_report_timestamp_seconds 17" in text, "engine report timestamp")
            t.check('zcengine_packets_per_second{mode="udp-splice",kind="udp4",size="64"} 1869600' in text,
                    "engine throughput gauge carries the median pps")
            t.check('zcengine_packets_lost{mode="udp-splice",kind="udp4",size="64"} 0' in text, "engine lost count")
            t.check('zcengine_run_status{mode="msg-zerocopy",kind="udp4",size="64",status="unavailable"} 1' in text,
                    "unmeasured run: its status")
        else:
            t.check('zcprobe_probe_supported{id="pipe.vmsplice",section="pipe"} 1' in text, "supported series")
            t.check('zcprobe_probe_zero_copy{id="splice.tcp4"} 1' in text, "zero-copy series")
            t.check("zcprobe_report_timestamp_seconds 17" in text, "report timestamp")
    # The checker must be able to fail.
    v = subprocess.run([promtool, "check", "metrics"], input=b"zcprobe_x{id=\"a\"} 1\nzcprobe_x{id=\"a\"} 2\n",
                       capture_output=True, timeout=60)
    t.check(v.returncode != 0, "promtool rejects duplicate series")
finally:
    t.cleanup(work)
t.finish()
