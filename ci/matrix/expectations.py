"""Checked-in verdicts that must hold per kernel line, compared with the
reports of a matrix run. One rule a line ('#' starts a comment):
    KERNELS  PROBE_ID  FIELD=VALUE [FIELD=VALUE ...]
KERNELS is a comma-separated list of shell globs on the matrix labels
('*' for every column, host included). FIELD is a field of the probe's
result (`status`, `errno`, `errno_name`, `matches_prediction`: whether the
probe did what its upstream history predicts for that kernel, false flags a
backport, a distro patch or a regression) or else an evidence key
(`zero_copy`, `outcome`, ...). VALUE is typed as in the JSON report:
true/false/null, an integer (`errno=95`), a decimal number, or a word; a
word in double quotes ("95") is a string even when it looks like a number.
Values compare with their type: `errno=95` holds for 95, not for "95", and
a field the result lacks never equals anything, null included. A rule whose
FIELD no result of its probe has, on any line of the run, is rejected (it
could never fail, or never hold). A rule whose KERNELS match no column of
this run is reported as not checked."""
import fnmatch
import re

_FIELD = re.compile(r"^([a-z_]+)=(\S+)$")
_INT = re.compile(r"^-?[0-9]+$")
_DECIMAL = re.compile(r"^-?[0-9]+\.[0-9]+$")


class ExpectationError(Exception):
    pass


class _Absent:
    """A field the result does not have (not the same as null)."""

    def __repr__(self):
        return "(absent)"


ABSENT = _Absent()


def _value(text):
    if text in ("true", "false", "null"):
        return {"true": True, "false": False, "null": None}[text]
    if _INT.match(text):
        return int(text)
    if _DECIMAL.match(text):
        return float(text)
    if len(text) >= 2 and text[0] == text[-1] == '"':
        return text[1:-1]
    return text


def same(want, got):
    """Equal with the same JSON type: true is not 1, 95 is not "95"."""
    if got is ABSENT:
        return False
    if isinstance(want, bool) or isinstance(got, bool):
        return isinstance(want, bool) and isinstance(got, bool) and want == got
    if isinstance(want, (int, float)) and isinstance(got, (int, float)):
        return want == got
    return type(want) is type(got) and want == got


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


# Keys of a probe result that hold no single value a rule could name.
_NOT_VALUES = ("id", "evidence", "history", "introduced")


def _actual(probe, field):
    """The result's own field first (status, errno, errno_name,
    matches_prediction ...), else the evidence key; ABSENT when neither."""
    if field in probe and field not in _NOT_VALUES:
        return probe[field]
    evidence = probe.get("evidence") or {}
    return evidence[field] if field in evidence else ABSENT


def _show(v):
    if v is ABSENT:
        return "(absent)"
    if isinstance(v, bool) or v is None:
        return {True: "true", False: "false", None: "null"}[v]
    if isinstance(v, str) and (_INT.match(v) or _DECIMAL.match(v)):
        return f'"{v}"'
    return str(v)


def unknown_fields(rules, reports, origin):
    """Lines naming a field that no result of the rule's probe has in any
    report of the run (the probe itself being there)."""
    bad = []
    for rule in rules:
        results = [p for r in reports.values() for p in r.get("probes", []) if p.get("id") == rule["probe"]]
        if not results:
            continue
        for field in rule["fields"]:
            if all(_actual(p, field) is ABSENT for p in results):
                keys = sorted({k for p in results for k in p if k not in _NOT_VALUES})
                evidence = sorted({k for p in results for k in (p.get("evidence") or {})})
                bad.append(f"{origin}:{rule['line']}: {rule['probe']} has no field {field!r} in any result of "
                           f"this run (result fields: {', '.join(keys)}; evidence: {', '.join(evidence) or 'none'})")
    return bad


def check(rules, reports, origin):
    """reports: {label: report dict}. Returns (failures, checked, unchecked)
    where failures are readable lines. Raises ExpectationError for rules
    naming a field no result of their probe has."""
    bad = unknown_fields(rules, reports, origin)
    if bad:
        raise ExpectationError("rules name fields no result has:\n" + "\n".join(bad))
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
                     for field, want in rule["fields"].items() if not same(want, _actual(p, field))]
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
