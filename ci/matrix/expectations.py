"""Checked-in verdicts that must hold per kernel line, compared with the
reports of a matrix run. One rule a line ('#' starts a comment):
    KERNELS  PROBE_ID  FIELD=VALUE [FIELD=VALUE ...]
KERNELS is a comma-separated list of shell globs on the matrix labels
('*' for every column, host included). FIELD is `status`,
`matches_prediction` (whether the probe did what its upstream history
predicts for that kernel: false flags a backport, a distro patch or a
regression) or an evidence key (`zero_copy`, `outcome`, ...); VALUE
true/false/null or a word. A rule whose
KERNELS match no column of this run is reported as not checked."""
import fnmatch
import re

_FIELD = re.compile(r"^([a-z_]+)=(\S+)$")


class ExpectationError(Exception):
    pass


def _value(text):
    return {"true": True, "false": False, "null": None}.get(text, text)


def parse(text, origin):
    rules = []
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        words = line.split()
        if len(words) < 3:
            raise ExpectationError(f"{origin}:{n}: expected 'KERNELS PROBE_ID FIELD=VALUE...', got {raw.strip()!r}")
        fields = {}
        for w in words[2:]:
            m = _FIELD.match(w)
            if not m:
                raise ExpectationError(f"{origin}:{n}: {w!r} is not FIELD=VALUE (e.g. status=supported)")
            fields[m.group(1)] = _value(m.group(2))
        rules.append({"line": n, "kernels": words[0].split(","), "probe": words[1], "fields": fields})
    return rules


# Fields of the probe result itself; any other field is an evidence key.
RESULT_FIELDS = ("status", "matches_prediction", "errno_name")


def _actual(probe, field):
    if field in RESULT_FIELDS:
        return probe.get(field)
    return (probe.get("evidence") or {}).get(field)


def _show(v):
    return {True: "true", False: "false", None: "null"}.get(v, v) if not isinstance(v, str) else v


def check(rules, reports, origin):
    """reports: {label: report dict}. Returns (failures, checked, unchecked)
    where failures are readable lines."""
    failures, checked, unchecked = [], 0, 0
    for rule in rules:
        labels = [l for l in reports if any(fnmatch.fnmatchcase(l, g) for g in rule["kernels"])]
        if not labels:
            unchecked += 1
            continue
        for label in labels:
            probes = {p["id"]: p for p in reports[label].get("probes", [])}
            p = probes.get(rule["probe"])
            where = f"{origin}:{rule['line']}: {label}: {rule['probe']}"
            checked += 1
            if p is None:
                failures.append(f"{where}: not in the report")
                continue
            wrong = [f"expected {field}={_show(want)}, got {field}={_show(_actual(p, field))}"
                     for field, want in rule["fields"].items() if _actual(p, field) != want]
            if wrong:
                failures.append(f"{where}: {'; '.join(wrong)} ({p.get('status')}: {p.get('reason')})")
    return failures, checked, unchecked


# Evidence keys a proposed rule carries besides status (the verdict's shape).
OBSERVED_FIELDS = ("zero_copy", "outcome")


def observed_rules(label, runs):
    """Rule lines for one kernel line from several runs' reports of it: one
    per probe whose status (and zero_copy/outcome/matches_prediction, where
    present) was the
    same in every run; [(probe_id, differing values)] for the others. Only
    what was observed, for a person to review into expectations.txt."""
    def shape(p):
        ev = p.get("evidence") or {}
        history = (("matches_prediction", p["matches_prediction"]),) if "matches_prediction" in p else ()
        return (("status", p.get("status")),) + tuple((k, ev[k]) for k in OBSERVED_FIELDS if k in ev) + history

    per_run = [{p["id"]: shape(p) for p in r.get("probes", [])} for r in runs]
    lines, unstable = [], []
    for pid in (per_run[0] if per_run else {}):
        shapes = [run.get(pid) for run in per_run]
        if any(s != shapes[0] for s in shapes):
            unstable.append((pid, shapes))
            continue
        fields = " ".join(f"{k}={_show(v)}" for k, v in shapes[0])
        lines.append(f"{label:<20} {pid:<29} {fields}")
    return lines, unstable


def main(argv):
    """expectations.py LABEL REPORT.json... : the rules every report agrees on."""
    import json
    import sys
    if len(argv) < 2:
        print("usage: ci/matrix/expectations.py LABEL REPORT.json [REPORT.json...] "
              "(the same kernel line's report from several runs)", file=sys.stderr)
        return 2
    runs = []
    for path in argv[1:]:
        try:
            with open(path) as f:
                runs.append(json.load(f))
        except (OSError, ValueError) as e:
            print(f"expectations.py: {path}: {e}", file=sys.stderr)
            return 2
    lines, unstable = observed_rules(argv[0], runs)
    print(f"# {argv[0]}: identical in {len(runs)} runs")
    print("\n".join(lines))
    for pid, shapes in unstable:
        print(f"# differs between runs, left out: {pid}: {shapes}")
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(main(sys.argv[1:]))
