"""The guest's results channel: each file framed as
    \nZCMATRIX-FILE NAME SIZE SHA256\n<SIZE raw bytes>\nZCMATRIX-END\n
and a final ZCMATRIX-DONE. The size lets binary-safe bytes through; the hash
proves they arrived exactly as the guest wrote them."""
import hashlib
import re

_HEADER = re.compile(rb"ZCMATRIX-FILE ([A-Za-z0-9._-]+) (\d+) ([0-9a-f]{64})\n")
_END = b"\nZCMATRIX-END\n"


class FrameError(Exception):
    pass


def parse(channel):
    """(files {name: bytes}, done flag). Raises FrameError on a damaged frame:
    a short file, a hash mismatch or a missing end marker."""
    files, pos = {}, 0
    while True:
        m = _HEADER.search(channel, pos)
        if not m:
            break
        name, size, digest = m.group(1).decode(), int(m.group(2)), m.group(3).decode()
        start = m.end()
        data = channel[start:start + size]
        if len(data) < size:
            raise FrameError(f"{name}: {len(data)} of {size} bytes arrived (channel cut short)")
        if hashlib.sha256(data).hexdigest() != digest:
            raise FrameError(f"{name}: SHA-256 mismatch: the channel altered the bytes")
        if channel[start + size:start + size + len(_END)] != _END:
            raise FrameError(f"{name}: no end marker after {size} bytes")
        files[name] = data
        pos = start + size + len(_END)
    return files, b"\nZCMATRIX-DONE\n" in channel[pos:]
