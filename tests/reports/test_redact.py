"""--redact leaves no hostname, IP or MAC address, boot_id or user name
behind, in any output: every original is searched for in the output, and
the redacted JSON is still a valid report."""
import json
import os

import rtest as t

t.require_binary()
work = t.private_dir()
try:
    with open(t.fixture("redaction.json")) as f:
        doc = json.load(f)
    # A user name only the operator knows about, given with --redact-word.
    doc["probes"][0]["reason"] += "; run by bob (bob's job)"
    src = os.path.join(work, "redaction-bob.json")
    with open(src, "w") as f:
        json.dump(doc, f)
    originals = ["alice", "corp.example", doc["environment"]["hostname"], doc["environment"]["boot_id"],
                 "192.168.7.23", "fd00:1234::17", "52:54:00:12:34:56", "10.1.2.3", "bob"]
    outputs = {}
    for fmt in ["text", "json", "markdown", "junit", "prometheus", "html"]:
        r = t.zcreport(["render", src, "--format", fmt, "--redact", "--redact-word", "bob"])
        t.check(r.returncode == 0, f"render {fmt} --redact: exit 0 (got {r.returncode}: {r.stderr.decode()[:200]})")
        outputs[f"render {fmt}"] = r.stdout.decode()
    for fmt in ["text", "markdown", "json", "html"]:
        r = t.zcreport(["matrix", src, t.fixture("vm-6.18.json"), "--format", fmt, "--redact", "--redact-word", "bob"])
        outputs[f"matrix {fmt}"] = r.stdout.decode()
    r = t.zcreport(["diff", src, t.fixture("vm-6.19-regressed.json"), "--format", "json", "--redact",
                    "--redact-word", "bob"])
    outputs["diff json"] = r.stdout.decode()
    for name, text in outputs.items():
        t.check(len(text) > 200, f"{name}: produced output")
        for o in originals:
            t.check(o not in text, f"{name}: {o!r} is gone")
    t.check("[host-1]" in outputs["render json"] and "[ipv4-1]" in outputs["render json"]
            and "[mac-1]" in outputs["render json"] and "[ipv6-1]" in outputs["render json"]
            and "[boot-id-1]" in outputs["render json"] and "/home/[user-" in outputs["render json"]
            and "run by [user-1] ([user-1]'s job)" in outputs["render json"],
            "placeholders name what was replaced")
    red = os.path.join(work, "redacted.json")
    with open(red, "w") as f:
        f.write(outputs["render json"])
    r = t.zcreport(["validate", red])
    t.check(r.returncode == 0, f"the redacted report is still valid: {r.stderr.decode()[:300]}")
    validator = t.schema_validator()
    errors = list(validator.iter_errors(json.loads(outputs["render json"])))
    t.check(not errors, f"jsonschema agrees: {[e.message for e in errors[:3]]}")
finally:
    t.cleanup(work)
t.finish()
