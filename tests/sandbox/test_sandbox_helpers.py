"""Pure parts of ci/sandbox-matrix, no runc: the seccomp profile translator
(conditional rules resolved per capability set, arch and kernel), the OCI
config of each sandbox, the readers of the packages' capability lists, the
pseudo-results the expectations can name, and the summary lines. The real
profiles are checked too when their Debian packages are in the cache
(~/.cache/zcprobe-sandbox, filled by the first matrix run)."""
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "ci", "sandbox"))
sys.path.insert(0, os.path.join(HERE, "..", "..", "ci", "matrix"))

import expectations  # noqa: E402
import policy_sources  # noqa: E402
import report_facts  # noqa: E402
import sandbox_summary  # noqa: E402
import sandboxes  # noqa: E402
import seccomp_profile  # noqa: E402
from seccomp_profile import action_for, translate  # noqa: E402

PROFILE = {
    "defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 1,
    "archMap": [{"architecture": "SCMP_ARCH_X86_64", "subArchitectures": ["SCMP_ARCH_X86", "SCMP_ARCH_X32"]},
                {"architecture": "SCMP_ARCH_AARCH64", "subArchitectures": ["SCMP_ARCH_ARM"]}],
    "syscalls": [
        {"names": ["read", "splice"], "action": "SCMP_ACT_ALLOW"},
        {"names": ["ptrace"], "action": "SCMP_ACT_ALLOW", "includes": {"minKernel": "4.8"}},
        {"names": ["arch_prctl"], "action": "SCMP_ACT_ALLOW", "includes": {"arches": ["amd64", "x32"]}},
        {"names": ["breakpoint"], "action": "SCMP_ACT_ALLOW", "includes": {"arches": ["arm", "arm64"]}},
        {"names": ["unshare", "setns"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_SYS_ADMIN"]}},
        {"names": ["both"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_SYS_ADMIN", "CAP_BPF"]}},
        {"names": ["clone3"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38, "excludes": {"caps": ["CAP_SYS_ADMIN"]}},
        {"names": ["clone"], "action": "SCMP_ACT_ALLOW", "comment": "no namespace flags",
         "args": [{"index": 0, "value": 2114060288, "valueTwo": 0, "op": "SCMP_CMP_MASKED_EQ"}],
         "excludes": {"caps": ["CAP_SYS_ADMIN"], "arches": ["s390", "s390x"]}},
        {"name": "newkernel", "action": "SCMP_ACT_ALLOW", "excludes": {"minKernel": "6.0"}},
        {"names": ["vmsplice"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1, "errno": "EPERM",
         "includes": {}, "excludes": {}},
    ],
}


def names(section):
    return [n for r in section["syscalls"] for n in r["names"]]


class TranslateTest(unittest.TestCase):
    def test_capability_conditions(self):
        none = translate(PROFILE, [], "amd64", "6.18.44")
        self.assertNotIn("unshare", names(none))
        self.assertEqual(action_for(none, "unshare"), ("SCMP_ACT_ERRNO", 1))   # the default
        self.assertEqual(action_for(none, "clone3"), ("SCMP_ACT_ERRNO", 38))
        admin = translate(PROFILE, ["CAP_SYS_ADMIN"], "amd64", "6.18.44")
        self.assertEqual(action_for(admin, "unshare"), ("SCMP_ACT_ALLOW", None))
        self.assertNotIn("clone3", names(admin))            # excluded when any excluded cap is held
        self.assertNotIn("both", names(admin))              # included only when every cap is held
        self.assertIn("both", names(translate(PROFILE, ["CAP_SYS_ADMIN", "CAP_BPF"], "amd64", "6.1")))

    def test_arch_and_kernel_conditions(self):
        amd = translate(PROFILE, [], "amd64", "6.1.0-57-cloud-amd64")
        self.assertEqual(amd["architectures"], ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"])
        self.assertIn("arch_prctl", names(amd))
        self.assertNotIn("breakpoint", names(amd))
        arm = translate(PROFILE, [], "arm64", "6.1")
        self.assertEqual(arm["architectures"], ["SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"])
        self.assertIn("breakpoint", names(arm))
        self.assertNotIn("arch_prctl", names(arm))
        # minKernel compares MAJOR.MINOR only, as moby's parseRelease.
        self.assertIn("ptrace", names(translate(PROFILE, [], "amd64", "4.8.0")))
        self.assertNotIn("ptrace", names(translate(PROFILE, [], "amd64", "4.7.10")))
        self.assertIn("newkernel", names(translate(PROFILE, [], "amd64", "5.19")))
        self.assertNotIn("newkernel", names(translate(PROFILE, [], "amd64", "6.0-rc1")))
        with self.assertRaises(seccomp_profile.ProfileError):
            translate(PROFILE, [], "amd64", "not-a-version")

    def test_oci_shape(self):
        out = translate(PROFILE, [], "amd64", "6.1")
        self.assertEqual(out["defaultAction"], "SCMP_ACT_ERRNO")
        self.assertEqual(out["defaultErrnoRet"], 1)
        clone = next(r for r in out["syscalls"] if r["names"] == ["clone"])
        # Only OCI fields: no comment, errno name or empty includes.
        self.assertEqual(set(clone), {"names", "action", "args"})
        self.assertEqual(clone["args"][0], {"index": 0, "value": 2114060288, "valueTwo": 0,
                                            "op": "SCMP_CMP_MASKED_EQ"})
        vms = next(r for r in out["syscalls"] if r["names"] == ["vmsplice"])
        self.assertEqual(vms, {"names": ["vmsplice"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1})
        # Rules keep the profile's order.
        self.assertEqual(names(out)[:3], ["read", "splice", "ptrace"])

    def test_bad_profiles(self):
        with self.assertRaises(seccomp_profile.ProfileError):
            translate(dict(PROFILE, architectures=["SCMP_ARCH_X86_64"]), [], "amd64", "6.1")
        with self.assertRaises(seccomp_profile.ProfileError):
            translate({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"name": "a", "names": ["b"],
                                                                       "action": "SCMP_ACT_ALLOW"}]}, [])
        with self.assertRaises(seccomp_profile.ProfileError):
            translate(PROFILE, [], "mips", "6.1")


class FakePolicies:
    docker_caps = ["CAP_CHOWN", "CAP_NET_RAW", "CAP_AUDIT_WRITE"]
    podman_caps = ["CAP_CHOWN", "CAP_KILL"]
    docker_masked = ["/proc/kcore"]
    docker_readonly = ["/proc/sys"]
    docker_profile = PROFILE
    podman_profile = {"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 38,
                      "syscalls": [{"names": ["vmsplice"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1}]}


class ConfigTest(unittest.TestCase):
    def config(self, label):
        return sandboxes.config(sandboxes.BY_LABEL[label], FakePolicies, "/r", "/o", ["/bin/zcprobe", "-o", "x"],
                                "amd64", "6.18.44")

    def test_every_runc_sandbox(self):
        for sb in sandboxes.ALL:
            if sb.kind != "runc":
                continue
            c = self.config(sb.label)
            self.assertNotIn("rlimits", c["process"], sb.label)   # root here lacks CAP_SYS_RESOURCE
            self.assertFalse(c["process"]["terminal"])
            self.assertIn({"type": "network"}, c["linux"]["namespaces"])   # its own namespace, never the host's
            self.assertFalse(any("path" in n for n in c["linux"]["namespaces"]))
            self.assertTrue(c["root"]["readonly"])
            self.assertEqual(c["process"]["args"], ["/bin/zcprobe", "-o", "x"])
            self.assertIn({"destination": "/out", "type": "bind", "source": "/o", "options": ["rbind", "rw"]},
                          c["mounts"])

    def test_policies(self):
        d = self.config("docker-default")
        self.assertEqual(d["process"]["capabilities"]["bounding"], FakePolicies.docker_caps)
        self.assertEqual(d["process"]["user"]["uid"], 0)
        self.assertFalse(d["process"]["noNewPrivileges"])
        self.assertEqual(d["linux"]["seccomp"]["defaultErrnoRet"], 1)
        p = self.config("podman-default")
        self.assertEqual(p["process"]["capabilities"]["effective"], FakePolicies.podman_caps)
        self.assertEqual(action_for(p["linux"]["seccomp"], "vmsplice"), ("SCMP_ACT_ERRNO", 1))
        self.assertEqual(action_for(p["linux"]["seccomp"], "io_uring_setup"), ("SCMP_ACT_ERRNO", 38))
        k = self.config("k8s-restricted")
        self.assertEqual(k["process"]["capabilities"], {"bounding": [], "effective": [], "permitted": []})
        self.assertEqual((k["process"]["user"]["uid"], k["process"]["user"]["gid"]), (65534, 65534))
        self.assertTrue(k["process"]["noNewPrivileges"])
        self.assertEqual(k["linux"]["seccomp"], translate(PROFILE, [], "amd64", "6.18.44"))
        h = self.config("podman-hidden-sysctl")
        self.assertEqual(h["linux"]["maskedPaths"], ["/proc/kcore", "/proc/sys/kernel"])
        self.assertEqual(p["linux"]["maskedPaths"], ["/proc/kcore"])


class PackageReadersTest(unittest.TestCase):
    def test_go_and_toml_lists(self):
        go = 'package caps\nfunc DefaultCapabilities() []string {\n\treturn []string{\n\t\t"CAP_CHOWN",\n' \
             '\t\t"CAP_NET_RAW",\n\t}\n}\n'
        self.assertEqual(policy_sources.go_string_list(go, "func DefaultCapabilities"), ["CAP_CHOWN", "CAP_NET_RAW"])
        conf = '# default_capabilities = [\n#  "NOPE",\n# ]\n[containers]\ndefault_capabilities = [\n  "CHOWN",\n' \
               '  "KILL"\n]\n'
        self.assertEqual(policy_sources.toml_string_list(conf, "default_capabilities"), ["CHOWN", "KILL"])
        with self.assertRaises(policy_sources.Unavailable):
            policy_sources.toml_string_list("# default_capabilities = []\n", "default_capabilities")


def cached_policies():
    root = policy_sources.default_cache()
    have = all(any(n.startswith(p + "_") for n in os.listdir(os.path.join(root, "debs")))
               for p in (policy_sources.DOCKER[0], policy_sources.PODMAN[0])) if os.path.isdir(
        os.path.join(root, "debs")) else False
    return policy_sources.load(root, lambda _m: None) if have else None


class RealProfilesTest(unittest.TestCase):
    """Docker 26.1.5's and containers-common's files, from the package cache."""

    @classmethod
    def setUpClass(cls):
        cls.p = cached_policies()

    def setUp(self):
        if self.p is None:
            self.skipTest(f"profile packages not in {policy_sources.default_cache()} (a sandbox matrix run "
                          f"fetches them)")

    def test_capability_lists(self):
        self.assertEqual(len(self.p.docker_caps), 14)
        self.assertIn("CAP_NET_RAW", self.p.docker_caps)
        self.assertEqual(len(self.p.podman_caps), 11)
        self.assertNotIn("CAP_NET_RAW", self.p.podman_caps)
        self.assertIn("/proc/sys", self.p.docker_readonly)

    def test_docker_profile(self):
        d = translate(self.p.docker_profile, self.p.docker_caps, "amd64", "6.18")
        for call in ("io_uring_setup", "io_uring_enter", "io_uring_register", "unshare", "setns"):
            self.assertEqual(action_for(d, call), ("SCMP_ACT_ERRNO", 1), call)
        for call in ("splice", "vmsplice", "sendfile", "sendmsg"):
            self.assertEqual(action_for(d, call), ("SCMP_ACT_ALLOW", None), call)
        self.assertEqual(action_for(d, "clone3"), ("SCMP_ACT_ERRNO", 38))
        self.assertEqual(action_for(d, "ptrace"), ("SCMP_ACT_ALLOW", None))   # minKernel 4.8
        admin = translate(self.p.docker_profile, self.p.docker_caps + ["CAP_SYS_ADMIN"], "amd64", "6.18")
        self.assertEqual(action_for(admin, "unshare"), ("SCMP_ACT_ALLOW", None))
        self.assertEqual(action_for(admin, "io_uring_setup"), ("SCMP_ACT_ERRNO", 1))

    def test_podman_profile(self):
        p = translate(self.p.podman_profile, self.p.podman_caps, "amd64", "6.18")
        self.assertEqual(action_for(p, "vmsplice"), ("SCMP_ACT_ERRNO", 1))
        self.assertEqual(action_for(p, "io_uring_setup"), ("SCMP_ACT_ERRNO", 38))
        for call in ("splice", "unshare", "setns", "sendfile"):
            self.assertEqual(action_for(p, call), ("SCMP_ACT_ALLOW", None), call)


def report(netns_mode="host", euid=0, raw=True, status="skipped"):
    return {"environment": {"euid": euid, "seccomp_mode": 2, "no_new_privs": False,
                            "netns": {"mode": netns_mode, "isolated": netns_mode != "host", "reason": "x"},
                            "capabilities": {"cap_net_raw": raw, "cap_net_admin": False}},
            "summary": {"supported": 1}, "probes": [{"id": "splice.tcp4", "status": status}]}


class FactsTest(unittest.TestCase):
    def check(self, text, reports):
        return expectations.check(expectations.parse(text, "t"),
                                  {k: report_facts.with_facts(r) for k, r in reports.items()}, "t")

    def test_environment_rules(self):
        rules = ("docker-default environment.netns mode=host isolated=false\n"
                 "docker-default environment euid=0 seccomp_mode=2\n"
                 "docker-default environment.capabilities cap_net_raw=true\n")
        self.assertEqual(self.check(rules, {"docker-default": report()}), ([], 3, 0))
        fails, checked, _ = self.check(rules, {"docker-default": report("userns+netns", euid=65534, raw=False)})
        self.assertEqual(checked, 3)
        self.assertEqual(len(fails), 3)
        self.assertIn("expected mode=host, got mode=userns+netns", fails[0])

    def test_typed_and_unknown(self):
        # A number in quotes is a string, not the euid.
        fails, _c, _u = self.check("d environment euid=\"0\"\n", {"d": report()})
        self.assertEqual(len(fails), 1)
        with self.assertRaises(expectations.ExpectationError):
            self.check("d environment.capabilities cap_bogus=true\n", {"d": report()})

    def test_gap_flips(self):
        """A known gap is a rule on today's wrong verdict: it holds now and
        fails (is 'gone') once the verdict changes."""
        gap = "docker-default splice.tcp4 status=skipped\n"
        self.assertEqual(self.check(gap, {"docker-default": report()})[0], [])
        self.assertEqual(len(self.check(gap, {"docker-default": report(status="supported")})[0]), 1)

    def test_sandbox_answer_rules(self):
        """The probe's sandbox object is addressable as flat fields; a report
        without it (older zcprobe) has no such field, so the rule fails."""
        r = report(status="supported")
        r["probes"][0]["sandbox"] = {"answer": "refused", "layer": "capability", "detail": "CAP_NET_RAW",
                                     "fix": "--cap-add NET_RAW", "cause_checked": True}
        rule = "p splice.tcp4 status=supported sandbox_answer=refused sandbox_layer=capability " \
               "sandbox_detail=CAP_NET_RAW sandbox_cause_checked=true\n"
        self.assertEqual(self.check(rule, {"p": r}), ([], 1, 0))
        with self.assertRaises(expectations.ExpectationError):
            self.check(rule, {"p": report(status="supported")})
        self.assertNotIn("sandbox_answer", r["probes"][0])

    def test_report_untouched(self):
        r = report()
        report_facts.with_facts(r)
        self.assertEqual([p["id"] for p in r["probes"]], ["splice.tcp4"])


class SummaryTest(unittest.TestCase):
    def test_lines(self):
        doc = {"seconds": 4.4, "enough_lines": True, "packages": {"docker": "d_26", "podman": "p_0.50"},
               "expectations": {"checked": 47, "held": 47}, "known_gaps": {"checked": 17, "present": 16,
                                                                            "gone": ["x"]},
               "lines": [{"label": "docker-default", "reported": True, "namespace": "host",
                          "summary": {"supported": 11, "unsupported": 2, "blocked": 6, "skipped": 54, "error": 0}},
                         {"label": "podman-default", "reported": False, "outcome": "unavailable",
                          "detail": "apt-get download failed"}]}
        out = sandbox_summary.summarize(doc)
        self.assertEqual(out[0], "sandbox matrix: 1 of 2 sandboxes reported in 4 s (profiles: d_26, p_0.50); "
                                 "expectations: 47 of 47 hold; known gaps (not enforced): 16 of 17 still present, "
                                 "1 gone (fixed? see expectations.txt of the results)")
        self.assertEqual(out[1], "  docker-default  11 supported, 2 unsupported, 6 blocked, 54 skipped; namespace host")
        self.assertEqual(out[2], "  podman-default  unavailable: apt-get download failed")
        self.assertEqual(sandbox_summary.summarize({"cannot_run": "no runc"}),
                         ["sandbox matrix: did not run (exit 77): no runc"])


if __name__ == "__main__":
    unittest.main(verbosity=1)
