"""notelint.quartz against Quartz 4.5 itself, link by link.

The verdicts under tests/oracle/ were written by Quartz's own code
(tools/quartz_oracle.py; tests/oracle/README.md says how and when). For every
wiki-link, keyed by (file, line as Quartz numbers it, raw text as Quartz sees it),
the port must find the same link with the same target and heading split, the
same kind, destination slug, page existence and heading verdict; and every
page must get the same heading ids. Each difference that remains is listed
below with its reason: a new one, or one that disappears, fails the test.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from notelint.quartz import Site, content_files, slugify_file_path
from notelint.quartz.config import QuartzConfig, read_quartz_config
from notelint.quartz_vault import QuartzNote, read_note

ORACLE = Path(__file__).resolve().parent / "oracle"
SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
TUBEGRAPH = SHARED / "corpus" / "tubegraph" / "content"
EDGE_SCRIPT = SHARED / "oracles" / "quartz" / "linkcheck" / "make_edge_vault.py"
# the oracle ran the edge vault with its own quartz.config.ts (tubegraph's)
ORACLE_CONFIG = SHARED / "oracles" / "quartz" / "quartz.config.ts"
SHORTEST = QuartzConfig("shortest", ("private", "templates", ".obsidian"))
FIELDS = ("fp", "header", "kind", "full", "exists", "anchorOk")

# (file, line, raw) -> why notelint's verdict differs from Quartz's
TUBEGRAPH_ALLOWED = {
    (
        "hubermanlab/mental_training_and_visualization_for_learning.md",
        27,
        "[[visualization_practices_and_their_impact_on_learning | mental training to effectively prepare "
        "the brain https://mental-training.com for real-world execution]]",
    ): "remark-gfm turns the bare URL inside the alias into a link node (a GFM autolink literal), which "
    "splits the text node, so Quartz renders plain text; pulldown-cmark has no autolink literals",
}
KINDS = Counter({"link": 68, "transclude": 3, "media-embed": 1, "external": 1, "same-page": 1})
EDGE_ALLOWED: dict[tuple[str, int, str], str] = {}  # all 80 edge cases agree


@dataclass(frozen=True, slots=True)
class Difference:
    key: tuple[str, int, str]
    what: str  # "only quartz", "only notelint", or the field that differs
    notelint: object
    quartz: object


def load(name: str) -> tuple[dict[str, list[str]], list[dict]]:
    heads: dict[str, list[str]] = {}
    links: list[dict] = []
    with gzip.open(ORACLE / name, "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if "headings" in rec:
                heads[rec["headings"]] = rec["ids"]
            else:
                links.append(rec)
    return heads, links


def _read(root: str, rels: list[str]) -> list[QuartzNote]:
    out = []
    for rel in rels:
        with open(Path(root) / rel, encoding="utf-8") as fh:
            out.append(read_note(rel, fh.read()))
    return out


def notelint_verdicts(root: Path, config: QuartzConfig, jobs: int = 1) -> tuple[dict[str, list[str]], list[dict]]:
    """Heading ids per page and one record per wiki-link, as the oracle writes them."""
    files = content_files(str(root), config.ignore_patterns)
    md = [f for f in files if f.endswith(".md")]
    if jobs > 1:
        with ProcessPoolExecutor(jobs) as pool:
            parts = pool.map(_read, [str(root)] * jobs, [md[i::jobs] for i in range(jobs)])
            notes = [n for part in parts for n in part]
    else:
        notes = _read(str(root), md)
    site = Site(files, (n.info for n in notes), config.strategy)
    heads = {slugify_file_path(n.rel): n.info.heading_ids for n in notes}
    links = []
    for n in notes:
        for link in n.links:
            d = site.destination(n.rel, link)
            links.append(
                {"file": n.rel, "line": link.quartz_line, "raw": link.raw, "fp": link.fp, "header": link.header,
                 "kind": d.kind, "full": d.full, "exists": d.exists, "anchorOk": d.anchor_ok}
            )
    return heads, links


def differences(ours: list[dict], theirs: list[dict]) -> list[Difference]:
    def by_key(records: list[dict]) -> dict[tuple[str, int, str], list[dict]]:
        out: dict[tuple[str, int, str], list[dict]] = {}
        for r in records:
            out.setdefault((r["file"], r["line"], r["raw"]), []).append(r)
        return out

    a, b = by_key(ours), by_key(theirs)
    diffs = []
    for key in sorted(set(a) | set(b)):
        mine, quartz = a.get(key, []), b.get(key, [])
        for i in range(max(len(mine), len(quartz))):
            if i >= len(mine):
                diffs.append(Difference(key, "only quartz", None, quartz[i]))
            elif i >= len(quartz):
                diffs.append(Difference(key, "only notelint", mine[i], None))
            else:
                diffs.extend(Difference(key, f, mine[i][f], quartz[i][f]) for f in FIELDS if mine[i][f] != quartz[i][f])
    return diffs


def heading_differences(ours: dict[str, list[str]], theirs: dict[str, list[str]]) -> list[str]:
    """Pages whose heading ids differ (an empty id is no id: Quartz renders id="")."""
    return sorted(s for s in theirs if [i for i in theirs[s] if i] != [i for i in ours.get(s, []) if i])


@pytest.fixture(scope="module")
def edge(tmp_path_factory):
    if not EDGE_SCRIPT.is_file():
        pytest.skip("the Quartz oracle (../shared/oracles/quartz) is not here")
    root = tmp_path_factory.mktemp("edge")
    subprocess.run([sys.executable, str(EDGE_SCRIPT), str(root)], check=True)
    config = read_quartz_config(ORACLE_CONFIG.read_text(encoding="utf-8"))
    return notelint_verdicts(root, config), load("edge.jsonl.gz")


@pytest.fixture(scope="module")
def syntax():
    config = read_quartz_config(ORACLE_CONFIG.read_text(encoding="utf-8")) if ORACLE_CONFIG.is_file() else SHORTEST
    return notelint_verdicts(ORACLE / "syntax-vault", config), load("syntax.jsonl.gz")


@pytest.fixture(scope="module")
def tubegraph():
    if not TUBEGRAPH.is_dir():
        pytest.skip("the tubegraph corpus (../shared/corpus/tubegraph) is not here")
    config = read_quartz_config((TUBEGRAPH.parent / "quartz.config.ts").read_text(encoding="utf-8"))
    return notelint_verdicts(TUBEGRAPH, config, jobs=2), load("tubegraph.jsonl.gz")


def test_edge_vault_every_case_agrees(edge):
    (heads, links), (oracle_heads, oracle_links) = edge
    assert len(oracle_links) == 74  # 80 cases and the two channel notes; 8 cases are no link for Quartz
    diffs = differences(links, oracle_links)
    assert {d.key for d in diffs} == set(EDGE_ALLOWED), diffs
    assert heading_differences(heads, oracle_heads) == []


def test_edge_vault_the_cases_that_are_no_link(edge):
    (_heads, links), _oracle = edge
    seen = {r["raw"] for r in links}
    for text in ("[[nothere1]]", "[[nothere2]]", "[[nothere5]]", "[[nothere6]]", "[[a#Heading One#Sub]]", "[[folder\\b]]"):
        assert text not in seen
    assert Counter(r["kind"] for r in links) == KINDS


def test_syntax_vault_agrees(syntax):
    """$…$ as remark-math reads it, escapes and entities, inline HTML, HTML blocks and headings, callouts
    and comments (which move Quartz's line numbers), emphasis splitting a link, footnotes, smartypants."""
    (heads, links), (oracle_heads, oracle_links) = syntax
    assert len(oracle_links) == 13
    assert differences(links, oracle_links) == []
    assert heading_differences(heads, oracle_heads) == []
    assert oracle_heads["a"] == ["heading-one", "a--b", "c-x", "html-head", "own", "footnote-label"]


def test_tubegraph_agrees_link_by_link(tubegraph):
    (heads, links), (oracle_heads, oracle_links) = tubegraph
    diffs = differences(links, oracle_links)
    seen = len(oracle_links) + sum(1 for d in diffs if d.what == "only notelint")
    agreement = 1 - len({d.key for d in diffs}) / seen
    assert agreement >= 0.999, agreement
    assert {d.key for d in diffs} == set(TUBEGRAPH_ALLOWED), diffs[:20]
    assert len(oracle_links) == 75928


def test_tubegraph_heading_ids(tubegraph):
    (heads, _links), (oracle_heads, _oracle_links) = tubegraph
    assert len(oracle_heads) == 8693
    assert heading_differences(heads, oracle_heads) == []
