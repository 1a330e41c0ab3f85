"""The last report as the cache stores it (``report.bin``), for a replay.

Layout: the cache's magic, the report's text, its header (a marshal dump of
``(state, key, worst, stamp, digest, length)``: the vault state and output
options it was rendered for, its worst severity rank, the stamp it can be found
by, the text's BLAKE2 digest and length), then the header's length in 8 bytes.
The header comes last so that the text can be written as it is rendered
(:class:`ReportWriter`): a whole vault's SARIF is tens of megabytes, not held
in memory to be stored. A file cut short or altered fails its digest and is
not replayed.
"""

from __future__ import annotations

import hashlib
import marshal
from collections.abc import Callable
from functools import partial

from .atomic import AtomicFile

_LENGTH = 8  # bytes of the header's length, at the end
_hasher = partial(hashlib.blake2b, digest_size=8)  # of the text: read_report checks what ReportWriter wrote


def report_parts(magic: bytes, state: bytes, key: str, text: bytes, worst: int, stamp: bytes) -> tuple[bytes, ...]:
    """The file's bytes, in parts (the text is not copied into one more string)."""
    return magic, text, _tail(state, key, worst, stamp, _digest(text), len(text))


def read_report(blob: bytes | None, magic: bytes) -> tuple | None:
    """(state, key, text, worst, stamp) of a file's bytes, the text a view of them; None when
    they are not a whole report."""
    if blob is None or len(blob) < len(magic) + _LENGTH or not blob.startswith(magic):
        return None
    end = len(blob) - _LENGTH
    size = int.from_bytes(blob[end:], "little")
    if size > end - len(magic):
        return None
    view = memoryview(blob)
    try:
        head = marshal.loads(view[end - size : end])
    except (EOFError, ValueError, TypeError):
        return None
    if not (isinstance(head, tuple) and len(head) == 6 and head[5] == end - size - len(magic)):
        return None
    state, key, worst, stamp, digest, length = head
    text = view[len(magic) : len(magic) + length]
    return (state, key, text, worst, stamp) if digest == _digest(text) else None  # not cut short


class ReportWriter:
    """report.bin written as the report is rendered: the text goes to the temporary file ``out``
    a piece at a time, the header after it; put in place by :meth:`finish`, removed by
    :meth:`close` if it never was. A failure to write is handed to ``failed`` once and leaves
    the last report as it was."""

    def __init__(self, out: AtomicFile, magic: bytes, head: tuple[bytes, str, bytes],
                 failed: Callable[[OSError], None]) -> None:
        self.out, self.head, self.failed = out, head, failed
        self.digest = _hasher()
        self.size = 0
        self._write(magic)

    def write(self, text: bytes) -> None:
        self.digest.update(text)
        self.size += len(text)
        self._write(text)

    def _write(self, data: bytes) -> None:
        if self.out.closed:
            return
        try:
            self.out.write(data)
        except OSError as exc:
            self.failed(exc)
            self.out.close()

    def finish(self, worst: int) -> None:
        """The header written and the file put in place."""
        state, key, stamp = self.head
        self._write(_tail(state, key, worst, stamp, self.digest.digest(), self.size))
        if not self.out.closed:
            try:
                self.out.commit()
            except OSError as exc:
                self.failed(exc)
        self.close()

    def close(self) -> None:
        self.out.close()


def _tail(state: bytes, key: str, worst: int, stamp: bytes, digest: bytes, size: int) -> bytes:
    head = marshal.dumps((state, key, worst, stamp, digest, size))
    return head + len(head).to_bytes(_LENGTH, "little")


def _digest(text: bytes | bytearray | memoryview) -> bytes:
    return _hasher(text).digest()
