"""A gzip'd cpio "newc" archive written by hand, so that the initramfs holds
root-owned files and a /dev/console node without needing root or the cpio
tool on the host. The kernel unpacks concatenated archives in order, so a
shared base and a per-kernel module archive are simply appended."""
import gzip
import io
import stat

_TRAILER = "TRAILER!!!"


class Archive:
    def __init__(self):
        self._buf = io.BytesIO()
        self._ino = 1
        self._dirs = set()

    def _entry(self, name, mode, data=b"", rdev=(0, 0)):
        name_bytes = name.encode() + b"\0"
        header = "070701" + "".join(
            f"{v:08x}"
            for v in (
                self._ino, mode, 0, 0, 1, 0, len(data),
                0, 0, rdev[0], rdev[1], len(name_bytes), 0,
            )
        )
        self._ino += 1
        out = self._buf
        out.write(header.encode() + name_bytes)
        out.write(b"\0" * (-(110 + len(name_bytes)) % 4))
        out.write(data)
        out.write(b"\0" * (-len(data) % 4))

    def directory(self, name):
        parts = name.strip("/").split("/")
        for i in range(1, len(parts) + 1):
            d = "/".join(parts[:i])
            if d not in self._dirs:
                self._dirs.add(d)
                self._entry(d, stat.S_IFDIR | 0o755)

    def _parent(self, name):
        parent = name.strip("/").rpartition("/")[0]
        if parent:
            self.directory(parent)

    def file(self, name, data, mode=0o644):
        self._parent(name)
        self._entry(name.strip("/"), stat.S_IFREG | mode, data)

    def symlink(self, name, target):
        self._parent(name)
        self._entry(name.strip("/"), stat.S_IFLNK | 0o777, target.encode())

    def char_device(self, name, major, minor, mode=0o600):
        self._parent(name)
        self._entry(name.strip("/"), stat.S_IFCHR | mode, rdev=(major, minor))

    def newc_bytes(self):
        """The archive with its trailer (uncompressed)."""
        out = self._buf.getvalue()
        tail = Archive()
        tail._entry(_TRAILER, 0)
        return out + tail._buf.getvalue()

    def gzip_bytes(self):
        # mtime=0: the same inputs give the same initramfs bytes.
        return gzip.compress(self.newc_bytes(), compresslevel=6, mtime=0)
