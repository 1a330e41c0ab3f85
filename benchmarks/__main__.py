"""Benchmark runner: ``python -m benchmarks [--vault PATH] [--sizes 1000,10000] [--workdir DIR]``.

For each real vault given with ``--vault`` (copied first; a Quartz site's
``content/`` beside its ``quartz.config.ts`` is the vault) and each size of
generated seed-like vault (deterministic, clean), it measures, on this
machine, in one run:

* cold: ``notelint check --no-cache`` over the whole vault (notes/second),
  with all cores and with ``--jobs 1``;
* the regex-only single-process baseline (``benchmarks.baseline``) on the
  same vault, so each figure is also a ratio measured in the same run;
* the first run with a cache (an empty one: after an install or an upgrade), its peak memory;
* warm: a second run with the cache and nothing changed;
* the whole vault after one edit: touch one note's text (a sentence with a
  citation), then ``notelint check`` with the cache (editing, then checking);
* one changed note: touch one note's text, then ``notelint check NOTE``
  with the warm cache (the pre-commit case);
* the same one changed note with a daemon of the vault running (``notelint daemon start``),
  and the daemon's own peak memory;
* peak memory: the largest resident set of any notelint process, over all those runs and
  by run (a second table: which path holds the most).

Every figure is the median of ``--repeat`` runs (default 3). Times are wall
clock of the whole command, start-up included.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .generate import generate_vault

CONFIG = """[tool.notelint]
vault = "vault"

[tool.notelint.per-file-ignores]
"channels/*.md" = ["FM003", "SL001"]
"""


def _run(cmd: list[str], cwd: Path) -> tuple[float, int, int]:
    """(wall seconds, exit code, peak RSS in KiB of the largest descendant) of one command."""
    # A fresh wrapper process per measurement: RUSAGE_CHILDREN then covers only this command.
    wrapper = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode\n"
        "dt = time.perf_counter() - t\n"
        "print(dt, rc, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    out = subprocess.run([sys.executable, "-c", wrapper, *cmd], cwd=cwd, capture_output=True, text=True, check=True)
    dt, rc, rss = out.stdout.split()
    return float(dt), int(rc), int(rss)


def _median(cmd: list[str], cwd: Path, repeat: int, before=None) -> tuple[float, int, int]:
    runs = []
    for _ in range(repeat):
        if before is not None:
            before()
        runs.append(_run(cmd, cwd))
    times = [r[0] for r in runs]
    return statistics.median(times), runs[-1][1], max(r[2] for r in runs)


def generated_vault(size: int, workdir: Path) -> tuple[str, Path, Path, Path]:
    """(label, root, vault, note to edit) of a generated vault of ``size`` notes."""
    root = workdir / f"bench{size}"
    vault = root / "vault"
    if not (vault / "v000").is_dir():
        t = time.perf_counter()
        generate_vault(vault, size, seed=0, overwrite=True)
        print(f"  generated {size} notes in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    (root / "pyproject.toml").write_text(CONFIG, encoding="utf-8")
    return f"{size:,} generated", root, vault, sorted((vault / "v000").glob("*.md"))[0]


def real_vault(source: Path, workdir: Path) -> tuple[str, Path, Path, Path]:
    """A copy of a real vault (a Quartz site's ``content/`` beside its ``quartz.config.ts`` is the
    vault, as it is published), with a configuration naming that vault."""
    root = workdir / f"real-{source.name}"
    if not root.is_dir():
        shutil.copytree(source, root, symlinks=True)
        for path in [root, *root.rglob("*")]:  # the shared copy may be read-only
            if not path.is_symlink():
                path.chmod(path.stat().st_mode | 0o200)
    vault = root / "content" if (root / "content").is_dir() and (root / "quartz.config.ts").is_file() else root
    (root / "notelint.toml").write_text(f'vault = "{vault.relative_to(root).as_posix() or "."}"\n', encoding="utf-8")
    notes = sorted(vault.rglob("*.md"))
    return f"{source.name} ({len(notes):,} real notes)", root, vault, notes[len(notes) // 2]


def bench(label: str, root: Path, vault: Path, note: Path, repeat: int, notelint: list[str]) -> dict:
    size = sum(1 for _ in vault.rglob("*.md"))
    cache = root / ".notelint_cache"
    base_t, _, base_rss = _median([sys.executable, "-m", "benchmarks.baseline", str(vault)], Path(__file__).parent.parent, repeat)
    cold_t, cold_rc, cold_rss = _median([*notelint, "check", "--no-cache"], root, repeat)
    cold1_t, _, cold1_rss = _median([*notelint, "check", "--no-cache", "--jobs", "1"], root, repeat)
    shutil.rmtree(cache, ignore_errors=True)
    _, _, fill_rss = _run([*notelint, "check"], root)  # fill the cache: the first run after an upgrade
    warm_t, warm_rc, warm_rss = _median([*notelint, "check"], root, repeat)
    original = note.read_bytes()
    counter = [0]

    def touch() -> None:  # a real edit: the content changes every time
        counter[0] += 1
        edit = f"\n\nEdited {counter[0]} <a class=\"yt-timestamp\" data-t=\"00:00:01\">[00:00:01]</a>.\n\n"
        note.write_bytes(original.replace(b"\n\n", edit.encode(), 1))

    edit_t, _, edit_rss = _median([*notelint, "check"], root, repeat, before=touch)
    one_t, one_rc, one_rss = _median([*notelint, "check", str(note.relative_to(root))], root, repeat, before=touch)
    # the same with a daemon of the vault running (``notelint daemon start``): the client's
    # whole command, start to exit; the daemon's own peak memory from its status
    subprocess.run([*notelint, "daemon", "start"], cwd=root, check=True, capture_output=True)
    daemon_t, daemon_rc, _ = _median([*notelint, "check", str(note.relative_to(root))], root, repeat, before=touch)
    daemon_rss = _daemon_rss_kib(root)
    subprocess.run([*notelint, "daemon", "stop"], cwd=root, check=True, capture_output=True)
    assert daemon_rc == one_rc, "the daemon's exit code differs from the command's"
    note.write_bytes(original)
    _run([*notelint, "check"], root)  # back to the cache as it was
    return {
        "label": label, "size": size, "baseline": base_t, "cold": cold_t, "cold_rc": cold_rc, "cold1": cold1_t,
        "warm": warm_t, "warm_rc": warm_rc, "edit": edit_t, "one": one_t, "one_rc": one_rc, "daemon": daemon_t,
        "daemon_rss_mb": daemon_rss / 1024,
        "rss_mb": max(cold_rss, cold1_rss, fill_rss, warm_rss, edit_rss, one_rss) / 1024, "rss1_mb": cold1_rss / 1024,
        "baseline_rss_mb": base_rss / 1024,
        "rss_by_run": {"cold": cold_rss, "--jobs 1": cold1_rss, "first with a cache": fill_rss, "warm": warm_rss,
                       "after one edit": edit_rss, "one note": one_rss},
    }


def _daemon_rss_kib(root: Path) -> int:
    from notelint.daemon.client import request

    answer = request(str(root / ".notelint_cache" / "daemon.sock"), {"op": "status"}, timeout=10)
    return int(answer[0]["peak_rss_kib"]) if answer is not None else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000",
                        help="comma-separated sizes of generated vaults (e.g. 1000,10000,100000; '' for none)")
    parser.add_argument("--vault", type=Path, action="append", default=[],
                        help="also a real vault (copied first), e.g. ../shared/corpus/tubegraph; repeatable")
    parser.add_argument("--workdir", type=Path, help="where vaults are generated and kept (default: a temporary folder)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    notelint = [sys.executable, "-m", "notelint"]
    tmp = None
    workdir = args.workdir
    if workdir is None:
        tmp = tempfile.mkdtemp(prefix="notelint-bench-")
        workdir = Path(tmp)
    workdir.mkdir(parents=True, exist_ok=True)
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}", file=sys.stderr)
    # as installed by pip: notelint's bytecode compiled and kept (a shell with
    # PYTHONDONTWRITEBYTECODE would otherwise compile every module on every run)
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    import compileall

    compileall.compile_dir(str(Path(__file__).parent.parent / "notelint"), quiet=1)
    rows = []
    try:
        vaults = [real_vault(v.resolve(), workdir) for v in args.vault] + [generated_vault(n, workdir) for n in sizes]
        for label, root, vault, note in vaults:
            print(f"{label} ...", file=sys.stderr)
            rows.append(bench(label, root, vault, note, args.repeat, notelint))
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)

    print(f"median of {args.repeat} runs, wall clock of the whole command, on {os.cpu_count()} cores")
    print("| vault | cold, all cores | cold, --jobs 1 | regex baseline (1 process) | cold vs baseline | --jobs 1 vs baseline | warm (cache) | whole vault after one edit | one changed note | one changed note, daemon running | peak RSS (largest process) | daemon's peak RSS |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        n = r["size"]
        print(
            f"| {r['label']} | {r['cold']:.2f} s ({n / r['cold']:,.0f} notes/s) | {r['cold1']:.2f} s ({n / r['cold1']:,.0f} notes/s)"
            f" | {r['baseline']:.2f} s ({n / r['baseline']:,.0f} notes/s) | {r['cold'] / r['baseline']:.2f}x | {r['cold1'] / r['baseline']:.2f}x"
            f" | {r['warm']:.2f} s | {r['edit']:.2f} s | {r['one']:.2f} s | {r['daemon']:.3f} s | {r['rss_mb']:.0f} MB | {r['daemon_rss_mb']:.0f} MB |"
        )
    print("\npeak RSS of the largest process, by run (where the memory target is missed, which path to work on)")
    names = list(rows[0]["rss_by_run"]) if rows else []
    print("| vault | " + " | ".join(names) + " |\n| --- |" + " ---: |" * len(names))
    for r in rows:
        print(f"| {r['label']} | " + " | ".join(f"{r['rss_by_run'][k] / 1024:.0f} MB" for k in names) + " |")
    generated = [r for r in rows if "generated" in r["label"]]
    if len(generated) >= 2:
        a, b = generated[-2], generated[-1]
        print(f"\nscaling {a['size']:,} -> {b['size']:,} notes: cold x{b['cold'] / a['cold']:.1f}, warm x{b['warm'] / a['warm']:.1f} (linear: x{b['size'] / a['size']:.0f})")
    bad = [r for r in generated if r["cold_rc"] != 0 or r["warm_rc"] != 0]
    if bad:
        print("warning: a clean vault gave findings", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
