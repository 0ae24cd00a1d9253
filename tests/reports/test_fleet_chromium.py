"""zcreport fleet's HTML in headless Chromium (Debian's chromium package),
no network: on the first screen (1280x800) stand the hosts that need
attention (the affected ones, by CVE) and the hosts that differ from their
kernel group's majority, with the differing probe; the reports that could
not be read are named further down. The page is measured by a script the
test appends to a copy of it (zcreport's page carries none); the script
writes the layout into the DOM that --dump-dom prints.
ZC_FLEET_HOSTS=N makes a larger set (ZC_FLEET_DIR=DIR reads an existing
set instead, e.g. ci/bench-fleet --keep DIR)."""
import html
import json
import os
import re
import shutil
import subprocess

import fleet_set
import rtest as t

t.require_binary()
chromium = shutil.which("chromium") or shutil.which("chromium-browser")
if not chromium:
    t.skip("chromium is missing (Debian package chromium; ci/setup installs it)")
work = t.private_dir()
WIDTH, HEIGHT = 1280, 800

MEASURE = """<script>
(function () {
  function box(el) { var r = el.getBoundingClientRect(); return {top: r.top, bottom: r.bottom}; }
  function hosts(sel) {
    var out = [];
    document.querySelectorAll(sel).forEach(function (h) {
      var r = h.getBoundingClientRect();
      if (r.bottom > 0 && r.top < window.innerHeight && r.width > 0) out.push(h.textContent);
    });
    return out;
  }
  var m = {height: window.innerHeight,
           attention: box(document.getElementById('attention')),
           differs: box(document.getElementById('differs')),
           attention_hosts_visible: hosts('#attention .host'),
           differs_hosts_visible: hosts('#differs .host'),
           differs_text_visible: hosts('#differs li > code')};
  var pre = document.createElement('pre');
  pre.id = 'measured';
  pre.textContent = JSON.stringify(m);
  document.body.appendChild(pre);
})();
</script>"""


def measure(page, profile):
    probe = os.path.join(work, "measured.html")
    with open(page) as f:
        text = f.read()
    with open(probe, "w") as f:
        f.write(text.replace("</body>", MEASURE + "</body>"))
    r = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--disable-dev-shm-usage", f"--user-data-dir={profile}", f"--window-size={WIDTH},{HEIGHT}",
                        "--dump-dom", "file://" + probe], capture_output=True, timeout=240)
    t.check(r.returncode == 0, f"--dump-dom ran (exit {r.returncode}: {r.stderr.decode()[-300:]})")
    found = re.search(r'<pre id="measured">(.*?)</pre>', r.stdout.decode())
    t.check(found is not None, "the measuring script ran")
    return json.loads(html.unescape(found.group(1))) if found else None, r.stdout.decode()


try:
    given = os.environ.get("ZC_FLEET_DIR")
    if given:
        target = given
        want_affected, want_differing = None, None
    else:
        target = os.path.join(work, "set")
        os.mkdir(target)
        n = int(os.environ.get("ZC_FLEET_HOSTS", "60"))
        fleet_set.make(target, hosts=n)
        want_affected, want_differing = {"node-022", "node-025"}, {"node-007", "node-013", "node-022", "node-025"}
    page = os.path.join(work, "fleet.html")
    r = t.zcreport(["fleet", target, "--format", "html", "-o", page], timeout=600)
    t.check(r.returncode in (0, 2), f"zcreport fleet wrote the page (exit {r.returncode} {r.stderr[:200]})")
    v = json.loads(t.zcreport(["fleet", target, "--format", "json"], timeout=600).stdout)
    if want_affected is None:
        want_affected = {h["host"] for a in v["attention"] if a["tag"] == "AFFECTED" for h in a["hosts"][:8]}
        first = v["differing"][0]["hosts"] if v["differing"] else []
        want_differing = {h["host"] for h in first[:8]}
    m, dom = measure(page, os.path.join(work, "profile"))
    if m:
        # The viewport: the window less headless Chromium's own frame.
        t.check(600 <= m["height"] <= HEIGHT, f"a first screen of 600 to {HEIGHT} px ({m['height']})")
        t.check(0 <= m["attention"]["top"] < m["height"], f"#attention starts on the first screen: {m['attention']}")
        t.check(0 <= m["differs"]["top"] < m["height"], f"#differs starts on the first screen: {m['differs']}")
        seen_attention = set(m["attention_hosts_visible"])
        seen_differs = set(m["differs_hosts_visible"])
        t.check(want_affected and want_affected <= seen_attention,
                f"the affected hosts are on the first screen: want {sorted(want_affected)[:8]}, "
                f"seen {sorted(seen_attention)[:12]}")
        if want_differing:
            t.check(bool(want_differing & seen_differs),
                    f"differing hosts are on the first screen: want {sorted(want_differing)[:8]}, "
                    f"seen {sorted(seen_differs)[:12]}")
        if not given:
            t.check(want_differing <= seen_differs, f"every differing host on the first screen: {sorted(seen_differs)}")
            t.check("splice.tcp4" in m["differs_text_visible"], "the differing probe is named on the first screen")
    if not given:
        t.check("truncated.json" in dom and "invalid.json" in dom, "the unread reports are named in the page")
finally:
    t.cleanup(work)
t.finish()
