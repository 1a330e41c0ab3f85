"""One atomic write for every file notelint writes: fixed notes, cache shards,
reports, the remembered configuration.

The data goes to a temporary file in the target's folder (so the rename stays
on one file system), is flushed and synced, gets the permission bits it
should have, and is renamed over the target: a reader sees the old file or
the new one, never half of one. On any failure the temporary file is
removed and the target is left as it was; Ctrl-C or SIGTERM during a write
takes effect when the write is over (:func:`uninterrupted`).

Leftovers. Only ``kill -9`` (or a crash of the machine) can leave a temporary
file behind. They are named ``.notelint-tmp.<name>.<random>``, and the writer
holds an exclusive ``flock`` on its temporary file from its creation to the
rename; the kernel drops that lock when the writer dies, however it dies.
So a temporary file is *stale* when no process holds its lock and it was
last modified at least :data:`STALE_AFTER` seconds ago (the margin covers
the instant between creating the file and locking it); where ``flock`` does
not exist, when it is an hour old. The next run removes the stale ones it
meets: beside the notes it walks (:mod:`notelint.discover`), in the cache
folder (:mod:`notelint.cache`), beside a report it writes.
"""

from __future__ import annotations

import os
import signal
import stat
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import OutputError

try:
    import fcntl
except ImportError:  # pragma: no cover - not on POSIX
    fcntl = None  # type: ignore[assignment]

TMP_PREFIX = ".notelint-tmp."
STALE_AFTER = 60  # seconds: younger temporary files are never taken for leftovers
STALE_WITHOUT_LOCKS = 3600  # seconds: the rule where flock does not exist
_NAME_PART = 100  # bytes of the target's name kept in the temporary file's name (NAME_MAX is 255)


class Changed(Exception):
    """The target no longer holds the bytes it was expected to hold."""


def write_atomic(
    path: str | os.PathLike,
    data: bytes | tuple[bytes, ...],
    *,
    expected: bytes | None = None,
    keep_mode: bool = True,
    durable: bool = True,
    clean: bool = False,
    follow_links: bool = True,
) -> None:
    """Replace ``path`` with ``data`` (bytes, or a tuple of bytes written one after another).

    A symbolic link at ``path`` is followed (the link stays a link). With
    ``keep_mode`` an existing file's permission bits (and owner, where
    allowed) are kept; a new file gets ``0o666`` minus the umask. With
    ``expected``, the write is refused (:class:`Changed`) when the file no
    longer holds those bytes. With ``clean``, stale temporary files left
    beside the target by an earlier writer of it are removed first. Without
    ``follow_links`` (notelint's own files: the cache), a symbolic link at
    ``path`` is replaced by the file, never written through (a repository
    may hold a link where notelint writes). ``OSError`` is raised on failure.
    """
    target = Path(os.path.realpath(path) if follow_links else os.path.abspath(path))
    if clean:
        remove_stale_in(target.parent, TMP_PREFIX + _name_part(target.name))
    try:
        st: os.stat_result | None = os.stat(target, follow_symlinks=follow_links)
    except FileNotFoundError:
        st = None
    with uninterrupted():
        _replace(target, data, st if keep_mode else None, expected, path, durable)
    if durable:
        _sync_folder(target.parent)


def _replace(target: Path, data: bytes | tuple[bytes, ...], st: os.stat_result | None, expected: bytes | None,
             path, durable: bool) -> None:
    out = AtomicFile(target)
    try:
        _write_all(out.fd, data)
        out.commit(st, durable, expected, path)
    finally:
        out.close()


class AtomicFile:
    """A temporary file beside ``target``, written piece by piece and renamed over it by
    :meth:`commit`, or removed by :meth:`close` if it never was: how :func:`write_atomic`
    writes, for a file whose content is made while it is written (a report of tens of
    megabytes is not held whole). ``OSError`` on failure. The caller closes it (``finally``)."""

    def __init__(self, target: Path) -> None:
        self.target = target
        with uninterrupted():  # a signal cannot land between creating the file and knowing its name
            self.fd, self.tmp = tempfile.mkstemp(dir=target.parent, prefix=f"{TMP_PREFIX}{_name_part(target.name)}.")
        self.closed = False
        if fcntl is not None:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # held until the rename: see the module doc
            except OSError:
                self.close()
                raise

    def write(self, data: bytes) -> None:
        _write_all(self.fd, data)

    def commit(self, st: os.stat_result | None = None, durable: bool = False, expected: bytes | None = None,
               path=None) -> None:
        """Put the file in place: with ``st``'s permission bits (else 0o666 minus the umask),
        synced with ``durable``, refused (:class:`Changed`) when the target no longer holds
        ``expected``."""
        with uninterrupted():
            if durable:
                os.fsync(self.fd)
            _set_mode(self.fd, self.tmp, st)
            if expected is not None:
                with open(self.target, "rb") as fh:
                    if fh.read() != expected:
                        raise Changed(str(path if path is not None else self.target))
            os.replace(self.tmp, self.target)
            self.tmp = None

    def close(self) -> None:
        """Close the file; remove it unless it was put in place."""
        if self.closed:
            return
        self.closed = True
        os.close(self.fd)
        if self.tmp is not None:
            try:
                os.unlink(self.tmp)
            except OSError:
                pass


# -- signals during a write ----------------------------------------------------------------------
# Ctrl-C and SIGTERM are turned into exceptions by the command line's handler
# (notelint.cli). One raised in the middle of a write could land between
# creating the temporary file and the ``try`` that removes it; so while a
# write is under way the handler only records the signal (:func:`defer`),
# and it is raised again, by the same handler, once the write is over.
_writing = 0
_deferred: list[int] = []


@contextmanager
def uninterrupted():
    """A block that a signal handler consulting :func:`writing` does not interrupt."""
    global _writing
    _writing += 1
    try:
        yield
    finally:
        _writing -= 1
        if not _writing and _deferred:
            signum = _deferred[0]
            _deferred.clear()
            signal.raise_signal(signum)  # its handler runs now, outside the write


def writing() -> bool:
    """Whether a write is under way (a signal handler then calls :func:`defer`)."""
    return _writing > 0


def defer(signum: int) -> None:
    _deferred.append(signum)


def write_report(path: str | os.PathLike, text: str) -> None:
    """Write a report the user named (``--output-file``, the audit's files) as UTF-8: see
    :func:`report_writer`."""
    with report_writer(path) as write:
        write(text)


@contextmanager
def report_writer(path: str | os.PathLike) -> Iterator[Callable[[str], None]]:
    """Write a report the user named, piece by piece (the function yielded takes text), as UTF-8.

    Atomic, like every write, when the block ends without an exception (else nothing is
    written); a symbolic link at ``path`` is followed (its target is replaced, the link stays
    a link, as ``--fix`` does for notes); an existing file keeps its permission bits. Stale
    temporary files of an earlier, killed write of it are removed. :class:`OutputError` (exit
    2) says why it could not be written; the old file is then left as it was. A path that is
    not a regular file nor a folder (``/dev/stdout``, a FIFO a reader waits on) is written as
    it is: there is nothing to replace.
    """
    def failed(exc: OSError) -> OutputError:
        return OutputError(f"cannot write {os.fspath(path)}: {exc.strerror or exc}")

    try:
        st: os.stat_result | None = os.stat(path)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise failed(exc) from None
    if st is not None and not (stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode)):
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
        except OSError as exc:
            raise failed(exc) from None
        try:
            yield _writer(lambda data: _write_all(fd, data), failed)
        finally:
            os.close(fd)
        return
    target = Path(os.path.realpath(path))
    try:
        remove_stale_in(target.parent, TMP_PREFIX + _name_part(target.name))
        out = AtomicFile(target)
    except OSError as exc:
        raise failed(exc) from None
    try:
        yield _writer(out.write, failed)
        try:
            out.commit(st, durable=True)
            _sync_folder(target.parent)
        except OSError as exc:
            raise failed(exc) from None
    finally:
        out.close()


def _writer(write: Callable[[bytes], object], failed: Callable[[OSError], Exception]) -> Callable[[str], None]:
    """A function writing text as UTF-8 with ``write``, an ``OSError`` said by ``failed``."""
    def write_text(text: str) -> None:
        try:
            write(text.encode("utf-8", "backslashreplace"))
        except OSError as exc:
            raise failed(exc) from None

    return write_text


def _name_part(name: str) -> str:
    raw = os.fsencode(name)
    return name if len(raw) <= _NAME_PART else os.fsdecode(raw[:_NAME_PART])


def _write_all(fd: int, data: bytes | tuple[bytes, ...]) -> None:
    for part in data if isinstance(data, tuple) else (data,):  # parts: not joined into one more copy
        view = memoryview(part)
        while view:
            view = view[os.write(fd, view) :]


def _set_mode(fd: int, tmp: str, st: os.stat_result | None) -> None:
    """The old file's permission bits (and owner, where allowed), or 0o666 minus the umask."""
    if st is not None:
        os.chmod(tmp, stat.S_IMODE(st.st_mode))
        if hasattr(os, "chown") and (st.st_uid, st.st_gid) != (os.geteuid(), os.getegid()):
            try:
                os.chown(tmp, st.st_uid, st.st_gid)
            except OSError:
                pass  # not allowed: the new file belongs to whoever runs notelint
        return
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)


def _sync_folder(folder: Path) -> None:
    """Make a rename durable; not every platform can open a folder."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def is_temporary(name: str) -> bool:
    return name.startswith(TMP_PREFIX)


def remove_if_stale(path: str | os.PathLike) -> bool:
    """Remove the temporary file ``path`` if it is stale (see the module doc); whether it was."""
    try:
        st = os.lstat(path)
    except OSError:
        return False
    if not stat.S_ISREG(st.st_mode):
        return False  # never touch a link, a folder or a device that merely has the name
    age = time.time() - st.st_mtime
    if age < STALE_AFTER:
        return False
    if fcntl is None:
        return age >= STALE_WITHOUT_LOCKS and _unlink(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return False  # a live writer holds it
    try:
        return _unlink(path)
    finally:
        os.close(fd)


def remove_stale_in(folder: str | os.PathLike, prefix: str = TMP_PREFIX) -> int:
    """Remove the stale temporary files directly in ``folder`` whose names start with ``prefix``."""
    removed = 0
    try:
        names = [e.name for e in os.scandir(folder) if e.name.startswith(prefix)]
    except OSError:
        return 0
    for name in names:
        removed += remove_if_stale(os.path.join(folder, name))
    return removed


def _unlink(path) -> bool:
    try:
        os.unlink(path)
        return True
    except OSError:
        return False
