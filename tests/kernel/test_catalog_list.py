"""zcprobe --list: the catalog as text and JSON, with the kernel changes
behind each probe (its history)."""
import json

import zctest as t

t.require_binary()
text = t.run(["--list"])
t.check(text.returncode == 0, f"--list exits 0 (got {text.returncode}: {text.stderr.strip()})")
as_json = t.run(["--list", "--json"])
t.check(as_json.returncode == 0, "--list --json exits 0")
catalog = json.loads(as_json.stdout)
ids = [e["id"] for e in catalog]
t.check(len(ids) == len(set(ids)), "catalog ids are unique")
kinds = ["raw4_hdrincl", "raw4", "raw6", "udp4", "udp6", "tcp4", "tcp6", "packet_raw", "packet_dgram",
         "unix_stream", "unix_dgram"]
for family in ["splice", "splice_straddle", "sendfile", "zerocopy"]:
    for kind in kinds:
        t.check(f"{family}.{kind}" in ids, f"catalog has {family}.{kind}")
for required in ["pipe.vmsplice", "pipe.vmsplice_gift", "pipe.setpipe_sz", "pipe.setpipe_sz_beyond_max",
                 "pipe.splice_devnull", "pipe.tee", "pipe.splice_from_file", "packet.tx_ring_v1",
                 "packet.tx_ring_v2", "packet.tx_ring_v3", "packet.qdisc_bypass", "udp.gso", "udp.gso_splice",
                 "io_uring.setup", "io_uring.op_splice", "io_uring.op_tee", "io_uring.op_send_zc",
                 "io_uring.op_sendmsg_zc", "security.cve_2022_0847"]:
    t.check(required in ids, f"catalog has {required}")
for e in catalog:
    t.check(e["id"] in text.stdout, f"text listing shows {e['id']}")
    for key in ["title", "section", "supported_means", "privileges", "introduced"]:
        t.check(key in e and e[key] not in ("", None), f"{e['id']} has {key}")
    t.check(t.no_empty_strings(e) == [], f"{e['id']}: no empty strings")
    history = e.get("history") or []
    t.check(len(history) >= 1, f"{e['id']} lists its history")
    if history:
        first = history[0]
        t.check((first["version"], first["commit"]) == (e["introduced"]["version"], e["introduced"]["commit"]),
                f"{e['id']}: introduced is the first change of its history")
    for c in history:
        # A commit is cited once, from the shared table, with its subject.
        t.check((c["commit"] is None) == (c["subject"] is None), f"{e['id']}: {c['commit']} cited with its subject")
        t.check(c["commit"] is not None or "not " in c["what"], f"{e['id']}: a change without a commit says why")
        for st in c["stable"]:
            t.check(f"/{st}" in text.stdout, f"text listing shows stable release {st}")
    for c in history:
        if c["commit"]:
            t.check(f" {c['commit']} " in text.stdout, f"text listing shows {c['commit']}")
subjects = {}
for e in catalog:
    for c in e.get("history") or []:
        if c["commit"]:
            subjects.setdefault(c["commit"], set()).add((c["version"], c["subject"]))
t.check(all(len(v) == 1 for v in subjects.values()),
        f"each commit has one version and subject across the catalog ({[k for k, v in subjects.items() if len(v) > 1]})")
cited = [e for e in catalog if e["introduced"]["commit"]]
t.check(len(cited) >= len(catalog) * 0.7, f"most probes cite a kernel commit ({len(cited)}/{len(catalog)})")
t.finish()
