"""The HTML (a zcengine report, a zcprobe report with an affected CVE, and a
matrix with engine results and --label) renders in headless Chromium
(Debian's chromium package) with no network. The DOM dump holds what reads
at a glance: needs attention (affected CVE first), the CVE verdict, the
socket kind x operation grid with one symbol per verdict, the engine table
and a grouped-bar chart with one fill (colour and pattern) per series, the
matrix's changed cells inside differing rows; the screenshot shows those
colours drawn. ZC_KEEP_SCREENSHOTS=DIR keeps the PNGs to look at."""
import json
import os
import re
import shutil
import struct
import subprocess
import zlib

import rtest as t

t.require_binary()
chromium = shutil.which("chromium") or shutil.which("chromium-browser")
if not chromium:
    t.skip("chromium is missing (Debian package chromium; ci/setup installs it)")
work = t.private_dir()


def browser(args, profile):
    base = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--window-size=1200,3000"]
    return subprocess.run(base + args, capture_output=True, timeout=120)


def png_pixels(path):
    """Decodes an 8-bit RGB/RGBA non-interlaced PNG (what Chromium writes)."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and colour in (2, 6) and interlace == 0, f"unexpected PNG format {depth} {colour}"
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, prev = [], bytearray(stride)
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b, c = prev[i], prev[i - channels] if i >= channels else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, channels, rows


def affected_fixture(path):
    """vm-6.18 with Dirty Pipe affected (as the probe reports it), a split and
    a truncated straddle, an error, and a hostile reason."""
    with open(t.fixture("vm-6.18.json")) as f:
        doc = json.load(f)
    for p in doc["probes"]:
        if p["id"] == "security.cve_2022_0847":
            p["status"], p["evidence"]["vulnerable"] = "unsupported", True
            p["reason"] = "a write() into a pipe changed 1 bytes; kernel is affected by CVE-2022-0847 (dirty pipe)"
        elif p["id"] == "splice_straddle.udp4":
            p["status"], p["evidence"]["outcome"] = "unsupported", "split"
        elif p["id"] == "splice_straddle.raw6":
            p["status"], p["evidence"]["outcome"] = "unsupported", "truncated"
        elif p["id"] == "sendfile.tcp6":
            p["status"], p["reason"] = "error", "receive failed: <script>alert(1)</script>"
    for k in ["supported", "unsupported", "blocked", "skipped", "error"]:
        doc["summary"][k] = sum(1 for p in doc["probes"] if p["status"] == k)
    with open(path, "w") as f:
        json.dump(doc, f)


def between(text, start, end):
    i = text.find(start)
    return text[i:text.find(end, i)] if i >= 0 else ""


def near(colours, hexcolour, tolerance=24):
    want = bytes.fromhex(hexcolour)
    return sum(n for px, n in colours.items() if max(abs(px[i] - want[i]) for i in range(3)) <= tolerance)


try:
    matrix_html = os.path.join(work, "matrix.html")
    r = t.zcreport(["matrix", t.fixture("ci-runner-6.1.json"), t.fixture("vm-6.19-regressed.json"),
                    t.fixture("engine", "vm-6.18-engine.json"), t.fixture("engine", "vm-6.18-engine-slower.json"),
                    t.fixture("host-6.18-affected.json"),
                    "--label", "ci 6.1,vm 6.19,<vm 6.18>,vm 6.18 slow,affected", "--format", "html", "-o", matrix_html])
    t.check(r.returncode == 0, f"matrix html written: {r.stderr.decode()[:200]}")
    engine_html = os.path.join(work, "engine.html")
    r = t.zcreport(["render", t.fixture("engine", "vm-6.18-engine.json"), "--format", "html", "-o", engine_html])
    t.check(r.returncode == 0, f"engine report html written: {r.stderr.decode()[:200]}")
    affected_json = os.path.join(work, "affected.json")
    affected_fixture(affected_json)
    affected_html = os.path.join(work, "affected.html")
    r = t.zcreport(["render", affected_json, "--format", "html", "--require", "sendfile.*", "-o", affected_html])
    # exit 1: sendfile.tcp6 is required and in error (the gate is unchanged)
    t.check(r.returncode == 1, f"affected report html written, gate exit 1 (got {r.returncode}: {r.stderr.decode()[:200]})")
    # A real lossy run (zcengine --reuse eager, one repeat): it needs
    # attention, its verdict is red, its bar is marked, its spread is not
    # measured.
    eager_html = os.path.join(work, "eager.html")
    r = t.zcreport(["render", t.fixture("engine", "eager-unclean.json"), "--format", "html", "-o", eager_html])
    t.check(r.returncode == 0, f"eager engine html written: {r.stderr.decode()[:200]}")
    profile = os.path.join(work, "profile-eager")
    os.makedirs(profile)
    dom = browser(["--dump-dom", "file://" + eager_html], profile)
    text = dom.stdout.decode(errors="replace")
    attention = between(text, 'id="attention"', "</section>")
    t.check("<code>udp-splice/udp4/1400</code> 7878 lost, 3 corrupted, 7897 duplicated of 20000 sent" in attention and
            'class="all-clear"' not in attention, "eager.html: the unclean run needs attention")
    t.check('<td class="sev-danger" title="7878 lost' in text and "\u2716 unclean</td>" in text,
            "eager.html: the run's verdict cell is red and says unclean")
    t.check('<rect class="unclean"' in text, "eager.html: the unclean bar is marked in the chart")
    t.check("<th>duplicated</th>" in text and ">not measured<" in text, "eager.html: duplicated column, spread not measured")
    svg = re.search(r'<svg id="engine-chart"[^>]* width="(\d+)"', text)
    t.check(svg is not None and int(svg.group(1)) >= 640, f"eager.html: the chart is at least 640 px wide ({svg and svg.group(1)})")
    pages = [
        # file, table id, chart series, title, colours that must be drawn
        (matrix_html, "matrix-table", 6, "zcprobe kernel matrix",
         {"b7e4b0": "ok cells", "dde8f3": "unsupported (info) cells", "b2182b": "the AFFECTED cell"}),
        (engine_html, "probe-table", 3, "zcengine report: Linux 6.18.44-fc-v782",
         {"1b7837": "zero-copy cells", "fee090": "copy cells", "a6dba0": "whole cells", "b7e4b0": "not affected cell"}),
        (affected_html, "probe-table", 0, "zcprobe report: Linux 6.18.44-fc-v782",
         {"b2182b": "AFFECTED and truncated cells", "f4a582": "split cell", "1b7837": "zero-copy cells"}),
    ]
    for html, table_id, series, title, drawn in pages:
        name = os.path.basename(html)
        if not os.path.exists(html):
            continue  # its zcreport run failed, checked above
        with open(html) as f:
            source = f.read()
        t.check(not re.search(r"""(src|href)=["']?(https?:)?//""", source), f"{name}: self-contained (no remote URL)")
        t.check("<script" not in source and "<vm 6.18>" not in source, f"{name}: report strings stay escaped")
        profile = os.path.join(work, f"profile-{name}")
        os.makedirs(profile)
        dom = browser(["--dump-dom", "file://" + html], profile)
        text = dom.stdout.decode(errors="replace")
        t.check(dom.returncode == 0, f"{name}: --dump-dom ran (exit {dom.returncode}: {dom.stderr.decode()[-300:]})")
        t.check(f"<title>{title}</title>" in text, f"{name}: titled '{title}'")
        t.check(f'id="{table_id}"' in text and text.count("<tr") > 60, f"{name}: the DOM has the table with its rows")
        t.check('id="legend"' in text, f"{name}: the DOM has the legend")
        lines = text.count('class="series"')
        t.check(lines == series, f"{name}: {series} chart series (got {lines})")
        if series:
            chart = between(text, 'id="engine-chart"', "</svg>")
            fills = set(re.findall(r'fill="url\(#(zc-fill-\d+)\)"', chart))
            t.check(len(fills) == series, f"{name}: one fill (colour and pattern) per series ({sorted(fills)})")
            t.check(chart.count("<rect") >= series * 5, f"{name}: grouped bars, one per series and size")
        if table_id == "matrix-table":
            t.check("<th>ci 6.1</th><th>vm 6.19</th><th>&lt;vm 6.18&gt;</th><th>vm 6.18 slow</th>" in text,
                    f"{name}: --label names the columns, escaped")
            changed = [row for row in re.findall(r"<tr[^>]*>.*?</tr>", text, re.S) if " changed\"" in row]
            t.check(changed and all('class="differs"' in row for row in changed),
                    f"{name}: changed cells marked, only in differing rows ({len(changed)} rows)")
        else:
            attention = between(text, 'id="attention"', "</section>")
            grid = between(text, 'id="transmit-grid"', "</table>")
            t.check(grid.count("<tr") == 12, f"{name}: transmit grid has 11 socket kinds (got {grid.count('<tr') - 1})")
            for op in ["splice", "straddle", "sendfile", "MSG_ZEROCOPY"]:
                t.check(f"<th>{op}</th>" in grid, f"{name}: grid column {op}")
            # Greyscale: every verdict has its own symbol, not only a colour.
            symbols = {}
            for cls, sym in re.findall(r'class="g g-([a-z-]+)"[^>]*><b>([^<]*)</b>', grid):
                symbols.setdefault(cls, set()).add(sym)
            t.check(all(len(v) == 1 for v in symbols.values()) and
                    len({next(iter(v)) for v in symbols.values()}) == len(symbols),
                    f"{name}: one distinct symbol per grid verdict ({symbols})")
        if html == affected_html:
            items = re.findall(r'<li class="([a-z]+)"><span class="tag">[^<]*?(AFFECTED|required|error)</span>', attention)
            t.check(items == [("danger", "AFFECTED"), ("danger", "error")],
                    f"{name}: needs attention starts with the affected CVE, then the required probe in error ({items})")
            t.check('id="differs"' in text and "<code>splice_straddle.udp4</code>" in between(text, 'id="differs"', "</section>"),
                    f"{name}: the split straddle differs from history, listed beside the attention list")
            t.check("CVE-2022-0847 Dirty Pipe, fix 9d2231c5d74e" in attention, f"{name}: CVE id, name and fix named")
            t.check("AFFECTED</b> by 1 of 1 CVEs" in text, f"{name}: the summary counts the affected CVE")
            t.check('<td class="sev-danger">' in between(text, 'id="security"', "</table>"),
                    f"{name}: the CVE verdict cell is red")
            t.check('class="g g-split"' in text and 'class="g g-truncated"' in text, f"{name}: split and truncated cells")
        if html == engine_html:
            t.check('id="engine-table"' in text and "<th>corrupted</th>" in text and "<th>syscalls/packet</th>" in text,
                    f"{name}: engine table with accounting and cost")
            # No CVE affected, no error, and no history to differ from (the
            # engine fixture predates histories): all clear.
            t.check('class="all-clear"' in text and '<td class="sev-danger"' not in text,
                    f"{name}: nothing affected in the engine fixture")
        shot = os.path.join(work, f"{name}.png")
        profile2 = os.path.join(work, f"profile2-{name}")
        os.makedirs(profile2)
        s = browser([f"--screenshot={shot}", "file://" + html], profile2)
        t.check(s.returncode == 0 and os.path.exists(shot), f"{name}: screenshot taken ({s.stderr.decode()[-300:]})")
        if not os.path.exists(shot):
            continue
        width, height, channels, rows = png_pixels(shot)
        colours = {}
        for y in range(0, height, 2):
            row = rows[y]
            for x in range(0, width, 2):
                px = row[x * channels:x * channels + 3]
                colours[px] = colours.get(px, 0) + 1
        total = sum(colours.values())
        top = max(colours.values())
        t.check(len(colours) > 20 and top < 0.97 * total, f"{name}: screenshot is not blank ({len(colours)} colours)")
        for hexcolour, what in drawn.items():
            n = near(colours, hexcolour, 6)
            t.check(n > 30, f"{name}: {what} drawn (#{hexcolour}: {n} pixels)")
        # Each series' colour (the Okabe-Ito palette of html_parts.cpp) is
        # drawn: the chart renders, not just exists in the DOM. No other part
        # of the page uses these colours.
        for hexcolour in ["0072B2", "E69F00", "009E73", "CC79A7", "56B4E9", "D55E00"][:series]:
            n = near(colours, hexcolour)
            t.check(n >= 40, f"{name}: series colour #{hexcolour} is drawn ({n} pixels)")
        keep = os.environ.get("ZC_KEEP_SCREENSHOTS")
        if keep:
            shutil.copy(shot, os.path.join(keep, f"{name}.png"))
finally:
    t.cleanup(work)
t.finish()
