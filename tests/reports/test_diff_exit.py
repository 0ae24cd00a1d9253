"""zcreport diff gates upgrades: exit 0 without a regression, 1 with one
(and the output still written), 2 on bad input; render --require and
--strict exit 1 when a required probe is not supported."""
import json
import os

import rtest as t

t.require_binary()
work = t.private_dir()
try:
    a = t.fixture("vm-6.18.json")
    b = t.fixture("vm-6.19-regressed.json")
    r = t.zcreport(["diff", a, a])
    t.check(r.returncode == 0 and b"no changes" in r.stdout, f"same report: exit 0, no changes (got {r.returncode})")
    r = t.zcreport(["diff", a, b])
    t.check(r.returncode == 1, f"regression: exit 1 (got {r.returncode})")
    t.check(b"regression   splice.raw4_hdrincl" in r.stdout, "names the regressed probe")
    r = t.zcreport(["diff", b, a])
    t.check(r.returncode == 1, f"reverse: splice_straddle... improvements, pipe.setpipe_sz_beyond_max regressed -> 1 (got {r.returncode})")
    out = os.path.join(work, "diff.json")
    r = t.zcreport(["diff", a, b, "--format", "json", "-o", out])
    t.check(r.returncode == 1 and r.stdout == b"", "json diff to a file: exit 1, nothing on stdout")
    with open(out) as f:
        d = json.load(f)
    kinds = sorted({c["kind"] for c in d["changes"]})
    t.check(d["regression"] is True and kinds == ["improvement", "regression", "straddle", "zero_copy"],
            f"json diff kinds: {kinds}")
    e1 = t.fixture("engine", "vm-6.18-engine.json")
    e2 = t.fixture("engine", "vm-6.18-engine-slower.json")
    r = t.zcreport(["diff", e1, e2])
    t.check(r.returncode == 0 and r.stdout.count(b"engine ") == 5,
            f"engine slowdown beyond spread: 5 changes, no regression exit (got {r.returncode}, {r.stdout[-300:]!r})")

    r = t.zcreport(["render", a, "--format", "junit", "--require", "splice.*"])
    t.check(r.returncode == 0, f"required splice.* all supported: exit 0 (got {r.returncode})")
    r = t.zcreport(["render", a, "--format", "junit", "--require", "zerocopy.raw4"])
    t.check(r.returncode == 1 and b"<failure" in r.stdout, f"required unsupported probe: exit 1 and a failure (got {r.returncode})")
    t.check(b"zerocopy.raw4 needs attention (required): required probe is unsupported" in r.stderr,
            "stderr names the unmet requirement")
    # --strict fails on what needs attention, not on what is unsupported by
    # design (SO_ZEROCOPY on raw sockets) or blocked.
    r = t.zcreport(["render", a, "--format", "text", "--strict"])
    t.check(r.returncode == 0, f"--strict with only unsupported and blocked probes: exit 0 (got {r.returncode})")
    r = t.zcreport(["render", t.fixture("host-6.18-healthy.json"), "--format", "text", "--strict"])
    t.check(r.returncode == 0, f"--strict on a real report of a healthy host: exit 0 (got {r.returncode}: {r.stderr[:300]!r})")
    r = t.zcreport(["render", t.fixture("host-6.18-affected.json"), "--format", "text", "--strict"])
    t.check(r.returncode == 1 and b"security.cve_2026_46300 needs attention (AFFECTED)" in r.stderr,
            f"--strict with an affected CVE: exit 1 naming it (got {r.returncode})")
    r = t.zcreport(["render", t.fixture("engine", "eager-unclean.json"), "--format", "text", "--strict"])
    t.check(r.returncode == 1 and b"udp-splice/udp4/1400 needs attention (unclean)" in r.stderr,
            f"--strict with an unclean engine run: exit 1 naming it (got {r.returncode})")
    r = t.zcreport(["render", t.fixture("engine", "eager-unclean.json"), "--format", "text"])
    t.check(r.returncode == 0, f"without --strict an unclean run is shown, not gated (got {r.returncode})")
finally:
    t.cleanup(work)
t.finish()
