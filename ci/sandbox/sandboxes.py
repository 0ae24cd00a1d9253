"""The sandboxes of the matrix and the OCI runtime configuration of each.

A sandbox is a policy an application may be deployed under: a capability
set, a seccomp profile, a user, no_new_privs, masked paths, and its own
network namespace (each runc bundle gets a fresh one holding only `lo`;
never podman's bridge network, which would create cni-podman0, add iptables
chains and set net.ipv4.ip_forward=1). `config()` is a pure function of the
sandbox and the policies, so tests check what runc is given."""
import os

import seccomp_profile

NOBODY = 65534


class Sandbox:
    def __init__(self, label, kind, text, uid=0, caps=None, profile=None, no_new_privs=False, hide=()):
        self.label = label
        self.kind = kind              # host | runc
        self.text = text              # one line: what it stands for
        self.uid = uid
        self.caps = caps              # 'docker' | 'podman' | 'none' (runc only)
        self.profile = profile        # 'docker' | 'podman' (runc only)
        self.no_new_privs = no_new_privs
        self.hide = tuple(hide)       # paths masked on top of the engine's list


# Column order of the matrix.
ALL = [
    Sandbox("host-root", "host", "the host as root, no container (baseline)"),
    Sandbox("host-unprivileged", "host", "the host as uid 65534, no container", uid=NOBODY),
    Sandbox("docker-default", "runc", "Docker >= 25 default: its 14 capabilities and seccomp profile, root, "
            "own network namespace", caps="docker", profile="docker"),
    Sandbox("podman-default", "runc", "Podman default: its 11 capabilities (no NET_RAW) and containers-common "
            "profile, root, own network namespace", caps="podman", profile="podman"),
    Sandbox("k8s-restricted", "runc", "Kubernetes restricted-like: every capability dropped, no_new_privs, "
            "uid 65534, Docker's profile (RuntimeDefault)", uid=NOBODY, caps="none", profile="docker",
            no_new_privs=True),
    Sandbox("podman-hidden-sysctl", "runc", "podman-default with /proc/sys/kernel masked, as on kernels "
            "before 6.6 that lack kernel.io_uring_disabled", caps="podman", profile="podman",
            hide=("/proc/sys/kernel",)),
]
BY_LABEL = {s.label: s for s in ALL}


def capabilities(sandbox, policies):
    if sandbox.caps == "docker":
        return list(policies.docker_caps)
    if sandbox.caps == "podman":
        return list(policies.podman_caps)
    return []


def seccomp(sandbox, policies, goarch, kernel_release):
    profile = policies.docker_profile if sandbox.profile == "docker" else policies.podman_profile
    return seccomp_profile.translate(profile, capabilities(sandbox, policies), goarch, kernel_release)


def config(sandbox, policies, rootfs, outdir, args, goarch="amd64", kernel_release="6.1"):
    """The OCI config.json (runtime-spec 1.0.2, as runc 1.1 reads it) of a
    runc sandbox. Like `runc spec` and Docker's oci/defaults.go, with three
    changes for this machine: no process.rlimits (root here lacks
    CAP_SYS_RESOURCE, so setrlimit above the hard limit fails), no terminal,
    and /out bound read-write for the report."""
    caps = capabilities(sandbox, policies)
    uid = sandbox.uid
    return {
        "ociVersion": "1.0.2-dev",
        "process": {
            "terminal": False,
            "user": {"uid": uid, "gid": uid, "additionalGids": []},
            "args": list(args),
            "env": ["PATH=/bin", "HOME=/", "TMPDIR=/tmp"],
            "cwd": "/",
            # Docker and Podman set bounding, effective and permitted (and
            # no inheritable or ambient set); a non-root user keeps none of
            # them across execve, as under Docker.
            "capabilities": {"bounding": caps, "effective": caps, "permitted": caps},
            "noNewPrivileges": sandbox.no_new_privs,
        },
        "root": {"path": os.path.abspath(rootfs), "readonly": True},
        "hostname": sandbox.label,
        "mounts": [
            {"destination": "/proc", "type": "proc", "source": "proc"},
            {"destination": "/dev", "type": "tmpfs", "source": "tmpfs",
             "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]},
            {"destination": "/dev/pts", "type": "devpts", "source": "devpts",
             "options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"]},
            {"destination": "/dev/shm", "type": "tmpfs", "source": "shm",
             "options": ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]},
            {"destination": "/dev/mqueue", "type": "mqueue", "source": "mqueue",
             "options": ["nosuid", "noexec", "nodev"]},
            {"destination": "/sys", "type": "sysfs", "source": "sysfs",
             "options": ["nosuid", "noexec", "nodev", "ro"]},
            {"destination": "/sys/fs/cgroup", "type": "cgroup", "source": "cgroup",
             "options": ["nosuid", "noexec", "nodev", "relatime", "ro"]},
            {"destination": "/tmp", "type": "tmpfs", "source": "tmpfs",
             "options": ["nosuid", "nodev", "mode=1777", "size=65536k"]},
            {"destination": "/out", "type": "bind", "source": os.path.abspath(outdir), "options": ["rbind", "rw"]},
        ],
        "linux": {
            "resources": {"devices": [{"allow": False, "access": "rwm"}]},
            # A fresh network namespace each: the container's own, holding lo.
            "namespaces": [{"type": t} for t in ("pid", "network", "ipc", "uts", "mount")],
            "maskedPaths": list(policies.docker_masked) + list(sandbox.hide),
            "readonlyPaths": list(policies.docker_readonly),
            "seccomp": seccomp(sandbox, policies, goarch, kernel_release),
        },
    }
