"""``notelint audit``: one run of every rule, then the audit report in HTML, JSON, Markdown."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ..atomic import write_report
from ..errors import ConfigError
from .stderr import error_line


def _display(path: Path, cwd: Path) -> str:
    """The vault as the report names it: relative to the working directory, else absolute."""
    path = path.resolve()
    try:
        rel = path.relative_to(cwd.resolve())
    except ValueError:
        return str(path)
    return str(rel) if str(rel) != "." else (path.name or str(path))


def cmd_audit(args) -> int:
    from .check import collect_less_often

    collect_less_often()
    from ..audit import html, load_baseline, markdown
    from ..audit.collect import collect
    from ..cache import Cache
    from ..config import load_settings
    from ..discover import discover, walk
    from ..rules.selection import all_rules
    from ..run import check
    from ..videos import VideoData
    from .check import overrides
    from .progress import progress_bar
    from .settings_view import verbose_lines

    cwd = Path.cwd()
    settings = load_settings(cwd, config_path=args.config, paths=args.paths, overrides=overrides(args))
    if not settings.vault.is_dir():
        raise ConfigError(f"vault folder {settings.vault} does not exist")
    if args.verbose:
        for line in verbose_lines(settings):
            print(f"notelint: {line}", file=sys.stderr)
    settings.collect_stats = True
    baseline = load_baseline(args.baseline) if args.baseline else None
    targets = discover(args.paths or [settings.vault], settings.vault, cwd, settings.exclusion,
                       force_exclude=settings.force_exclude)
    vault_files = walk(settings.vault, settings.vault, cwd, settings.exclusion)
    cache = Cache(settings.cache_dir, f"{settings.vault}|{settings.fingerprint()}") if settings.cache_dir else None
    with progress_bar("auditing") as progress:
        result = check(targets, vault_files, settings, jobs=os.cpu_count() or 1, cache=cache, progress=progress,
                       full_index=True)
    rules = all_rules()
    report = collect(
        result, settings, vault_root=_display(settings.vault, cwd), videos=VideoData.from_settings(settings),
        rules={c: (r.name, r.severity) for c, r in rules.items()}, baseline=baseline,
    )
    outputs = []
    if args.json:
        outputs.append((args.json, report.model_dump_json(indent=2) + "\n"))
    if args.html:
        outputs.append((args.html, html.render(report)))
    summary = markdown.render(report)
    if args.markdown:
        outputs.append((args.markdown, summary))
    if cache is not None and cache.write_error:
        error_line(f"warning: {cache.write_error}; going on without it")
    for path, text in outputs:
        write_report(path, text)  # as --output-file: atomic, a link followed
    if not outputs:
        sys.stdout.write(summary)
    return 0
