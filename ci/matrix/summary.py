#!/usr/bin/python3
"""One line on what the kernel matrix did, read from its results directory
(lines.json): how many lines reported, which did not run and why, the
accelerator. ci/test prints it last, so a green run that booted nothing
cannot pass unnoticed.
    summary.py [--since EPOCH] RESULTS_DIR"""
import json
import os
import sys


def summarize(doc):
    if "cannot_run" in doc:
        return f"kernel matrix: did not run (exit 77): {doc['cannot_run']}"
    lines = doc.get("lines", [])
    reported = [l for l in lines if l["reported"]]
    text = f"kernel matrix: {len(reported)} of {len(lines)} lines reported in {doc.get('seconds', 0):.0f} s"
    accels = sorted({f"{l['accelerator']}: {l['accelerator_reason']}" for l in lines if l.get("accelerator")})
    if accels:
        text += f" (qemu {'; '.join(accels)})"
    not_run = [l for l in lines if l["outcome"] in ("unavailable", "cannot-run-here")]
    failed = [l for l in lines if l["outcome"] not in ("ok", "unavailable", "cannot-run-here")]
    if not_run:
        text += "; not run: " + "; ".join(
            f"{l['label']} {l['outcome']} ({l['detail']}"
            + (f"; absent with it: {', '.join(l['absent_positive_cases'])}" if l.get("absent_positive_cases") else "")
            + ")" for l in not_run)
    if failed:
        text += "; failed: " + "; ".join(f"{l['label']} {l['outcome']} ({l['detail']})" for l in failed)
    if not doc.get("enough_lines", False):
        text += f"; NOT ENOUGH LINES: {doc.get('enough_lines_text')}"
    checks = doc.get("expectations")
    if checks:
        text += f"; expectations: {checks['held']} of {checks['checked']} hold"
    return text


def lines_main(argv, what, prog, summarize):
    """The summary scripts' command line: [--since EPOCH] RESULTS_DIR. Prints
    summarize(lines.json) (a line or a list of lines), or one line saying the
    matrix called `what` did not run or is unreadable; exit 0 except on usage."""
    since = None
    if argv[:1] == ["--since"] and len(argv) >= 2:
        since, argv = float(argv[1]), argv[2:]
    if len(argv) != 1:
        print(f"usage: {prog} [--since EPOCH] RESULTS_DIR", file=sys.stderr)
        return 2
    path = os.path.join(argv[0], "lines.json")
    try:
        if since is not None and os.path.getmtime(path) < since:
            print(f"{what}: did not run in this test run (filtered out or interrupted; {path} is older)")
            return 0
        with open(path) as f:
            doc = json.load(f)
    except OSError:
        print(f"{what}: did not run (no {path})")
        return 0
    except ValueError as e:
        print(f"{what}: unreadable {path}: {e}")
        return 0
    text = summarize(doc)
    print(text if isinstance(text, str) else "\n".join(text))
    return 0


def main(argv):
    return lines_main(argv, "kernel matrix", "ci/matrix/summary.py", summarize)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
