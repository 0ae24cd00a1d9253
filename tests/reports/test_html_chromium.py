"""The HTML (a single report, and a matrix with engine results) renders in
headless Chromium (Debian's chromium package) with no network: a
screenshot that is not blank and shows the status colours, and a DOM dump
that holds the table, the legend and the chart with one line per series."""
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
            "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--window-size=1200,4400"]
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


try:
    matrix_html = os.path.join(work, "matrix.html")
    r = t.zcreport(["matrix", t.fixture("ci-runner-6.1.json"), t.fixture("vm-6.19-regressed.json"),
                    t.fixture("engine", "vm-6.18-engine.json"), t.fixture("engine", "vm-6.18-engine-slower.json"),
                    "--format", "html", "-o", matrix_html])
    t.check(r.returncode == 0, f"matrix html written: {r.stderr.decode()[:200]}")
    report_html = os.path.join(work, "report.html")
    r = t.zcreport(["render", t.fixture("engine", "vm-6.18-engine.json"), "--format", "html", "-o", report_html])
    t.check(r.returncode == 0, f"report html written: {r.stderr.decode()[:200]}")
    for html, table_id, series in [(matrix_html, "matrix-table", 6), (report_html, "probe-table", 3)]:
        name = os.path.basename(html)
        with open(html) as f:
            source = f.read()
        t.check(not re.search(r"""(src|href)=["']?(https?:)?//""", source), f"{name}: self-contained (no remote URL)")
        profile = os.path.join(work, f"profile-{name}")
        os.makedirs(profile)
        dom = browser(["--dump-dom", "file://" + html], profile)
        text = dom.stdout.decode(errors="replace")
        t.check(dom.returncode == 0, f"{name}: --dump-dom ran (exit {dom.returncode}: {dom.stderr.decode()[-300:]})")
        t.check(f'id="{table_id}"' in text and text.count("<tr") > 60, f"{name}: the DOM has the table with its rows")
        t.check('id="legend"' in text, f"{name}: the DOM has the legend")
        t.check('id="engine-chart"' in text, f"{name}: the DOM has the chart")
        lines = text.count('class="series"')
        t.check(lines == series, f"{name}: {series} chart lines (got {lines})")
        shot = os.path.join(work, f"{name}.png")
        profile2 = os.path.join(work, f"profile2-{name}")
        os.makedirs(profile2)
        s = browser([f"--screenshot={shot}", "file://" + html], profile2)
        t.check(s.returncode == 0 and os.path.exists(shot), f"{name}: screenshot taken ({s.stderr.decode()[-300:]})")
        if not os.path.exists(shot):
            continue
        width, height, channels, rows = png_pixels(shot)
        colours = {}
        for y in range(0, height, 4):
            row = rows[y]
            for x in range(0, width, 4):
                px = row[x * channels:x * channels + 3]
                colours[px] = colours.get(px, 0) + 1
        total = sum(colours.values())
        top = max(colours.values())
        t.check(len(colours) > 20 and top < 0.97 * total, f"{name}: screenshot is not blank ({len(colours)} colours)")
        # The legend's and cells' colours as CSS gives them.
        green = colours.get(bytes([0xb7, 0xe4, 0xb0]), 0)
        yellow = colours.get(bytes([0xff, 0xe0, 0x8a]), 0)
        t.check(green > 100 and yellow > 5, f"{name}: supported/unsupported cell colours visible ({green}, {yellow})")
        # Each series' line colour (the Okabe-Ito palette of html_parts.cpp)
        # is drawn: the chart renders, not just exists in the DOM.
        lower = {}
        for y in range(height // 2, height):
            row = rows[y]
            for x in range(width):
                px = row[x * channels:x * channels + 3]
                lower[px] = lower.get(px, 0) + 1
        palette = ["0072B2", "E69F00", "009E73", "CC79A7", "56B4E9", "D55E00"][:series]
        for hexcolour in palette:
            want = bytes.fromhex(hexcolour)
            near = sum(n for px, n in lower.items() if max(abs(px[i] - want[i]) for i in range(3)) <= 24)
            t.check(near >= 40, f"{name}: series colour #{hexcolour} is drawn ({near} pixels)")
        keep = os.environ.get("ZC_KEEP_SCREENSHOTS")
        if keep:
            shutil.copy(shot, os.path.join(keep, f"{name}.png"))
finally:
    t.cleanup(work)
t.finish()
