#!/usr/bin/python3
"""What the sandbox matrix did, read from its results directory
(lines.json): a head line (sandboxes reported, expectations, known gaps)
and one line per sandbox (supported/unsupported/blocked/skipped, the
namespace zcprobe reported). ci/test prints it last, next to the kernel
matrix's line, so a green run that ran no sandbox cannot pass unnoticed;
the matrix appends the same table to matrix.md and matrix.html.
    summary.py [--since EPOCH] RESULTS_DIR"""
import html
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "matrix"))
import summary  # noqa: E402  (the summary scripts' shared command line)

COUNTS = ("supported", "unsupported", "blocked", "skipped")


def counts_text(s):
    text = ", ".join(f"{s.get(k, 0)} {k}" for k in COUNTS)
    return text + (f", {s['error']} error" if s.get("error") else "")


def summarize(doc):
    """[head line, one line per sandbox]."""
    if "cannot_run" in doc:
        return [f"sandbox matrix: did not run (exit 77): {doc['cannot_run']}"]
    lines = doc.get("lines", [])
    reported = [l for l in lines if l["reported"]]
    head = f"sandbox matrix: {len(reported)} of {len(lines)} sandboxes reported in {doc.get('seconds', 0):.0f} s"
    if doc.get("packages"):
        head += f" (profiles: {', '.join(doc['packages'].values())})"
    if not doc.get("enough_lines", False):
        head += f"; NOT ENOUGH SANDBOXES: {doc.get('enough_lines_text')}"
    checks = doc.get("expectations")
    if checks:
        head += f"; expectations: {checks['held']} of {checks['checked']} hold"
    gaps = doc.get("known_gaps")
    if gaps:
        head += f"; known gaps (not enforced): {gaps['present']} of {gaps['checked']} still present"
        if gaps["gone"]:
            head += f", {len(gaps['gone'])} gone (fixed? see expectations.txt of the results)"
    out = [head]
    width = max((len(l["label"]) for l in lines), default=0)
    for l in lines:
        if l["reported"]:
            out.append(f"  {l['label']:<{width}}  {counts_text(l['summary'])}; namespace {l['namespace']}")
        else:
            out.append(f"  {l['label']:<{width}}  {l['outcome']}: {l['detail']}")
    return out


def rows(records):
    return [(r["label"], r["runtime"], r["sandbox"], r["outcome"],
             counts_text(r["summary"]) if r["reported"] else (r["detail"] or "-"),
             r["namespace"] or "-") for r in records]


def append_to_matrix(results, records):
    """The sandboxes table (what each column stands for, its counts and
    namespace) after zcreport's matrix in matrix.md and matrix.html."""
    heads = ("sandbox", "runtime", "policy", "outcome", "verdicts", "namespace reported")
    md = ["", "Sandboxes of this run:", "", "| " + " | ".join(heads) + " |", "|---" * len(heads) + "|"]
    md += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in rows(records)]
    with open(os.path.join(results, "matrix.md"), "a") as f:
        f.write("\n".join(md) + "\n")
    path = os.path.join(results, "matrix.html")
    if os.path.exists(path):
        with open(path) as f:
            page = f.read()
        table = ("<h2>Sandboxes of this run</h2>\n<table>\n<tr>" + "".join(f"<th>{h}</th>" for h in heads)
                 + "</tr>\n" + "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>\n"
                                       for row in rows(records)) + "</table>\n")
        at = page.rfind("</body>")
        page = page[:at] + table + page[at:] if at >= 0 else page + table
        with open(path + ".tmp", "w") as f:
            f.write(page)
        os.replace(path + ".tmp", path)


def main(argv):
    return summary.lines_main(argv, "sandbox matrix", "ci/sandbox/sandbox_summary.py", summarize)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
