"""Bytes a large run sets aside on disk until it reads them again: the detail blobs from the
workers until they are decoded (and, with a cache, until the cache writes them), then every
note's packed links until the vault rules read them, its cited times (:class:`SpilledBytes`)
until TS007 does and, in a run without a cache, its packed headings until a link reaches one.
A vault of 100,000 notes holds about 5 KB a note of them; on disk, the parent holds an offset
and a length.

An unnamed temporary file (deleted when the last object reading it is gone, and by the
system if the process dies), written at its end and read with ``pread``: workers forked
later read it too. Reads come back from the page cache, which the system may reclaim under
pressure, as it cannot reclaim a process's heap.
"""

from __future__ import annotations

import os


class Spill:
    """The file is made when the first bytes come (most runs that could spill never do: a
    one-note check reads every other note from the cache, and parses none)."""

    def __init__(self) -> None:
        self._file = None
        self._fd = -1
        self._end = 0
        self.full = False  # the file could not be made, or a write failed: nothing more is set aside

    def put(self, data: bytes) -> tuple[int, int] | None:
        """Keep ``data``; (offset, length) to :meth:`get` it back, or None when it could not
        be written (no space left, no temporary folder): the caller keeps ``data``."""
        if self.full:
            return None
        at = self._end
        written = 0
        try:
            if self._file is None:
                import tempfile  # not on a one-note check's start-up path

                self._file = tempfile.TemporaryFile(prefix="notelint-spill-")
                self._fd = self._file.fileno()
            while written < len(data):  # a short write goes on where it stopped
                written += os.pwrite(self._fd, memoryview(data)[written:], at + written)
        except OSError:
            self.full = True
            return None
        self._end += len(data)
        return at, len(data)

    def get(self, at: int, size: int) -> bytes:
        data = os.pread(self._fd, size, at)
        if len(data) != size:
            raise OSError(f"the spill file ends at {at + len(data)}, not {at + size}")
        return data

    def keep(self, data: bytes) -> int | None:
        """:meth:`put`, the offset and the length as one integer (:meth:`read` takes it, and
        :func:`size_of` reads the length off it): one object a note's part rather than two."""
        where = self.put(data) if len(data) <= _SIZE else None
        return None if where is None else where[0] << _SIZE_BITS | where[1]

    def read(self, where: int) -> bytes:
        return self.get(where >> _SIZE_BITS, size_of(where))

    def aside(self, data: bytes) -> bytes | SpilledBytes:
        """``data`` set aside (:class:`SpilledBytes`), or ``data`` itself when it cannot be."""
        where = self.keep(data) if data else None
        return data if where is None else SpilledBytes(self, where)


_SIZE_BITS = 32
_SIZE = (1 << _SIZE_BITS) - 1  # longer bytes are not set aside by keep()


def size_of(where: int) -> int:
    """The length of the bytes :meth:`Spill.keep` kept at ``where``."""
    return where & _SIZE


class SpilledBytes:
    """Bytes set aside in a :class:`Spill`, read back by ``bytes()``. Their length and truth are
    known without reading them back; they are equal to bytes (or set-aside bytes) holding the same."""

    __slots__ = ("_spill", "_where")

    def __init__(self, spill: Spill, where: int) -> None:
        self._spill, self._where = spill, where

    def __bytes__(self) -> bytes:
        return self._spill.read(self._where)

    @property
    def _size(self) -> int:
        return size_of(self._where)

    def __len__(self) -> int:
        return self._size

    def __bool__(self) -> bool:
        return self._size > 0

    def __eq__(self, other) -> bool:
        if isinstance(other, (bytes, SpilledBytes)):
            return len(other) == self._size and bytes(self) == bytes(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(bytes(self))

    def __repr__(self) -> str:
        return repr(bytes(self))
