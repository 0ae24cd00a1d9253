"""ci/kernel-matrix end to end with a fake qemu-system-x86_64 (fake_qemu.py)
and a fake UML on PATH, no kernel: the accelerator check and its fallback,
per-line outcomes (unavailable, cannot-run-here) while the other lines run,
the minimum of reporting lines, and no guest left after the matrix is
killed. Needs a static busybox (the initramfs); exit 77 without one."""
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
ROOT = os.path.dirname(os.path.dirname(HERE))
MATRIX = os.path.join(ROOT, "ci", "kernel-matrix")
BUSYBOX = shutil.which("busybox") or "/bin/busybox"

FAKE_ZCREPORT = """#!/bin/sh
# writes a placeholder for each --format
while [ $# -gt 0 ]; do [ "$1" = -o ] && { shift; printf 'fake matrix\\n' > "$1"; }; shift; done
"""
# What Debian's UML 5.10 prints on a CPU with AMX, then dies.
FAKE_UML = """#!/bin/sh
echo "Checking PROT_EXEC mmap in /tmp...OK"
echo "Kernel panic - not syncing: userspace - ptrace set fp regs failed, errno = 14"
exit 1
"""


def read(path):
    with open(path) as f:
        return f.read()


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


class MatrixRun(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="zcm-test-")
        self.bin = os.path.join(self.tmp, "bin")
        self.pids = os.path.join(self.tmp, "pids")
        os.makedirs(self.bin)
        os.makedirs(self.pids)
        shutil.copy(os.path.join(HERE, "fake_qemu.py"), os.path.join(self.bin, "qemu-system-x86_64"))
        for name, text in (("zcreport", FAKE_ZCREPORT), ("linux.uml", FAKE_UML)):
            with open(os.path.join(self.bin, name), "w") as f:
                f.write(text)
        for name in os.listdir(self.bin):
            os.chmod(os.path.join(self.bin, name), 0o755)
        self.image = os.path.join(self.tmp, "bzImage")
        with open(self.image, "wb") as f:
            f.write(b"not a kernel")
        self.kvm = os.path.join(self.tmp, "kvm")  # opens read-write, like a present /dev/kvm
        open(self.kvm, "w").close()
        self.results = os.path.join(self.tmp, "results")

    def tearDown(self):
        for pid in os.listdir(self.pids):
            if alive(int(pid)):
                os.kill(int(pid), signal.SIGKILL)
        shutil.rmtree(self.tmp, ignore_errors=True)

    def command(self, kernels, *extra):
        return [sys.executable, MATRIX, "--kernels", kernels, "--results", self.results, "--zcprobe", BUSYBOX,
                "--no-engine", "--zcreport", os.path.join(self.bin, "zcreport"), "--kvm-device", self.kvm,
                "--kvm-check-timeout", "2", "--cache", os.path.join(self.tmp, "cache"), *extra]

    def env(self, mode):
        return dict(os.environ, PATH=self.bin + ":" + os.environ["PATH"], FAKE_QEMU_MODE=mode,
                    FAKE_QEMU_PIDS=self.pids)

    def run_matrix(self, kernels, *extra, mode="kvm-hangs"):
        r = subprocess.run(self.command(kernels, *extra), env=self.env(mode), capture_output=True, text=True,
                           timeout=120)
        out = r.stdout + r.stderr
        try:
            with open(os.path.join(self.results, "lines.json")) as f:
                doc = json.load(f)
        except OSError:
            doc = None
        return r.returncode, out, doc

    def by_label(self, doc):
        return {line["label"]: line for line in doc["lines"]}

    def summary(self):
        """The line ci/test prints last."""
        return subprocess.run([sys.executable, os.path.join(ROOT, "ci", "matrix", "summary.py"), self.results],
                              capture_output=True, text=True, check=True).stdout

    def unreachable_mirror(self):
        # Nothing listens on port 9: apt-get update fails, as on a CI machine
        # whose fetch failed; the line is 'unavailable'.
        return ("--mirror", "http://127.0.0.1:9/debian", "--security-mirror", "http://127.0.0.1:9/debian-security")

    def test_broken_kvm_every_qemu_line_reports_through_tcg(self):
        started = time.monotonic()
        rc, out, doc = self.run_matrix(f"a={self.image},b={self.image}", "--no-expectations")
        self.assertEqual(rc, 0, out)
        self.assertLess(time.monotonic() - started, 60, out)
        for line in doc["lines"]:
            self.assertEqual((line["outcome"], line["accelerator"]), ("ok", "tcg"), out)
            self.assertTrue(line["accelerator_reason"].startswith("kvm present but unusable: no /init within 2 s"),
                            line["accelerator_reason"])
        self.assertIn("accelerator: tcg (kvm present but unusable", out)
        with open(os.path.join(self.results, "kernels.md")) as f:
            self.assertIn("| tcg: kvm present but unusable: no /init within 2 s", f.read())
        with open(os.path.join(self.results, "matrix.md")) as f:
            self.assertIn("tcg: kvm present but unusable", f.read())
        hung = [p for p in os.listdir(self.pids) if "accel=kvm" in read(os.path.join(self.pids, p))]
        self.assertEqual(len(hung), 1, "one accelerator check a run")
        self.assertFalse(alive(int(hung[0])), "the hung check boot was not killed")

    def test_kvm_failure_signature_is_in_the_reason(self):
        rc, out, doc = self.run_matrix(f"a={self.image}", "--no-expectations", mode="kvm-error")
        self.assertEqual(rc, 0, out)
        # (a '; dmesg: kvm-pvm: INTERNAL_ERROR ...' may follow on a host whose KVM logs one meanwhile)
        self.assertTrue(doc["lines"][0]["accelerator_reason"].startswith(
            "kvm present but unusable: no /init within 2 s of an accel=kvm boot; "
            "qemu: KVM internal error. Suberror: 1"), doc["lines"][0]["accelerator_reason"])

    def test_working_kvm_is_used_after_the_check(self):
        rc, out, doc = self.run_matrix(f"a={self.image}", "--no-expectations", mode="kvm-works")
        self.assertEqual(rc, 0, out)
        line = doc["lines"][0]
        self.assertEqual(line["accelerator"], "kvm", out)
        self.assertTrue(line["accelerator_reason"].startswith("checked: an accel=kvm guest reached /init"))

    def test_forced_tcg_never_tries_kvm(self):
        rc, out, doc = self.run_matrix(f"a={self.image}", "--no-expectations", "--accel", "tcg", mode="kvm-works")
        self.assertEqual(rc, 0, out)
        self.assertEqual((doc["lines"][0]["accelerator"], doc["lines"][0]["accelerator_reason"]),
                         ("tcg", "forced by --accel tcg"))
        for p in os.listdir(self.pids):
            self.assertNotIn("accel=kvm", read(os.path.join(self.pids, p)))

    def test_unavailable_line_is_its_own_outcome_and_the_others_run(self):
        kernels = f"a={self.image},gone=linux-image-cloud-amd64/bookworm"
        rc, out, doc = self.run_matrix(kernels, "--no-expectations", *self.unreachable_mirror())
        lines = self.by_label(doc)
        self.assertEqual(lines["a"]["outcome"], "ok", out)
        self.assertEqual(lines["gone"]["outcome"], "unavailable", out)
        self.assertIn("apt-get update of bookworm failed", lines["gone"]["detail"])
        # Every QEMU line must report by default: a fetch failure fails CI.
        self.assertEqual(rc, 1, out)
        self.assertIn("1 of 2 QEMU lines reported", out)
        with open(os.path.join(self.results, "kernels.md")) as f:
            self.assertIn("| unavailable | 0.0 | apt-get update of bookworm failed", f.read())
        rc, out, doc = self.run_matrix(kernels, "--no-expectations", "--min-lines", "1", *self.unreachable_mirror())
        self.assertEqual(rc, 0, out)

    def test_zero_reporting_lines_fail(self):
        rc, out, doc = self.run_matrix("gone=linux-image-cloud-amd64/bookworm", "--no-expectations",
                                       "--min-lines", "1", *self.unreachable_mirror())
        self.assertEqual(rc, 1, out)
        self.assertIn("no line of 1 reported", out)
        self.assertFalse(doc["enough_lines"])
        summary = self.summary()
        self.assertIn("kernel matrix: 0 of 1 lines reported", summary)
        self.assertIn("not run: gone unavailable (apt-get update of bookworm failed", summary)
        self.assertIn("NOT ENOUGH LINES: no line of 1 reported", summary)

    def test_min_lines_zero_is_refused(self):
        rc, out, _doc = self.run_matrix(f"a={self.image}", "--min-lines", "0")
        self.assertEqual(rc, 2, out)

    def test_uml_that_cannot_run_on_this_cpu_says_what_is_lost(self):
        rules = os.path.join(self.tmp, "expect.txt")
        with open(rules, "w") as f:
            f.write("uml-5.10  security.cve_2022_0847  status=unsupported\n"
                    "a,uml-*   pipe.vmsplice           status=supported\n")
        uml = os.path.join(self.bin, "linux.uml")
        rc, out, doc = self.run_matrix(f"a={self.image},uml-5.10=uml:{uml}", "--expectations", rules,
                                       "--uml-in-qemu", "never")
        self.assertEqual(rc, 0, out)
        lines = self.by_label(doc)
        self.assertEqual(lines["a"]["outcome"], "ok")
        self.assertEqual(lines["uml-5.10"]["outcome"], "cannot-run-here", out)
        self.assertIn("ptrace set fp regs failed, errno = 14", lines["uml-5.10"]["detail"])
        self.assertEqual(lines["uml-5.10"]["absent_positive_cases"], ["security.cve_2022_0847"])
        self.assertIn("lacks the only affected case of security.cve_2022_0847", out)
        with open(os.path.join(self.results, "matrix.md")) as f:
            self.assertIn("| uml-5.10 | cannot-run-here | - | UML cannot run on this CPU", f.read())
        summary = self.summary()
        self.assertEqual(summary.count("\n"), 1)
        self.assertTrue(summary.startswith("kernel matrix: 1 of 2 lines reported in "), summary)
        self.assertIn("not run: uml-5.10 cannot-run-here (UML cannot run on this CPU", summary)
        self.assertIn("absent with it: security.cve_2022_0847", summary)
        self.assertIn("expectations: 1 of 1 hold", summary)

    def test_uml_that_cannot_run_on_this_cpu_runs_inside_qemu_tcg(self):
        uml = os.path.join(self.bin, "linux.uml")
        rc, out, doc = self.run_matrix(f"a={self.image},uml-5.10=uml:{uml}", "--no-expectations")
        self.assertEqual(rc, 0, out)
        line = self.by_label(doc)["uml-5.10"]
        self.assertEqual((line["outcome"], line["accelerator"]), ("ok", "tcg"), out)
        self.assertTrue(line["accelerator_reason"].startswith(
            f"UML inside a QEMU/TCG guest on {self.image} (UML cannot run on this CPU"), line["accelerator_reason"])
        self.assertIn("running it inside a QEMU/TCG guest", out)
        outer = [read(os.path.join(self.pids, p)) for p in os.listdir(self.pids)]
        outer = [c for c in outer if "outer-initrd.gz" in c]
        self.assertEqual(len(outer), 1, outer)
        self.assertIn("accel=tcg", outer[0])
        self.assertIn("-m 1024", outer[0])

    def test_missing_qemu_is_the_only_cannot_run(self):
        empty = os.path.join(self.tmp, "empty")
        os.makedirs(empty)
        r = subprocess.run(self.command(f"a={self.image}"), env=dict(os.environ, PATH=empty),
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 77, r.stdout + r.stderr)
        self.assertIn("qemu-system-x86_64 not found", r.stderr)
        self.assertIn("kernel matrix: did not run (exit 77): qemu-system-x86_64 not found", self.summary())

    def kill_mid_boot(self, sig):
        proc = subprocess.Popen(self.command(f"a={self.image},b={self.image}", "--no-expectations", "--accel", "tcg"),
                                env=self.env("sleep"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
        deadline = time.monotonic() + 30
        while len(os.listdir(self.pids)) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        guests = [int(p) for p in os.listdir(self.pids)]
        self.assertEqual(len(guests), 2, "the fake guests did not start")
        self.assertTrue(all(alive(p) for p in guests))
        os.kill(proc.pid, sig)  # the matrix alone, as ctest's time limit does
        proc.wait(timeout=30)
        deadline = time.monotonic() + 10
        while any(alive(p) for p in guests) and time.monotonic() < deadline:
            time.sleep(0.1)
        self.assertEqual([p for p in guests if alive(p)], [], f"guests outlived the matrix ({sig.name})")

    def test_sigkill_of_the_matrix_leaves_no_guest(self):
        self.kill_mid_boot(signal.SIGKILL)

    def test_sigterm_of_the_matrix_leaves_no_guest(self):
        self.kill_mid_boot(signal.SIGTERM)


if __name__ == "__main__":
    if not os.path.isfile(BUSYBOX):
        print("skip: no busybox (apt-get install busybox-static)")
        sys.exit(77)
    unittest.main()
