"""Lint batches of notes, in this process or in a pool of worker processes.

The only module with worker state: each worker process builds its
:class:`~notelint.rules.registry.RuleContext` once (``_WORKER``); the serial
path passes its own. Results cross the process boundary as plain data
(:mod:`.payload`); output is the same whichever path ran.

Workers never outlive the run: a worker ends when its parent does, even by
``kill -9`` (:func:`_die_with_parent`); it ignores Ctrl-C, which the parent
handles; and when the parent is interrupted or fails, it kills its workers
at once instead of waiting for the chunks still queued (:func:`stop_pool`).
"""

from __future__ import annotations

import hashlib
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
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
_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


_HELD = {signal.SIGINT, signal.SIGTERM}


def _init_worker(settings, parent: int) -> None:
    global _WORKER
    _init_child(parent)
    _WORKER = RuleContext(settings)


def _init_child(parent: int) -> None:
    # Ctrl-C reaches the whole process group: the parent handles it and stops the workers, which
    # would otherwise each print a KeyboardInterrupt traceback; SIGTERM simply ends a worker. Both
    # were held back from the fork to here (see start_map), so no signal finds the parent's handlers
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD)
    _die_with_parent(parent)


def _die_with_parent(parent: int) -> None:
    """End this worker when the parent process ends, even by ``kill -9``: on Linux the kernel
    sends SIGKILL (``prctl(PR_SET_PDEATHSIG)``); elsewhere a thread watches ``getppid()``."""
    armed = False
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            armed = ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
        except (OSError, AttributeError):
            armed = False
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)
    if not armed:
        threading.Thread(target=_watch_parent, args=(parent,), name="notelint-parent-watch", daemon=True).start()


def _watch_parent(parent: int) -> None:
    while True:
        time.sleep(0.5)
        if os.getppid() != parent:
            os._exit(1)


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


def lint_all(jobs: list[Job], ctx: RuleContext, n_jobs: int,
             progress: Callable[[int, int], None] | None = None) -> Iterator[Done]:
    """Lint every job, in worker processes when there are enough of them: each result as it
    comes, in the order of ``jobs`` (a large vault's results are never all held at once)."""
    if parallel(n_jobs, len(jobs)):
        yield from run_pool(jobs, ctx, n_jobs, progress)
        return
    done = 0
    for start in range(0, len(jobs), 50):
        part = lint_batch(jobs[start : start + 50], ctx)
        done += len(part)
        if progress is not None:
            progress(done, len(jobs))
        yield from part


def run_pool(jobs: list[Job], ctx: RuleContext, n_jobs: int, progress=None) -> Iterator[Done]:
    """The results of a pool of workers, as they come, in order. Interrupted or failing (here
    or where the results go: the generator is closed), the workers are stopped at once."""
    size = max(16, min(500, len(jobs) // (n_jobs * 4) or 1))
    chunks = [jobs[i : i + size] for i in range(0, len(jobs), size)]
    pool, parts = start_map(lint_batch, chunks, n_jobs, _init_worker, (ctx.settings, os.getpid()))
    done = 0
    for part in parts_of(pool, parts):
        done += len(part)
        if progress is not None:
            progress(done, len(jobs))
        yield from part


def start_map(fn: Callable, items: Sequence, n_jobs: int, initializer: Callable = _init_child,
              initargs: tuple | None = None):
    """A pool of ``n_jobs`` forked processes mapping ``fn`` over ``items``: (the pool, the
    results' iterator). Forked, a worker inherits what the parent holds (a vault index, say)
    without it being sent. Ctrl-C and SIGTERM are held back while the workers are forked (they
    start with the mask blocked and set their own handlers first thing); the parent gets any
    that came, right after."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    try:
        mp = multiprocessing.get_context("fork")
    except ValueError:  # pragma: no cover - platforms without fork
        mp = multiprocessing.get_context()
    held = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD) if hasattr(signal, "pthread_sigmask") else None
    try:
        pool = ProcessPoolExecutor(max_workers=n_jobs, mp_context=mp, initializer=initializer,
                                   initargs=initargs if initargs is not None else (os.getpid(),))
        parts = pool.map(fn, items)  # forks every worker now
    finally:
        if held is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
    return pool, parts


def parts_of(pool, parts) -> Iterator:
    """Each result of :func:`start_map`'s, in order; then the pool is shut down. Interrupted or
    failing (here, or where the results go: the generator is closed), the workers are stopped
    now, not after every chunk."""
    try:
        yield from parts
    except BaseException:  # Ctrl-C, SIGTERM, an error, or the generator closed
        stop_pool(pool)
        raise
    pool.shutdown()


def stop_pool(pool) -> None:
    """Kill the pool's worker processes (``_processes``: the executor keeps no public list).

    A worker killed while it sends a result leaves part of a message in the results pipe: the
    executor's thread that reads it waits for the rest, and the interpreter's exit waits for
    that thread, forever. This process's end of the pipe is closed once the workers are gone (it
    never writes there): that read ends (end of file), the pool counts as broken, its thread ends.

    The other way round, the thread that writes the tasks may be blocked in a write no worker
    will read (the pipe full, a read end still open here or in another process): the tasks'
    queue is told first that no one waits for that thread (not the executor, not the exit)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    results = getattr(pool, "_result_queue", None)  # (shutdown lets go of them)
    tasks = getattr(pool, "_call_queue", None)
    if tasks is not None:
        tasks.cancel_join_thread()  # before the kill: the executor's thread may join it once workers die
    for process in processes:
        process.kill()
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.join(5)
    writer = getattr(results, "_writer", None)
    if writer is not None:
        writer.close()
