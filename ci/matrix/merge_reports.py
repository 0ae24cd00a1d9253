"""The merged matrix: `zcreport matrix` renders it when the binary is there
(the real renderer, with HTML). Without it, a clearly marked fallback
writes a plain Markdown table and a JSON summary, and no HTML."""
import html
import json
import os
import subprocess


def with_zcreport(zcreport, files, results):
    """Writes matrix.md, matrix.html and matrix.json; returns the Markdown
    text, or raises RuntimeError with zcreport's own message."""
    for fmt, name in (("markdown", "matrix.md"), ("html", "matrix.html"), ("json", "matrix.json")):
        r = subprocess.run([zcreport, "matrix", "--format", fmt, "-o", os.path.join(results, name), *files],
                           capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError(f"zcreport matrix --format {fmt} exited {r.returncode}: {r.stderr.strip()}")
    with open(os.path.join(results, "matrix.md")) as f:
        return f.read()


def _cell(p):
    if p is None:
        return "—"
    text = p["status"]
    zc = (p.get("evidence") or {}).get("zero_copy")
    if zc is True:
        text += " zc"
    elif zc is False:
        text += " copy"
    outcome = (p.get("evidence") or {}).get("outcome")
    if outcome:
        text += f" ({outcome})"
    return text


def fallback(reports, results):
    """reports: {label: report}. FALLBACK ONLY, used when no zcreport binary
    exists: Markdown + JSON, differing rows first."""
    labels = list(reports)
    ids = []
    for rep in reports.values():
        for p in rep["probes"]:
            if p["id"] not in ids:
                ids.append(p["id"])
    by = {l: {p["id"]: p for p in reports[l]["probes"]} for l in labels}
    rows = []
    for pid in ids:
        cells = [_cell(by[l].get(pid)) for l in labels]
        rows.append((len(set(cells)) > 1, pid, cells))
    rows.sort(key=lambda r: not r[0])
    heads = [f"{l} ({reports[l]['kernel']['release']})" for l in labels]
    md = ["_fallback matrix (zcreport not built): plain table, no HTML_", "",
          "| probe | " + " | ".join(heads) + " |", "|---" * (len(labels) + 1) + "|"]
    for differs, pid, cells in rows:
        md.append(f"| {'**' + pid + '**' if differs else pid} | " + " | ".join(cells) + " |")
    text = "\n".join(md) + "\n"
    with open(os.path.join(results, "matrix.md.tmp"), "w") as f:
        f.write(text)
    os.replace(os.path.join(results, "matrix.md.tmp"), os.path.join(results, "matrix.md"))
    doc = {"fallback": True, "columns": [{"label": l, "kernel_release": reports[l]["kernel"]["release"]} for l in labels],
           "rows": [{"id": pid, "differs": d, "cells": c} for d, pid, c in rows]}
    tmp = os.path.join(results, "matrix.json.tmp")
    with open(tmp, "w") as f:
        json.dump(doc, f, indent=1)
    os.replace(tmp, os.path.join(results, "matrix.json"))
    return text


def add_line_notes(results, records):
    """Appends the lines that did not report (outcome and reason) and every
    QEMU line's accelerator to matrix.md and, where it exists, matrix.html
    (before </body>): zcreport only sees the reports, so what ran where, and
    what did not run, is said here. Returns the Markdown added."""
    missing = [r for r in records if not r["reported"]]
    accel = [r for r in records if r["accelerator"]]
    if not missing and not accel:
        return ""
    md, rows = ["", "Lines of this run:", "", "| line | outcome | accelerator | reason |", "| --- | --- | --- | --- |"], []
    for r in records:
        if r["reported"] and not r["accelerator"]:
            continue
        why = "" if r["reported"] else (r["detail"] or "")
        if r["absent_positive_cases"]:
            why += f"; absent with it: the only affected case of {', '.join(r['absent_positive_cases'])}"
        acc = f"{r['accelerator']}: {r['accelerator_reason']}" if r["accelerator"] else "-"
        rows.append((r["label"], r["outcome"], acc, why.strip("; ") or "-"))
    md += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in rows]
    text = "\n".join(md) + "\n"
    path = os.path.join(results, "matrix.md")
    with open(path, "a") as f:
        f.write(text)
    path = os.path.join(results, "matrix.html")
    if os.path.exists(path):
        with open(path) as f:
            page = f.read()
        table = ("<h2>Lines of this run</h2>\n<table>\n<tr><th>line</th><th>outcome</th><th>accelerator</th>"
                 "<th>reason</th></tr>\n"
                 + "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>\n" for row in rows)
                 + "</table>\n")
        at = page.rfind("</body>")
        page = page[:at] + table + page[at:] if at >= 0 else page + table
        with open(path + ".tmp", "w") as f:
            f.write(page)
        os.replace(path + ".tmp", path)
    return text
