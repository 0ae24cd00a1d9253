"""Pure parts of ci/kernel-matrix, no kernel and no QEMU: the initramfs
archive, the byte-exact results channel, module metadata, the kernel list
and the expectations check (including the readable mismatch it prints)."""
import gzip
import hashlib
import os
import struct
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "ci", "matrix"))

import cpio_archive  # noqa: E402
import expectations  # noqa: E402
import kernel_modules  # noqa: E402
import kernel_sources  # noqa: E402
import serial_frames  # noqa: E402


def read_newc(data):
    """(name, mode, uid, gid, rdevmajor, rdevminor, body) of each entry, as the kernel reads them."""
    out, pos = [], 0
    while True:
        assert data[pos:pos + 6] == b"070701", f"bad magic at {pos}"
        f = [int(data[pos + 6 + 8 * i:pos + 14 + 8 * i], 16) for i in range(13)]
        namesize, filesize = f[11], f[6]
        name = data[pos + 110:pos + 110 + namesize - 1].decode()
        pos += 110 + namesize
        pos += -pos % 4
        body = data[pos:pos + filesize]
        pos += filesize
        pos += -pos % 4
        if name == "TRAILER!!!":
            return out
        out.append((name, f[1], f[2], f[3], f[9], f[10], body))


def frame(name, data):
    return (b"\nZCMATRIX-FILE %s %d %s\n" % (name.encode(), len(data), hashlib.sha256(data).hexdigest().encode())
            + data + b"\nZCMATRIX-END\n")


def fake_module(depends):
    """A minimal ELF64 with a .modinfo section, like a .ko."""
    modinfo = b"license=GPL\0depends=" + depends.encode() + b"\0name=x\0"
    shstr = b"\0.modinfo\0.shstrtab\0"
    body_off = 64
    modinfo_off, shstr_off = body_off, body_off + len(modinfo)
    shoff = shstr_off + len(shstr)
    shoff += -shoff % 8
    hdr = bytearray(64)
    hdr[:6] = b"\x7fELF\x02\x01"
    struct.pack_into("<Q", hdr, 0x28, shoff)
    struct.pack_into("<HHH", hdr, 0x3A, 64, 3, 2)
    sections = bytes(64)
    sections += struct.pack("<IIQQQQ", 1, 1, 0, 0, modinfo_off, len(modinfo)) + bytes(24)
    sections += struct.pack("<IIQQQQ", 10, 3, 0, 0, shstr_off, len(shstr)) + bytes(24)
    blob = bytes(hdr) + modinfo + shstr
    return blob + bytes(shoff - len(blob)) + sections


class CpioTest(unittest.TestCase):
    def test_entries_are_root_owned_with_parents_and_devices(self):
        a = cpio_archive.Archive()
        a.file("bin/busybox", b"\x7fELF" + bytes(5), 0o755)
        a.symlink("bin/sh", "busybox")
        a.char_device("dev/console", 5, 1)
        entries = read_newc(gzip.decompress(a.gzip_bytes()))
        names = [e[0] for e in entries]
        self.assertEqual(names, ["bin", "bin/busybox", "bin/sh", "dev", "dev/console"])
        self.assertTrue(all(e[2] == 0 and e[3] == 0 for e in entries))
        busybox = entries[1]
        self.assertEqual(busybox[1], 0o100755)
        self.assertEqual(busybox[6], b"\x7fELF" + bytes(5))
        self.assertEqual(entries[2][6], b"busybox")
        self.assertEqual((entries[4][1] & 0o170000, entries[4][4], entries[4][5]), (0o020000, 5, 1))

    def test_same_input_same_bytes(self):
        def build():
            a = cpio_archive.Archive()
            a.file("init", b"#!/bin/sh\n", 0o755)
            return a.gzip_bytes()
        self.assertEqual(build(), build())


class FramesTest(unittest.TestCase):
    def test_binary_bytes_come_back_exactly(self):
        data = bytes(range(256)) * 3 + b"\r\n\nZCMATRIX-END\n"  # even the end marker inside the file
        files, done = serial_frames.parse(b"garbage\r\n" + frame("probe.json", data) + frame("e", b"")
                                          + b"\nZCMATRIX-DONE\n")
        self.assertTrue(done)
        self.assertEqual(files["probe.json"], data)
        self.assertEqual(files["e"], b"")

    def test_altered_byte_is_caught(self):
        good = frame("probe.json", b'{"a":1}\n')
        bad = good.replace(b'{"a":1}\n', b'{"a":1}\r\n'[:8])
        with self.assertRaisesRegex(serial_frames.FrameError, "SHA-256 mismatch"):
            serial_frames.parse(bad)

    def test_cut_short_and_not_done(self):
        with self.assertRaisesRegex(serial_frames.FrameError, "channel cut short"):
            serial_frames.parse(frame("probe.json", b"x" * 100)[:-30])
        files, done = serial_frames.parse(frame("a", b"1"))
        self.assertEqual((files, done), ({"a": b"1"}, False))


class ModulesTest(unittest.TestCase):
    def test_depends_read_from_modinfo(self):
        self.assertEqual(kernel_modules.modinfo(fake_module("a,b"))["depends"], "a,b")
        self.assertEqual(kernel_modules.modinfo(fake_module(""))["depends"], "")

    def test_dependencies_load_first_and_missing_are_named(self):
        import tempfile
        with tempfile.TemporaryDirectory() as d:
            os.makedirs(os.path.join(d, "kernel/net"))
            for name, deps in (("veth", "lib_one"), ("lib_one", "lib-two"), ("lib_two", "gone")):
                with open(os.path.join(d, "kernel/net", name + ".ko"), "wb") as f:
                    f.write(fake_module(deps))
            order, missing = kernel_modules.load_order(d, ["veth"])
            self.assertEqual([n for n, _p, _d in order], ["lib_two", "lib_one", "veth"])
            self.assertEqual([n for n, _r in missing], ["gone"])

    def test_not_elf_is_refused(self):
        with self.assertRaises(ValueError):
            kernel_modules.modinfo(b"not an elf at all")


class KernelListTest(unittest.TestCase):
    def test_entries(self):
        e = kernel_sources.parse_entries(["# c", "", "a host", "b linux-image-x  # why", "c /k/bzImage /k/mods"], "f")
        self.assertEqual(e, [("a", "host", None), ("b", "linux-image-x", None), ("c", "/k/bzImage", "/k/mods")])

    def test_bad_lines_name_file_and_line(self):
        for lines, msg in ((["a"], "f:1: expected"), (["a host", "a host"], "f:2: label 'a' used twice"),
                           (["a/b host"], "f:1: label")):
            with self.assertRaisesRegex(kernel_sources.SpecError, msg):
                kernel_sources.parse_entries(lines, "f")

    def test_kernels_option_derives_labels(self):
        e = kernel_sources.parse_kernels_option("host,user-mode-linux,x=linux-image-6.12-cloud-amd64,/b/bzImage")
        self.assertEqual([l for l, _s, _m in e], ["host", "uml", "x", "bzImage"])

    def test_unknown_spec_is_bad_input(self):
        with self.assertRaisesRegex(kernel_sources.SpecError, "expected host"):
            kernel_sources.prepare(("a", "nonsense", None), None)


class DebianSuiteTest(unittest.TestCase):
    def test_suite_split_off_the_package(self):
        self.assertEqual(kernel_sources.split_suite("linux-image-cloud-amd64/sid"), ("linux-image-cloud-amd64", "sid"))
        self.assertEqual(kernel_sources.split_suite("user-mode-linux/bullseye"), ("user-mode-linux", "bullseye"))
        self.assertEqual(kernel_sources.split_suite("linux-image-cloud-amd64"), ("linux-image-cloud-amd64", None))
        self.assertEqual(kernel_sources.split_suite("/k/bzImage"), ("/k/bzImage", None))
        with self.assertRaisesRegex(kernel_sources.SpecError, "must be a Debian suite name"):
            kernel_sources.split_suite("linux-image-x/../../etc")

    def test_labels_name_the_suite(self):
        e = kernel_sources.parse_kernels_option("linux-image-cloud-amd64/sid,user-mode-linux/bullseye")
        self.assertEqual([l for l, _s, _m in e], ["cloud-amd64-sid", "uml-bullseye"])

    def test_mirror_from_one_line_and_deb822_sources(self):
        one_line = "# comment\ndeb [signed-by=/k.gpg arch=amd64] http://ftp.example.org/debian/ bookworm main\n"
        deb822 = ("Types: deb\n# http://snapshot.debian.org/archive/debian/2025\n"
                  "URIs: http://deb.debian.org/debian\nSuites: bookworm\n")
        other = "deb https://packages.cloud.google.com/apt cloud-sdk-bookworm main\n"
        self.assertEqual(kernel_sources.mirror_from_sources([other, one_line]), "http://ftp.example.org/debian")
        self.assertEqual(kernel_sources.mirror_from_sources([other, deb822]), "http://deb.debian.org/debian")
        self.assertIsNone(kernel_sources.mirror_from_sources([other, "URIs: http://x.org/debian-security\n"]))

    def test_security_mirror_from_sources(self):
        deb822 = ("Types: deb\nURIs: http://deb.debian.org/debian\nSuites: bookworm\n\n"
                  "Types: deb\nURIs: http://deb.debian.org/debian-security\nSuites: bookworm-security\n")
        self.assertEqual(kernel_sources.mirror_from_sources([deb822], "debian-security"),
                         "http://deb.debian.org/debian-security")
        self.assertIsNone(kernel_sources.mirror_from_sources(["deb http://x.org/debian sid main\n"],
                                                             "debian-security"))

    def test_suite_sources_add_updates_and_security_to_releases_only(self):
        bookworm = kernel_sources.suite_sources("bookworm", "http://m/debian", "http://s/debian-security")
        self.assertEqual([l.split()[-2:] for l in bookworm.splitlines()],
                         [["bookworm", "main"], ["bookworm-updates", "main"], ["bookworm-security", "main"]])
        self.assertIn("http://s/debian-security bookworm-security", bookworm)
        sid = kernel_sources.suite_sources("sid", "http://m/debian", "http://s/debian-security")
        self.assertEqual(len(sid.splitlines()), 1)
        no_security = kernel_sources.suite_sources("trixie", "http://m/debian", None)
        self.assertNotIn("security", no_security)
        self.assertIn("trixie-updates", no_security)

    def test_glibc_requirement(self):
        self.assertEqual(kernel_sources.glibc_requirement("libc6 (>= 2.38), libx (>= 1)"), (2, 38))
        self.assertIsNone(kernel_sources.glibc_requirement("libfoo6 (>= 2.38)"))
        self.assertIsNone(kernel_sources.glibc_requirement(""))

    def test_image_files_before_and_from_7(self):
        import tempfile
        with tempfile.TemporaryDirectory() as d:
            os.makedirs(os.path.join(d, "old/boot"))
            open(os.path.join(d, "old/boot/vmlinuz-6.1.0-9-cloud-amd64"), "w").close()
            os.makedirs(os.path.join(d, "new/usr/lib/modules/7.2.13+deb14-cloud-amd64"))
            open(os.path.join(d, "new/usr/lib/modules/7.2.13+deb14-cloud-amd64/vmlinuz"), "w").close()
            self.assertEqual([r for r, _p in kernel_sources.image_files(os.path.join(d, "old"))], ["6.1.0-9-cloud-amd64"])
            self.assertEqual([r for r, _p in kernel_sources.image_files(os.path.join(d, "new"))],
                             ["7.2.13+deb14-cloud-amd64"])


class ExpectationsTest(unittest.TestCase):
    REPORTS = {
        "debian-6.1": {"probes": [{"id": "s.x", "status": "unsupported", "reason": "cut", "evidence": {"outcome": "split"}}]},
        "host": {"probes": [{"id": "s.x", "status": "supported", "reason": "ok", "evidence": {"outcome": "whole", "zero_copy": True}}]},
    }

    def test_holding_rules(self):
        rules = expectations.parse("debian-6.1 s.x status=unsupported outcome=split\n"
                                   "h* s.x zero_copy=true\nnone s.x status=supported\n", "e")
        self.assertEqual(expectations.check(rules, self.REPORTS, "e"), ([], 2, 1))

    def test_mismatch_is_readable(self):
        rules = expectations.parse("* s.x status=supported outcome=whole\n*  s.y status=supported", "e")
        fails, checked, _ = expectations.check(rules, self.REPORTS, "e")
        self.assertEqual(checked, 4)
        self.assertIn("e:1: debian-6.1: s.x: expected status=supported, got status=unsupported; "
                      "expected outcome=whole, got outcome=split (unsupported: cut)", fails)
        self.assertIn("e:2: host: s.y: not in the report", fails)
        self.assertEqual(len(fails), 3)

    def test_bad_rule(self):
        with self.assertRaisesRegex(expectations.ExpectationError, "e:2: 'status' is not FIELD=VALUE"):
            expectations.parse("* a status=x\n* a status", "e")

    def test_observed_rules_keep_only_what_every_run_saw(self):
        def report(status_y):
            return {"probes": [{"id": "a.x", "status": "supported", "evidence": {"zero_copy": True, "sent": 1}},
                               {"id": "a.y", "status": status_y, "evidence": {}}]}
        lines, unstable = expectations.observed_rules("k", [report("supported"), report("error")])
        self.assertEqual([l.split() for l in lines], [["k", "a.x", "status=supported", "zero_copy=true"]])
        self.assertEqual(unstable, [("a.y", [(("status", "supported"),), (("status", "error"),)])])
        lines, _ = expectations.observed_rules("k", [report("skipped")] * 3)
        self.assertEqual(len(expectations.parse("\n".join(lines), "o")), 2)

    def test_history_flag_is_a_result_field(self):
        reports = {"debian-6.1": {"probes": [{"id": "s.x", "status": "supported", "matches_prediction": False,
                                              "evidence": {"zero_copy": False, "matches_prediction": True}}]}}
        rules = expectations.parse("debian-6.1 s.x zero_copy=false matches_prediction=false\n", "e")
        self.assertEqual(expectations.check(rules, reports, "e"), ([], 1, 0))
        rules = expectations.parse("debian-6.1 s.x matches_prediction=true\n", "e")
        fails, _, _ = expectations.check(rules, reports, "e")
        self.assertEqual(fails, ["e:1: debian-6.1: s.x: expected matches_prediction=true, got matches_prediction=false "
                                 "(supported: None)"])
        lines, _ = expectations.observed_rules("debian-6.1", [reports["debian-6.1"]] * 3)
        self.assertEqual([l.split() for l in lines],
                         [["debian-6.1", "s.x", "status=supported", "zero_copy=false", "matches_prediction=false"]])

    def test_values_are_typed(self):
        rules = expectations.parse('* a n=95 f=1.5 b=true z=null w=EOPNOTSUPP q="95"', "e")
        self.assertEqual(rules[0]["fields"], {"n": 95, "f": 1.5, "b": True, "z": None, "w": "EOPNOTSUPP", "q": "95"})
        self.assertTrue(expectations.same(95, 95))
        self.assertTrue(expectations.same(1.5, 1.5))
        self.assertFalse(expectations.same(95, "95"))
        self.assertFalse(expectations.same("95", 95))
        self.assertFalse(expectations.same(1, True))
        self.assertFalse(expectations.same(False, 0))
        self.assertFalse(expectations.same(None, expectations.ABSENT))

    def test_errno_rule_holds_and_fails(self):
        reports = {"k": {"probes": [{"id": "z.raw", "status": "unsupported", "errno": 95, "errno_name": "EOPNOTSUPP",
                                     "reason": "refused", "evidence": {"zero_copy": None}}]}}
        self.assertEqual(expectations.check(expectations.parse("k z.raw errno=95 zero_copy=null", "e"), reports, "e"),
                         ([], 1, 0))
        fails, _, _ = expectations.check(expectations.parse("k z.raw errno=524", "e"), reports, "e")
        self.assertEqual(fails, ["e:1: k: z.raw: expected errno=524, got errno=95 (unsupported: refused)"])
        fails, _, _ = expectations.check(expectations.parse('k z.raw errno="95"', "e"), reports, "e")
        self.assertEqual(fails, ['e:1: k: z.raw: expected errno="95", got errno=95 (unsupported: refused)'])

    def test_absent_field_is_not_null(self):
        reports = {"a": {"probes": [{"id": "p", "status": "supported", "evidence": {"path_errno": None}}]},
                   "b": {"probes": [{"id": "p", "status": "skipped", "evidence": {}}]}}
        fails, checked, _ = expectations.check(expectations.parse("* p path_errno=null", "e"), reports, "e")
        self.assertEqual((fails, checked), (["e:1: b: p: expected path_errno=null, got path_errno=(absent) "
                                             "(skipped: None)"], 2))

    def test_rule_naming_a_field_no_result_has_is_rejected(self):
        reports = {"a": {"probes": [{"id": "p", "status": "supported", "errno": None, "evidence": {"zero_copy": True}}]}}
        with self.assertRaisesRegex(expectations.ExpectationError,
                                    r"e:1: p has no field 'path_errno' in any result of this run "
                                    r"\(result fields: errno, status; evidence: zero_copy\)"):
            expectations.check(expectations.parse("* p path_errno=null", "e"), reports, "e")
        # A probe missing from every report is a mismatch, not a rejection.
        fails, _, _ = expectations.check(expectations.parse("* q status=supported", "e"), reports, "e")
        self.assertEqual(fails, ["e:1: a: q: not in the report"])

    def test_checked_in_file_parses(self):
        path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "ci", "matrix", "expectations.txt")
        with open(path) as f:
            self.assertGreater(len(expectations.parse(f.read(), path)), 20)


class WorkflowTest(unittest.TestCase):
    """The GitHub workflow's job list is ci/matrix/kernels.list's labels."""
    ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")

    def test_job_list_is_generated_from_the_kernel_list(self):
        import json
        import subprocess
        with open(os.path.join(self.ROOT, ".github", "workflows", "kernel-matrix.yml")) as f:
            text = f.read()
        try:
            import yaml
        except ImportError:
            yaml = None
        if yaml is not None:
            jobs = yaml.safe_load(text)["jobs"]
            self.assertEqual(jobs["kernel"]["strategy"]["matrix"]["kernel"],
                             "${{ fromJSON(needs.lines.outputs.labels) }}")
            self.assertEqual(jobs["kernel"]["needs"], "lines")
            runs = " ".join(step.get("run", "") for step in jobs["lines"]["steps"])
        else:
            self.assertIn("kernel: ${{ fromJSON(needs.lines.outputs.labels) }}", text)
            runs = text
        self.assertIn("python3 ci/matrix/list_labels.py", runs)
        out = subprocess.run([sys.executable, os.path.join(self.ROOT, "ci", "matrix", "list_labels.py")],
                             capture_output=True, text=True, check=True).stdout
        with open(os.path.join(self.ROOT, "ci", "matrix", "kernels.list")) as f:
            labels = [e[0] for e in kernel_sources.parse_entries(f.read().splitlines(), "kernels.list")]
        self.assertEqual(json.loads(out), labels)
        self.assertIn("pin-5.10.251", labels)


if __name__ == "__main__":
    unittest.main(verbosity=1)
