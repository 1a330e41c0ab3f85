"""Where a cold run's CPU time goes: ``python -m benchmarks.where VAULT [--repeat N]``.

Runs ``check`` on VAULT in this process (one process, no cache) with timers
around each stage: reading files, parsing (bytes to the document model), the
per-note rules, the vault rules, the 'did you mean' suggestions (inside the
vault rules), and rendering the text report. CPU time (``time.process_time``),
so other load on the machine moves the figures little. The share of the
suggestions is the figure the speed target "suggestions ≤ 5% of a cold run"
speaks of.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path


def measure(vault: Path) -> dict[str, float]:
    from notelint.cli.check import collect_less_often

    collect_less_often()  # the garbage collector's thresholds of a `notelint check` run
    from notelint import parse as parse_pkg
    from notelint.config import load_settings
    from notelint.discover import walk
    from notelint.report import render
    from notelint.run import check, finish, lint
    from notelint.vault import index as index_mod

    spent: dict[str, float] = defaultdict(float)

    def timed(name, fn):
        def wrapper(*a, **kw):
            t = time.process_time()
            try:
                return fn(*a, **kw)
            finally:
                spent[name] += time.process_time() - t
        return wrapper

    patches = [
        (lint, "read_note", "read"), (lint, "parse_note", "parse"), (lint, "run_note_rules", "note rules"),
        (finish, "run_vault_rules", "vault rules"), (index_mod.VaultIndex, "suggest", "suggestions"),
    ]
    saved = [(obj, attr, getattr(obj, attr)) for obj, attr, _ in patches]
    for obj, attr, name in patches:
        setattr(obj, attr, timed(name, getattr(obj, attr)))
    try:
        t = time.process_time()
        settings = load_settings(vault, vault=vault, use_cache=False)
        files = walk(vault, vault, vault, settings.exclude)
        result = check(files, files, settings, jobs=1)
        r = time.process_time()
        render("text", result)
        spent["report"] = time.process_time() - r
        spent["total"] = time.process_time() - t
    finally:
        for obj, attr, fn in saved:
            setattr(obj, attr, fn)
    spent["notes"] = len(files)
    del parse_pkg
    return dict(spent)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.where", description=__doc__.splitlines()[0])
    parser.add_argument("vault", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    runs = [measure(args.vault.resolve()) for _ in range(args.repeat)]
    best = min(runs, key=lambda r: r["total"])
    n = best.pop("notes")
    total = best["total"]
    print(f"{n:,} notes, one process, fastest of {args.repeat} runs: {total:.2f} s CPU ({total / n * 1000:.2f} ms a note)")
    print("| stage | CPU | per note | share |\n| --- | ---: | ---: | ---: |")
    for name in ("read", "parse", "note rules", "vault rules", "suggestions", "report"):
        v = best.get(name, 0.0)
        print(f"| {name} | {v:.2f} s | {v / n * 1000:.3f} ms | {v / total * 100:.1f}% |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
