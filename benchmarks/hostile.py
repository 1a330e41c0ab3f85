"""CPU time per hostile megabyte: ``python -m benchmarks.hostile [--repeat N]``.

The hostile texts of ``tests/test_bad_input.py`` (1 MB each, built to hurt
regular expressions and parsers: unterminated constructs, long runs of one
character, deep nesting). The tests assert their exact findings under a hang
guard of minutes; how much CPU each takes is measured here, not asserted.
Each case lints a vault of that one note plus a witness note, in this
process, with ``--jobs 1`` semantics, and reports ``time.process_time()``
(CPU, not wall: the machine's load does not move it much).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

MB = 1024 * 1024
HEAD = "---\ntitle: T\nvideoId: abcdefghijk\n---\n\nFrom: [[chan]] <br/>\n\n"  # the body starts on line 8
C = '<a class="yt-timestamp" data-t="00:01:02">[00:01:02]</a>'


def cite(t: str) -> str:
    return f'<a class="yt-timestamp" data-t="{t}">[{t}]</a>'


# 1 MB bodies (after HEAD): name -> body
BODIES: dict[str, str] = {
    "open-brackets": "[" * MB,
    "double-brackets": "[[" * (MB // 2),
    "pipes-in-link": "[[" + "|" * MB + "]]",
    "anchor-openers": "<a " * (MB // 3),
    "unclosed-anchors": '<a class="yt-timestamp" data-t="' * (MB // 32),
    "anchor-no-close": '<a class="yt-timestamp" data-t="00:00:01">[00:00:01] ' * (MB // 52),
    "comment-openers": "<!--" * (MB // 4),
    "less-than": "<" * MB,
    "backticks": "`" * MB,
    "emphasis": "*a" * (MB // 2),
    "bare-label-prefixes": "[1:2" * (MB // 4),
    "dashes-and-keys": "---\ntitle: x\n" * (MB // 13),
    "yaml-like-lines": "key: value\n" * (MB // 11),
    "table-cells": "|a|b|\n|-|-|\n" + "|x" * (MB // 2),
    "non-ascii-links": "é [[a|]] " * (MB // 11),
    "unbalanced-closers": "words words ]] " * (MB // 15),
    "sentences": "Sentence. Next " * (MB // 15) + C,
}

# structure cases of the tests, for the same measurement
STRUCTURE: dict[str, str] = {
    "nested-lists": "- " * 10000 + "x",
    "nested-quotes": "> " * 10000 + "x " + C,
    "nested-ordered": "1. " * 10000 + "x " + C,
    "indented-levels": "".join("  " * i + "- x " + C + "\n" for i in range(1000)),
    "emphasis-delimiters": "*" * 10000 + "x " + C + "*" * 10000,
    "link-openers": "[a](" * 10000 + C,
    "100k-open-brackets": f"Text {C} " + "[" * 100_000,
    "100k-closing-brackets": f"Text {C} " + "]" * 100_000,
}


def cpu_seconds(body: str, select: list[str] | None = None) -> float:
    """CPU seconds to lint a vault of one note (``HEAD + body``) and a witness."""
    from notelint.config import Settings
    from notelint.discover import walk
    from notelint.rules.selection import resolve_selection
    from notelint.run import check

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "h.md").write_text(HEAD + body + "\n", encoding="utf-8")
        (root / "witness.md").write_text(HEAD + "Uncited witness claim.\n", encoding="utf-8")
        settings = Settings(root=root, vault=root, external_targets=["chan"])
        settings.selected = resolve_selection(select)
        files = walk(root, root, root, [])
        start = time.process_time()
        check(files, files, settings)
        return time.process_time() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.hostile", description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    rows = []
    for name, body in [*BODIES.items(), *STRUCTURE.items()]:
        select = ["ALL"] if name == "sentences" else None
        runs = [cpu_seconds(body, select) for _ in range(args.repeat)]
        size = len((HEAD + body).encode()) / MB
        rows.append((name, size, statistics.median(runs)))
        print(f"{name:<24} {size:5.2f} MB  {statistics.median(runs):6.2f} s CPU", file=sys.stderr)
    worst = max(rows, key=lambda r: r[2])
    print(f"| case | size | CPU (median of {args.repeat}) |\n| --- | --- | --- |")
    for name, size, cpu in rows:
        print(f"| {name} | {size:.2f} MB | {cpu:.2f} s |")
    print(f"\nworst: {worst[0]} {worst[2]:.2f} s CPU")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
