"""What changed under the vault since the daemon last looked: Linux's inotify (through
``inotify_simple``), read without waiting when a request comes in.

The kernel queues an event when a file is written, not later: every change a client made
before it sent its request is in the queue when the daemon reads it, so nothing is missed
and nothing is waited for. Where inotify is not available (another system, no watches
left), :class:`Watcher` is not made and the daemon stats every note on each request.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

try:  # Linux only (a dependency there)
    from inotify_simple import INotify, flags
except (ImportError, OSError):  # pragma: no cover - other systems
    INotify = flags = None  # type: ignore[assignment,misc]


@dataclass
class Changes:
    """What happened since the last look: files written; files created, deleted or moved;
    and whether folders did (or a ``.gitignore`` changed, or events were lost), which may
    change anything under them."""

    written: set[str] = field(default_factory=set)
    moved: set[str] = field(default_factory=set)
    folders: bool = False

    @property
    def structural(self) -> bool:
        """Whether the set of notes may have changed (the vault is walked again)."""
        return self.folders or bool(self.moved)

    def __bool__(self) -> bool:
        return self.structural or bool(self.written)


def _mask() -> int:
    return (flags.MODIFY | flags.CLOSE_WRITE | flags.ATTRIB | flags.CREATE | flags.DELETE | flags.MOVED_FROM
            | flags.MOVED_TO | flags.DELETE_SELF | flags.MOVE_SELF)


class Watcher:
    """Watches every folder under ``roots`` but hidden ones (a walk skips them) and ``skip``
    (the cache folder). Raises OSError when inotify cannot be had (no watches left)."""

    def __init__(self, roots: list[str], skip: tuple[str, ...] = ()):
        if INotify is None:
            raise OSError("inotify is not available here")
        self._inotify = INotify(nonblocking=True)
        self._skip = tuple(os.path.join(s, "") for s in skip)
        self._folders: dict[int, str] = {}
        try:
            for root in roots:
                self._watch_tree(root)
        except OSError:
            self.close()
            raise

    def _watch_tree(self, folder: str) -> None:
        stack = [folder]
        while stack:
            current = stack.pop()
            if os.path.join(current, "").startswith(self._skip):
                continue
            try:
                wd = self._inotify.add_watch(current, _mask() | flags.ONLYDIR | flags.DONT_FOLLOW)
            except FileNotFoundError:
                continue
            self._folders[wd] = current
            try:
                with os.scandir(current) as entries:
                    stack.extend(e.path for e in entries
                                 if not e.name.startswith(".") and e.is_dir(follow_symlinks=False))
            except OSError:
                continue

    def changes(self) -> Changes:
        """Every event queued so far, without waiting."""
        out = Changes()
        while True:
            events = self._inotify.read(timeout=0)
            if not events:
                return out
            for event in events:
                self._take(event, out)

    def _take(self, event, out: Changes) -> None:
        mask = event.mask
        if mask & flags.Q_OVERFLOW:
            out.folders = True
            return
        if mask & flags.IGNORED:  # the folder is gone (or its watch was taken off)
            self._folders.pop(event.wd, None)
        if mask & (flags.IGNORED | flags.DELETE_SELF | flags.MOVE_SELF):
            # a folder moved within the vault is watched again from its new place (MOVED_TO)
            out.folders = True
            return
        folder = self._folders.get(event.wd)
        if folder is None:
            return
        path = os.path.join(folder, event.name) if event.name else folder
        if os.path.join(path, "").startswith(self._skip):
            return
        if mask & flags.ISDIR:
            if mask & (flags.CREATE | flags.MOVED_TO):
                self._watch_tree(path)  # a new folder: watched before its notes are walked
            if mask & (flags.CREATE | flags.DELETE | flags.MOVED_FROM | flags.MOVED_TO):
                out.folders = True
            return
        if event.name == ".gitignore":
            out.folders = True
        if mask & (flags.CREATE | flags.DELETE | flags.MOVED_FROM | flags.MOVED_TO):
            out.moved.add(path)
        else:
            out.written.add(path)

    def close(self) -> None:
        self._inotify.close()
