"""A small fleet made from the ci-runner-6.1 fixture for the zcreport fleet
tests: hosts in three kernel groups, a few that differ from their group's
majority, a few affected by Dirty Pipe, a malformed report, a report that
fails the schema and a zcengine report (foreign)."""
import copy
import json
import os

import rtest as t

RELEASES = [("6.1.0-28-amd64", "12"), ("6.1.0-30-amd64", "12"), ("6.12.9-amd64", "13")]


def base():
    with open(t.fixture("ci-runner-6.1.json")) as f:
        return json.load(f)


def recount(doc):
    statuses = [p["status"] for p in doc["probes"]]
    for k in doc["summary"]:
        doc["summary"][k] = len(statuses) if k == "total" else statuses.count(k)


def flip(doc, probe_id):
    for p in doc["probes"]:
        if p["id"] != probe_id:
            continue
        if p["status"] == "supported":
            p["status"], p["errno"], p["errno_name"] = "unsupported", 95, "EOPNOTSUPP"
            if probe_id.startswith("security.cve_"):
                p["evidence"]["vulnerable"] = True
        else:
            p["status"], p["errno"], p["errno_name"] = "supported", None, None
    recount(doc)


def make(directory, hosts=30, differing=("node-007", "node-013"), affected=("node-022", "node-025"),
         extra_fields=False):
    """Writes the set; returns {"good": [...], "bad": [...], "foreign": [...]} paths."""
    doc0 = base()
    out = {"good": [], "bad": [], "foreign": []}
    for i in range(hosts):
        name = f"node-{i:03d}"
        d = copy.deepcopy(doc0)
        rel, ver = RELEASES[i % len(RELEASES)]
        d["kernel"]["release"] = rel
        d["environment"]["hostname"] = name
        d["environment"]["distro"]["version_id"] = ver
        if name in differing:
            flip(d, "splice.tcp4")
        if name in affected:
            flip(d, "security.cve_2022_0847")
        path = os.path.join(directory, f"{name}.json")
        with open(path, "w") as f:
            json.dump(d, f)
        out["good"].append(path)
    bad = os.path.join(directory, "truncated.json")
    with open(bad, "w") as f:
        f.write(json.dumps(doc0)[:1000])
    invalid = os.path.join(directory, "invalid.json")
    d = copy.deepcopy(doc0)
    d["probes"][0]["status"] = "maybe"
    with open(invalid, "w") as f:
        json.dump(d, f)
    out["bad"] += [bad, invalid]
    engine = os.path.join(directory, "engine.json")
    with open(t.fixture("engine", "vm-6.18-engine.json")) as f, open(engine, "w") as g:
        g.write(f.read())
    out["foreign"].append(engine)
    return out
