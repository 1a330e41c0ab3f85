"""The cache: each note's findings and its contribution to the vault index.

One folder per (notelint version, settings, vault) under ``.notelint_cache/``
beside the configuration, like ruff's. An entry is keyed on the note's
content (a BLAKE2 digest) and on its video's data (a per-video digest, see
:mod:`notelint.videos`); the note's modification time, status change time
and size only spare the read when none of them moved. The status change time
(``st_ctime``) moves on every write and cannot be set back (``utime`` cannot
touch it), so a same-size edit that restores the old modification time is
still re-read. A file changed within two seconds of the moment it was cached
is always re-hashed next time, so an edit in the same clock tick is never missed.

Safe when two runs share it, and when a run is killed while it saves: each
file is replaced atomically (temporary file, then rename), so a reader sees
the old or the new one, never half of one; detail shards are written before
the index shards that point to them, and each detail blob starts with the
digest of the content it was made from, so a detail written by another run
(or left by an interrupted save) is never taken for an entry it does not
match. A corrupt, foreign, oversized or non-regular cache file is ignored and
rebuilt. Entries are plain tuples serialized with :mod:`marshal`: loading them
runs no code. The folder gets a ``.gitignore`` (``*``) whenever notelint
writes in it, rewritten when it is missing or damaged; stale temporary files
of a killed run are removed on the next save. When the cache cannot be
written, the run goes on without it and :attr:`Cache.write_error` says why.

An entry holds the note's index part (keys, headings, video, latest time:
what every run needs of every note) and, as a nested marshal blob decoded
only for the notes being checked, its findings, links and citation times.
The vault findings of the last run are kept too, keyed on every note's
digest and on the notes checked: a run in which nothing changed reuses them.
So are the keys the vault index filed each note under (``keys.bin``, by
resolver mode, each with the digest of the content they came from): the next
run's index takes them instead of slugging every path again.
"""

from __future__ import annotations

import errno
import hashlib
import marshal
import os
import time
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from . import __version__
from .atomic import TMP_PREFIX, AtomicFile, remove_stale_in, write_atomic
from .config.limits import CACHE_SHARD_CAP
from .readfile import read_regular
from .stored_report import ReportWriter, read_report, report_parts

if TYPE_CHECKING:
    from .spill import Spill

FORMAT = 11  # bump when the payload layout changes
_MAGIC = b"NLCA"
GITIGNORE = b"# Created by notelint automatically.\n*\n"
_DIGEST = 16  # bytes of a note's content digest (notelint.run.workers.digest)
RACY_NS = _RACY = 2_000_000_000  # ns: closer than this to the caching moment, the mtime is not trusted
SHARDS = 64


def code_stamp() -> str:
    """notelint's own code, as the files it is made of stand (path, size, modification time): a
    result cached by other code (an edited checkout, an upgrade without a new version) is never
    reused. About a hundred ``stat`` calls."""
    root = Path(__file__).parent
    h = hashlib.blake2b(digest_size=8)
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for name in sorted(filenames):
            if name.endswith((".py", ".json", ".css", ".js")):
                st = os.stat(os.path.join(dirpath, name))
                h.update(f"{dirpath[len(str(root)):]}/{name}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
    return h.hexdigest()


class CacheEntry(NamedTuple):
    """One note's cache entry (stored as a plain tuple)."""

    mtime_ns: int  # -1: compare the content next time
    ctime_ns: int  # status change time: moves on every write, and utime() cannot set it back
    size: int
    digest: bytes  # of the note's bytes
    video_digest: bytes  # of its video's data when it was checked (see notelint.videos)
    index: tuple  # the index part of its payload (notelint.run.payload)
    has_details: bool

    @property
    def made_from(self) -> bytes:
        """What the note's findings were made from: its content's digest and its video data's."""
        return self.digest + self.video_digest


_UNREAD = object()
_ENTRY_WIDTH = len(CacheEntry._fields)
_cache_entry = partial(tuple.__new__, CacheEntry)


def _shard(rel: str) -> int:
    return hashlib.blake2b(rel.encode("utf-8", "surrogatepass"), digest_size=1).digest()[0] % SHARDS


class _Aside(NamedTuple):
    """Where a detail blob waits in the run's spill file, as :meth:`Spill.keep` gives it (never
    read from disk: marshal does not make named tuples)."""

    where: int


class Cache:
    """Sharded by a hash of the note's path: a run rewrites only the shards it changed.

    ``index-NN.bin`` files hold rel -> :class:`CacheEntry` (as a plain tuple) and are all read; ``detail-NN.bin`` files hold rel -> detail
    blob and are read only when a note in them is checked.
    """

    def __init__(self, folder: Path, key: str):
        self.folder = folder
        name = hashlib.blake2b(f"{FORMAT}|{__version__}|{code_stamp()}|{key}".encode(), digest_size=10).hexdigest()
        self.dir = folder / name
        self._entries: dict[str, tuple] | None = None  # read on first use (a replayed run never does)
        self._details: dict[int, dict[str, bytes]] = {}
        self._dirty_index: set[int] = set()
        self._dirty_detail: set[int] = set()
        self._vault: tuple | None = None
        self._vault_loaded = False
        self._vault_dirty = False
        self._keys: dict | None = None  # keys.bin: resolver mode -> rel -> (digest, keys)
        self._key_modes: set | None = None  # the modes keys.bin held when read and let go of
        self._keys_dirty = False
        self._report: tuple | None = None  # a report restamped (restamp_report), to write on save
        self._last_report: object = _UNREAD  # report.bin as read
        self.write_error: str | None = None  # why the cache could not be written, once
        # a large run's spill file: the details it stores wait there to be written, not in memory
        self.spill: Spill | None = None
        # the cache is notelint's own: a symbolic link in its place (a repository may hold one)
        # is neither read nor written through
        self.linked = folder.is_symlink() or self.dir.is_symlink()
        if self.linked:
            self.write_error = f"cannot use the cache in {folder}: a symbolic link stands in its place"

    @property
    def entries(self) -> dict[str, tuple]:
        """rel -> :class:`CacheEntry` as a plain tuple, every index shard read on first use."""
        if self._entries is None:
            self._entries = {}
            for n in range(SHARDS):
                part = self._read(f"index-{n:02d}.bin")
                if isinstance(part, dict):
                    self._entries.update(part)
        return self._entries

    @property
    def dirty(self) -> bool:
        return bool(self._dirty_index or self._dirty_detail or self._vault_dirty or self._keys_dirty)

    def index_keys(self, digests: dict[str, bytes]) -> dict[str, dict[str, tuple]]:
        """resolver mode -> rel -> the keys a vault index filed the note under last time, for the
        notes whose content digest is still ``digests[rel]`` (the settings, the resolver's
        included, are part of the cache's folder name). The stored form is not held after
        (some 20 MB of objects at 100,000 notes): :meth:`remember_index_keys` reads again only
        the modes it does not replace."""
        stored = self._keys if self._keys is not None else self._read("keys.bin")
        if not isinstance(stored, dict):
            stored = {}
        out: dict[str, dict[str, tuple]] = {}
        get = digests.get
        for mode, by_rel in stored.items():
            if isinstance(by_rel, dict):  # keys stored joined by NUL (a string is checked at once)
                out[mode] = {rel: tuple(item[1].split("\0")) if item[1] else () for rel, item in by_rel.items()
                             if type(item) is tuple and len(item) == 2 and item[0] == get(rel)
                             and type(item[1]) is str}
        if not self._keys_dirty:
            self._keys, self._key_modes = None, set(stored)
        return out

    def remember_index_keys(self, filed: dict[str, dict[str, tuple]], digests: dict[str, bytes]) -> None:
        """Keep ``filed`` (resolver mode -> rel -> keys) for the notes of ``digests`` (not a
        note with an empty key or a NUL in one: it is filed anew every time). A mode stored
        that this run did not file (no lenient index built) stays."""
        kept = self._keys
        if kept is None:  # not held: read again when a stored mode is not replaced
            stored = self._read("keys.bin") if self._key_modes is None or self._key_modes - filed.keys() else None
            kept = {mode: v for mode, v in stored.items() if mode not in filed} if isinstance(stored, dict) else {}
        kept = {**kept, **{mode: {rel: (digests[rel], "\0".join(keys)) for rel, keys in by_rel.items()
                                  if rel in digests and all(k and "\0" not in k for k in keys)}
                           for mode, by_rel in filed.items()}}
        self._keys = kept
        self._keys_dirty = True

    def _read(self, name: str):
        """The value a cache file holds (None: none, or not one of ours)."""
        blob = self._read_blob(name)
        if blob is None:
            return None
        try:
            return marshal.loads(memoryview(blob)[len(_MAGIC) :])
        except (EOFError, ValueError, TypeError):
            return None  # corrupt: rebuilt on save

    def _read_blob(self, name: str) -> bytes | None:
        """A cache file's bytes, when it is one of ours (it starts with the magic)."""
        if self.linked:
            return None
        try:
            blob = read_regular(self.dir / name, CACHE_SHARD_CAP)
        except OSError:
            return None  # missing, not a regular file, too large: rebuilt on save
        return blob if blob.startswith(_MAGIC) else None

    def lookup(self, rel: str, st: os.stat_result | None) -> tuple[CacheEntry | None, CacheEntry | None]:
        """(entry, None) on a hit by mtime and size; (None, entry) when the content must be
        compared with the entry's digest; (None, None) when there is no usable entry."""
        entry = self.entries.get(rel)
        if type(entry) is not tuple or len(entry) != _ENTRY_WIDTH:
            return None, None
        entry = _cache_entry(entry)  # tuple.__new__ through a C partial: no Python call per note
        if (st is not None and entry.mtime_ns >= 0 and st.st_mtime_ns == entry.mtime_ns
                and st.st_ctime_ns == entry.ctime_ns and st.st_size == entry.size):
            return entry, None
        return None, entry

    def stored_entry(self, rel: str) -> CacheEntry | None:
        """Note ``rel``'s entry as stored, whatever its file is now (None: none, or damaged)."""
        entry = self.entries.get(rel)
        return _cache_entry(entry) if type(entry) is tuple and len(entry) == _ENTRY_WIDTH else None

    def detail(self, rel: str, digest: bytes | None = None) -> bytes | None:
        """Note ``rel``'s detail blob, when it was made from the content of digest ``digest``
        (by default its entry's: every index shard is read if it was not)."""
        n = _shard(rel)
        shard = self._details.get(n)
        if shard is None:
            shard = self._read(f"detail-{n:02d}.bin")
            shard = self._details[n] = shard if isinstance(shard, dict) else {}
        blob = shard.get(rel)
        if type(blob) is _Aside:
            blob = self.spill.read(blob.where)  # type: ignore[union-attr]
        if not isinstance(blob, bytes):
            return None
        if digest is None:
            entry = self.entries.get(rel)
            if not isinstance(entry, tuple) or len(entry) != _ENTRY_WIDTH:
                return None
            digest = entry[3]
        # a detail blob starts with the digest of the content it was made from: one written by
        # another run, or left by an interrupted save, is never taken for this entry's
        return blob[_DIGEST:] if blob[:_DIGEST] == digest else None

    def store(self, rel: str, st: os.stat_result | None, dig: bytes, video_digest: bytes, index: tuple,
              detail: bytes, has_details: bool) -> CacheEntry:
        mtime = st.st_mtime_ns if st is not None else -1
        ctime = st.st_ctime_ns if st is not None else -1
        if time.time_ns() - max(mtime, ctime) < _RACY:
            mtime = -1  # modified just now: compare content next time
        entry = CacheEntry(mtime, ctime, st.st_size if st is not None else -1, dig, video_digest, index, has_details)
        if st is not None:
            n = _shard(rel)
            self.detail(rel)  # load the shard before changing it
            self.entries[rel] = tuple(entry)
            where = self.spill.keep(dig + detail) if self.spill is not None else None
            self._details[n][rel] = dig + detail if where is None else _Aside(where)
            self._dirty_index.add(n)
            self._dirty_detail.add(n)
        return entry

    def forget(self, rel: str) -> None:
        if self.entries.pop(rel, None) is not None:
            n = _shard(rel)
            self.detail(rel)
            self._details[n].pop(rel, None)
            self._dirty_index.add(n)
            self._dirty_detail.add(n)

    def prune(self, keep: set[str]) -> None:
        for rel in [r for r in self.entries if r not in keep]:
            self.forget(rel)

    def _vault_state(self):
        if not self._vault_loaded:
            self._vault = self._read("vault.bin")
            self._vault_loaded = True
        state = self._vault
        if (isinstance(state, tuple) and len(state) == 3 and isinstance(state[1], dict)
                and isinstance(state[2], dict)):
            return state
        return None

    def vault_findings(self, key: bytes) -> dict | None:
        """The vault findings (plain, by vault path) of the last run that stored them, when it
        was of the vault state ``key``."""
        state = self._vault_state()
        return state[1] if state is not None and state[0] == key else None

    def vault_base(self) -> tuple[dict, dict] | None:
        """The last stored vault findings whatever their state, with what each note was then
        (vault path -> content digest, video digest and b"\\1" when it was checked)."""
        state = self._vault_state()
        return (state[1], state[2]) if state is not None else None

    def let_go_entries(self, keep_details: bool = False) -> None:
        """Write the shards changed so far, then hold the notes' entries no longer (a large run
        whose look-ups are done, before it decodes them), nor their details unless
        ``keep_details`` (those it stored this run are where they wait in the spill file; a
        detail shard read again from disk would hold every note's details of that shard): they
        are read again from their shards when next asked. Kept when they could not be written."""
        if self.linked:
            return
        self.save()
        if self.write_error is None:
            self._entries = None
            if not keep_details:
                self._details.clear()

    def let_go_vault(self) -> None:
        """Hold the last stored vault findings no longer (a run that makes its own, and stores
        them with :meth:`remember_vault`); the file stays as it is until then."""
        self._vault = None
        self._vault_loaded = True

    def remember_vault(self, key: bytes, findings: dict, notes: dict) -> None:
        """Keep the vault findings of state ``key``, and ``notes`` (see :meth:`vault_base`)."""
        self._vault = (key, findings, notes)
        self._vault_loaded = True
        self._vault_dirty = True

    def report(self, state: bytes, key: str) -> tuple[bytes, int] | None:
        """The report of the last run, when it was made of the same vault state (``state``:
        every note's content, its video's data, the notes checked) with the same output
        options (``key``): (its bytes, its worst severity rank, -1 for none)."""
        stored = self._stored_report()
        return (stored[2], stored[3]) if stored is not None and stored[:2] == (state, key) else None

    def report_by_stamp(self, stamp: bytes, key: str) -> tuple[bytes, bytes, int] | None:
        """The same, found by ``stamp`` (every note's path, size and times, the video data's
        files: see ``notelint.run.check``) without reading any entry: (state, bytes, rank)."""
        stored = self._stored_report()
        if stored is not None and stored[4] and stored[4] == stamp and stored[1] == key:
            return stored[0], stored[2], stored[3]
        return None

    def _stored_report(self) -> tuple | None:
        if self._last_report is _UNREAD:  # read once: the stamp and the content lookups share it
            self._last_report = self._read_report()
        stored = self._last_report
        if (isinstance(stored, tuple) and len(stored) == 5 and isinstance(stored[0], bytes)
                and isinstance(stored[2], (bytes, bytearray, memoryview)) and isinstance(stored[3], int)
                and isinstance(stored[4], bytes)):
            return stored
        return None

    def restamp_report(self, stamp: bytes) -> None:
        """The stored report, found by content, now stands for ``stamp`` too (the notes' times
        moved, their content did not): written again on :meth:`save` with it."""
        stored = self._stored_report()
        if stored is not None and stored[4] != stamp:
            self._report = (*stored[:4], stamp)

    def save(self) -> None:
        """Write the changed shards; when that fails (a read-only checkout, a full disk), keep
        going without a cache and say why once (:attr:`write_error`)."""
        if not (self.dirty or self._report is not None) or self.linked:
            return
        try:
            ensure_folder(self.folder)
            self.dir.mkdir(exist_ok=True)
            remove_stale_in(self.dir, TMP_PREFIX)  # left by a run killed while saving
            # details first, then the index that points to them, then the vault findings: an
            # interrupted save leaves no index entry newer than its details
            for n in sorted(self._dirty_detail):  # the details set aside read back one shard at a time
                shard = self._details.get(n, {})
                if any(type(blob) is _Aside for blob in shard.values()):
                    shard = {rel: self.spill.read(blob.where) if type(blob) is _Aside else blob  # type: ignore[union-attr]
                             for rel, blob in shard.items()}
                self._write(f"detail-{n:02d}.bin", shard)
            if self._dirty_index and self._entries is not None:  # one pass over the entries, not one per dirty shard
                parts: dict[int, dict[str, tuple]] = {n: {} for n in self._dirty_index}
                for rel, entry in self.entries.items():
                    part = parts.get(_shard(rel))
                    if part is not None:
                        part[rel] = entry
                for n in sorted(parts):
                    self._write(f"index-{n:02d}.bin", parts[n])
            if self._vault_dirty:
                self._write("vault.bin", self._vault)
            if self._keys_dirty:
                self._write("keys.bin", self._keys)
            if self._report is not None:
                write_atomic(self.dir / "report.bin", report_parts(_MAGIC, *self._report), keep_mode=False,
                             durable=False, follow_links=False)
        except OSError as exc:
            self._failed(exc)
        self._dirty_index.clear()
        self._dirty_detail.clear()
        self._vault_dirty = False
        self._keys_dirty = False
        self._report = None

    def _write(self, name: str, value) -> None:
        write_atomic(self.dir / name, (_MAGIC, marshal.dumps(value)), keep_mode=False, durable=False,
                     follow_links=False)

    def report_writer(self, state: bytes, key: str, stamp: bytes = b"") -> ReportWriter | None:
        """report.bin written as the report is rendered (:class:`ReportWriter`); None when the
        cache is not written (a symbolic link, a folder that cannot be made: :attr:`write_error`)."""
        if self.linked:
            return None
        try:
            ensure_folder(self.folder)
            self.dir.mkdir(exist_ok=True)
            out = AtomicFile(Path(os.path.abspath(self.dir / "report.bin")))
        except OSError as exc:
            self._failed(exc)
            return None
        return ReportWriter(out, _MAGIC, (state, key, stamp), self._failed)

    def _failed(self, exc: OSError) -> None:
        if self.write_error is None:
            self.write_error = f"cannot write the cache in {self.folder}: {exc.strerror or exc}"

    def _read_report(self) -> tuple | None:
        """report.bin: (state, key, text, worst, stamp) (see :mod:`notelint.stored_report`)."""
        return read_report(self._read_blob("report.bin"), _MAGIC)


def ensure_folder(folder: Path) -> None:
    """Create the cache folder with its ``.gitignore`` (``*``: git never sees the cache), and
    write that file again when it is missing or does not hold what notelint writes (an empty
    one left by a full disk). ``OSError`` when the folder cannot be written, or is a symbolic link."""
    if folder.is_symlink():
        raise OSError(errno.ELOOP, f"{folder} is a symbolic link; not written through")
    folder.mkdir(parents=True, exist_ok=True)
    gitignore = folder / ".gitignore"
    try:
        current = read_regular(gitignore, 4096)
    except OSError:
        current = None
    if current != GITIGNORE:
        write_atomic(gitignore, GITIGNORE, keep_mode=False, durable=False, follow_links=False)
