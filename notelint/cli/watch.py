"""``notelint check --watch``: check, then check again whenever a note, a ``.gitignore`` or the
configuration changes (watchfiles, imported only here). Ctrl-C stops it."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

from ..errors import ConfigError, NotelintError

RELEVANT = (".md", ".gitignore", "pyproject.toml", "notelint.toml")


def watch(settings, run_once: Callable[[], int]) -> int:
    """Run ``run_once``, then again on every relevant change under the vault (``settings``) or
    to the configuration file; return the last run's exit code."""
    try:
        from watchfiles import watch as changes_of
    except ImportError:  # pragma: no cover - watchfiles is a dependency
        raise ConfigError("--watch needs watchfiles (pip install watchfiles)") from None
    roots = [settings.vault]
    if settings.config_file is not None and not _inside(settings.config_file, settings.vault):
        roots.append(settings.config_file)
    cache = str(settings.cache_dir) if settings.cache_dir is not None else None

    def relevant(_change, path: str) -> bool:
        # never the cache: a run writes it, and must not wake the next one
        return path.endswith(RELEVANT) and not (cache is not None and path.startswith(cache))

    code = _once(run_once)
    waiting = True
    # yield_on_timeout: an empty set every half second, the first of which says the watcher runs
    for changes in changes_of(*roots, watch_filter=relevant, raise_interrupt=False, yield_on_timeout=True,
                              rust_timeout=500):
        if not changes:
            if waiting:
                print("notelint: watching for changes (Ctrl-C to stop)", file=sys.stderr, flush=True)
                waiting = False
            continue
        if sys.stdout.isatty():
            sys.stdout.write("\033[2J\033[H")  # a fresh screen for each run, as ruff does
        names = sorted({Path(p).name for _, p in changes})
        shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        print(f"[{time.strftime('%H:%M:%S')}] {shown} changed: checking again", file=sys.stderr, flush=True)
        code = _once(run_once)
        waiting = True
    return code


def _once(run_once: Callable[[], int]) -> int:
    """One check; a configuration broken while watching is reported, and the watch goes on."""
    try:
        code = run_once()
    except NotelintError as exc:
        print(f"notelint: error: {exc}", file=sys.stderr, flush=True)
        code = 2
    sys.stdout.flush()
    return code


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder)
        return True
    except ValueError:
        return False
