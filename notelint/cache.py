"""The cache: each note's findings and its contribution to the vault index.

One file per (notelint version, settings, vault) under ``.notelint_cache/``
beside the configuration, like ruff's. An entry is keyed on the note's
content (a BLAKE2 digest); its modification time and size only spare the
read when they have not changed. A file whose modification time is within
two seconds of the moment it was cached is always re-hashed next time, so an
edit in the same clock tick is never missed.

Safe when two runs share it: the file is replaced atomically (temporary file,
then rename), so a reader sees the old or the new one, never half of one.
A corrupt or foreign cache file is ignored and rebuilt. Entries are plain
tuples serialized with :mod:`marshal`: loading them runs no code.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import tempfile
import time
from pathlib import Path

from . import __version__

FORMAT = 2  # bump when the payload layout changes
_MAGIC = b"NLC1"
_RACY = 2_000_000_000  # ns: closer than this to the caching moment, the mtime is not trusted


def digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


class Cache:
    def __init__(self, folder: Path, key: str):
        self.folder = folder
        name = hashlib.blake2b(f"{FORMAT}|{__version__}|{key}".encode(), digest_size=10).hexdigest()
        self.path = folder / f"{name}.bin"
        self.entries: dict[str, tuple] = {}
        self.dirty = False
        self._load()

    def _load(self) -> None:
        try:
            blob = self.path.read_bytes()
        except OSError:
            return
        if not blob.startswith(_MAGIC):
            return
        try:
            entries = marshal.loads(blob[len(_MAGIC) :])
        except (EOFError, ValueError, TypeError):
            return  # corrupt: rebuilt on save
        if isinstance(entries, dict):
            self.entries = entries

    def lookup(self, rel: str, st: os.stat_result | None) -> tuple[tuple | None, bytes | None]:
        """(payload, None) on a hit by mtime and size; (None, digest) when the content must be compared."""
        entry = self.entries.get(rel)
        if entry is None or not isinstance(entry, tuple) or len(entry) != 4:
            return None, None
        mtime, size, dig, payload = entry
        if st is not None and mtime >= 0 and st.st_mtime_ns == mtime and st.st_size == size:
            return payload, None
        return None, dig

    def store(self, rel: str, st: os.stat_result | None, dig: bytes, payload: tuple) -> None:
        if st is None:
            return
        mtime = st.st_mtime_ns
        if time.time_ns() - mtime < _RACY:
            mtime = -1  # modified just now: compare content next time
        self.entries[rel] = (mtime, st.st_size, dig, payload)
        self.dirty = True

    def prune(self, keep: set[str]) -> None:
        for rel in [r for r in self.entries if r not in keep]:
            del self.entries[rel]
            self.dirty = True

    def save(self) -> None:
        if not self.dirty:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            gitignore = self.folder / ".gitignore"
            if not gitignore.exists():
                gitignore.write_text("# Created by notelint automatically.\n*\n", encoding="utf-8")
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".tmp-", suffix=".bin")
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(_MAGIC)
                    fh.write(marshal.dumps(self.entries))
                os.replace(tmp, self.path)
            except BaseException:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
                raise
        except OSError:
            pass  # a read-only checkout: run without a cache
        self.dirty = False
