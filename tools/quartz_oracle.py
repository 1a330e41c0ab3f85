"""Run Quartz's own code on a vault and write where it sends every wiki-link.

The oracle (``../shared/oracles/quartz``: Quartz 4.5's site code and the harness
``linkcheck/``) is copied to a work folder, ``npm ci`` installs its packages,
``linkcheck/build.mjs`` bundles the harness, and the harness runs on the vault,
sharded across ``--jobs`` node processes. The shards are merged into one gzipped
JSONL file, byte-reproducible (sorted, gzip mtime 0), trimmed to what notelint
compares:

- ``{"headings": SLUG, "ids": [...]}``: the heading ids of each page. Where the
  harness's self-check found that the ids Quartz really rendered differ from the
  ones it computed from the Markdown tree (a heading holding inline HTML such as
  a citation: rehype-slug sees the element's text, mdast-util-to-string the raw
  HTML), the real ids are kept.
- one record per wiki-link: ``file line raw fp header kind full anchor exists
  anchorOk``. ``anchorOk`` is recomputed after the merge from all pages' heading
  ids (a shard knows only its own pages' headings).

Usage (from the repository root; node 20 and npm on PATH)::

    python tools/quartz_oracle.py vault VAULT OUT.jsonl.gz [--jobs 2] [--workdir DIR]
    python tools/quartz_oracle.py edge OUT.jsonl.gz [--vault-dir DIR] [--workdir DIR]
    python tools/quartz_oracle.py refresh [--jobs 2] [--workdir DIR]

``vault`` runs on any vault (the folder Quartz calls ``content``); when a
``quartz.config.ts`` sits beside that folder it replaces the oracle's before the
harness is built, so the vault's own resolution strategy is used. ``edge``
builds the oracle's 80-case edge vault (``linkcheck/make_edge_vault.py``) and
runs on it. ``refresh`` rewrites the three committed verdict files under
``tests/oracle/``: tubegraph's, the edge vault's and that of ``syntax-vault/``
(small notes of the Markdown cases that decide what is a link). ``--workdir`` keeps the installed copy between runs (npm ci
is skipped when its ``node_modules`` is present); without it a temporary folder
is used and removed.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ORACLE = (ROOT.parent / "shared" / "oracles" / "quartz").resolve()
TUBEGRAPH = (ROOT.parent / "shared" / "corpus" / "tubegraph" / "content").resolve()
COMMITTED = ROOT / "tests" / "oracle"
KEEP = ("file", "line", "raw", "fp", "header", "kind", "full", "anchor", "exists", "anchorOk")


def _writable(tree: Path) -> None:
    for dirpath, _dirs, files in os.walk(tree):
        os.chmod(dirpath, os.stat(dirpath).st_mode | stat.S_IWUSR)
        for name in files:
            p = os.path.join(dirpath, name)
            os.chmod(p, os.stat(p).st_mode | stat.S_IWUSR)


def prepare(workdir: Path, config: Path | None) -> Path:
    """A writable copy of the oracle with its packages installed and the harness built."""
    quartz = workdir / "quartz"
    if not (quartz / "package.json").exists():
        shutil.copytree(ORACLE, quartz, symlinks=True)
        _writable(quartz)
    if config is not None and config.read_bytes() != (quartz / "quartz.config.ts").read_bytes():
        shutil.copyfile(config, quartz / "quartz.config.ts")
    if not (quartz / "node_modules").is_dir():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=quartz, check=True)
    subprocess.run(["node", "linkcheck/build.mjs"], cwd=quartz, check=True)
    return quartz


def run_harness(quartz: Path, vault: Path, jobs: int, tmp: Path) -> list[Path]:
    """Run the harness in ``jobs`` processes (``--shard i/jobs``); the shard outputs."""
    outs = [tmp / f"shard{i}.jsonl" for i in range(jobs)]
    procs = []
    for i, out in enumerate(outs):
        cmd = ["node", "linkcheck/out.mjs", str(vault), str(out), "--shard", f"{i}/{jobs}"]
        procs.append(subprocess.Popen(cmd, cwd=quartz, stderr=subprocess.PIPE, text=True))
    failed = False
    for proc in procs:
        _out, err = proc.communicate()
        summary = [line for line in err.splitlines() if line.startswith('{"files"')]
        print(summary[-1] if summary else err[-2000:], file=sys.stderr)
        failed = failed or proc.returncode != 0
    if failed:
        raise SystemExit("quartz_oracle: the harness failed (see above)")
    return outs


def merge(shards: list[Path]) -> list[dict]:
    """Heading records (real ids where the harness saw a difference) and trimmed link records."""
    ids: dict[str, list[str]] = {}
    links: list[dict] = []
    for shard in shards:
        last = None  # the harness writes a page's id mismatch right after its heading record
        with shard.open(encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                if "headings" in rec:
                    last = rec["headings"]
                    ids[last] = rec["ids"]
                elif "mismatch" in rec:
                    if "headingIds" in rec and last is not None:
                        ids[last] = rec["headingIds"]
                else:
                    links.append({k: rec.get(k) for k in KEEP})
    for link in links:
        ok = None
        if link["exists"] and link["anchor"]:
            page_ids = ids.get(link["full"])
            ok = None if page_ids is None else link["anchor"][1:] in page_ids
        link["anchorOk"] = ok
    links.sort(key=lambda r: (r["file"], r["line"]))  # stable: keeps each file's order of occurrence
    heads = [{"headings": s, "ids": ids[s]} for s in sorted(ids)]
    return heads + links


def write(records: list[dict], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    body = "".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for r in records)
    with open(out, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as gz:
        gz.write(body.encode("utf-8"))
    n = sum(1 for r in records if "file" in r)
    print(f"{out}: {n} wiki-links, {len(records) - n} pages", file=sys.stderr)


def verdicts(quartz: Path, vault: Path, out: Path, jobs: int) -> None:
    with tempfile.TemporaryDirectory(prefix="quartz-oracle-") as tmp:
        shards = run_harness(quartz, vault.resolve(), jobs, Path(tmp))
        write(merge(shards), out)


def edge(quartz: Path, out: Path, vault_dir: Path | None) -> None:
    with tempfile.TemporaryDirectory(prefix="quartz-edge-") as tmp:
        vault = vault_dir or Path(tmp) / "edge"
        script = quartz / "linkcheck" / "make_edge_vault.py"
        subprocess.run([sys.executable, str(script), str(vault)], check=True)
        verdicts(quartz, vault, out, 1)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    v = sub.add_parser("vault", help="verdicts of one vault")
    v.add_argument("vault", type=Path)
    v.add_argument("out", type=Path)
    e = sub.add_parser("edge", help="verdicts of the 80-case edge vault")
    e.add_argument("out", type=Path)
    e.add_argument("--vault-dir", type=Path, help="build the edge vault here (kept)")
    sub.add_parser("refresh", help="rewrite tests/oracle/{tubegraph,edge,syntax}.jsonl.gz")
    for p in (v, e, sub.choices["refresh"]):
        p.add_argument("--jobs", type=int, default=2, help="node processes (default 2)")
        p.add_argument("--workdir", type=Path, help="keep the installed oracle here between runs")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="quartz-work-") as tmp:
        workdir = (args.workdir or Path(tmp)).resolve()
        workdir.mkdir(parents=True, exist_ok=True)
        if args.cmd == "vault":
            beside = args.vault.resolve().parent / "quartz.config.ts"
            quartz = prepare(workdir, beside if beside.is_file() else None)
            verdicts(quartz, args.vault, args.out, args.jobs)
        elif args.cmd == "edge":
            edge(prepare(workdir, None), args.out, args.vault_dir)
        else:
            quartz = prepare(workdir, TUBEGRAPH.parent / "quartz.config.ts")
            verdicts(quartz, TUBEGRAPH, COMMITTED / "tubegraph.jsonl.gz", args.jobs)
            edge(quartz, COMMITTED / "edge.jsonl.gz", None)
            verdicts(quartz, COMMITTED / "syntax-vault", COMMITTED / "syntax.jsonl.gz", 1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
