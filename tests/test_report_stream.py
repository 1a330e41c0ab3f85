"""The JSON reports (json, sarif, gitlab) and JUnit's XML are written a finding (a note) at a time: their bytes are
those of the whole document dumped at once, and the reporter's source lines are read a few
notes at a time, not every reported note's held to the end."""

from __future__ import annotations

import json

import pytest
from conftest import CORPUS, lint_vault

from notelint.report import render_chunks
from notelint.report.escape import json_safe
from notelint.report.stream import HOLE, json_lines


def whole(doc) -> str:
    return json_safe(json.dumps(doc, indent=2, ensure_ascii=False))


@pytest.mark.parametrize("items", [[], [1], [{"a": [1, {"b": "é\u2028\x7f"}]}, "x\n\"y\"", None, {"c": []}]])
@pytest.mark.parametrize("shape", ["top", "nested", "deep"])
def test_a_document_cut_at_its_list_dumps_as_the_whole_document(items, shape):
    def doc(hole):
        if shape == "top":
            return hole
        if shape == "nested":
            return {"summary": {"n": len(items)}, "findings": hole, "after": [1, 2]}
        return {"$schema": "s", "runs": [{"tool": {"rules": [{"id": "X"}]}, "results": hole, "k": {}}]}

    assert "\n".join(json_lines(doc([HOLE]), iter(items))) == whole(doc(items))


@pytest.fixture(scope="module")
def real():
    return lint_vault(CORPUS)


@pytest.mark.parametrize("fmt", ["json", "json-lines", "sarif", "gitlab", "github", "junit"])
def test_the_reports_of_the_real_notes_come_in_chunks_of_the_same_bytes(real, fmt):
    from notelint.report import gitlab, json_report, junit, sarif

    assert len(real.findings) > 1000
    chunks = list(render_chunks(fmt, real, lines_per_chunk=100))
    assert len(chunks) > 10  # written as they come, not at once
    text = "".join(chunks)
    if fmt == "json":
        assert text == whole(json_report.report_dict(real)) + "\n"
    elif fmt == "sarif":
        assert text == whole(sarif.sarif_dict(real)) + "\n"
    elif fmt == "gitlab":
        assert text == whole(gitlab.gitlab_issues(real)) + "\n"
    elif fmt == "junit":  # render() builds the whole tree
        assert text == junit.render(real)
    elif fmt == "json-lines":
        assert [json.loads(line) for line in text.splitlines()] == [json_report.finding_dict(f) for f in real.findings]
    else:
        assert text.count("\n") == len(real.findings) and text.startswith("::")


def test_a_reporter_keeps_the_lines_of_a_few_notes_only(tmp_path):
    """Sources are read per note as the reporter asks (findings come in path order): 40 notes
    read, 16 kept; a note read again after it went is read again, the same."""
    from types import SimpleNamespace

    from notelint.cli.check import _Sources
    from notelint.discover import NoteFile

    files = []
    for i in range(40):
        path = tmp_path / f"n{i:02d}.md"
        path.write_text(f"first {i}\nsecond é {i}\n", encoding="utf-8")
        files.append(NoteFile(path, path.name, path.name))
    result = SimpleNamespace(results={f.display: SimpleNamespace(file=f, text=None) for f in files})
    sources = _Sources(result, 10_000)
    for i, f in enumerate(files):
        assert sources.line(f.display, 2) == f"second é {i}"
        assert sources.position(f.display, len(f"first {i}\nsecond é".encode())) == (2, 9)
    assert len(sources.cache) == len(sources.data) == _Sources.KEPT
    assert sources.line("n00.md", 1) == "first 0" and "n00.md" in sources.cache
