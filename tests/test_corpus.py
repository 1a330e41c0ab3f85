"""The real notes: /work/shared/corpus/real (147 notes) and /work/shared/seeds, each linted as one vault.

Every rule runs (``--select ALL``, CL002 included); nothing may raise, every
finding must point inside its file, and the number of findings per rule must
equal the golden summary in ``tests/golden/corpus_summary.json``.

The golden file is never edited by hand. When a change to the rules is meant
to change the counts, regenerate it on purpose and review the diff:

    NOTELINT_REGEN=1 .venv/bin/python -m pytest tests/test_corpus.py
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from pathlib import Path

import pytest
from conftest import CORPUS, SEEDS, lint_vault

GOLDEN = Path(__file__).resolve().parent / "golden" / "corpus_summary.json"
REGEN = os.environ.get("NOTELINT_REGEN") == "1"
REGEN_COMMAND = "NOTELINT_REGEN=1 .venv/bin/python -m pytest tests/test_corpus.py"
VAULTS = {"corpus/real": CORPUS, "seeds": SEEDS}
_LINES = re.compile(r"\r\n|\r|\n")


@pytest.fixture(scope="module", params=sorted(VAULTS))
def linted(request):
    root = VAULTS[request.param]
    return request.param, root, lint_vault(root, select=["ALL"])


def summary(result) -> dict:
    return {
        "notes": len(result.files),
        "findings": len(result.findings),
        "by_rule": dict(sorted(Counter(f.code for f in result.findings).items())),
    }


def test_every_note_is_linted(linted):
    name, root, result = linted
    notes = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.md"))
    assert sorted(result.files) == notes
    assert result.vault_size == len(notes)


def test_every_finding_lies_inside_its_file(linted):
    name, root, result = linted
    lines_of: dict[str, list[str]] = {}
    for f in result.findings:
        if f.path not in lines_of:
            data = (root / f.path).read_bytes()
            if data.startswith(b"\xef\xbb\xbf"):
                data = data[3:]
            lines_of[f.path] = _LINES.split(data.decode("utf-8", "replace"))
        lines = lines_of[f.path]
        where = f"{f.path}:{f.line}:{f.col}: {f.code}"
        assert 1 <= f.line <= len(lines), where
        assert 1 <= f.col <= len(lines[f.line - 1]) + 1, where
        if f.end_line:
            assert (f.line, f.col) <= (f.end_line, f.end_col), where
            assert f.end_line <= len(lines) and f.end_col <= len(lines[f.end_line - 1]) + 1, where


def test_finding_counts_match_the_golden_summary(linted):
    name, root, result = linted
    got = summary(result)
    golden = json.loads(GOLDEN.read_text(encoding="utf-8")) if GOLDEN.is_file() else {}
    if REGEN:
        golden[name] = got
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(json.dumps(golden, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    assert name in golden, f"no golden summary for {name}: run `{REGEN_COMMAND}`"
    assert got == golden[name], (
        f"finding counts for {name} changed. If the change is meant, regenerate the golden file with "
        f"`{REGEN_COMMAND}` and commit the reviewed diff."
    )

