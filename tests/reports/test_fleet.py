"""zcreport fleet over a small fleet (fleet_set.py): kernel groups, hosts
that differ from their group's majority with the differing probe, hosts
affected per CVE, probe status counts; bad and foreign reports named and
counted, never fatal; the exit codes of the man page; files, directories
and '-' (a list on stdin) read alike; the same view whatever the thread
count; every format says the same."""
import json
import os

import fleet_set
import rtest as t

t.require_binary()
work = t.private_dir()
try:
    s = fleet_set.make(work)
    r = t.zcreport(["fleet", work, "--format", "json"])
    t.check(r.returncode == 2, f"a bad report among good ones: exit 2 (got {r.returncode})")
    t.check(b"3 of 33 reports not read (2 bad, 1 foreign)" in r.stderr, f"stderr names the count: {r.stderr[:300]}")
    v = json.loads(r.stdout)
    sm = v["summary"]
    t.check((sm["inputs"], sm["read"], sm["bad"], sm["foreign"]) == (33, 30, 2, 1), f"counts {sm}")
    skipped = {os.path.basename(x["path"]): x for x in v["skipped"]}
    t.check(set(skipped) == {"truncated.json", "invalid.json", "engine.json"}, f"skipped named: {set(skipped)}")
    t.check("not valid JSON" in skipped["truncated.json"]["why"], "truncated: why")
    t.check("/probes/0/status" in skipped["invalid.json"]["why"], "schema violation: the pointer")
    t.check(skipped["engine.json"]["foreign"] and "zcengine" in skipped["engine.json"]["why"], "engine report: foreign")
    groups = {g["kernel_release"]: g for g in v["groups"]}
    t.check(set(groups) == {r for r, _ in fleet_set.RELEASES}, f"groups by release: {set(groups)}")
    t.check(all(g["hosts"] == 10 for g in groups.values()), "10 hosts per group")
    t.check(groups["6.12.9-amd64"]["distro"] == "debian 13", "group carries the distro")
    majority = groups["6.1.0-28-amd64"]["columns"][0]
    t.check(majority["majority"] and majority["count"] == 10, "an untouched group is one column of 10")
    mv = groups["6.1.0-30-amd64"]["majority_verdicts"]
    t.check(mv["splice.tcp4"]["word"] == "supported" and len(mv) == 65, "the majority's verdict per probe")
    differing = {h["host"]: d for d in v["differing"] for h in d["hosts"]}
    t.check(set(differing) == {"node-007", "node-013", "node-022", "node-025"}, f"differing hosts {set(differing)}")
    d7 = differing["node-007"]["differences"]
    t.check([(x["probe"], x["verdict"]["word"], x["majority"]["word"]) for x in d7] ==
            [("splice.tcp4", "unsupported", "supported")], f"node-007's difference: {d7}")
    both = differing["node-022"]
    t.check(both["count"] == 2 and [h["host"] for h in both["hosts"]] == ["node-022", "node-025"],
            "identical differing hosts collapse into one column with a count and a host list")
    cve = {c["cve"]: c for c in v["cves"]}["CVE-2022-0847"]
    t.check([h["host"] for h in cve["affected"]] == ["node-022", "node-025"] and cve["affected_count"] == 2,
            f"affected hosts per CVE: {cve}")
    t.check(cve["undetermined"] == 28, "the others: not determined (no proof of reach)")
    att = v["attention"][0]
    t.check(att["tag"] == "AFFECTED" and att["subject"] == "security.cve_2022_0847" and att["count"] == 2,
            f"attention leads with the affected CVE: {att}")
    t.check(att["severity"] == "danger", "severity from verdict_view")
    probes = {p["id"]: p for p in v["probes"]}
    t.check(probes["splice.tcp4"]["statuses"] == {"supported": 28, "unsupported": 2}, "status counts per probe")
    t.check(sm["hosts_needing_attention"] == 2 and sm["differing_hosts"] == 4, f"summary {sm}")

    # Only good reports: exit 0; --strict with an affected host: 1; --require: 1.
    good = t.zcreport(["fleet"] + s["good"] + ["--format", "json"])
    t.check(good.returncode == 0, f"good reports only: exit 0 (got {good.returncode} {good.stderr[:200]})")
    strict = t.zcreport(["fleet", "--strict"] + s["good"])
    t.check(strict.returncode == 1, f"--strict with an affected host: exit 1 (got {strict.returncode})")
    req = t.zcreport(["fleet", "--require", "splice.tcp4", "--format", "json"] + s["good"])
    t.check(req.returncode == 1, f"--require'd probe unsupported somewhere: exit 1 (got {req.returncode})")
    rq = [a for a in json.loads(req.stdout)["attention"] if a["tag"] == "required"]
    t.check(len(rq) == 1 and sorted(h["host"] for h in rq[0]["hosts"]) == ["node-007", "node-013"],
            f"required, not supported: where {rq}")
    typo = t.zcreport(["fleet", "--require", "no.such_probe"] + s["good"])
    t.check(typo.returncode == 2 and b"matches no probe id" in typo.stderr, "a --require that matches nothing: exit 2")
    none = t.zcreport(["fleet"] + s["bad"])
    t.check(none.returncode == 2 and b"no report could be read" in none.stderr, "nothing readable: exit 2")
    usage = t.zcreport(["fleet", work, "--format", "xml"])
    t.check(usage.returncode == 2 and not usage.stdout, "bad --format: exit 2, nothing written")

    # '-': paths on stdin, one a line; the same view as the directory.
    listing = "\n".join(s["good"] + s["bad"] + s["foreign"]).encode() + b"\n"
    piped = t.zcreport(["fleet", "-", "--format", "json"], input=listing)
    pv = json.loads(piped.stdout)
    t.check(piped.returncode == 2 and pv["summary"] == sm, "stdin list: the same summary")
    one = json.loads(t.zcreport(["fleet", work, "--format", "json", "--threads", "1"]).stdout)
    many = json.loads(t.zcreport(["fleet", work, "--format", "json", "--threads", "5"]).stdout)
    t.check(one == many == v, "the same view on 1 and 5 threads")

    # Every format says the same: the affected hosts and the differing host.
    for fmt in ["text", "markdown", "html"]:
        out = t.zcreport(["fleet", work, "--format", fmt]).stdout.decode()
        for needle in ["node-022", "node-025", "node-007", "splice.tcp4", "truncated.json", "AFFECTED"]:
            t.check(needle in out.replace("\\_", "_").replace("`", ""), f"{fmt}: mentions {needle}")
        first = out.find("AFFECTED")
        t.check(0 <= first < out.find("node-007"), f"{fmt}: the affected hosts come before the differing ones")

    # A report with a field the view does not read (a newer zcprobe's) where
    # the schema allows one: read like any other.
    doc = fleet_set.base()
    doc["environment"]["hostname"] = "node-extra"
    doc["probes"][0]["evidence"]["new_field_from_a_newer_probe"] = {"x": 1}
    extra = os.path.join(work, "extra.json")
    with open(extra, "w") as f:
        json.dump(doc, f)
    val = t.zcreport(["validate", extra])
    if val.returncode == 0:
        e = t.zcreport(["fleet", extra, "--format", "json"])
        t.check(e.returncode == 0 and json.loads(e.stdout)["summary"]["read"] == 1, "an extra evidence field: read")
finally:
    t.cleanup(work)
t.finish()
