"""Boots one kernel on the matrix initramfs and collects what the guest sent:
QEMU (the accelerator accel.decide() chose for the run) for x86-64 kernels, or a
user-mode-linux binary run as an ordinary host process. The guest writes
its results raw to a second serial line that the host maps to a file."""
import os
import shutil
import signal
import subprocess
import time

import cpio_archive
import guest_processes
import serial_frames

HERE = os.path.dirname(os.path.abspath(__file__))


def busybox_archive(busybox, directories):
    """An initramfs archive with these directories, the console, /dev/null,
    two serial lines and a static busybox as /bin/sh."""
    a = cpio_archive.Archive()
    for d in directories:
        a.directory(d)
    a.char_device("dev/console", 5, 1)
    a.char_device("dev/null", 1, 3, 0o666)
    a.char_device("dev/ttyS0", 4, 64)
    a.char_device("dev/ttyS1", 4, 65)
    with open(busybox, "rb") as f:
        a.file("bin/busybox", f.read(), 0o755)
    # The applet name must be "sh": busybox under another name is "applet not found".
    a.symlink("bin/sh", "busybox")
    return a


def base_initramfs(busybox, zcprobe, zcengine=None, engine_args=""):
    """The part every kernel shares: busybox, /init and the static binaries."""
    a = busybox_archive(busybox, ("proc", "sys", "tmp", "run", "modules", "sbin", "usr/bin", "usr/sbin"))
    with open(os.path.join(HERE, "guest-init.sh"), "rb") as f:
        a.file("init", f.read(), 0o755)
    with open(zcprobe, "rb") as f:
        a.file("zcprobe", f.read(), 0o755)
    if zcengine:
        with open(zcengine, "rb") as f:
            a.file("zcengine", f.read(), 0o755)
        a.file("engine-args", engine_args.encode() + b"\n")
    return a.gzip_bytes()


def modules_initramfs(order):
    """Appended after the base archive: /modules/*.ko and their load order."""
    a = cpio_archive.Archive()
    lines = []
    for name, _path, data in order:
        a.file(f"modules/{name}.ko", data)
        lines.append(f"{name}.ko")
    a.file("modules/order", ("\n".join(lines) + "\n").encode())
    return a.gzip_bytes()


# A UML binary that dies at once on this host, not a failure of the kernel
# under test: (console text, why). Debian's UML 5.10 and 6.1 restore the FP
# state of their processes with PTRACE_SETFPREGS into a fixed-size buffer;
# on a CPU whose XSAVE area is larger (AMX) that fails with EFAULT (14) and
# UML panics before /init.
UML_CANNOT_RUN = [
    ("ptrace set fp regs failed", "UML cannot run on this CPU (its XSAVE area, e.g. with AMX, is larger than "
                                  "this UML's FP buffer)"),
    ("ptrace set regs failed", "UML cannot run on this host (ptrace set regs failed)"),
]


def uml_cannot_run(console_text):
    """None, or the one-line reason a UML could not start here."""
    for needle, why in UML_CANNOT_RUN:
        for line in console_text.splitlines():
            if needle in line:
                return f"{why}: {line.strip()[:160]}"
    return None


def guest_cmdline(label, probe_timeout, engine, chan):
    # ZC_MATRIX_PROBE_JOBS=N: zcprobe --jobs N in the guests (default: its
    # own, 4 per vCPU), to compare a line's verdicts and times serial.
    jobs = os.environ.get("ZC_MATRIX_PROBE_JOBS", "")
    return (f"zcm.name={label} zcm.timeout={probe_timeout} zcm.engine={1 if engine else 0} "
            f"zcm.chan={chan}" + (f" zcm.jobs={int(jobs)}" if jobs else ""))


def qemu_command(qemu, image, initrd, workdir, cmdline, kvm, memory=512):
    return [
        qemu, "-nodefaults", "-no-user-config", "-display", "none", "-no-reboot",
        "-machine", "q35" + (",accel=kvm" if kvm else ",accel=tcg"),
        "-cpu", "host" if kvm else "max",
        "-m", str(memory), "-smp", "1",
        "-kernel", image, "-initrd", initrd,
        # ttyS0: console and kernel messages (for people); ttyS1: the results.
        "-chardev", f"file,id=con,path={os.path.join(workdir, 'console.log')}",
        "-serial", "chardev:con",
        "-chardev", f"file,id=out,path={os.path.join(workdir, 'channel.bin')}",
        "-serial", "chardev:out",
        # A virtio-net NIC for the zero-copy bind probe (--xdp-device) whose
        # backend goes nowhere: a hub port on a hub with no other port, so any
        # frame the guest sends is dropped. Never user/tap/bridge networking.
        # romfile= (none): no PXE option ROM is needed or loaded.
        # iommu_platform=on (VIRTIO_F_ACCESS_PLATFORM, modern-only, hence
        # disable-legacy=on): without it the virtqueues bypass the DMA API,
        # virtqueue_dma_dev() is NULL and virtnet_xsk_pool_enable() refuses
        # the bind with EINVAL (observed on 7.2 under TCG).
        "-netdev", "hubport,id=zcnet0,hubid=0",
        "-device", "virtio-net-pci,netdev=zcnet0,romfile=,disable-legacy=on,iommu_platform=on",
        "-append", f"console=ttyS0 panic=-1 oops=panic loglevel=4 rdinit=/init {cmdline}",
    ]


def uml_command(uml, initrd, workdir, cmdline, out_fd):
    # con0 on the console log, ssl1 (/dev/ttyS1) written to the channel file
    # through the inherited out_fd; uml_dir keeps UML's pid and socket files
    # out of ~/.uml.
    return [
        uml, "mem=512M", f"initrd={initrd}", f"uml_dir={workdir}", "umid=zcmatrix",
        "con=null", "con0=null,fd:1", "ssl=null", f"ssl1=null,fd:{out_fd}",
        "console=tty0", "panic=-1", "loglevel=4", "rdinit=/init", cmdline,
    ]


class BootResult:
    def __init__(self):
        self.outcome = "error"     # ok | timeout | no-results | damaged | error | cannot-run-here
        self.detail = ""
        self.files = {}
        self.seconds = 0.0


def shared_libraries(binary):
    """[(path as the program asks for it, real file)] from ldd, or raise
    RuntimeError: what a dynamically linked UML needs in a guest."""
    r = subprocess.run(["ldd", binary], capture_output=True, text=True)
    if "not a dynamic executable" in r.stdout + r.stderr:
        return []
    if r.returncode != 0:
        raise RuntimeError(f"ldd {binary} failed: {r.stderr.strip() or r.stdout.strip()}")
    libs = []
    for line in r.stdout.splitlines():
        words = line.split()
        path = words[2] if len(words) >= 3 and words[1] == "=>" else (words[0] if words and words[0].startswith("/")
                                                                       else None)
        if path and path.startswith("/"):
            if not os.path.exists(path):
                raise RuntimeError(f"ldd {binary}: {line.strip()}")
            libs.append((path, os.path.realpath(path)))
    return libs


def uml_in_qemu_initramfs(busybox, uml, inner_initrd, uml_args):
    """A QEMU guest's initramfs whose /init runs the UML binary (with the
    host's copies of its shared libraries) on the matrix initramfs, then
    sends UML's results channel, unchanged, over its own ttyS1."""
    a = busybox_archive(busybox, ("proc", "sys", "tmp", "dev"))
    for path, real in shared_libraries(uml):
        with open(real, "rb") as f:
            a.file(path.lstrip("/"), f.read(), 0o755)
    with open(uml, "rb") as f:
        a.file("linux.uml", f.read(), 0o755)
    a.file("inner.gz", inner_initrd)
    init = ["#!/bin/busybox sh",
            "/bin/busybox --install -s /bin",
            "export PATH=/bin",
            "mount -t proc proc /proc; mount -t sysfs sysfs /sys; mount -t devtmpfs devtmpfs /dev 2>/dev/null",
            "mount -t tmpfs -o size=900m tmpfs /tmp",
            "cd /tmp",
            "echo 'uml-in-qemu: starting UML' > /dev/ttyS0",
            f"/linux.uml {uml_args} 3>/tmp/chan >/dev/ttyS0 2>&1",
            "echo \"uml-in-qemu: UML exit $?\" > /dev/ttyS0",
            "stty raw -echo < /dev/ttyS1",
            "cat /tmp/chan > /dev/ttyS1",
            "poweroff -f", ""]
    a.file("init", "\n".join(init).encode(), 0o755)
    return a.gzip_bytes()


def boot_uml_in_qemu(uml, outer_kernel, busybox, inner_initrd, workdir, label, time_limit, probe_timeout, engine,
                     guard=None):
    """UML started inside a QEMU/TCG guest: for a CPU this UML cannot run on
    (AMX's larger XSAVE area). QEMU's TCG implements no AMX, so the guest's
    XSAVE area is the small one UML 5.10 and 6.1 handle. Measured on the
    2-core development host: UML 5.10.46 in a 6.1 TCG guest, the whole probe
    catalog and the engine run, 112 s (32 s as a host process)."""
    with open(inner_initrd, "rb") as f:
        inner = f.read()
    uml_args = " ".join(uml_command("/linux.uml", "/inner.gz", "/tmp", guest_cmdline(label, probe_timeout, engine,
                                                                                        "/dev/ttyS1"), 3)[1:])
    outer = os.path.join(workdir, "outer-initrd.gz")
    with open(outer, "wb") as f:
        f.write(uml_in_qemu_initramfs(busybox, uml, inner, uml_args))
    try:
        return boot("qemu", outer_kernel, outer, workdir, label, time_limit, probe_timeout, engine, "tcg", guard,
                    memory=1024)
    finally:
        os.unlink(outer)


def boot(kind, image, initrd, workdir, label, time_limit, probe_timeout, engine, accel="tcg", guard=None,
         memory=512):
    """kind: 'qemu' or 'uml'; accel: 'kvm' or 'tcg' for QEMU; guard: the
    run's guest_processes.Guard. Returns a BootResult; never raises for a guest
    that misbehaves (hang, panic, garbage), only for a host-side failure."""
    res = BootResult()
    os.makedirs(workdir, exist_ok=True)
    channel = os.path.join(workdir, "channel.bin")
    console = os.path.join(workdir, "console.log")
    for p in (channel, console):
        if os.path.exists(p):
            os.unlink(p)
    start = time.monotonic()
    if kind == "qemu":
        qemu = shutil.which("qemu-system-x86_64")
        if not qemu:
            raise RuntimeError("qemu-system-x86_64 not found (apt-get install qemu-system-x86)")
        cmd = qemu_command(qemu, image, initrd, workdir,
                           guest_cmdline(label, probe_timeout, engine, "/dev/ttyS1"), accel == "kvm", memory)
        out_fd = None
        stdout = open(os.path.join(workdir, "qemu.stderr"), "wb")  # qemu's own complaints
    else:
        out_fd = os.open(channel, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        cmd = uml_command(image, initrd, workdir, guest_cmdline(label, probe_timeout, engine, "/dev/ttyS1"), out_fd)
        stdout = open(console, "wb")
    with open(os.path.join(workdir, "command.txt"), "w") as f:
        f.write(" ".join(cmd) + "\n")
    try:
        # pass_fds keeps the descriptor's number, which the command line names.
        proc = guest_processes.popen(cmd, guard, stdin=subprocess.DEVNULL, stdout=stdout, stderr=subprocess.STDOUT,
                                     pass_fds=(out_fd,) if out_fd is not None else ())
        try:
            rc = proc.wait(timeout=time_limit)
        except subprocess.TimeoutExpired:
            rc = None
        # UML forks helper processes: end the whole session we started.
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except OSError:
            pass
        proc.wait()
        if guard is not None:
            guard.forget(proc.pid)
    finally:
        if out_fd is not None:
            os.close(out_fd)
        stdout.close()
    res.seconds = time.monotonic() - start
    data = open(channel, "rb").read() if os.path.exists(channel) else b""
    try:
        res.files, done = serial_frames.parse(data)
    except serial_frames.FrameError as e:
        res.outcome, res.detail = "damaged", str(e)
        return res
    for name, content in res.files.items():
        with open(os.path.join(workdir, name), "wb") as f:
            f.write(content)
    cannot = None
    if kind == "uml" and not done and os.path.exists(console):
        with open(console, errors="replace") as f:
            cannot = uml_cannot_run(f.read())
    if cannot:
        res.outcome, res.detail = "cannot-run-here", cannot
    elif rc is None:
        res.outcome = "timeout"
        res.detail = f"no power-off within {time_limit:.0f} s" + ("" if done else "; results incomplete")
    elif not done:
        res.outcome = "no-results"
        res.detail = f"guest ended (exit {rc}) before sending its results; see console.log"
    elif "probe.json" not in res.files:
        res.outcome = "no-results"
        res.detail = "guest sent no probe.json; see guest.log and probe.err"
    else:
        res.outcome = "ok"
    return res
