"""The workspace, directly: a vault in memory, updated one note at a time, says which other
notes' findings may change and lints any note as a full run would."""

from __future__ import annotations

import pytest
from conftest import cite, note

from notelint.config import Settings
from notelint.discover import walk
from notelint.rules.selection import resolve_selection
from notelint.run import Workspace, check


@pytest.fixture
def vault(tmp_path):
    files = {
        "a.md": note(f"A links [[b]] and [[b#Part]] {cite('00:01:00')}.\n", title="A", video="aaaaaaaaaaa"),
        "b.md": note(f"## Part\n\nB text {cite('00:02:00')}.\n", title="Bee", video="bbbbbbbbbbb"),
        # a file name in another case: Obsidian's resolution (the default) has no titles as keys
        "c.md": note(f"C links [[B]] {cite('00:03:00')}.\n", title="C", video="ccccccccccc"),
        "d.md": note(f"D links nothing {cite('00:04:00')}.\n", title="D", video="ddddddddddd"),
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    settings = Settings(root=tmp_path, vault=tmp_path, external_targets=["chan"])
    settings.selected = resolve_selection(None)
    return tmp_path, settings


def codes(findings):
    return [(f.code, f.line, f.col) for f in findings]


def test_lint_equals_a_full_run(vault):
    root, settings = vault
    files = walk(root, root, root, [])
    ws = Workspace.open(settings, files)
    full = check(files, files, settings)
    for f in files:
        assert codes(ws.lint(f.rel)) == codes([x for x in full.findings if x.path == f.display])


def test_update_renames_a_heading_and_a_title(vault):
    root, settings = vault
    files = walk(root, root, root, [])
    ws = Workspace.open(settings, files)
    b = next(f for f in files if f.rel == "b.md")
    assert codes(ws.lint("a.md")) == [] and codes(ws.lint("c.md")) == []
    affected = ws.update(b, note(f"## Section\n\nB text {cite('00:02:00')}.\n", title="Renamed", video="bbbbbbbbbbb").encode())
    assert affected == {"a.md", "c.md"}  # d.md links to neither name nor heading
    assert codes(ws.lint("a.md")) == [("WL004", 8, 19)]
    assert codes(ws.lint("c.md")) == []  # [[B]] names the file, whose title changed
    affected = ws.update(b, (root / "b.md").read_bytes())  # back as on disk
    assert affected == {"a.md", "c.md"} and codes(ws.lint("a.md")) == codes(ws.lint("c.md")) == []


def test_an_unchanged_name_affects_no_other_note(vault):
    root, settings = vault
    files = walk(root, root, root, [])
    ws = Workspace.open(settings, files)
    d = next(f for f in files if f.rel == "d.md")
    assert ws.update(d, note(f"D now says more {cite('00:04:00')}.\n", title="D", video="ddddddddddd").encode()) == set()


def test_remove_and_add_a_note(vault):
    root, settings = vault
    files = walk(root, root, root, [])
    ws = Workspace.open(settings, files)
    assert ws.remove("b.md") == {"a.md", "c.md"}
    assert [c for c, *_ in codes(ws.lint("a.md"))] == ["WL001", "WL001"]
    (root / "b.md").unlink()
    new = next(f for f in files if f.rel == "b.md")
    new_path = root / "b.md"
    new_path.write_text(note(f"## Part\n\nBack {cite('00:02:00')}.\n", title="Bee", video="bbbbbbbbbbb"), encoding="utf-8")
    assert ws.reload(new) == {"a.md", "c.md"}
    assert codes(ws.lint("a.md")) == []


def test_sibling_notes_on_one_video_are_affected_by_times(tmp_path):
    three = f"{cite('00:02:00')}, {cite('00:03:00')}, {cite('00:04:00')}"  # TS007 trusts notes of three times
    for name in "abcd":
        (tmp_path / f"{name}.md").write_text(note(f"Text {three}.\n", title=name), encoding="utf-8")
    settings = Settings(root=tmp_path, vault=tmp_path, external_targets=["chan"])
    settings.selected = resolve_selection(None)
    files = walk(tmp_path, tmp_path, tmp_path, [])
    ws = Workspace.open(settings, files)
    d = next(f for f in files if f.rel == "d.md")
    # the same video: new times may change TS007 of the others; the same times change nothing
    assert ws.update(d, note(f"Other words {three}.\n", title="d").encode()) == set()
    affected = ws.update(d, note(f"D cites later {cite('10:53:00')}.\n", title="d").encode())
    assert affected == {"a.md", "b.md", "c.md"}
    assert [c for c, *_ in codes(ws.lint("d.md"))] == ["TS007"]


def test_updates_limited_to_some_notes_and_links_added_later(vault):
    from notelint.cache import Cache

    root, settings = vault
    files = walk(root, root, root, [])
    b = next(f for f in files if f.rel == "b.md")
    full = Workspace.open(settings, files)
    renamed = note(f"## Section\n\nB text {cite('00:02:00')}.\n", title="Renamed", video="bbbbbbbbbbb").encode()
    assert full.update(b, renamed) == {"a.md", "c.md"}
    assert full.update(b, renamed, among=["c.md", "d.md", "gone.md"]) == set()  # nothing named changed this time
    full.update(b, (root / "b.md").read_bytes())
    assert full.update(b, renamed, among=["c.md", "d.md", "gone.md"]) == {"c.md"}
    # a workspace opened without details knows no links, until they are added (from the cache)
    cache = Cache(root / ".cache", "k")
    Workspace.open(settings, files, cache=cache)  # fills the cache
    cache = Cache(root / ".cache", "k")
    bare = Workspace.open(settings, files, cache=cache, details=False)
    assert bare.index.backlinks("b.md") == []
    bare.add_details(["a.md", "c.md", "missing.md"], cache)
    assert [(e.rel, link.target) for e, link in bare.index.backlinks("b.md")] == [("a.md", "b"), ("a.md", "b"), ("c.md", "B")]
    bare.add_details(["d.md"], None)  # no cache: read from the file
    assert [link.target for link in bare.index.notes["d.md"].links] == ["chan"]


def test_a_new_name_affects_the_notes_with_a_link_that_reaches_nothing(vault):
    """A broken link's 'did you mean' and repair read every note's names: a title changed (not
    a key in obsidian mode, a name leniently) affects the notes with a link that reaches
    nothing, and their findings then are a full run's."""
    root, settings = vault
    (root / "e.md").write_text(note(f"E links [[Other]] {cite('00:05:00')}.\n", title="E", video="eeeeeeeeeee"))
    files = walk(root, root, root, [])
    ws = Workspace.open(settings, files)
    assert [f.message for f in ws.lint("e.md") if f.code == "WL001"] == ["wiki-link target 'Other' does not resolve"]
    d = next(f for f in files if f.rel == "d.md")
    renamed = note(f"D links nothing {cite('00:04:00')}.\n", title="Other", video="ddddddddddd")
    assert ws.update(d, renamed.encode()) == {"e.md"}
    (root / "d.md").write_text(renamed)
    full = check(files, files, settings)
    wanted = [(f.code, f.line, f.col, f.message, f.fix) for f in full.findings if f.path.endswith("e.md")]
    assert [(f.code, f.line, f.col, f.message, f.fix) for f in ws.lint("e.md")] == wanted
    assert "did you mean 'd'" in wanted[0][3]
