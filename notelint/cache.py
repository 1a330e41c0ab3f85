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

An entry holds the note's index part (keys, headings, video, latest time:
what every run needs of every note) and, as a nested marshal blob decoded
only for the notes being checked, its findings, links and citation times.
The vault findings of the last run are kept too, keyed on every note's
digest and on the notes checked: a run in which nothing changed reuses them.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import tempfile
import time
from pathlib import Path

from . import __version__

FORMAT = 3  # bump when the payload layout changes
_MAGIC = b"NLC1"
_RACY = 2_000_000_000  # ns: closer than this to the caching moment, the mtime is not trusted


def digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


class Cache:
    def __init__(self, folder: Path, key: str):
        self.folder = folder
        name = hashlib.blake2b(f"{FORMAT}|{__version__}|{key}".encode(), digest_size=10).hexdigest()
        self.path = folder / f"{name}.bin"
        # rel -> (mtime_ns, size, digest, index part, detail blob)
        self.entries: dict[str, tuple] = {}
        # (state key, {rel: vault findings}) of the last run
        self.vault_state: tuple | None = None
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
        if isinstance(entries, dict) and isinstance(entries.get("entries"), dict):
            self.entries = entries["entries"]
            self.vault_state = entries.get("vault")

    def lookup(self, rel: str, st: os.stat_result | None) -> tuple[tuple | None, bytes | None]:
        """(entry, None) on a hit by mtime and size; (None, digest) when the content must be compared."""
        entry = self.entries.get(rel)
        if entry is None or not isinstance(entry, tuple) or len(entry) != 5:
            return None, None
        mtime, size, dig = entry[0], entry[1], entry[2]
        if st is not None and mtime >= 0 and st.st_mtime_ns == mtime and st.st_size == size:
            return entry, None
        return None, dig

    def store(self, rel: str, st: os.stat_result | None, dig: bytes, index: tuple, detail: bytes) -> tuple:
        mtime = st.st_mtime_ns if st is not None else -1
        if time.time_ns() - mtime < _RACY:
            mtime = -1  # modified just now: compare content next time
        entry = (mtime, st.st_size if st is not None else -1, dig, index, detail)
        if st is not None:
            self.entries[rel] = entry
            self.dirty = True
        return entry

    def remember_vault(self, key: bytes, findings: dict) -> None:
        if self.vault_state is None or self.vault_state[0] != key:
            self.vault_state = (key, findings)
            self.dirty = True

    def vault_findings(self, key: bytes) -> dict | None:
        state = self.vault_state
        if isinstance(state, tuple) and len(state) == 2 and state[0] == key and isinstance(state[1], dict):
            return state[1]
        return None

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
                    fh.write(marshal.dumps({"entries": self.entries, "vault": self.vault_state}))
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
