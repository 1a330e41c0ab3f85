"""The one bounded read: a regular file, at most ``cap`` bytes.

Every file notelint reads goes through :func:`read_regular`: notes (with the
``max-file-size`` cap), the configuration, the front matter schema, the
videos file, transcripts, an audit baseline, the cache's shards. A FIFO, a
socket or a device is never opened for reading (a FIFO would block the run
for ever, ``/dev/zero`` would fill the memory): the path is looked at with
``stat`` first, then opened without blocking and looked at again through the
open descriptor, so a file swapped for a FIFO between the two is caught too.
A file larger than the cap is not read at all, and one that grows past it
while it is read is refused.

The errors are :class:`OSError` subclasses whose ``strerror`` says why, so
callers that already report ``OSError`` name the file and the reason.
"""

from __future__ import annotations

import errno
import os
import stat

_KINDS = {
    stat.S_IFIFO: "a FIFO (named pipe)",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFDIR: "a directory",
}
_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
_CHUNK = 1 << 20


class NotRegularFile(OSError):
    """The path is a FIFO, socket, device or folder: not read."""

    def __init__(self, mode: int):
        self.kind = kind_of(mode)
        if stat.S_ISDIR(mode):
            super().__init__(errno.EISDIR, os.strerror(errno.EISDIR))
        else:
            super().__init__(errno.EINVAL, f"not a regular file but {self.kind}")


class FileTooLarge(OSError):
    """The file is larger than the cap: not read (``size`` is -1 when it grew while being read)."""

    def __init__(self, size: int, cap: int):
        self.size, self.cap = size, cap
        said = f"{size} bytes" if size >= 0 else f"larger than {cap} bytes"
        super().__init__(errno.EFBIG, f"file is {said}; the limit is {cap} bytes")

    def over(self, what: str) -> str:
        """Why, naming the cap: ``file is N bytes, over the CAP-byte limit for a videos file``."""
        size = f"{self.size} bytes" if self.size >= 0 else "larger than that"
        return f"file is {size}, over the {self.cap}-byte limit for {what}"


def kind_of(mode: int) -> str:
    return _KINDS.get(stat.S_IFMT(mode), "not a regular file")


def read_regular(path: str | os.PathLike, cap: int, *, partial: bool = False) -> bytes:
    """The bytes of the regular file at ``path`` (a symbolic link is followed); with
    ``partial``, its first ``cap`` bytes however large it is.

    Raises :class:`NotRegularFile`, :class:`FileTooLarge`, or the ``OSError``
    of ``stat``/``open``/``read``.
    """
    st = os.stat(path)
    if not stat.S_ISREG(st.st_mode):
        raise NotRegularFile(st.st_mode)  # never opened: opening some devices does something
    if st.st_size > cap and not partial:
        raise FileTooLarge(st.st_size, cap)
    fd = os.open(path, _FLAGS)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):  # swapped between stat and open
            raise NotRegularFile(st.st_mode)
        chunks: list[bytes] = []
        left = cap + 1
        while left > 0:
            chunk = os.read(fd, min(_CHUNK, left))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if left <= 0:
        if partial:
            return data[:cap]
        raise FileTooLarge(-1, cap)  # it grew while being read
    return data
