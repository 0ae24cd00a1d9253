"""Kernel list entries -> bootable targets. Debian packages are fetched with
`apt-get download` into a cache kept between runs and unpacked there with
`dpkg-deb -x`; a metapackage (linux-image-cloud-amd64, linux-image-6.12-
cloud-amd64) is followed to the concrete image it depends on, and that
choice is remembered so a later run works without the package lists.

A package named PACKAGE/SUITE comes from that Debian suite through a private
apt configuration kept in the cache (apt/SUITE: its own sources.list, lists,
package cache and empty dpkg status, passed to apt with -o Dir::...), so
the host's sources are never changed. The archive's URL is the host's own
Debian mirror (from /etc/apt/sources.list*, or --mirror), with SUITE-updates
and SUITE-security (the host's debian-security mirror, or --security-mirror)
for a release that has them, so each line gets its newest kernel; the lists
are checked against /usr/share/keyrings/debian-archive-keyring.gpg.
From 7.x Debian splits the image: linux-image-VER is a metapackage, the
kernel is usr/lib/modules/VER/vmlinuz in linux-binary-VER and the modules
are in linux-modules-VER; both are fetched.

List syntax, one kernel a line ('#' starts a comment):
    LABEL SPEC [MODULES_DIR]
SPEC is one of
    host                  the machine running the matrix (no boot)
    user-mode-linux       Debian's UML package (Linux as a host process)
    uml:PATH              a UML binary you built
    linux-image-...       a Debian kernel package or metapackage (QEMU)
    PATH                  a bzImage or PVH vmlinux you built (QEMU);
                          MODULES_DIR, if given, is where veth.ko is found
and user-mode-linux/SUITE, linux-image-.../SUITE take the package from SUITE.
"""
import glob
import json
import os
import re
import shutil
import subprocess
import threading
import time

LABEL_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,40}$")
SUITE_RE = re.compile(r"^[a-z][a-z0-9-]{1,30}$")
DEBIAN_KEYRING = "/usr/share/keyrings/debian-archive-keyring.gpg"
# apt-get update at most this often per suite (Debian's kernels move weekly).
LISTS_MAX_AGE = 6 * 3600


class SpecError(Exception):
    """A kernel list entry that cannot be used; the message says why."""


class Unavailable(SpecError):
    """A well-formed entry whose kernel cannot be had on this machine now
    (not in the package lists, or the download failed)."""


class Skipped(Exception):
    """A kernel that cannot run on this host by its nature (not a failure);
    the message is the exact reason, printed in the run's log."""


def split_suite(spec):
    """'linux-image-cloud-amd64/sid' -> ('linux-image-cloud-amd64', 'sid');
    without a suite, (spec, None): the host's own apt sources."""
    if spec.startswith(("linux-image-", "user-mode-linux")) and "/" in spec:
        package, suite = spec.split("/", 1)
        if not SUITE_RE.match(suite):
            raise SpecError(f"{spec}: suite {suite!r} must be a Debian suite name (bullseye, trixie, sid ...)")
        return package, suite
    return spec, None


def mirror_from_sources(texts, archive="debian"):
    """The first Debian archive URL (path ending in /debian, or /ARCHIVE such
    as debian-security) in apt sources texts, one-line or deb822 style; None
    when there is none."""
    for text in texts:
        for raw in text.splitlines():
            line = raw.split("#", 1)[0].strip()
            words = line.split()
            uris = []
            if words[:1] == ["deb"]:
                rest = [w for w in words[1:] if not w.startswith("[") and not w.endswith("]")
                        and "=" not in w]
                uris = rest[:1]
            elif line.lower().startswith("uris:"):
                uris = line.split(":", 1)[1].split()
            for uri in uris:
                if re.match(r"^https?://[^/\s]+(/.*)?/" + re.escape(archive) + r"/?$", uri):
                    return uri.rstrip("/")
    return None


def host_mirror(archive="debian"):
    texts = []
    for path in ["/etc/apt/sources.list"] + sorted(glob.glob("/etc/apt/sources.list.d/*")):
        try:
            with open(path) as f:
                texts.append(f.read())
        except OSError:
            pass
    return mirror_from_sources(texts, archive)


def suite_sources(suite, mirror, security_mirror):
    """The private sources.list of a suite: SUITE, and for a release that has
    them SUITE-updates and SUITE-security (Debian's security fixes, new
    kernels among them, reach SUITE itself only at the next point release).
    sid and experimental have neither."""
    lines = [f"deb [signed-by={DEBIAN_KEYRING}] {mirror} {suite} main"]
    if suite not in ("sid", "unstable", "experimental", "rc-buggy"):
        lines.append(f"deb [signed-by={DEBIAN_KEYRING}] {mirror} {suite}-updates main")
        if security_mirror:
            lines.append(f"deb [signed-by={DEBIAN_KEYRING}] {security_mirror} {suite}-security main")
    return "\n".join(lines) + "\n"


def glibc_requirement(depends):
    """The libc6 version a package needs, as a tuple, from its Depends."""
    m = re.search(r"\blibc6 \(>= ([0-9]+)\.([0-9]+)", depends or "")
    return (int(m.group(1)), int(m.group(2))) if m else None


def host_glibc():
    try:
        name, version = os.confstr("CS_GNU_LIBC_VERSION").split()
        major, minor = version.split(".")[:2]
        return int(major), int(minor)
    except (ValueError, OSError, AttributeError):
        return None


class Target:
    def __init__(self, label, kind, spec, image=None, modules=None, release=None, package=None):
        self.label = label      # column name and guest hostname
        self.kind = kind        # host | qemu | uml
        self.spec = spec
        self.image = image
        self.modules = modules  # directory searched for .ko files, or None
        self.release = release
        self.package = package  # "PACKAGE VERSION" the spec resolved to, for the record


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


def kind_of_spec(spec):
    """host | uml | qemu: how a list entry's kernel runs (known before any fetch)."""
    if spec == "host":
        return "host"
    if spec.startswith(("user-mode-linux", "uml:")):
        return "uml"
    return "qemu"


def derive_label(spec):
    if spec in ("host", "user-mode-linux"):
        return "uml" if spec == "user-mode-linux" else "host"
    if spec.startswith(("linux-image-", "user-mode-linux/")) and "/" in spec:
        package, suite = spec.split("/", 1)
        base = "uml" if package == "user-mode-linux" else package.removeprefix("linux-image-")
        return re.sub(r"[^A-Za-z0-9._-]", "-", f"{base}-{suite}")[:41]
    base = os.path.basename(spec.split(":", 1)[1] if spec.startswith("uml:") else spec)
    base = base.removeprefix("linux-image-")
    return re.sub(r"[^A-Za-z0-9._-]", "-", base)[:41] or "kernel"


class Cache:
    def __init__(self, root, log, mirror=None, security_mirror=None):
        self.root = root
        self.log = log
        self.mirror = mirror
        self.security_mirror = security_mirror
        os.makedirs(os.path.join(root, "debs"), exist_ok=True)
        os.makedirs(os.path.join(root, "trees"), exist_ok=True)
        self._lock = threading.Lock()  # entries are prepared in parallel
        self._suite_locks = {}
        self._suite_ready = {}         # suite -> None (lists usable) or the reason they are not
        self._resolved_path = os.path.join(root, "resolved.json")
        try:
            with open(self._resolved_path) as f:
                self._resolved = json.load(f)
        except (OSError, ValueError):
            self._resolved = {}

    def apt_options(self, suite):
        """apt's -o options for the private configuration of a suite ([] for the host's)."""
        if suite is None:
            return []
        d = os.path.join(self.root, "apt", suite)
        return ["-o", f"Dir::Etc::sourcelist={d}/sources.list", "-o", "Dir::Etc::sourceparts=/nonexistent",
                "-o", f"Dir::Etc::preferencesparts={d}/preferences.d",
                "-o", f"Dir::State::Lists={d}/lists", "-o", f"Dir::Cache={d}/cache",
                "-o", f"Dir::State::status={d}/status", "-o", "APT::Sandbox::User=root"]

    def _suite_lists(self, suite):
        """apt-get update of a suite's private configuration, once a run and
        at most every LISTS_MAX_AGE; a failed update leaves the older lists
        (or the cached choice of package) in use."""
        with self._lock:
            lock = self._suite_locks.setdefault(suite, threading.Lock())
        with lock:
            if suite in self._suite_ready:
                return
            d = os.path.join(self.root, "apt", suite)
            for sub in ("lists/partial", "cache/archives/partial", "preferences.d"):
                os.makedirs(os.path.join(d, sub), exist_ok=True)
            mirror = self.mirror or host_mirror()
            if mirror is None:
                self._suite_ready[suite] = ("no Debian mirror in /etc/apt/sources.list*; "
                                            "pass --mirror URL (e.g. the one your apt uses)")
                return
            if not os.path.isfile(DEBIAN_KEYRING):
                self._suite_ready[suite] = f"no {DEBIAN_KEYRING} (apt-get install debian-archive-keyring)"
                return
            security = self.security_mirror or host_mirror("debian-security")
            if security is None and suite not in ("sid", "unstable", "experimental"):
                self.log(f"note: no debian-security archive in /etc/apt/sources.list*; {suite}-security "
                         f"not used (--security-mirror URL), so {suite}'s newest kernel may be missed")
            sources = suite_sources(suite, mirror, security)
            path = os.path.join(d, "sources.list")
            old = open(path).read() if os.path.exists(path) else None
            if old != sources:
                with open(path + ".tmp", "w") as f:
                    f.write(sources)
                os.replace(path + ".tmp", path)
            status = os.path.join(d, "status")
            if not os.path.exists(status):
                open(status, "w").close()
            stamp = os.path.join(d, "updated")
            fresh = old == sources and os.path.exists(stamp) and \
                time.time() - os.path.getmtime(stamp) < LISTS_MAX_AGE
            if not fresh:
                self.log(f"apt-get update of {suite} ({mirror}" + (f", {security}" if security else "")
                         + f", private lists in {d})")
                r = subprocess.run(["apt-get", "update", "-q"] + self.apt_options(suite),
                                   capture_output=True, text=True)
                # apt-get update exits 0 with only a warning when a list is
                # unsigned or unreachable: those lists must not be used.
                bad = [l for l in (r.stdout + r.stderr).splitlines() if l.startswith(("W:", "E:", "Err:"))]
                if r.returncode == 0 and not bad:
                    open(stamp, "w").close()
                else:
                    reason = (bad or (r.stderr.strip().splitlines() or ["no output"]))[-1]
                    self.log(f"apt-get update of {suite} failed: {reason}")
                    self._suite_ready[suite] = f"apt-get update of {suite} failed: {reason}"
                    return
            self._suite_ready[suite] = None

    def _lists_stamp(self, suite):
        """The mtime of the suite's last good apt-get update (after making the
        lists ready), or None when its lists are not usable."""
        self._suite_lists(suite)
        if self._suite_ready[suite] is not None:
            return None
        try:
            return os.path.getmtime(os.path.join(self.root, "apt", suite, "updated"))
        except OSError:
            return None

    def _apt_show(self, package, suite=None):
        if suite is not None:
            self._suite_lists(suite)
            if self._suite_ready[suite] is not None:
                return None
        r = subprocess.run(["apt-cache"] + self.apt_options(suite) + ["show", "--no-all-versions", package],
                           capture_output=True, text=True)
        if r.returncode != 0 or not r.stdout.strip():
            return None
        fields = {}
        for line in r.stdout.splitlines():
            key, sep, value = line.partition(": ")
            if sep and not line.startswith(" "):
                fields.setdefault(key, value)
        return fields

    def resolve(self, package, suite=None):
        """[concrete package, version, Depends, (modules package)]:
        metapackages followed to the image; a split 7.x image to its
        linux-binary and linux-modules packages."""
        key = f"{package}/{suite}" if suite else package
        name = package
        # apt-cache show parses the whole lists each call (it cannot keep a
        # pkgcache.bin without the lock): seconds of CPU. A choice made from
        # the same lists (same update stamp) is still right.
        lists = self._lists_stamp(suite) if suite else None
        if lists is not None and self._resolved.get(key + "@lists") == lists and len(self._resolved.get(key, [])) == 4:
            return self._resolved[key]
        for _ in range(4):
            fields = self._apt_show(name, suite)
            if fields is None:
                break
            deps = [d.strip().split()[0] for d in fields.get("Depends", "").split(",") if d.strip()]
            binary = next((d for d in deps if d.startswith("linux-binary-")), None)
            image_dep = next((d for d in deps if d.startswith("linux-image-")), None)
            if binary is not None:
                modules = next((d for d in deps if d.startswith("linux-modules-")), None)
                result = [binary, fields.get("Version"), fields.get("Depends", ""), modules]
            elif image_dep is None:
                result = [name, fields.get("Version"), fields.get("Depends", ""), None]
            else:
                name = image_dep
                continue
            with self._lock:
                if self._resolved.get(key) != result or self._resolved.get(key + "@lists") != lists:
                    self._resolved[key] = result
                    self._resolved[key + "@lists"] = lists
                    tmp = self._resolved_path + ".tmp"
                    with open(tmp, "w") as f:
                        json.dump(self._resolved, f, indent=1, sort_keys=True)
                    os.replace(tmp, self._resolved_path)
            return result
        if key in self._resolved and len(self._resolved[key]) == 4:
            self.log(f"apt-cache cannot resolve {key} now; using the cached choice {self._resolved[key][0]}")
            return self._resolved[key]
        why = self._suite_ready.get(suite) if suite else None
        raise Unavailable(why or f"package {package} not found by apt-cache"
                          + (f" in {suite}" if suite else " (run 'apt-get update'; "
                             "'apt-cache search linux-image' lists the kernels)"))

    def deb(self, package, version, suite=None):
        debs = os.path.join(self.root, "debs")
        quoted = (version or "").replace(":", "%3a")
        have = sorted(glob.glob(os.path.join(debs, f"{glob.escape(package)}_{glob.escape(quoted) or '*'}_*.deb")))
        if have:
            return have[-1]
        self.log(f"fetching {package} {version or ''}" + (f" from {suite}" if suite else "") + " with apt-get download")
        want = f"{package}={version}" if version else package
        r = subprocess.run(["apt-get", "download", "-q", "-o", "APT::Sandbox::User=root"]
                           + self.apt_options(suite) + [want],
                           cwd=debs, capture_output=True, text=True)
        have = sorted(glob.glob(os.path.join(debs, f"{glob.escape(package)}_*.deb")))
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
        # The cache is shared between matrix runs: each unpacks into its own
        # partial tree, and the first one renamed into place wins.
        tmp = f"{dest}.partial.{os.getpid()}.{threading.get_ident()}"
        shutil.rmtree(tmp, ignore_errors=True)
        r = subprocess.run(["dpkg-deb", "-x", deb, tmp], capture_output=True, text=True)
        if r.returncode != 0:
            shutil.rmtree(tmp, ignore_errors=True)
            err = (r.stderr.strip().splitlines() or ["no output"])[-1]
            raise Unavailable(f"dpkg-deb -x {os.path.basename(deb)} failed: {err}")
        try:
            os.rename(tmp, dest)
        except OSError:
            shutil.rmtree(tmp, ignore_errors=True)
            if not os.path.isdir(dest):
                raise
        return dest


def image_files(tree):
    """[(release, path)] of the kernels in an unpacked package: boot/vmlinuz-REL
    up to 6.x, usr/lib/modules/REL/vmlinuz in 7.x's linux-binary-REL."""
    found = [(os.path.basename(p)[len("vmlinuz-"):], p) for p in glob.glob(os.path.join(tree, "boot/vmlinuz-*"))]
    found += [(os.path.basename(os.path.dirname(p)), p)
              for p in glob.glob(os.path.join(tree, "usr/lib/modules/*/vmlinuz"))]
    return sorted(found)


def prepare(entry, cache):
    """Fetch and unpack what an entry needs; returns a Target or raises
    SpecError (Unavailable: cannot be had now) or Skipped (cannot run here)."""
    label, spec, moddir = entry
    if spec == "host":
        return Target(label, "host", spec, release=os.uname().release)
    package, suite = split_suite(spec)
    if package == "user-mode-linux":
        pkg, version, depends, _m = cache.resolve(package, suite)
        need, have = glibc_requirement(depends), host_glibc()
        if need and have and have < need:
            # Debian's UML is a dynamically linked host program.
            raise Skipped(f"{pkg} {version} needs glibc {need[0]}.{need[1]}, this host has {have[0]}.{have[1]}")
        tree = cache.tree(cache.deb(pkg, version, suite))
        image = os.path.join(tree, "usr/bin/linux.uml")
        mods = sorted(glob.glob(os.path.join(tree, "usr/lib/uml/modules/*")))
        if not os.path.isfile(image):
            raise SpecError(f"{spec}: no usr/bin/linux.uml in {tree}")
        return Target(label, "uml", spec, image, mods[-1] if mods else None,
                      os.path.basename(mods[-1]) if mods else None, f"{pkg} {version}")
    if spec.startswith("uml:"):
        path = spec[4:]
        if not os.access(path, os.X_OK):
            raise SpecError(f"{spec}: {path} is not an executable UML binary")
        return Target(label, "uml", spec, path, moddir)
    if package.startswith("linux-image-"):
        pkg, version, _d, modules_pkg = cache.resolve(package, suite)
        tree = cache.tree(cache.deb(pkg, version, suite))
        images = image_files(tree)
        if not images:
            raise SpecError(f"{spec}: {pkg} holds no boot/vmlinuz-* nor usr/lib/modules/*/vmlinuz "
                            f"(not a kernel image package?)")
        release = images[-1][0]
        trees = [tree]
        if modules_pkg:
            trees.append(cache.tree(cache.deb(modules_pkg, version, suite)))
        mods = next((m for t in trees for m in (os.path.join(t, "lib/modules", release),
                                                os.path.join(t, "usr/lib/modules", release))
                     if os.path.isdir(os.path.join(m, "kernel"))), None)
        return Target(label, "qemu", spec, images[-1][1], mods, release,
                      f"{pkg} {version}" + (f" + {modules_pkg}" if modules_pkg else ""))
    if "/" in spec or os.path.exists(spec):
        if not os.path.isfile(spec):
            raise SpecError(f"{spec}: no such kernel image file")
        if moddir and not os.path.isdir(moddir):
            raise SpecError(f"{spec}: modules directory {moddir} does not exist")
        return Target(label, "qemu", spec, os.path.abspath(spec), moddir)
    raise SpecError(f"kernel spec {spec!r}: expected host, user-mode-linux, uml:PATH, "
                    f"linux-image-PACKAGE or a path to a bzImage/vmlinux")
