"""ci/sandbox-matrix with real runc. Interrupted: SIGTERM while a container
runs ends the matrix with 143 after deleting the container; SIGKILL leaves
the cleanup to the guard. Either way no runc container (state or cgroup)
and no temporary directory of the run is left. Rule files: a failed
expectation fails the run, a known gap gone does not. Also: a bad --only is exit 2
and a missing runc is exit 77 with its reason in lines.json. Exit 77 when
runc cannot run here (not root, no runc).
    test_sandbox_runs.py ZCPROBE ZCREPORT"""
import glob
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
MATRIX = os.path.join(HERE, "..", "..", "ci", "sandbox-matrix")
ZCPROBE, ZCREPORT = sys.argv[1], sys.argv[2]


def leftovers(pid):
    """What a run with this pid could have left: temporary directories,
    runc cgroups, and its containers' state under the default runc root."""
    found = glob.glob(f"/tmp/zcprobe-sandbox-{pid}-*") + glob.glob(f"{tempfile.gettempdir()}/zcprobe-sandbox-{pid}-*")
    found += glob.glob(f"/sys/fs/cgroup/*/zcprobe-{pid}-*") + glob.glob(f"/sys/fs/cgroup/zcprobe-{pid}-*")
    found += glob.glob(f"/sys/fs/cgroup/*/*/zcprobe-{pid}-*") + glob.glob(f"/run/runc/zcprobe-{pid}-*")
    return sorted(set(found))


class InterruptTest(unittest.TestCase):
    def setUp(self):
        self.results = tempfile.mkdtemp(prefix="sandbox-runs-")

    def tearDown(self):
        shutil.rmtree(self.results, ignore_errors=True)

    def start(self, *extra):
        return subprocess.Popen([sys.executable, MATRIX, "--zcprobe", ZCPROBE, "--zcreport", ZCREPORT,
                                 "--results", self.results, "--no-expectations", *extra],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def wait_for_container(self, proc):
        """Until a sandbox container of this run exists (its runc state
        directory; not the trivial check container, zcprobe-PID-check)."""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if any(glob.glob(f"{d}/zcprobe-sandbox-{proc.pid}-*/runc-state/zcprobe-{proc.pid}-[!c]*")
                   for d in ("/tmp", tempfile.gettempdir())):
                return True
            if proc.poll() is not None:
                return False
            time.sleep(0.01)
        return False

    def interrupt(self, sig):
        proc = self.start("--only", "podman-default,k8s-restricted,podman-hidden-sysctl")
        self.assertTrue(self.wait_for_container(proc), "no container seen before the run ended")
        self.assertTrue(leftovers(proc.pid))     # the check below can see what it looks for
        os.kill(proc.pid, sig)
        _out, err = proc.communicate(timeout=60)
        self.assertEqual(proc.returncode, -sig if sig == signal.SIGKILL else 128 + sig, err)
        deadline = time.monotonic() + 30          # the guard works after the matrix is gone
        while leftovers(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        self.assertEqual(leftovers(proc.pid), [])
        return err

    def test_sigterm(self):
        err = self.interrupt(signal.SIGTERM)
        self.assertIn("sandbox-matrix: stopped by SIGTERM; containers deleted", err)

    def test_sigkill(self):
        self.interrupt(signal.SIGKILL)

    def test_usage_and_cannot_run(self):
        r = subprocess.run([sys.executable, MATRIX, "--only", "docker-nonsense", "--results", self.results],
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("valid: host-root, host-unprivileged, docker-default", r.stderr)
        r = subprocess.run([sys.executable, MATRIX, "--zcprobe", ZCPROBE, "--zcreport", ZCREPORT, "--runc",
                            "/nonexistent/runc", "--results", self.results], capture_output=True, text=True)
        self.assertEqual(r.returncode, 77, r.stderr)
        with open(os.path.join(self.results, "lines.json")) as f:
            self.assertIn("no runc (/nonexistent/runc)", json.load(f)["cannot_run"])
        # A runc that cannot start the trivial container: 77 with its words.
        fake = os.path.join(self.results, "runc")
        with open(fake, "w") as f:
            f.write("#!/bin/sh\n[ \"$3\" = run ] && { echo 'cgroup: read-only file system' >&2; exit 1; }\nexit 0\n")
        os.chmod(fake, 0o755)
        p = subprocess.Popen([sys.executable, MATRIX, "--zcprobe", ZCPROBE, "--zcreport", ZCREPORT, "--runc", fake,
                              "--results", self.results], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        _out, err = p.communicate(timeout=60)
        self.assertEqual(p.returncode, 77, err)
        with open(os.path.join(self.results, "lines.json")) as f:
            self.assertEqual(json.load(f)["cannot_run"], "runc cannot start a container here: exit 1: "
                                                         "cgroup: read-only file system")
        time.sleep(0.5)   # the guard ends after the matrix
        self.assertEqual(leftovers(p.pid), [])


class RulesTest(unittest.TestCase):
    """The docker-default sandbox alone, with rule files written here: an
    expectation that does not hold fails the run; a known gap that does not
    hold is printed as gone and does not."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="sandbox-rules-")

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def run_with(self, rules, gaps):
        paths = []
        for name, text in (("expectations.txt", rules), ("gaps.txt", gaps)):
            paths.append(os.path.join(self.dir, name))
            with open(paths[-1], "w") as f:
                f.write(text)
        r = subprocess.run([sys.executable, MATRIX, "--zcprobe", ZCPROBE, "--zcreport", ZCREPORT, "--only",
                            "docker-default", "--results", os.path.join(self.dir, "results"), "--expectations",
                            paths[0], "--known-gaps", paths[1]], capture_output=True, text=True, timeout=120)
        with open(os.path.join(self.dir, "results", "lines.json")) as f:
            return r, json.load(f)

    def test_mismatch_fails_gap_gone_does_not(self):
        r, doc = self.run_with("docker-default io_uring.setup status=supported\n"
                               "docker-default environment seccomp_mode=2\n",
                               "docker-default pipe.vmsplice status=blocked\n")
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("MISMATCH", r.stdout)
        self.assertIn("expected status=supported, got status=blocked", r.stdout)
        self.assertEqual(doc["expectations"], {"checked": 2, "held": 1, "unchecked_rules": 0})
        r, doc = self.run_with("docker-default io_uring.setup status=blocked\n",
                               "docker-default pipe.vmsplice status=blocked\n"
                               "docker-default environment.netns mode=current\n")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("known gaps (not enforced): 1 of 2 still present", r.stdout)
        self.assertIn("GAP GONE", r.stdout)
        self.assertEqual(doc["known_gaps"]["present"], 1)
        self.assertEqual(len(doc["known_gaps"]["gone"]), 1)


if __name__ == "__main__":
    if os.geteuid() != 0:
        print("skipped: runc needs root here")
        sys.exit(77)
    if not shutil.which("runc"):
        print("skipped: no runc (apt-get install runc, or ci/setup --sandbox)")
        sys.exit(77)
    unittest.main(argv=sys.argv[:1], verbosity=1)
