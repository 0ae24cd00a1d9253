"""Facts about the sandbox a report was taken in, as pseudo-results the
expectations syntax (ci/matrix/expectations.py) can name:
    environment               euid, seccomp_mode, no_new_privs, initial_user_namespace
    environment.netns         mode (netns | userns+netns | current | host), isolated
    environment.capabilities  cap_net_raw, cap_net_admin, cap_sys_admin, ...
and gives every probe its sandbox answer as flat fields (sandbox_answer,
sandbox_layer, sandbox_detail, sandbox_fix, sandbox_cause_checked) from
its "sandbox" object,
so a rule can check that a sandbox really had the policy it claims (uid,
seccomp filter, capabilities) and what zcprobe said about its namespace,
with the same typed comparison as the probes' fields."""
import copy

SCALARS = ("euid", "seccomp_mode", "seccomp_filters", "no_new_privs", "initial_user_namespace")
SANDBOX = ("answer", "layer", "detail", "fix", "cause_checked")


def _flat_sandbox(probe):
    sandbox = probe.get("sandbox")
    if not isinstance(sandbox, dict):
        return probe
    return dict(probe, **{"sandbox_" + k: sandbox.get(k) for k in SANDBOX})


def _pseudo(pid, fields):
    return dict({"id": pid}, **{k: v for k, v in fields.items() if isinstance(v, (bool, int, float, str, type(None)))})


def with_facts(report):
    """A copy of the report whose probes end with the pseudo-results."""
    out = copy.copy(report)
    env = report.get("environment") or {}
    facts = [_pseudo("environment", {k: env[k] for k in SCALARS if k in env})]
    if isinstance(env.get("netns"), dict):
        facts.append(_pseudo("environment.netns", {k: env["netns"].get(k) for k in ("mode", "isolated")}))
    if isinstance(env.get("capabilities"), dict):
        facts.append(_pseudo("environment.capabilities", env["capabilities"]))
    out["probes"] = [_flat_sandbox(p) for p in report.get("probes") or []] + facts
    return out
