"""The real policies the sandboxes use, from Debian's packages:
- Docker's default seccomp profile and default capabilities, from trixie's
  golang-github-docker-docker-dev 26.x (profiles/seccomp/default.json,
  oci/caps/defaults.go). Bookworm's 20.10 profile still allows io_uring;
  sid's 28.x package no longer ships the profile; so the suite is pinned.
- Podman's profile and default capabilities, from bookworm's
  golang-github-containers-common (/usr/share/containers/seccomp.json and
  the default_capabilities of /usr/share/containers/containers.conf).
Packages are fetched once with `apt-get download` through the kernel
matrix's private apt configuration (ci/matrix/kernel_sources.py: the
host's apt sources are never changed) into a cache kept between runs
(~/.cache/zcprobe-sandbox); a cached .deb is used without asking apt."""
import glob
import json
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "matrix"))
import kernel_sources  # noqa: E402

DOCKER = ("golang-github-docker-docker-dev", "trixie", "26.")
PODMAN = ("golang-github-containers-common", "bookworm", None)
DOCKER_DIR = "usr/share/gocode/src/github.com/docker/docker"


class Unavailable(Exception):
    """The package (or a file in it) cannot be had; the message says why."""


def default_cache():
    return os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "zcprobe-sandbox")


def package_tree(cache_root, spec, log):
    """The unpacked tree of (package, suite, version prefix), fetched when
    no cached .deb of that version exists."""
    package, suite, prefix = spec
    debs = os.path.join(cache_root, "debs")
    have = sorted(p for p in glob.glob(os.path.join(debs, f"{package}_*.deb"))
                  if prefix is None or os.path.basename(p).split("_")[1].startswith(prefix))
    try:
        cache = kernel_sources.Cache(cache_root, log)
        if not have:
            name, version, _deps, _mods = cache.resolve(package, suite)
            if prefix and not (version or "").startswith(prefix):
                raise Unavailable(f"{package} in {suite} is {version}, not {prefix}x (the profile this matrix "
                                  f"is written for)")
            have = [cache.deb(name, version, suite)]
        return cache.tree(have[-1]), os.path.basename(have[-1])[:-4]
    except kernel_sources.SpecError as e:  # Unavailable included
        raise Unavailable(f"{package} from {suite}: {e}")
    except OSError as e:
        raise Unavailable(f"{package} from {suite}: {e}")


def _read(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError as e:
        raise Unavailable(f"{path}: {e.strerror}")


def go_string_list(source, anchor):
    """The strings of the first Go `[]string{...}` literal after anchor."""
    at = source.find(anchor)
    if at < 0:
        raise Unavailable(f"{anchor!r} not found")
    start = source.find("{", source.find("[]string", at))
    end = source.find("}", start)
    if start < 0 or end < 0:
        raise Unavailable(f"no []string literal after {anchor!r}")
    return re.findall(r'"([^"]+)"', source[start:end])


def toml_string_list(text, key):
    """The strings of `key = [ ... ]` in a TOML file (uncommented)."""
    m = re.search(r"^" + re.escape(key) + r"\s*=\s*\[(.*?)\]", text, re.S | re.M)
    if not m:
        raise Unavailable(f"no uncommented {key} = [...]")
    return re.findall(r'"([^"]+)"', m.group(1))


class Policies:
    """docker_profile, docker_caps, docker_masked, docker_readonly,
    podman_profile, podman_caps; packages: {'docker': 'name_version_arch', ...}."""

    def __init__(self, docker_tree, podman_tree, packages):
        self.packages = packages
        base = os.path.join(docker_tree, DOCKER_DIR)
        try:
            self.docker_profile = json.loads(_read(os.path.join(base, "profiles/seccomp/default.json")))
            self.podman_profile = json.loads(_read(os.path.join(podman_tree, "usr/share/containers/seccomp.json")))
        except ValueError as e:
            raise Unavailable(f"seccomp profile unreadable: {e}")
        self.docker_caps = go_string_list(_read(os.path.join(base, "oci/caps/defaults.go")), "func DefaultCapabilities")
        defaults = _read(os.path.join(base, "oci/defaults.go"))
        self.docker_masked = go_string_list(defaults, "MaskedPaths:")
        self.docker_readonly = go_string_list(defaults, "ReadonlyPaths:")
        conf = _read(os.path.join(podman_tree, "usr/share/containers/containers.conf"))
        self.podman_caps = ["CAP_" + c for c in toml_string_list(conf, "default_capabilities")]


def load(cache_root, log):
    docker_tree, docker_pkg = package_tree(cache_root, DOCKER, log)
    podman_tree, podman_pkg = package_tree(cache_root, PODMAN, log)
    return Policies(docker_tree, podman_tree, {"docker": docker_pkg, "podman": podman_pkg})
