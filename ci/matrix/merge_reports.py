"""The merged matrix: `zcreport matrix` renders it when the binary is there
(the real renderer, with HTML). Without it, a clearly marked fallback
writes a plain Markdown table and a JSON summary, and no HTML."""
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
