"""Which .ko files a guest must insmod, in order. Debian ships modules
without a usable modules.dep for busybox (and as .ko.xz on 6.12), so the
`depends=` field is read from each module's own .modinfo ELF section and the
dependencies are loaded first. Compressed modules are unpacked here, on the
host, because busybox insmod cannot."""
import lzma
import os
import shutil
import struct
import subprocess

_SUFFIXES = (".ko", ".ko.xz", ".ko.zst", ".ko.gz")


def module_bytes(path):
    with open(path, "rb") as f:
        data = f.read()
    if path.endswith(".xz"):
        return lzma.decompress(data)
    if path.endswith(".gz"):
        import gzip
        return gzip.decompress(data)
    if path.endswith(".zst"):
        if not shutil.which("zstd"):
            raise RuntimeError(f"{path}: zstd-compressed module but no zstd on PATH (apt-get install zstd)")
        return subprocess.run(["zstd", "-dc", path], check=True, capture_output=True).stdout
    return data


def modinfo(elf):
    """The key=value pairs of an ELF64 little-endian module's .modinfo section."""
    if elf[:4] != b"\x7fELF" or elf[4] != 2 or elf[5] != 1:
        raise ValueError("not a 64-bit little-endian ELF module")
    shoff, = struct.unpack_from("<Q", elf, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", elf, 0x3A)

    def section(i):
        name, _type, _flags, _addr, off, size = struct.unpack_from("<IIQQQQ", elf, shoff + i * shentsize)
        return name, off, size

    _n, stroff, _s = section(shstrndx)
    for i in range(shnum):
        name, off, size = section(i)
        end = elf.index(b"\0", stroff + name)
        if elf[stroff + name:end] == b".modinfo":
            info = {}
            for item in elf[off:off + size].split(b"\0"):
                key, sep, value = item.decode(errors="replace").partition("=")
                if sep:
                    info.setdefault(key, value)
            return info
    return {}


def index_modules(root):
    """Module name (as insmod knows it: '-' and '_' alike) -> path, under root."""
    found = {}
    for dirpath, _dirs, files in os.walk(root):
        for f in files:
            for suffix in _SUFFIXES:
                if f.endswith(suffix):
                    found.setdefault(f[: -len(suffix)].replace("-", "_"), os.path.join(dirpath, f))
    return found


def load_order(root, wanted):
    """[(name, path, ko_bytes)] for the wanted modules and their dependencies,
    dependencies first, plus [(name, reason)] for those that cannot be had
    (built in, or absent: the probes then say what they could not do)."""
    index = index_modules(root) if os.path.isdir(root) else {}
    order, missing, seen = [], [], set()

    def visit(name, chain):
        name = name.replace("-", "_")
        if name in seen:
            return
        seen.add(name)
        path = index.get(name)
        if path is None:
            missing.append((name, f"no {name}.ko under {root} (built in, or not shipped)"))
            return
        data = module_bytes(path)
        for dep in filter(None, modinfo(data).get("depends", "").split(",")):
            if dep not in chain:
                visit(dep, chain + [name])
        order.append((name, path, data))

    for w in wanted:
        visit(w, [])
    return order, missing
