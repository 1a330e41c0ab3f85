"""One atomic write for every file notelint writes: fixed notes, cache shards,
reports, the remembered configuration.

The data goes to a temporary file in the target's folder (so the rename stays
on one file system), is flushed and synced, gets the permission bits it
should have, and is renamed over the target: a reader sees the old file or
the new one, never half of one. On any failure the temporary file is removed
and the target is left as it was. Temporary files are named
``.notelint-tmp.<name>.<random>`` so a leftover one (after a kill) is
recognisable.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

TMP_PREFIX = ".notelint-tmp."


class Changed(Exception):
    """The target no longer holds the bytes it was expected to hold."""


def write_atomic(
    path: str | os.PathLike,
    data: bytes,
    *,
    expected: bytes | None = None,
    keep_mode: bool = True,
    durable: bool = True,
) -> None:
    """Replace ``path`` with ``data``.

    A symbolic link at ``path`` is followed (the link stays a link). With
    ``keep_mode`` an existing file's permission bits (and owner, where
    allowed) are kept; a new file gets ``0o666`` minus the umask. With
    ``expected``, the write is refused (:class:`Changed`) when the file no
    longer holds those bytes. ``OSError`` is raised on failure.
    """
    target = Path(os.path.realpath(path))
    try:
        st: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        st = None
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f"{TMP_PREFIX}{target.name}.")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        if st is not None and keep_mode:
            os.chmod(tmp, stat.S_IMODE(st.st_mode))
            if hasattr(os, "chown") and (st.st_uid, st.st_gid) != (os.geteuid(), os.getegid()):
                try:
                    os.chown(tmp, st.st_uid, st.st_gid)
                except OSError:
                    pass  # not allowed: the new file belongs to whoever runs notelint
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        if expected is not None:
            with open(target, "rb") as fh:
                if fh.read() != expected:
                    raise Changed(str(path))
        os.replace(tmp, target)
        tmp = None
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
    if durable:
        _sync_folder(target.parent)


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
