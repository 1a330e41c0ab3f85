"""notelint's own pipeline in quartz mode against Quartz 4.5 itself, link by link.

``tests/test_quartz_oracle.py`` checks the port (``notelint.quartz``) alone. This test runs
what ``notelint check`` runs (settings found by ``link-resolution = "auto"``, the per-note
parse with its fast and full readings of Quartz's syntax, the index entries, the vault index
and ``QuartzResolver``) and compares, for every wiki-link Quartz sees, in document order per
note: the target and anchor as Quartz splits them, whether the page exists (None: no page is
looked for, an external link or a link to the same page) and whether the heading exists.
Each remaining difference is listed with its reason: a new one, or one that disappears,
fails the test.
"""

from __future__ import annotations

import difflib
import gzip
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from notelint.config import load_settings
from notelint.discover import walk
from notelint.run import check

ORACLE = Path(__file__).resolve().parent / "oracle"
SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
TUBEGRAPH = SHARED / "corpus" / "tubegraph" / "content"
EDGE_SCRIPT = SHARED / "oracles" / "quartz" / "linkcheck" / "make_edge_vault.py"
ORACLE_CONFIG = SHARED / "oracles" / "quartz" / "quartz.config.ts"
FIELDS = ("fp", "header", "exists", "anchorOk")

# (file, target) -> why notelint's verdict differs from Quartz's
TUBEGRAPH_ALLOWED = {
    ("hubermanlab/mental_training_and_visualization_for_learning.md", "visualization_practices_and_their_impact_on_learning"):
    "only notelint: remark-gfm turns the bare URL inside the alias into a link node (a GFM autolink literal), which "
    "splits the text node, so Quartz renders plain text; pulldown-cmark has no autolink literals",
}


def oracle_links(name: str) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    with gzip.open(ORACLE / name, "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if "headings" not in rec:
                out.setdefault(rec["file"], []).append(rec)
    return out


def pipeline_links(vault: Path) -> tuple[str, dict[str, list[dict]]]:
    """The link resolution mode found, and every link of the vault as the pipeline reads it."""
    settings = load_settings(vault, vault=vault, use_cache=False)
    files = walk(vault, vault, vault, settings.exclusion)
    index = check(files, files, settings, jobs=2).index
    out: dict[str, list[dict]] = {}
    for rel, entry in index.notes.items():
        records = []
        for link in entry.links:
            same_page = not link.target and link.anchor
            found = None if same_page else index.resolve(link.target, rel, link.embed)
            reached = rel if same_page else (found[0] if found else None)
            ok = None
            if link.anchor and reached in index.notes:
                ok = index.heading_found(reached, link, rel)
            records.append({"fp": link.target, "header": link.anchor,
                            "exists": None if found is None else bool(found), "anchorOk": ok})
        out[rel] = records
    return settings.link_resolution, out


def differences(ours: dict[str, list[dict]], theirs: dict[str, list[dict]]) -> tuple[int, list[tuple]]:
    """(links compared, differences as (file, target, what)); the links of a note are aligned by target."""
    seen, diffs = 0, []
    for file in sorted(set(ours) | set(theirs)):
        a, b = ours.get(file, []), theirs.get(file, [])
        for rec in b:
            if rec["kind"] == "same-page":
                rec["exists"] = None  # no page is looked for
        matcher = difflib.SequenceMatcher(None, [r["fp"] for r in a], [r["fp"] for r in b], autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                for x, y in zip(a[i1:i2], b[j1:j2]):
                    seen += 1
                    diffs.extend((file, x["fp"], f) for f in FIELDS if x[f] != y[f])
            else:
                seen += max(i2 - i1, j2 - j1)
                diffs.extend((file, x["fp"], "only notelint") for x in a[i1:i2])
                diffs.extend((file, y["fp"], "only quartz") for y in b[j1:j2])
    return seen, diffs


@pytest.fixture(scope="module")
def tubegraph():
    if not TUBEGRAPH.is_dir():
        pytest.skip("the tubegraph corpus (../shared/corpus/tubegraph) is not here")
    return pipeline_links(TUBEGRAPH), oracle_links("tubegraph.jsonl.gz")


@pytest.fixture(scope="module")
def edge(tmp_path_factory):
    if not EDGE_SCRIPT.is_file():
        pytest.skip("the Quartz oracle (../shared/oracles/quartz) is not here")
    site = tmp_path_factory.mktemp("edge-site")
    shutil.copy(ORACLE_CONFIG, site / "quartz.config.ts")  # the oracle ran the edge vault with it
    subprocess.run([sys.executable, str(EDGE_SCRIPT), str(site / "content")], check=True)
    return pipeline_links(site / "content"), oracle_links("edge.jsonl.gz")


def test_tubegraph_pipeline_agrees_with_quartz(tubegraph):
    (mode, ours), theirs = tubegraph
    assert mode == "quartz"  # auto: quartz.config.ts beside the content folder
    seen, diffs = differences(ours, theirs)
    assert seen >= 75928
    assert 1 - len(diffs) / seen >= 0.999
    assert {(f, t) for f, t, _ in diffs} == set(TUBEGRAPH_ALLOWED), diffs[:20]
    assert [what for *_, what in diffs] == ["only notelint"]


def test_tubegraph_verdicts_cover_broken_links_and_headings(tubegraph):
    """The comparison is not vacuous: Quartz's 404s and missing headings are among the links compared."""
    _, theirs = tubegraph
    records = [r for recs in theirs.values() for r in recs]
    assert sum(r["exists"] is False for r in records) > 5000
    assert sum(r["anchorOk"] is False for r in records) > 0


def test_edge_vault_every_case_agrees(edge):
    (mode, ours), theirs = edge
    assert mode == "quartz"
    seen, diffs = differences(ours, theirs)
    assert seen == 74
    assert diffs == []
