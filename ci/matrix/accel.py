"""Which accelerator the QEMU guests use, decided once a run.

/dev/kvm existing does not mean KVM works: behind a nested hypervisor
(kvm-pvm) guests can hang at once with a KVM register dump on QEMU's stderr
and `kvm-pvm: INTERNAL_ERROR in batch emul` in dmesg, and every line then
waits out its boot timeout. So KVM is trusted only after one short boot of
a real kernel under accel=kvm reaches its /init (a busybox script that
prints a marker and powers off) within a few seconds; otherwise TCG, with
the reason. The decision is (accel, reason): ('kvm' | 'tcg', one line).
"""
import os
import re
import signal
import subprocess
import time

import cpio_archive
import guest_processes

MARKER = "ZCMATRIX-ALIVE"
# What QEMU prints when KVM fails under it (accel/kvm/kvm-all.c).
_QEMU_SIGNATURES = re.compile(r"KVM internal error[^\n]*|error: failed to set MSR[^\n]*|emulation failure[^\n]*|"
                              r"error: kvm run failed[^\n]*|failed to initialize kvm[^\n]*|"
                              r"Could not access KVM kernel module[^\n]*", re.IGNORECASE)
_DMESG_SIGNATURE = re.compile(r"kvm(-pvm)?: INTERNAL_ERROR[^\n]*")


def check_initramfs(busybox):
    a = cpio_archive.Archive()
    a.directory("dev")
    a.char_device("dev/console", 5, 1)
    a.char_device("dev/ttyS0", 4, 64)
    with open(busybox, "rb") as f:
        a.file("bin/busybox", f.read(), 0o755)
    a.file("init", (f"#!/bin/busybox sh\n/bin/busybox echo {MARKER} > /dev/ttyS0\n"
                    "/bin/busybox poweroff -f\n").encode(), 0o755)
    return a.gzip_bytes()


def check_command(qemu, image, initrd, console):
    return [qemu, "-nodefaults", "-no-user-config", "-display", "none", "-no-reboot",
            "-machine", "q35,accel=kvm", "-cpu", "host", "-m", "256", "-smp", "1",
            "-kernel", image, "-initrd", initrd, "-serial", f"file:{console}",
            "-append", "console=ttyS0 panic=-1 loglevel=4 rdinit=/init"]


def _dmesg_tail():
    try:
        r = subprocess.run(["dmesg"], capture_output=True, text=True, timeout=10)
        return r.stdout if r.returncode == 0 else None
    except (OSError, subprocess.TimeoutExpired):
        return None


def _seen(console):
    try:
        with open(console, errors="replace") as f:
            return MARKER in f.read()
    except OSError:
        return False


def kvm_opens(device):
    """None when the device opens read-write, else why not."""
    try:
        os.close(os.open(device, os.O_RDWR | os.O_CLOEXEC))
        return None
    except OSError as e:
        return f"{device}: {e.strerror}"


def probe_boot(qemu, image, busybox, workdir, time_limit, guard=None):
    """One accel=kvm boot to the marker. Returns (seconds, None) when it got
    there, (seconds, reason) when not."""
    os.makedirs(workdir, exist_ok=True)
    initrd = os.path.join(workdir, "initrd.gz")
    console = os.path.join(workdir, "console.log")
    stderr_path = os.path.join(workdir, "qemu.stderr")
    with open(initrd, "wb") as f:
        f.write(check_initramfs(busybox))
    if os.path.exists(console):
        os.unlink(console)
    cmd = check_command(qemu, image, initrd, console)
    with open(os.path.join(workdir, "command.txt"), "w") as f:
        f.write(" ".join(cmd) + "\n")
    before = _dmesg_tail()
    start = time.monotonic()
    with open(stderr_path, "wb") as err:
        proc = guest_processes.popen(cmd, guard, stdin=subprocess.DEVNULL, stdout=err, stderr=subprocess.STDOUT)
    reached = False
    try:
        while time.monotonic() - start < time_limit:
            if _seen(console):
                reached = True
                break
            if proc.poll() is not None:
                reached = _seen(console)  # written just before it ended?
                break
            time.sleep(0.1)
    finally:
        seconds = time.monotonic() - start
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        if guard is not None:
            guard.forget(proc.pid)
    if reached:
        return seconds, None
    with open(stderr_path, errors="replace") as f:
        qemu_err = f.read()
    why = (f"accel=kvm boot ended (exit {proc.returncode}) before its /init ran" if proc.returncode not in (None, -9)
           else f"no /init within {time_limit:g} s of an accel=kvm boot")
    m = _QEMU_SIGNATURES.search(qemu_err)
    if m:
        why += f"; qemu: {m.group(0).strip()}"
    after = _dmesg_tail()
    if after is not None:
        new = after[len(before):] if before is not None and after.startswith(before) else after
        m = _DMESG_SIGNATURE.search(new)
        if m:
            why += f"; dmesg: {m.group(0).strip()}"
    return seconds, why


def decide(mode, device, qemu, image, busybox, workdir, time_limit, guard=None):
    """mode: auto | kvm | tcg. Returns (accel, reason)."""
    if mode == "tcg":
        return "tcg", "forced by --accel tcg"
    closed = kvm_opens(device)
    if closed is not None:
        if mode == "kvm":
            raise RuntimeError(f"--accel kvm: {closed}")
        return "tcg", f"no usable kvm: {closed}"
    if mode == "kvm":
        return "kvm", f"{device} opens; forced by --accel kvm, not checked"
    seconds, why = probe_boot(qemu, image, busybox, workdir, time_limit, guard)
    if why is None:
        return "kvm", f"checked: an accel=kvm guest reached /init in {seconds:.1f} s"
    return "tcg", f"kvm present but unusable: {why}"
