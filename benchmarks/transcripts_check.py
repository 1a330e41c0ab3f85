"""Time ``notelint check`` on the grounding vault with transcripts: ``python -m benchmarks.transcripts_check``.

Copies ``../shared/corpus/grounding`` (581 notes, 60 transcripts) into a
temporary folder, configures it (``transcripts = "transcripts"``), and
measures, each the median of ``--repeat`` runs, wall clock of the whole
command and the CPU time of it and its worker processes:

* cold: no cache, all cores and ``--jobs 1``; with and without transcripts
  (the same notes, the ``transcripts`` key removed);
* warm: a second run with the cache, nothing changed;
* one transcript edited: a caption line appended to one transcript, then a
  run with the cache (only that video's notes are checked again);
* cold with TR003 enabled (``--extend-select TR003``, ``--jobs 1``).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .transcripts_data import GROUNDING

CONFIG = 'vault = "."\nexternal-targets = ["3blue1brown"]\n'


def timed(args: list[str], cwd: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one ``notelint`` command, its workers included."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "notelint", *args], cwd=cwd, stdout=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def median(runs: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs)


def measure(root: Path, repeat: int) -> dict[str, tuple[float, float]]:
    cache = root / ".notelint_cache"
    out: dict[str, tuple[float, float]] = {}

    def cold(name: str, args: list[str]) -> None:
        runs = []
        for _ in range(repeat):
            shutil.rmtree(cache, ignore_errors=True)
            runs.append(timed(["check", *args, "."], root))
        out[name] = median(runs)

    for transcripts in (True, False):
        (root / "notelint.toml").write_text(CONFIG + ('transcripts = "transcripts"\n' if transcripts else ""))
        tag = "with transcripts" if transcripts else "without transcripts"
        cold(f"cold, all cores, {tag}", [])
        cold(f"cold, --jobs 1, {tag}", ["--jobs", "1"])
        timed(["check", "."], root)
        out[f"warm, {tag}"] = median([timed(["check", "."], root) for _ in range(repeat)])
    (root / "notelint.toml").write_text(CONFIG + 'transcripts = "transcripts"\n')
    cold("cold, --jobs 1, with transcripts and TR003", ["--jobs", "1", "--extend-select", "TR003"])
    timed(["check", "."], root)
    edited = sorted((root / "transcripts").glob("*.srt"))[0]
    runs = []
    for i in range(repeat):
        with edited.open("a", encoding="utf-8") as fh:
            fh.write(f"\n{9000 + i}\n05:00:00,000 --> 05:00:01,000\nan added caption {i}\n")
        runs.append(timed(["check", "."], root))
    out["one transcript edited, with the cache"] = median(runs)
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="notelint-grounding-") as tmp:
        root = Path(tmp) / "grounding"
        shutil.copytree(GROUNDING, root)
        os.remove(root / "README.md")  # not a note
        results = measure(root, args.repeat)
    print(f"notelint check on the grounding vault (581 notes, 60 transcripts), median of {args.repeat}")
    print("| run | wall | CPU (with workers) |\n| --- | ---: | ---: |")
    for name, (wall, cpu) in results.items():
        print(f"| {name} | {wall:.2f} s | {cpu:.2f} s |")


if __name__ == "__main__":
    main()
