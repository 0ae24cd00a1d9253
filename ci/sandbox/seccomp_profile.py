"""A Docker/Podman seccomp profile -> the plain OCI `linux.seccomp` section
of one sandbox, decided the way the engines decide it.

The profiles' rules carry conditions (`includes` / `excludes` by capability,
architecture and minimum kernel) that an OCI runtime such as runc does not
evaluate: the engine resolves them against the container it is about to
start and hands runc only the rules that apply. This follows
setupSeccomp() of moby 26.1.5 (profiles/seccomp/seccomp_linux.go, as shipped
in trixie's golang-github-docker-docker-dev 26.1.5+dfsg1-9+deb13u1), which
containers/common (pkg/seccomp/seccomp_linux.go, Podman) copies:
- excludes first: a rule is dropped when its arch list names this
  architecture, when ANY of its capabilities is in the bounding set, or
  when the kernel is at least its minKernel;
- then includes: a rule is dropped unless its arch list names this
  architecture, ALL of its capabilities are in the bounding set, and the
  kernel is at least its minKernel;
- archMap: the entry whose architecture is the native one gives
  `architectures` (it and its subArchitectures);
- minKernel compares "MAJOR.MINOR" only (3.12.25 equals 3.12).
Fields the OCI section has no place for (comment, errno names, Podman's
defaultErrno string, empty includes/excludes) are left out; the rules keep
their order, which is what runc loads."""
import re

# Go's runtime.GOARCH -> the profiles' arch words (moby's goToNative) and
# the libseccomp architecture of archMap (moby's nativeToSeccomp).
NATIVE = {"amd64": "amd64", "arm64": "arm64", "386": "x86", "s390x": "s390x", "ppc64le": "ppc64le"}
SECCOMP_ARCH = {"amd64": "SCMP_ARCH_X86_64", "arm64": "SCMP_ARCH_AARCH64", "x86": "SCMP_ARCH_X86",
                "s390x": "SCMP_ARCH_S390X", "ppc64le": "SCMP_ARCH_PPC64LE"}
# uname -m -> GOARCH
MACHINE_TO_GOARCH = {"x86_64": "amd64", "aarch64": "arm64", "i686": "386", "s390x": "s390x", "ppc64le": "ppc64le"}


class ProfileError(Exception):
    pass


def kernel_version(release):
    """(major, minor) of a kernel release or a minKernel value, as moby's
    parseRelease: 'MAJOR.MINOR' at the start, the rest ignored."""
    m = re.match(r"^(\d+)\.(\d+)", release or "")
    if not m:
        raise ProfileError(f"cannot parse kernel version {release!r} (expected MAJOR.MINOR...)")
    return int(m.group(1)), int(m.group(2))


def _applies(rule, arch, caps, kernel):
    exc = rule.get("excludes") or {}
    if arch in (exc.get("arches") or []):
        return False
    if any(c in caps for c in exc.get("caps") or []):
        return False
    if exc.get("minKernel") and kernel >= kernel_version(exc["minKernel"]):
        return False
    inc = rule.get("includes") or {}
    if inc.get("arches") and arch not in inc["arches"]:
        return False
    if not all(c in caps for c in inc.get("caps") or []):
        return False
    if inc.get("minKernel") and kernel < kernel_version(inc["minKernel"]):
        return False
    return True


def _oci_rule(rule):
    if rule.get("name") and rule.get("names"):
        raise ProfileError(f"rule has both 'name' and 'names': {rule}")
    names = rule.get("names") or ([rule["name"]] if rule.get("name") else [])
    if not names:
        raise ProfileError(f"rule names no syscall: {rule}")
    out = {"names": list(names), "action": rule["action"]}
    if rule.get("errnoRet") is not None:
        out["errnoRet"] = rule["errnoRet"]
    args = [{k: a[k] for k in ("index", "value", "valueTwo", "op") if k in a} for a in rule.get("args") or []]
    if args:
        out["args"] = args
    return out


def translate(profile, bounding_caps, goarch="amd64", kernel_release="6.1"):
    """profile: the parsed Docker/Podman JSON; bounding_caps: the sandbox's
    bounding set ('CAP_NET_RAW', ...). Returns the OCI linux.seccomp dict."""
    if goarch not in NATIVE:
        raise ProfileError(f"architecture {goarch!r} not handled (known: {', '.join(NATIVE)})")
    if profile.get("architectures") and profile.get("archMap"):
        raise ProfileError("profile has both 'architectures' and 'archMap'")
    arch = NATIVE[goarch]
    kernel = kernel_version(kernel_release)
    caps = set(bounding_caps)
    out = {"defaultAction": profile["defaultAction"]}
    if profile.get("defaultErrnoRet") is not None:
        out["defaultErrnoRet"] = profile["defaultErrnoRet"]
    arches = list(profile.get("architectures") or [])
    for entry in profile.get("archMap") or []:
        if entry.get("architecture") == SECCOMP_ARCH[arch]:
            arches += [entry["architecture"]] + list(entry.get("subArchitectures") or [])
            break
    if arches:
        out["architectures"] = arches
    if profile.get("flags"):
        out["flags"] = list(profile["flags"])
    out["syscalls"] = [_oci_rule(r) for r in profile.get("syscalls") or [] if _applies(r, arch, caps, kernel)]
    return out


def action_for(section, syscall):
    """What a translated section does with a syscall called with arguments
    no rule conditions on: (action, errno) of the first unconditional rule
    naming it, else of the default. For tests and the README's table."""
    for rule in section["syscalls"]:
        if syscall in rule["names"] and not rule.get("args"):
            return rule["action"], rule.get("errnoRet")
    return section["defaultAction"], section.get("defaultErrnoRet")
