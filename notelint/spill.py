"""Bytes a large run sets aside on disk until it reads them again: the detail blobs from the
workers until they are decoded (and, with a cache, until the cache writes them), then every
note's packed links until the vault rules read them. A vault of 100,000 notes holds about
5 KB a note of them; on disk, the parent holds an offset and a length.

An unnamed temporary file (deleted when closed, and by the system if the process dies),
written at its end and read with ``pread``: workers forked later read it too. Reads come
back from the page cache, which the system may reclaim under pressure, as it cannot reclaim
a process's heap.
"""

from __future__ import annotations

import os


class Spill:
    def __init__(self) -> None:
        import tempfile  # not on a one-note check's start-up path

        self._file = tempfile.TemporaryFile(prefix="notelint-spill-")
        self._fd = self._file.fileno()
        self._end = 0
        self.full = False  # a write failed (no space left): nothing more is set aside

    @classmethod
    def open(cls) -> Spill | None:
        """A spill file, or None where none can be made (the run keeps everything in memory)."""
        try:
            return cls()
        except OSError:
            return None

    def put(self, data: bytes) -> tuple[int, int] | None:
        """Keep ``data``; (offset, length) to :meth:`get` it back, or None when it could not
        be written (the caller keeps ``data``)."""
        if self.full:
            return None
        at = self._end
        written = 0
        try:
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

    def close(self) -> None:
        self._file.close()
