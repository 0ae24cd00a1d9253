"""Nothing the sandbox matrix makes outlives it, however it ends.

The matrix keeps its bundles, reports in progress and runc's state
(--root) in one private temporary directory. A guard process, in its own
session (a killpg of the matrix's group spares it), holds the read end of a
pipe; the matrix writes '+ID' / '-ID' as runc containers are created and
deleted. When the pipe reads EOF (the matrix ended, by any signal, SIGKILL
included) the guard runs `runc delete --force` on every container still
listed and removes the temporary directory.

A matrix killed while runc was still creating a container can leave what
`runc delete` does not know about: a `runc init` still setting up mounts
(it makes the rootfs's mount points again after they were removed) and the
container's cgroups. So the guard also kills the processes of any cgroup
named for a listed container and removes it, and removes the temporary
directory again until it stays gone (at most CLEANUP_SECONDS).
    cleanup_guard.py --guard RUNC STATE_DIR TMPDIR"""
import glob
import os
import shutil
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "matrix"))
import guest_processes  # noqa: E402  (the pipe guard, shared with the kernel matrix)

CLEANUP_SECONDS = 15


def delete_container(runc, state, cid):
    """runc delete --force (kills the container's processes first); True
    when the container is gone."""
    subprocess.run([runc, "--root", state, "delete", "--force", cid],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=30)
    r = subprocess.run([runc, "--root", state, "state", cid], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=30)
    return r.returncode != 0


def cgroups_of(cid):
    """runc's cgroupfs directories for a container without cgroupsPath:
    /sys/fs/cgroup/CONTROLLER/ID (v1) and /sys/fs/cgroup/ID (v2)."""
    return sorted(glob.glob(f"/sys/fs/cgroup/{glob.escape(cid)}") + glob.glob(f"/sys/fs/cgroup/*/{glob.escape(cid)}"))


def remove_cgroups(cid, deadline):
    """Kills what is left in the container's cgroups and removes them."""
    for path in cgroups_of(cid):
        while time.monotonic() < deadline:
            try:
                with open(os.path.join(path, "cgroup.procs")) as f:
                    pids = [int(p) for p in f.read().split()]
            except OSError:
                pids = []
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            try:
                os.rmdir(path)
                break
            except FileNotFoundError:
                break
            except OSError:
                time.sleep(0.1)


def remove_tree(path, deadline):
    """shutil.rmtree until the directory stays gone: a dying `runc init`
    may still make mount points in the rootfs."""
    while True:
        shutil.rmtree(path, ignore_errors=True)
        time.sleep(0.2)
        if not os.path.exists(path) or time.monotonic() >= deadline:
            return


class Guard(guest_processes.PipeGuard):
    """Starts the guard process; created()/deleted() every container."""

    def __init__(self, runc, state, tmpdir):
        super().__init__([sys.executable, os.path.abspath(__file__), "--guard", runc, state, tmpdir])

    def created(self, cid):
        self._send(f"+{cid}\n")

    def deleted(self, cid):
        self._send(f"-{cid}\n")


def _guard_main(runc, state, tmpdir):
    import signal
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the matrix's group, not ours
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    ids = guest_processes.listed_at_eof(sys.stdin)
    deadline = time.monotonic() + CLEANUP_SECONDS
    for cid in ids:
        try:
            delete_container(runc, state, cid)
        except (OSError, subprocess.SubprocessError):
            pass
        remove_cgroups(cid, deadline)
    remove_tree(tmpdir, deadline)
    return 0


if __name__ == "__main__" and sys.argv[1:2] == ["--guard"] and len(sys.argv) == 5:
    sys.exit(_guard_main(*sys.argv[2:]))
