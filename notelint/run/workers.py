"""Lint batches of notes, in this process or in a pool of worker processes.

The only module with worker state: each worker process builds its
:class:`~notelint.rules.registry.RuleContext` once (``_WORKER``); the serial
path passes its own. Results cross the process boundary as plain data
(:mod:`.payload`); output is the same whichever path ran.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import NamedTuple

from ..discover import NoteFile
from ..rules.registry import RuleContext
from .lint import lint_note, read_note
from .payload import Payload, encode

PARALLEL_MIN = 200  # fewer notes to parse than this: one process is faster than starting a pool


def digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


class Job(NamedTuple):
    file: NoteFile
    known: bytes | None  # the cached content digest: an unchanged note is not parsed again


class Done(NamedTuple):
    digest: bytes  # of the note's bytes (or of why it cannot be read)
    payload: Payload | None  # None: same content as ``known``
    video_digest: bytes  # what the result depends on besides the note (its video's data)


def parallel(n_jobs: int, n_notes: int) -> bool:
    """Whether linting ``n_notes`` with ``n_jobs`` workers is worth a process pool."""
    return n_jobs > 1 and n_notes >= PARALLEL_MIN


_WORKER: RuleContext | None = None


def _init_worker(settings) -> None:
    global _WORKER
    _WORKER = RuleContext(settings)


def lint_batch(jobs: Sequence[Job], ctx: RuleContext | None = None) -> list[Done]:
    ctx = ctx if ctx is not None else _WORKER
    assert ctx is not None
    out = []
    for file, known in jobs:
        data, problem = read_note(file, ctx.settings.max_file_size)
        dig = digest(data if data is not None else (problem or "").encode())
        if known is not None and dig == known:
            out.append(Done(dig, None, b""))
            continue
        res = lint_note(file, data, problem, ctx)
        out.append(Done(dig, encode(res), ctx.videos.digest(res.entry.video_id)))
    return out


def lint_all(jobs: list[Job], ctx: RuleContext, n_jobs: int, progress: Callable[[int, int], None] | None = None) -> list[Done]:
    """Lint every job, in worker processes when there are enough of them."""
    if parallel(n_jobs, len(jobs)):
        return run_pool(jobs, ctx, n_jobs, progress)
    done: list[Done] = []
    for start in range(0, len(jobs), 50):
        done.extend(lint_batch(jobs[start : start + 50], ctx))
        if progress is not None:
            progress(len(done), len(jobs))
    return done


def run_pool(jobs: list[Job], ctx: RuleContext, n_jobs: int, progress=None) -> list[Done]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    try:
        mp = multiprocessing.get_context("fork")
    except ValueError:  # pragma: no cover - platforms without fork
        mp = multiprocessing.get_context()
    size = max(16, min(500, len(jobs) // (n_jobs * 4) or 1))
    chunks = [jobs[i : i + size] for i in range(0, len(jobs), size)]
    out: list[Done] = []
    with ProcessPoolExecutor(max_workers=n_jobs, mp_context=mp, initializer=_init_worker, initargs=(ctx.settings,)) as pool:
        for part in pool.map(lint_batch, chunks):
            out.extend(part)
            if progress is not None:
                progress(len(out), len(jobs))
    return out
