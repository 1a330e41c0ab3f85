"""Many notes on one video: CPU time against the number of notes (issue 17, case 5).

    python -m benchmarks.one_video [--sizes 25000,50000,100000,200000] [--cli 2000,4000,8000]

Two measurements, ``time.process_time()`` (CPU, so the machine's load moves it little):

* the vault stages (index, vault rules, placing, suppressions: ``run.finish``) over
  N notes that share one ``videoId`` *and* one title, one of them citing a time
  out of scale (one TS007), in this process; every note is the same parsed
  note under another name, so only the vault stages are measured;
* the command line, ``notelint check --no-cache --jobs 1`` on N small notes
  sharing one ``videoId`` (and on N notes with distinct ids, for comparison),
  children's CPU time: the figures the issue reported (1.7 / 3.7 / 12.6 s at
  2,000 / 4,000 / 8,000 notes, 4.2 s at 8,000 with distinct ids).

Linear means the time per note stays flat as N doubles. ``tests/test_hostile.py``
runs the first at 100,000 notes under a hang guard; it asserts no time.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CITE = '<a class="yt-timestamp" data-t="{t}">[{t}]</a>'
HEAD = "---\ntitle: {title}\nvideoId: {video}\n---\n\nFrom: [[chan]] <br/>\n\n"


def vault_stages(n: int) -> float:
    from notelint.config import Settings
    from notelint.discover import NoteFile
    from notelint.rules.registry import RuleContext
    from notelint.rules.selection import resolve_selection
    from notelint.run import NoteResult, lint_text
    from notelint.run.finish import finish

    root = Path(tempfile.gettempdir())
    settings = Settings(root=root, vault=root, external_targets=["chan"])
    settings.selected = resolve_selection(None)
    ctx = RuleContext(settings)
    usual = (HEAD.format(title="A note", video="abcdefghijk") + f"A claim {CITE.format(t='00:14:20')}.\n").encode()
    outlier = (HEAD.format(title="A note", video="abcdefghijk") + f"A claim {CITE.format(t='10:53:00')}.\n").encode()
    template = lint_text(NoteFile(root / "n.md", "n.md", "n.md"), usual, ctx)
    results = []
    for i in range(n):
        rel = f"n{i:06d}.md"
        if i == n // 2:
            results.append(lint_text(NoteFile(root / rel, rel, rel), outlier, ctx))
        else:
            results.append(NoteResult(NoteFile(root / rel, rel, rel), [], template.entry._replace(rel=rel), [], True, usual))
    start = time.process_time()
    run = finish(results, ctx)
    spent = time.process_time() - start
    assert [f.code for f in run.findings] == ["TS007"]
    return spent


def write_notes(folder: Path, n: int, same_video: bool) -> None:
    folder.mkdir(parents=True)
    for i in range(n):
        video = "abcdefghijk" if same_video else f"v{i:010d}"
        t = f"00:{(i // 60) % 60:02d}:{i % 60:02d}"
        text = HEAD.format(title=f"Note {i}", video=video) + f"A claim {CITE.format(t=t)}.\n"
        (folder / f"n{i:05d}.md").write_text(text, encoding="utf-8")


def cli_cpu(folder: Path) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.executable, "-m", "notelint", "check", str(folder), "--vault", str(folder), "--no-cache",
                    "--jobs", "1"], stdout=subprocess.DEVNULL, check=False, env={**os.environ, "NOTELINT_DEBUG": ""})
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.one_video")
    parser.add_argument("--sizes", default="25000,50000,100000,200000")
    parser.add_argument("--cli", default="2000,4000,8000")
    args = parser.parse_args(argv)
    print("| notes on one video and title | vault stages, CPU | per note |")
    print("| ---: | ---: | ---: |")
    for n in (int(x) for x in args.sizes.split(",") if x):
        spent = vault_stages(n)
        print(f"| {n:,} | {spent:.2f} s | {spent / n * 1e6:.1f} µs |")
    print()
    print("| notes | `check --no-cache --jobs 1`, one videoId, CPU | distinct videoIds, CPU |")
    print("| ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory(prefix="notelint-one-video-") as tmp:
        for n in (int(x) for x in args.cli.split(",") if x):
            same, distinct = Path(tmp) / f"same{n}", Path(tmp) / f"distinct{n}"
            write_notes(same, n, True)
            write_notes(distinct, n, False)
            print(f"| {n:,} | {cli_cpu(same):.2f} s | {cli_cpu(distinct):.2f} s |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
