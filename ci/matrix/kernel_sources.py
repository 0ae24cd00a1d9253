"""Kernel list entries -> bootable targets. Debian packages are fetched with
`apt-get download` into a cache kept between runs and unpacked there with
`dpkg-deb -x`; a metapackage (linux-image-cloud-amd64, linux-image-6.12-
cloud-amd64) is followed to the concrete image it depends on, and that
choice is remembered so a later run works without the package lists.

List syntax, one kernel a line ('#' starts a comment):
    LABEL SPEC [MODULES_DIR]
SPEC is one of
    host                  the machine running the matrix (no boot)
    user-mode-linux       Debian's UML package (Linux as a host process)
    uml:PATH              a UML binary you built
    linux-image-...       a Debian kernel package or metapackage (QEMU)
    PATH                  a bzImage or PVH vmlinux you built (QEMU);
                          MODULES_DIR, if given, is where veth.ko is found
"""
import glob
import json
import os
import re
import shutil
import subprocess
import threading

LABEL_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,40}$")


class SpecError(Exception):
    """A kernel list entry that cannot be used; the message says why."""


class Unavailable(SpecError):
    """A well-formed entry whose kernel cannot be had on this machine now
    (not in the package lists, or the download failed)."""


class Target:
    def __init__(self, label, kind, spec, image=None, modules=None, release=None):
        self.label = label      # column name and guest hostname
        self.kind = kind        # host | qemu | uml
        self.spec = spec
        self.image = image
        self.modules = modules  # directory searched for .ko files, or None
        self.release = release


def parse_entries(lines, origin):
    """[(label, spec, modules_dir|None)] from list-file lines; SpecError names
    the origin and line number of a bad one."""
    entries, labels = [], set()
    for n, raw in enumerate(lines, 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        words = line.split()
        if len(words) not in (2, 3):
            raise SpecError(f"{origin}:{n}: expected 'LABEL SPEC [MODULES_DIR]', got {raw.strip()!r}")
        label = words[0]
        if not LABEL_RE.match(label):
            raise SpecError(f"{origin}:{n}: label {label!r} must be letters, digits, '.', '_' or '-' (max 41)")
        if label in labels:
            raise SpecError(f"{origin}:{n}: label {label!r} used twice")
        labels.add(label)
        entries.append((label, words[1], words[2] if len(words) == 3 else None))
    return entries


def parse_kernels_option(text):
    """--kernels 'SPEC,LABEL=SPEC,...' -> entries; a label is derived when absent."""
    lines = []
    for item in filter(None, (s.strip() for s in text.split(","))):
        label, sep, spec = item.partition("=")
        if not sep:
            spec = item
            label = derive_label(spec)
        lines.append(f"{label} {spec}")
    return parse_entries(lines, "--kernels")


def derive_label(spec):
    if spec in ("host", "user-mode-linux"):
        return "uml" if spec == "user-mode-linux" else "host"
    base = os.path.basename(spec.split(":", 1)[1] if spec.startswith("uml:") else spec)
    base = base.removeprefix("linux-image-")
    return re.sub(r"[^A-Za-z0-9._-]", "-", base)[:41] or "kernel"


class Cache:
    def __init__(self, root, log):
        self.root = root
        self.log = log
        os.makedirs(os.path.join(root, "debs"), exist_ok=True)
        os.makedirs(os.path.join(root, "trees"), exist_ok=True)
        self._lock = threading.Lock()  # entries are prepared in parallel
        self._resolved_path = os.path.join(root, "resolved.json")
        try:
            with open(self._resolved_path) as f:
                self._resolved = json.load(f)
        except (OSError, ValueError):
            self._resolved = {}

    def _apt_show(self, package):
        r = subprocess.run(["apt-cache", "show", "--no-all-versions", package],
                           capture_output=True, text=True)
        if r.returncode != 0 or not r.stdout.strip():
            return None
        fields = {}
        for line in r.stdout.splitlines():
            key, sep, value = line.partition(": ")
            if sep and not line.startswith(" "):
                fields.setdefault(key, value)
        return fields

    def resolve(self, package):
        """(concrete package, version): metapackages followed to the image."""
        name = package
        for _ in range(4):
            fields = self._apt_show(name)
            if fields is None:
                break
            deps = [d.strip() for d in fields.get("Depends", "").split(",")]
            image_dep = next((d for d in deps if d.startswith("linux-image-")), None)
            if image_dep is None:
                result = [name, fields.get("Version")]
                with self._lock:
                    if self._resolved.get(package) == result:
                        return tuple(result)
                    self._resolved[package] = result
                    tmp = self._resolved_path + ".tmp"
                    with open(tmp, "w") as f:
                        json.dump(self._resolved, f, indent=1, sort_keys=True)
                    os.replace(tmp, self._resolved_path)
                return tuple(result)
            name = image_dep.split()[0]
        if package in self._resolved:
            self.log(f"apt-cache cannot resolve {package} now; using the cached choice {self._resolved[package][0]}")
            return tuple(self._resolved[package])
        raise Unavailable(f"package {package} not found by apt-cache (run 'apt-get update'; "
                        f"'apt-cache search linux-image' lists the kernels)")

    def deb(self, package, version):
        debs = os.path.join(self.root, "debs")
        quoted = (version or "").replace(":", "%3a")
        have = sorted(glob.glob(os.path.join(debs, f"{package}_{quoted or '*'}_*.deb")))
        if have:
            return have[-1]
        self.log(f"fetching {package} {version or ''} with apt-get download")
        want = f"{package}={version}" if version else package
        r = subprocess.run(["apt-get", "download", "-q", "-o", "APT::Sandbox::User=root", want],
                           cwd=debs, capture_output=True, text=True)
        have = sorted(glob.glob(os.path.join(debs, f"{package}_*.deb")))
        if r.returncode != 0 or not have:
            err = (r.stderr.strip().splitlines() or ["no output"])[-1]
            raise Unavailable(f"apt-get download {want} failed: {err}")
        return have[-1]

    def tree(self, deb):
        """The package unpacked (once) under trees/; a half-unpacked tree is
        never used because it is renamed into place only when complete."""
        dest = os.path.join(self.root, "trees", os.path.basename(deb)[:-4])
        if os.path.isdir(dest):
            return dest
        tmp = dest + ".partial"
        shutil.rmtree(tmp, ignore_errors=True)
        subprocess.run(["dpkg-deb", "-x", deb, tmp], check=True)
        os.rename(tmp, dest)
        return dest


def prepare(entry, cache):
    """Fetch and unpack what an entry needs; returns a Target or raises SpecError."""
    label, spec, moddir = entry
    if spec == "host":
        return Target(label, "host", spec, release=os.uname().release)
    if spec == "user-mode-linux":
        pkg, version = cache.resolve(spec)
        tree = cache.tree(cache.deb(pkg, version))
        image = os.path.join(tree, "usr/bin/linux.uml")
        mods = sorted(glob.glob(os.path.join(tree, "usr/lib/uml/modules/*")))
        if not os.path.isfile(image):
            raise SpecError(f"{spec}: no usr/bin/linux.uml in {tree}")
        return Target(label, "uml", spec, image, mods[-1] if mods else None,
                      os.path.basename(mods[-1]) if mods else None)
    if spec.startswith("uml:"):
        path = spec[4:]
        if not os.access(path, os.X_OK):
            raise SpecError(f"{spec}: {path} is not an executable UML binary")
        return Target(label, "uml", spec, path, moddir)
    if spec.startswith("linux-image-"):
        pkg, version = cache.resolve(spec)
        tree = cache.tree(cache.deb(pkg, version))
        images = sorted(glob.glob(os.path.join(tree, "boot/vmlinuz-*")))
        if not images:
            raise SpecError(f"{spec}: {pkg} holds no boot/vmlinuz-* (not a kernel image package?)")
        release = os.path.basename(images[-1])[len("vmlinuz-"):]
        mods = os.path.join(tree, "lib/modules", release)
        return Target(label, "qemu", spec, images[-1], mods if os.path.isdir(mods) else None, release)
    if "/" in spec or os.path.exists(spec):
        if not os.path.isfile(spec):
            raise SpecError(f"{spec}: no such kernel image file")
        if moddir and not os.path.isdir(moddir):
            raise SpecError(f"{spec}: modules directory {moddir} does not exist")
        return Target(label, "qemu", spec, os.path.abspath(spec), moddir)
    raise SpecError(f"kernel spec {spec!r}: expected host, user-mode-linux, uml:PATH, "
                    f"linux-image-PACKAGE or a path to a bzImage/vmlinux")
