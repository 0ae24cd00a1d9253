"""zcreport validate agrees with python3-jsonschema (Debian) on every
fixture and on a few hundred seeded mutations of them (wrong types, empty
strings, missing and extra keys, bad enums), valid and invalid alike; and
every line it prints for an invalid report names the file and a JSON
pointer. Beyond the schema zcreport checks what a schema cannot say (unique
probe ids, summary counts, one engine result per mode/kind/size); the
reference verdict applies the same rules, written here independently."""
import copy
import json
import os
import random

import rtest as t

t.require_binary()
validator = t.schema_validator()
work = t.private_dir()

REPLACEMENTS = [None, "", "x", 0, -1, 1.5, True, [], {}, ["up"], {"a": 1}, "supported", "2026-11-25T07:00:00Z",
                "pipe.vmsplice", 2 ** 40, "E", "EINVAL"]


def paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node[:3]):
            yield from paths(v, prefix + (i,))


def consistent(doc):
    probes = doc["probes"]
    ids = [p["id"] for p in probes]
    if len(ids) != len(set(ids)):
        return False
    for key, value in doc["summary"].items():
        want = len(probes) if key == "total" else sum(1 for p in probes if p["status"] == key)
        if value != want:
            return False
    engine = [(e["mode"], e["kind"], e["size"]) for e in doc.get("engine", [])]
    return len(engine) == len(set(engine))


def mutate(doc, rng):
    d = copy.deepcopy(doc)
    all_paths = [p for p in paths(d) if p]
    path = rng.choice(all_paths)
    parent = d
    for key in path[:-1]:
        parent = parent[key]
    last = path[-1]
    action = rng.random()
    if action < 0.15 and isinstance(parent, dict):
        del parent[last]
    elif action < 0.25 and isinstance(parent, dict):
        parent[rng.choice(["extra", "Bad-Key", "zz_new"])] = rng.choice(REPLACEMENTS)
    else:
        parent[last] = copy.deepcopy(rng.choice(REPLACEMENTS))
    return d


try:
    cases = {}
    for f in t.all_fixtures():
        with open(f) as fh:
            cases[f] = json.load(fh)
    rng = random.Random(20261125)
    bases = list(cases.values())
    for i in range(400):
        cases[os.path.join(work, f"mutant-{i:03d}.json")] = mutate(rng.choice(bases), rng)
    for path, doc in cases.items():
        if path.startswith(work):
            with open(path, "w") as fh:
                json.dump(doc, fh)

    r = t.zcreport(["validate"] + list(cases))
    out = r.stdout.decode()
    err = r.stderr.decode()
    ours_valid = {line.split(": valid (")[0] for line in out.splitlines() if ": valid (" in line}
    ours_invalid = {}
    for line in err.splitlines():
        file, _, rest = line.partition(": ")
        ours_invalid.setdefault(file, []).append(rest)

    agree = disagree = invalid_count = 0
    for path, doc in cases.items():
        theirs = not any(True for _ in validator.iter_errors(doc)) and consistent(doc)
        # zcreport rejects a non-1 schema_version before the schema (to name
        # the supported range); the schema's const says the same.
        ours = path in ours_valid
        if ours == theirs:
            agree += 1
        else:
            disagree += 1
            first = next(iter(validator.iter_errors(doc)), None)
            why = first.message[:120] if first else "inconsistent summary, ids or engine entries"
            t.check(False, f"{os.path.basename(path)}: zcreport says {'valid' if ours else 'invalid'}, "
                           f"reference says {'valid' if theirs else 'invalid: ' + why}; "
                           f"zcreport: {ours_invalid.get(path, [''])[0][:160]}")
        t.check(ours != (path in ours_invalid), f"{path}: exactly one verdict line kind")
        if not theirs:
            invalid_count += 1
            for line in ours_invalid.get(path, []):
                t.check(line.startswith("/") or line.startswith("..."), f"{path}: line names a JSON pointer: {line!r}")
    print(f"{len(cases)} documents, {invalid_count} invalid per jsonschema; agreement {agree}/{len(cases)}")
    t.check(invalid_count > 150, f"the mutations produce plenty of invalid documents ({invalid_count})")
    t.check(r.returncode == 2, f"validate exits 2 when any file is invalid (got {r.returncode})")
    fixtures_only = t.zcreport(["validate"] + t.all_fixtures())
    t.check(fixtures_only.returncode == 0, f"every fixture validates: {fixtures_only.stderr.decode()[:300]}")
finally:
    t.cleanup(work)
t.finish()
