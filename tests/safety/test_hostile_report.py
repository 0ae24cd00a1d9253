"""A report from an untrusted host cannot drive the terminal or the ticket it
is rendered in (README "Safety"). A hostile report (from the vm-6.18
fixture; still valid against the schema) carries escape sequences, BEL, CR,
newlines, HTML, Markdown table and link syntax, a C1 CSI and bidi overrides
in every free string the schema allows; a benign twin has the same shape
with plain text. Every subcommand in every format it supports must:
- emit no control character but its own line breaks, no DEL, C1, bidi
  override or line separator, and well-formed UTF-8;
- keep the twin's layout: as many lines, the same table columns per
  Markdown line, each hostile string on one line (start and end markers);
- show the hostile text (\\x1b...), not drop it;
- emit no raw <script> in Markdown, HTML or JUnit; JUnit parses as XML and
  validates against tests/reports/junit.xsd (xmllint); Prometheus passes
  promtool; JSON keeps the strings as data.
`zcreport validate` of an invalid hostile report quotes its keys and
values in its error lines without raw controls either."""
import html.parser
import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET

import safetytest as s

s.require_tools()
work = s.scratch_dir()
XSD = os.path.join(s.SOURCE_DIR, "tests", "reports", "junit.xsd")
xmllint = shutil.which("xmllint")
promtool = shutil.which("promtool")

# What a terminal or a Markdown/HTML viewer acts on.
PAYLOAD = ("\x1b]0;pwned\x07 \x1b[2J \x07bel \rcr \nnewline <script>alert(1)</script> | pipe | `tick` "
           "*em* [link](http://x) & \u009b2J c1 \u202ebidi \u2066iso \u2028ls")
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffe\uffff]")


def text(n, hostile):
    return f"MARK{n}A {PAYLOAD} MARK{n}B" if hostile else f"MARK{n}A plain text MARK{n}B"


def make(fixture, hostile):
    with open(os.path.join(s.FIXTURES, fixture)) as f:
        doc = json.load(f)
    k, env = doc["kernel"], doc["environment"]
    k["release"] = text(1, hostile)
    k["machine"] = text(2, hostile)
    k["version"] = text(3, hostile)
    env["hostname"] = text(4, hostile)
    env["distro"]["pretty_name"] = text(5, hostile)
    env["virtualization"]["dmi_sys_vendor"] = text(6, hostile)
    env["virtualization"]["container"] = text(7, hostile)
    env["netns"]["reason"] = text(8, hostile)
    env["loopback"]["qdisc"] = text(10, hostile)
    doc["tool"]["version"] = text(11, hostile)
    # One probe that needs attention (an error: it shows in every table, the
    # diff and fails --strict), one supported, and evidence and title the
    # renderers may not show.
    p0, p1 = doc["probes"][0], doc["probes"][1]
    assert p0["status"] == "supported"
    p0["status"] = "error"
    doc["summary"]["supported"] -= 1
    doc["summary"]["error"] += 1
    p0["reason"] = text(12, hostile)
    p1["reason"] = text(13, hostile)
    p1["evidence"]["note"] = text(14, hostile)
    p1["title"] = text(15, hostile)
    p1["introduced"]["summary"] = text(9, hostile)
    for e in doc.get("engine", []):
        e["kind"] = text(16, hostile)
    return doc


def write(name, doc):
    path = os.path.join(work, name)
    with open(path, "w") as f:
        json.dump(doc, f)
    return path


plain = os.path.join(s.FIXTURES, "vm-6.18.json")
files = {}
for hostile in (True, False):
    tag = "hostile" if hostile else "twin"
    files[tag] = write(f"{tag}.json", make("vm-6.18.json", hostile))
    files[tag + "-engine"] = write(f"{tag}-engine.json", make(os.path.join("engine", "vm-6.18-engine.json"), hostile))
for tag in ("hostile", "hostile-engine"):
    r = s.run([s.ZCREPORT, "validate", files[tag]])
    if not s.check(r.returncode == 0, f"{tag}.json is a valid report: {r.stdout[-300:]}{r.stderr[-300:]}"):
        s.finish()

# An invalid report's error lines quote its keys and values: shown, not raw.
bad = make("vm-6.18.json", True)
bad["environment"]["sysctls"][text(17, True)] = text(18, True)
bad["probes"][2]["status"] = text(19, True)
r = subprocess.run([s.ZCREPORT, "validate", write("invalid.json", bad)], capture_output=True, timeout=60)
said = (r.stdout + r.stderr).decode("utf-8", "replace")
s.check(r.returncode == 2 and "MARK17A" in said and "MARK19A" in said,
        f"validate rejects the invalid report: {said[-300:]!r}")
s.check(not FORBIDDEN.search(said), f"validate: raw control characters in its errors: {said[-300:]!r}")
s.check(all(("MARK17A" in line) == ("MARK17B" in line) for line in said.split("\n")),
        "validate: a key's newline splits an error line")

# (name, argv with {r} {e} {p} for report, engine report, plain fixture, format, expected exit)
RUNS = []
for fmt in ("text", "json", "markdown", "junit", "prometheus", "html"):
    RUNS.append((f"render {fmt}", ["render", "{r}", "--format", fmt], fmt, 0))
    RUNS.append((f"render engine {fmt}", ["render", "{e}", "--format", fmt], fmt, 0))
RUNS.append(("render junit --strict", ["render", "{r}", "--format", "junit", "--strict"], "junit", 1))
for fmt in ("text", "markdown", "json", "html"):
    RUNS.append((f"matrix {fmt}", ["matrix", "{p}", "{r}", "{e}", "--format", fmt], fmt, 0))
for fmt in ("text", "markdown", "json", "html"):
    RUNS.append((f"fleet {fmt}", ["fleet", "{p}", "{r}", "{e}", "--format", fmt], fmt, 0))
for fmt in ("text", "markdown", "json"):
    RUNS.append((f"diff {fmt}", ["diff", "{p}", "{r}", "--format", fmt], fmt, 1))
    RUNS.append((f"diff back {fmt}", ["diff", "{r}", "{p}", "--format", fmt], fmt, 0))


def render(argv, hostile):
    tag = "hostile" if hostile else "twin"
    args = [a.format(r=files[tag], e=files[tag + "-engine"], p=plain) for a in argv]
    return subprocess.run([s.ZCREPORT] + args, capture_output=True, timeout=60)


def unescaped_pipes(line):
    return len(re.findall(r"(?<!\\)\|", line))


class Tags(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)


for name, argv, fmt, code in RUNS:
    r, twin = render(argv, True), render(argv, False)
    s.check(r.returncode == code, f"{name}: exit {r.returncode}, expected {code}: {r.stderr[-300:]!r}")
    s.check(twin.returncode == code, f"{name} (twin): exit {twin.returncode}, expected {code}")
    try:
        out = r.stdout.decode("utf-8")
    except UnicodeDecodeError as e:
        s.check(False, f"{name}: output is not UTF-8: {e}")
        continue
    ref = twin.stdout.decode("utf-8")
    bad = FORBIDDEN.search(out)
    if bad:
        s.check(False, f"{name}: raw {bad.group()!r} at {bad.start()}: {out[max(0, bad.start() - 40):bad.start() + 20]!r}")
    s.check("\r" not in out and "\t" not in out, f"{name}: raw CR or TAB in the output")
    said = r.stderr.decode("utf-8", "replace")
    s.check(not FORBIDDEN.search(said) and len(said.split("\n")) == len(twin.stderr.decode().split("\n")),
            f"{name}: raw control characters or extra lines on stderr: {said[-300:]!r}")
    lines, ref_lines = out.split("\n"), ref.split("\n")
    s.check(len(lines) == len(ref_lines), f"{name}: {len(lines)} lines, the benign twin has {len(ref_lines)}")
    for n in range(1, 17):
        for line in lines:
            if f"MARK{n}A" in line or f"MARK{n}B" in line:
                if not s.check(f"MARK{n}A" in line and f"MARK{n}B" in line,
                               f"{name}: hostile string {n} split across lines: {line[:160]!r}"):
                    break
    if fmt == "json":
        doc = json.loads(out)
        if name.startswith("render"):
            with open(files["hostile-engine" if "engine" in name else "hostile"]) as f:
                s.check(doc == json.load(f), f"{name}: the report's strings are kept as data")
        continue
    s.check("\\x1b" in out.replace("\\\\", "\\") and "pwned" in out, f"{name}: the escape sequence is shown as \\x1b")
    if fmt in ("markdown", "html", "junit"):
        s.check("<script>" not in out.lower(), f"{name}: raw <script> in {fmt}")
    if fmt == "markdown":
        for i, (line, ref_line) in enumerate(zip(lines, ref_lines)):
            if unescaped_pipes(line) != unescaped_pipes(ref_line):
                s.check(False, f"{name}: line {i + 1} has {unescaped_pipes(line)} cell separators, "
                               f"the twin's {unescaped_pipes(ref_line)}: {line[:160]!r}")
                break
        # The hostile part of a heading: no HTML, no code span (which would keep & and < raw).
        for m in re.finditer(r"MARK(\d+)A.*?MARK\1B", "\n".join(line for line in lines if line.startswith("#"))):
            s.check("<" not in m.group() and not re.search(r"(?<!\\)`", m.group()),
                    f"{name}: HTML or code in a heading: {m.group()[:160]!r}")
    if fmt == "html":
        tags = Tags()
        tags.feed(out)
        s.check("script" not in tags.tags, f"{name}: a <script> element in the HTML")
    if fmt == "junit":
        try:
            ET.fromstring(r.stdout)
        except ET.ParseError as e:
            s.check(False, f"{name}: not well-formed XML: {e}")
        if xmllint:
            path = os.path.join(work, "out.xml")
            with open(path, "wb") as f:
                f.write(r.stdout)
            v = subprocess.run([xmllint, "--noout", "--schema", XSD, path], capture_output=True, text=True)
            s.check(v.returncode == 0, f"{name}: junit.xsd: {v.stderr.strip()[:400]}")
    if fmt == "prometheus":
        # Label values: only \\ \" \n escapes (the exposition format has no others).
        for m in re.finditer(r'="((?:[^"\\]|\\.)*)"', out):
            esc = re.findall(r"\\(.)", m.group(1))
            if not s.check(all(c in '\\"n' for c in esc), f"{name}: bad escape in label {m.group(1)[:120]!r}"):
                break
        if promtool:
            v = subprocess.run([promtool, "check", "metrics"], input=r.stdout, capture_output=True, timeout=60)
            s.check(v.returncode == 0, f"{name}: promtool check metrics: exit {v.returncode} "
                                       f"{(v.stdout + v.stderr).decode()[:400]}")

if not xmllint:
    print("note: xmllint missing (Debian libxml2-utils); JUnit checked for well-formedness only")
if not promtool:
    print("note: promtool missing (Debian prometheus); Prometheus label escapes checked by pattern only")
s.finish()
