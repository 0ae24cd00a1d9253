"""Guests never outlive the matrix, however it ends.

Each guest (QEMU, or UML with its helper processes) runs in its own session
so a timeout can end all of it with one killpg. Such a session survives its
parent, so two things tie it to the matrix:
- PR_SET_PDEATHSIG (SIGKILL) in the guest's first process: the kernel kills
  it when the thread that started it dies, even by SIGKILL;
- a guard process (`guest_processes.py --guard`, in its own session so a
  killpg of the matrix's group spares it) holding the read end of a pipe:
  the matrix writes '+PGID' / '-PGID' as guests start and end, and when the
  pipe reads EOF (the matrix is gone, by any signal) the guard SIGKILLs every
  group still listed, UML's helpers included.
"""
import ctypes
import os
import signal
import subprocess
import sys
import threading

PR_SET_PDEATHSIG = 1
_libc = ctypes.CDLL(None, use_errno=True)


def die_with_parent():
    """preexec_fn: SIGKILL this child when the thread that forked it dies
    (man 2 PR_SET_PDEATHSIG); if that already happened, die now."""
    parent = os.getppid()
    if _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        os._exit(126)
    if os.getppid() != parent:
        os._exit(126)


class PipeGuard:
    """A guard process in its own session reading '+ITEM' / '-ITEM' lines
    from a pipe whose write end only this process holds: when the pipe reads
    EOF (this process ended, by any signal) the guard cleans up what is still
    listed. argv: the guard's command line."""

    def __init__(self, argv):
        r, w = os.pipe()  # both ends close-on-exec: no child inherits the write end
        self._proc = subprocess.Popen(argv, stdin=r, stdout=subprocess.DEVNULL, start_new_session=True)
        os.close(r)
        self._w = w
        self._lock = threading.Lock()

    def _send(self, line):
        with self._lock:
            try:
                os.write(self._w, line.encode())
            except OSError:
                pass

    def close(self):
        """Normal end: the guard cleans what is still listed, then exits on EOF."""
        os.close(self._w)
        self._proc.wait()


def listed_at_eof(lines):
    """The guard's side: what the '+ITEM' / '-ITEM' lines leave listed, in
    the order added, once the pipe reads EOF."""
    items = []
    for line in lines:
        line = line.strip()
        if line.startswith("+"):
            items.append(line[1:])
        elif line.startswith("-") and line[1:] in items:
            items.remove(line[1:])
    return items


class Guard(PipeGuard):
    """Starts the guard process; register() every guest's process group."""

    def __init__(self):
        super().__init__([sys.executable, os.path.abspath(__file__), "--guard"])
        self._groups = set()

    def register(self, pgid):
        self._groups.add(pgid)
        self._send(f"+{pgid}\n")

    def forget(self, pgid):
        self._groups.discard(pgid)
        self._send(f"-{pgid}\n")

    def kill_all(self):
        """Ends every guest now (a signal handler's way out)."""
        for pgid in list(self._groups):
            try:
                os.killpg(pgid, signal.SIGKILL)
            except OSError:
                pass

def popen(cmd, guard, **kw):
    """subprocess.Popen for a guest: own session, dies with its parent,
    its group known to the guard."""
    proc = subprocess.Popen(cmd, start_new_session=True, preexec_fn=die_with_parent, **kw)
    if guard is not None:
        guard.register(proc.pid)
    return proc


def _guard_main():
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C of the matrix reaches its group, not ours
    groups = [int(g) for g in listed_at_eof(sys.stdin)]
    for pgid in groups:
        try:
            os.killpg(pgid, signal.SIGKILL)
        except OSError:
            pass
    return 0


if __name__ == "__main__" and sys.argv[1:] == ["--guard"]:
    sys.exit(_guard_main())
