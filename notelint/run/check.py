"""``check()``: the batch orchestrator, handed its collaborators.

    plan (which notes, which are checked) -> cache lookups -> workers (lint the notes
    the cache cannot answer for) -> payload codec -> finish (vault rules,
    suppressions) -> cache save

Every note is parsed once or taken from the cache; notes that are not checked
contribute only their index entry. When nothing changed since the last run
(same digests, same checked notes), the vault findings come from the cache too.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Container
from dataclasses import dataclass
from typing import NamedTuple

from ..cache import RACY_NS, Cache, CacheEntry
from ..discover import NoteFile
from ..rules.registry import RuleContext
from ..spill import Spill
from ..vault import VaultIndex
from . import workers
from .finish import finish
from .lint import lint_file
from .payload import DECODE_ERRORS, Payload, decode, packed_entry, video_of
from .reuse import CHANGED_MAX, EVERY_NOTE, still_holding, vault_notes
from .result import NoteResult, RunResult
from .workers import Job, lint_all

Progress = Callable[[int, int], None]
SPILL_MIN = 5_000  # notes in a run from which links and worker blobs are set aside on disk


@dataclass
class Plan:
    """The notes of a run: every file once, and which of them are checked."""

    files: list[NoteFile]
    # the checked notes of ``files`` by identity (a note's path is a string made when read),
    # EVERY_NOTE when they all are; empty when none is
    wanted: Container[int]

    @classmethod
    def of(cls, targets: list[NoteFile], vault_files: list[NoteFile]) -> Plan:
        files = list({f.fspath: f for f in [*targets, *vault_files]}.values())
        checked = {f.fspath for f in targets}
        wanted = {id(f) for f in files if f.fspath in checked}
        return cls(files, EVERY_NOTE if files and len(wanted) == len(files) else wanted)

    def checked(self, file: NoteFile) -> bool:
        """Whether ``file``, one of ``files``, is checked."""
        return id(file) in self.wanted


def check(
    targets: list[NoteFile],
    vault_files: list[NoteFile],
    settings,
    *,
    jobs: int = 1,
    cache: Cache | None = None,
    progress: Progress | None = None,
    full_index: bool = False,
    prune: bool = True,
    report_key: str | None = None,
) -> RunResult:
    """Check ``targets``; resolve their links against ``vault_files`` too.

    ``progress(done, total)`` is called as notes are parsed. ``full_index`` keeps
    every note's links and times in its entry, not only the checked notes' (the
    audit's link graph and a workspace need them). With ``report_key`` (the output options,
    from the command line) and nothing changed since a run with the same options, the
    report of that run is replayed (``RunResult.replay``) and no finding is decoded.
    """
    ctx = RuleContext(settings)
    plan = Plan.of(targets, vault_files)
    spill = Spill() if len(plan.files) >= SPILL_MIN else None
    if cache is None:  # nothing to look up or to keep
        if not workers.parallel(jobs, len(plan.files)):  # no need to turn results into plain data and back
            return finish(_lint_serially(plan, ctx, progress, spill), ctx, jobs=jobs)
        return finish(_decoded_as_linted(plan, ctx, jobs, progress, spill, full_index), ctx, jobs=jobs)
    cache.spill = spill  # the details a large run stores wait there to be written
    stats = [_stat(f) for f in plan.files]
    stamp = _stamp(plan, stats, settings) if report_key is not None else b""
    if stamp:
        found = cache.report_by_stamp(stamp, report_key)  # type: ignore[arg-type]
        if found is not None:  # nothing moved since the last run: not even an entry is read
            return _replayed(plan, found[0], found[1:], stamp)
    entries, fresh, before = _entries(plan, ctx, cache, jobs, progress, stats)
    state = stored = None
    reused: Container[str] = ()  # the checked notes whose stored vault findings still hold
    concerned = None  # more notes whose stored vault findings no longer hold, read off the index
    if plan.wanted:  # a run that checks nothing (a workspace opening) has no findings
        state = _state_key(plan, entries)
        replay = cache.report(state, report_key) if report_key is not None else None
        if replay is not None:  # a report of this state implies its vault findings: not read
            if stamp:
                cache.restamp_report(stamp)  # found by content: the next run finds it by stamp
            cache.save()  # entries whose modification time moved, content the same
            return _replayed(plan, state, replay, stamp)
        stored = cache.vault_findings(state)
        if stored is not None:
            reused = EVERY_NOTE
        else:
            reuse = still_holding(cache.vault_base(), plan.files, entries, before, cache.stored_entry)
            stored, reused = reuse.findings, reuse.holding
            if stored is None:
                cache.let_go_vault()  # the last run's: this run's replace them
            if reuse.renamed:  # the notes linking to them are found by reading every note's links
                full_index, concerned = True, reuse.concerned
    digests = {f.rel: e.digest for f, e in zip(plan.files, entries)}
    # what the vault findings are made from, kept beside them (a run that checks nothing keeps the last)
    notes = vault_notes(plan.files, plan.checked, entries) if plan.wanted and reused is not EVERY_NOTE else None
    del before, stats  # stat-ed and compared: not held through the decoding and the vault rules
    if prune and len(vault_files) >= len(plan.files) - len(targets):
        cache.prune({f.rel for f in plan.files})
    # a large run lets go of the cache's entries before it decodes its own (Cache.let_go_entries),
    # and of each of these once decoded: then nothing else holds the index parts, and the
    # headings wait in the spill file too (a workspace's, which checks nothing, keeps them)
    let_go = bool(plan.wanted) and len(plan.files) >= SPILL_MIN
    if let_go:
        cache.let_go_entries(keep_details=True)  # the decoding reads the details stored this run
        cache.let_go_vault()  # not read again by this run
    results = _results(plan, entries, fresh, ctx, cache, reused, full_index, spill, headings_aside=let_go)
    del entries, fresh  # decoded into the results
    if let_go:
        cache.let_go_entries()  # and the details the decoding read
    run = finish(results, ctx, stored, reused=reused, concerned=concerned, keep_state=notes is not None, jobs=jobs,
                 known_keys=cache.index_keys(digests) if digests and reused is not EVERY_NOTE else None)
    run.state, run.stamp, run.digests = state, stamp, digests
    keep_index_keys(cache, run.index, digests)
    if notes is not None:
        cache.remember_vault(state, run.vault_state, notes)
    cache.save()
    return run


KEYS_BEHIND = CHANGED_MAX  # notes whose keys were computed anew that the stored keys may lag behind


def keep_index_keys(cache: Cache, index: VaultIndex | None, digests: dict[str, bytes] | None) -> None:
    """Keep the keys ``index`` filed the notes of ``digests`` (rel -> the content digest they
    were filed from) under, when it computed any of them (a note changed, the lenient index
    built): the next run's index takes them as they are. Unless they are a few of many (at most
    KEYS_BEHIND, under a hundredth of the notes: notes edited since): the next run computes
    those again, a few microseconds each, rather than every note's keys being written again
    (some 20 MB at 100,000 notes)."""
    if index is None or not digests:
        return
    computed = sum(rel in digests for rel in index.computed_keys)
    if computed and (computed > KEYS_BEHIND or computed * 100 >= len(digests)):
        cache.remember_index_keys(index.filed_keys(), digests)
        index.keys_kept()


def _lint_serially(plan: Plan, ctx: RuleContext, progress: Progress | None, spill: Spill | None) -> list[NoteResult]:
    results = []
    total = len(plan.files)
    for n, f in enumerate(plan.files, 1):
        res = lint_file(f, ctx, checked=plan.checked(f))
        res.entry = packed_entry(res.entry, spill)
        results.append(res)
        if progress is not None and (n % 50 == 0 or n == total):
            progress(n, total)
    return results


def _decoded_as_linted(plan: Plan, ctx: RuleContext, n_jobs: int, progress: Progress | None, spill: Spill | None,
                       full_index: bool) -> list[NoteResult]:
    """Every note linted by the workers, without a cache: each result decoded as it comes (its
    links, times and headings set aside in ``spill`` at once), not every note's payload held
    until the last comes (some 700 bytes a generated note, half of it packed headings)."""
    results = []
    linted = lint_all([Job(f, None) for f in plan.files], ctx, n_jobs, progress)
    try:
        for f, done in zip(plan.files, linted):
            checked = plan.checked(f)
            payload = done.payload
            blob = payload.detail if full_index or checked else None
            results.append(decode(f, payload.index, blob, checked, trusted=True, spill=spill, headings_aside=True))
    finally:
        linted.close()  # interrupted or failing here: the workers are stopped now
    return results


class FileStat(NamedTuple):
    """What the cache and the stamp read of a note's ``stat`` (an ``os.stat_result`` costs
    about 700 bytes, held for every note of the run)."""

    st_size: int
    st_mtime_ns: int
    st_ctime_ns: int
    st_ino: int


def _stat(file: NoteFile) -> FileStat | None:
    try:
        if file.problem is not None:
            return None
        st = os.stat(file.fspath)
    except OSError:
        return None
    return FileStat(st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def _replayed(plan: Plan, state: bytes, replay: tuple[bytes, int], stamp: bytes) -> RunResult:
    return RunResult([], [f.display for f in plan.files if plan.checked(f)], len(plan.files),
                     state=state, stamp=stamp, replay=replay)


def _stamp(plan: Plan, stats: list[FileStat | None], settings) -> bytes:
    """Every note's path, size, modification and status change times, and the videos file's:
    equal stamps, equal state (the cache's own trust in times), unless a file changed within
    the cache's racy window of now (b"": no stamp) or transcripts are read (their files are
    not stamped: the state is then compared by content)."""
    if getattr(settings, "transcripts_dir", None) is not None:
        return b""
    now = time.time_ns()
    h = hashlib.blake2b(digest_size=16)
    videos = getattr(settings, "videos_file", None)
    for f, st in [*zip(plan.files, stats), *([(None, _stat_path(videos))] if videos is not None else [])]:
        if st is None or now - max(st.st_mtime_ns, st.st_ctime_ns) < RACY_NS:
            return b""
        rel = f.rel if f is not None else "\0videos"
        checked = int(f is not None and plan.checked(f))
        h.update(f"{rel}\0{checked}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ctime_ns}\0{st.st_ino}\0".encode())
    return h.digest()


def _stat_path(path) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None


def _entries(plan: Plan, ctx: RuleContext, cache: Cache, n_jobs: int, progress: Progress | None,
             stats: list[FileStat | None]) -> tuple[list[CacheEntry], set[int], dict[str, CacheEntry] | None]:
    """Every file's cache entry (fresh for the notes linted now), which of them were parsed now
    (by position: their details are in the cache, not checked again when decoded), and the cache
    entries the notes linted now had before (by vault path; None past CHANGED_MAX changed notes)."""
    files = plan.files
    entries: list[CacheEntry] = [None] * len(files)  # type: ignore[list-item]
    todo: list[int] = []
    jobs: list[Job] = []
    before: dict[str, CacheEntry] | None = {}
    changed = 0
    video_digest = ctx.videos.digest
    for i, f in enumerate(files):
        hit, stale = cache.lookup(f.rel, stats[i])
        if hit is not None and hit.video_digest == video_digest(video_of(hit.index)):
            entries[i] = hit
            continue
        # an unchanged note is not parsed again, unless its video's data changed
        same_video = stale is not None and stale.video_digest == video_digest(video_of(stale.index))
        if hit is not None or stale is not None:
            before[f.rel] = hit or stale  # type: ignore[index]
        todo.append(i)
        jobs.append(Job(f, stale.digest if same_video else None))
    fresh: set[int] = set()
    linted = lint_all(jobs, ctx, n_jobs, progress)
    try:
        # the results first: their end (the pool shut down) is reached, not left suspended
        for done, i in zip(linted, todo):
            rel = files[i].rel
            payload, vdig = done.payload, done.video_digest
            if before is not None and rel in before and before[rel].made_from != done.digest + vdig:
                changed += 1
                if changed > CHANGED_MAX:  # too many to say which findings still hold: not kept
                    before = None
            if payload is None:  # same content as cached: only the modification time moved
                old = CacheEntry(*cache.entries[rel])
                payload, vdig = Payload(old.index, cache.detail(rel) or b"", old.has_details), old.video_digest
            else:
                fresh.add(i)  # a worker's of this run: the cache keeps its details to write
            entries[i] = cache.store(rel, stats[i], done.digest, vdig, payload.index, payload.detail, payload.has_details)
    finally:
        linted.close()  # interrupted or failing here: the workers are stopped now
    return entries, fresh, before


def _state_key(plan: Plan, entries: list[CacheEntry]) -> bytes:
    """What the vault findings depend on: every note's content and which notes are checked."""
    h = hashlib.blake2b(digest_size=16)
    for f, entry in sorted(zip(plan.files, entries), key=lambda fe: fe[0].rel):
        h.update(f"{f.rel}\0{int(plan.checked(f))}\0".encode())
        h.update(entry.digest)
        h.update(entry.video_digest)
    return h.digest()


def _results(plan: Plan, entries: list[CacheEntry], fresh: set[int], ctx: RuleContext, cache: Cache,
             reused: Container[str], full_index: bool, spill: Spill | None = None,
             headings_aside: bool = False) -> list[NoteResult]:
    """Every note's result, decoded from its entry and its detail blob in the cache (``fresh``:
    by position, the notes parsed in this run). Takes ``entries`` over: each is let go of once
    decoded (a large run would hold both forms of each note)."""
    results = []
    for i, f in enumerate(plan.files):
        entry, entries[i] = entries[i], None  # type: ignore[call-overload]
        checked = plan.checked(f)
        # details are needed for checked notes: all of them when the vault rules run on them,
        # only those with findings or suppressions when their vault findings are reused
        need = full_index or (checked and (entry.has_details or f.rel not in reused))
        blob = cache.detail(f.rel, entry.digest) if need else None
        try:
            if need and blob is None:
                raise KeyError(f.rel)
            # what a worker of this run wrote is not checked again (see payload._Links)
            results.append(decode(f, entry.index, blob, checked, trusted=i in fresh, spill=spill,
                                  headings_aside=headings_aside))
        except DECODE_ERRORS:  # a damaged cache entry: lint the note again
            results.append(lint_file(f, ctx, checked=checked))
            cache.forget(f.rel)
    return results
