"""``notelint audit``: a whole vault's citation coverage, findings and link graph.

One checker run (every rule, as ``check`` would run it), then
:func:`~notelint.audit.collect.collect` builds an
:class:`~notelint.audit.model.AuditReport`, which three writers turn into an
HTML page (:mod:`.html`), a JSON file (the model itself) and a Markdown
summary (:mod:`.markdown`). An audit reports; it does not gate: exit 0 when
the reports were written, 2 on a usage, configuration, baseline or write error.

Imported only by ``notelint audit``: ``check`` never pays for it (nor for rich).
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path


class AuditError(Exception):
    """A problem the user can fix (baseline, output file): one line, exit 2."""


def load_baseline(path: Path):
    """A previous audit JSON, validated against the model."""
    import json

    from pydantic import ValidationError

    from .model import AuditReport

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise AuditError(f"cannot read baseline {path}: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise AuditError(f"baseline {path} is not JSON: {exc}") from None
    try:
        return AuditReport.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = "/".join(str(p) for p in err["loc"]) or "(top)"
        raise AuditError(f"baseline {path} is not a notelint audit JSON: {where}: {err['msg']}") from None


@contextlib.contextmanager
def progress_bar(stream=None):
    """A rich progress bar on standard error when it is a terminal; else nothing.

    Yields a ``progress(done, total)`` callback, or None.
    """
    stream = stream if stream is not None else sys.stderr
    if not stream.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(TextColumn("[bold]auditing[/] notes"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   console=Console(file=stream), transient=True)
    with bar:
        task = bar.add_task("audit", total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


def _display(path: Path, cwd: Path) -> str:
    """The vault as the report names it: relative to the working directory, else absolute."""
    path = path.resolve()
    try:
        rel = path.relative_to(cwd.resolve())
    except ValueError:
        return str(path)
    return str(rel) if str(rel) != "." else (path.name or str(path))


def run(args) -> int:
    from ..checker import check
    from ..config import ConfigError, load_settings
    from ..discover import discover, walk
    from ..rules.registry import RULES, all_rules
    from . import html, markdown
    from .collect import collect

    cwd = Path.cwd()
    settings = load_settings(cwd, config_path=args.config, vault=args.vault, select=args.select,
                             extend_select=args.extend_select, ignore=args.ignore, paths=args.paths)
    if not settings.vault.is_dir():
        raise ConfigError(f"vault folder {settings.vault} does not exist")
    settings.collect_stats = True
    baseline = load_baseline(args.baseline) if args.baseline else None
    paths = args.paths or [settings.vault]
    targets = discover(paths, settings.vault, cwd, settings.exclude)
    vault_files = walk(settings.vault, settings.vault, cwd, settings.exclude)
    from ..cache import Cache

    cache = Cache(settings.cache_dir, f"{settings.vault}|{settings.fingerprint()}") if settings.cache_dir else None
    with progress_bar() as progress:
        result = check(targets, vault_files, settings, jobs=os.cpu_count() or 1, cache=cache, progress=progress, full_index=True)
    all_rules()
    report = collect(
        result, vault_root=_display(settings.vault, cwd), external_targets=settings.external_targets,
        durations=settings.durations, max_file_size=settings.max_file_size, rules={c: (r.name, r.severity) for c, r in RULES.items()}, baseline=baseline,
    )
    outputs = []
    if args.json:
        outputs.append((args.json, report.model_dump_json(indent=2) + "\n"))
    if args.html:
        outputs.append((args.html, html.render(report)))
    summary = markdown.render(report)
    if args.markdown:
        outputs.append((args.markdown, summary))
    for path, text in outputs:
        _write(path, text)
    if not outputs:
        sys.stdout.write(summary)
    return 0


def _write(path: Path, text: str) -> None:
    """Write atomically: a temporary file beside the target, then a rename."""
    import tempfile

    try:
        folder = path.parent if str(path.parent) else Path(".")
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError as exc:
        raise AuditError(f"cannot write {path}: {exc.strerror or exc}") from None
