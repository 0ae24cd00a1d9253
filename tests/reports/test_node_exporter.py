"""zcprobe's and zcengine's Prometheus files share one textfile directory of
node_exporter itself (Debian's prometheus-node-exporter): one scrape carries
every sample of both files with its value, and node_exporter logs no
"collected before" error. node_exporter listens on 127.0.0.1 only, on a port
the kernel picked, runs the textfile collector alone, and is stopped after
one scrape. The check must fail where a series repeats: a directory holding
the same file twice is scraped too."""
import math
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.request

import rtest as t

t.require_binary()
exporter = shutil.which("prometheus-node-exporter") or shutil.which("node_exporter")
if not exporter:
    t.skip("node_exporter is missing (Debian package prometheus-node-exporter; ci/setup --test installs it)")

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)",?')


def samples(text, prefixes=("zcprobe_", "zcengine_")):
    """(name, sorted labels) -> value for the samples whose name has one of the prefixes."""
    out = {}
    for line in text.splitlines():
        if not line.startswith(prefixes):
            continue
        m = SAMPLE.match(line)
        if not t.check(m is not None, f"unparsable sample line: {line[:200]}"):
            continue
        labels = tuple(sorted(LABEL.findall(m.group(2) or "")))
        out[(m.group(1), labels)] = float(m.group(3))
    return out


def free_loopback_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def scrape(textfile_dir, log_path):
    """Starts node_exporter on loopback, scrapes /metrics once, stops it; returns (metrics text, log text)."""
    for _ in range(3):  # the port could be taken between picking and binding it
        port = free_loopback_port()
        with open(log_path, "wb") as log:
            proc = subprocess.Popen([exporter, "--collector.disable-defaults", "--collector.textfile",
                                     f"--collector.textfile.directory={textfile_dir}",
                                     f"--web.listen-address=127.0.0.1:{port}"],
                                    stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline and proc.poll() is None:
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=1):
                        break
                except OSError:
                    time.sleep(0.1)
            if proc.poll() is not None:
                continue
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=30) as r:
                text = r.read().decode()
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        with open(log_path, errors="replace") as f:
            return text, f.read()
    with open(log_path, errors="replace") as f:
        t.check(False, f"node_exporter did not start: {f.read()[-500:]}")
    t.finish()


work = t.private_dir()
try:
    shared = os.path.join(work, "textfile")
    os.mkdir(shared)
    for source, name in [(t.fixture("vm-6.18.json"), "zcprobe.prom"),
                         (t.fixture("engine", "vm-6.18-engine.json"), "zcengine.prom")]:
        r = t.zcreport(["render", source, "--format", "prometheus", "-o", os.path.join(shared, name)])
        t.check(r.returncode == 0, f"{name}: rendered (exit {r.returncode}: {r.stderr.decode()[:200]})")
    expected = {}
    written = 0
    for name in sorted(os.listdir(shared)):
        with open(os.path.join(shared, name)) as f:
            s = samples(f.read())
        written += len(s)
        expected.update(s)
    text, log = scrape(shared, os.path.join(work, "node_exporter.log"))
    got = samples(text)
    missing = [k for k in expected if k not in got]
    wrong = [k for k in expected if k in got and not math.isclose(got[k], expected[k], rel_tol=1e-9)]
    print(f"{written} samples in the files, {len(expected)} distinct, {len(got)} in the scrape")
    t.check(written == len(expected), f"the two files repeat {written - len(expected)} series")
    t.check(not missing, f"{len(missing)} samples missing from the scrape, e.g. {missing[:3]}")
    t.check(not wrong, f"{len(wrong)} samples with another value, e.g. {wrong[:3]}")
    t.check(len(got) == len(expected), f"scrape has {len(got)} zc samples, the files {len(expected)}")
    t.check("collected before" not in log, "node_exporter: no 'collected before' error")
    t.check("error gathering metrics" not in log, f"node_exporter: no gathering error: {log[-300:]}")
    t.check("node_textfile_scrape_error 0" in text, "node_exporter read every file")

    # The check must be able to fail: the same series in two files.
    twice = os.path.join(work, "twice")
    os.mkdir(twice)
    shutil.copy(os.path.join(shared, "zcprobe.prom"), os.path.join(twice, "a.prom"))
    shutil.copy(os.path.join(shared, "zcprobe.prom"), os.path.join(twice, "b.prom"))
    text, log = scrape(twice, os.path.join(work, "node_exporter-twice.log"))
    t.check("collected before" in log, "node_exporter reports a series two files repeat")
finally:
    t.cleanup(work)
t.finish()
