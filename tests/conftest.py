from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from notelint.config import Settings
from notelint.discover import walk
from notelint.rules.selection import resolve_selection
from notelint.run import check

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"
CORPUS = SHARED / "corpus" / "real"

HEADER = "---\ntitle: {title}\nvideoId: {video}\n---\n\nFrom: [[chan]] <br/>\n\n"


def cite(t: str, label: str | None = None) -> str:
    return f'<a class="yt-timestamp" data-t="{t}">[{label if label is not None else t}]</a>'


def note(body: str, title: str = "A note", video: str = "abcdefghijk", header: str | None = None) -> str:
    """A note with front matter and source line, and ``body`` dedented after them."""
    head = HEADER.format(title=title, video=video) if header is None else header
    return head + textwrap.dedent(body).lstrip("\n")


def lint_vault(root: Path, *, select=None, extend_select=(), ignore=(), durations=None, **settings_kw):
    """Check every note under ``root`` as a vault of its own; return the RunResult.

    ``durations`` (videoId -> seconds) are written to a videos file outside the vault."""
    if durations is not None:
        import json
        import tempfile

        videos = Path(tempfile.mkdtemp(prefix="notelint-videos-")) / "videos.json"
        videos.write_text(json.dumps(durations), encoding="utf-8")
        settings_kw["videos_file"] = videos
    settings = Settings(root=root, vault=root, **settings_kw)
    settings.selected = resolve_selection(select, extend_select, ignore)
    files = walk(root, root, root, [])
    return check(files, files, settings)


@pytest.fixture
def vault(tmp_path):
    """Write notes into a temporary vault: vault({"a.md": text, ...}) -> RunResult."""

    def make(files: dict[str, str | bytes], **kw):
        for name, content in files.items():
            path = tmp_path / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        return lint_vault(tmp_path, **kw)

    return make


def codes(result, code: str | None = None):
    """(code, line, col) of each finding, optionally of one code."""
    return [(f.code, f.line, f.col) for f in result.findings if code is None or f.code == code]


def messages(result, code: str | None = None):
    """The message of each finding, optionally of one code."""
    return [f.message for f in result.findings if code is None or f.code == code]


def the(result, code: str):
    """The one finding of ``code`` (fails when there is not exactly one)."""
    found = [f for f in result.findings if f.code == code]
    assert len(found) == 1, [(f.code, f.line, f.col, f.message) for f in result.findings]
    return found[0]


def apply_fix(text: str | bytes, fix) -> str:
    """``text`` with a finding's fix applied (edits are byte offsets into the note without a BOM)."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    for edit in sorted(fix.edits, key=lambda e: e.start, reverse=True):
        data = data[: edit.start] + edit.text + data[edit.end :]
    return data.decode("utf-8")
