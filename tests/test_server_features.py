"""``notelint server`` requests with a real client over stdio: code actions (fixes, disable
for this line, fix all), go to definition, references, document links, hover, completion,
rename of a note or heading."""

from __future__ import annotations

import pytest
from conftest import cite, note
from lsp_client import (
    apply_workspace_edit,
    at,
    change_note,
    codes,
    lsp_fixture,
    open_note,
    published,
)
from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from notelint.cli import main

pytestmark = pytest.mark.asyncio(loop_scope="function")

ALIASES_B = '---\ntitle: Bee\nvideoId: bbbbbbbbbbb\naliases:\n  - Bumble\n---\n\nFrom: [[chan]] <br/>\n\n'
BAD_TIME = '<a class="yt-timestamp" data-t="0:01:30">[0:01:30]</a>'


@pytest.fixture
def vault(tmp_path):
    root = tmp_path / "vault"
    root.mkdir()
    (root / "notelint.toml").write_text('external-targets = ["chan"]\n', encoding="utf-8")
    notes = {
        "a.md": note(f"A links [[b]] and [[b#Part One]] {cite('00:01:00')}.\n\nA bad time {BAD_TIME}.\n",
                     title="Alpha", video="aaaaaaaaaaa"),
        "b.md": note(f"## Part One\n\nB text {cite('00:02:00')}.\n\n## Part Two\n\nMore {cite('00:02:30')}.\n",
                     header=ALIASES_B),
        "c.md": note(f"C links [[ B ]] and [[b#Part Two]] {cite('00:03:00')}.\n", title="C", video="ccccccccccc"),
    }
    for name, text in notes.items():
        (root / name).write_text(text, encoding="utf-8", newline="")
    return root


client = lsp_fixture()
neovim = lsp_fixture(spec="neovim@v0.11.0")  # file renames, but no versioned document changes declared
emacs = lsp_fixture(spec="emacs@v29.1")  # versioned document changes, but no file renames


def doc(uri: str) -> lsp.TextDocumentIdentifier:
    return lsp.TextDocumentIdentifier(uri=uri)


def whole(line: int) -> lsp.Range:
    return lsp.Range(start=at(line, 0), end=at(line, 200))


async def actions(client, uri, line, only=None, diagnostics=()):
    return await client.text_document_code_action_async(lsp.CodeActionParams(
        text_document=doc(uri), range=whole(line),
        context=lsp.CodeActionContext(diagnostics=list(diagnostics), only=only)))


# -- code actions ---------------------------------------------------------------------------------------
async def test_fix_action_repairs_the_finding(client: LanguageClient, vault):
    uri = open_note(client, vault / "a.md")
    diags = await published(client, uri)
    assert [c[:2] for c in codes(diags)] == [("TS001", 9)]
    found = await actions(client, uri, 9, diagnostics=diags)
    fix = next(a for a in found if a.title.startswith("TS001"))
    assert fix.kind == lsp.CodeActionKind.QuickFix and fix.is_preferred and fix.diagnostics[0].code == "TS001"
    text = apply_workspace_edit(fix.edit, {uri: (vault / "a.md").read_text(encoding="utf-8")})[uri]
    assert cite("00:01:30") in text
    change_note(client, uri, text, 2)
    assert await published(client, uri) == []


async def test_disable_for_this_line_suppresses_it_and_nothing_else(client: LanguageClient, vault):
    uri = open_note(client, vault / "a.md")
    await published(client, uri)
    found = await actions(client, uri, 9)
    disable = next(a for a in found if a.title == "Disable TS001 for this line")
    text = apply_workspace_edit(disable.edit, {uri: (vault / "a.md").read_text(encoding="utf-8")})[uri]
    # the line before is blank: the comment goes on a line of its own
    assert text.splitlines()[9] == "<!-- notelint: disable-next-line=TS001 -->"
    change_note(client, uri, text, 2)
    assert await published(client, uri) == []  # no TS001, and no SP001: the comment is used


async def test_disable_at_the_end_of_a_text_line_and_added_to_a_comment(client: LanguageClient, vault):
    body = f"First line of a paragraph {cite('00:01:00')}\nsecond line [[nowhere]] {cite('00:01:05')}, {cite('00:01:05')}.\n"
    path = vault / "d.md"
    path.write_text(note(body, title="D", video="ddddddddddd"), encoding="utf-8")
    uri = open_note(client, path)
    await published(client, uri)
    text = path.read_text(encoding="utf-8")
    for version, code in ((2, "WL001"), (3, "TS004")):
        found = await actions(client, uri, 8)
        disable = next(a for a in found if a.title == f"Disable {code} for this line")
        text = apply_workspace_edit(disable.edit, {uri: text})[uri]
        change_note(client, uri, text, version)
        diags = await published(client, uri)
    # inside a paragraph the comment ends the line before (it does not split the paragraph)
    assert text.splitlines()[7] == f"First line of a paragraph {cite('00:01:00')} <!-- notelint: disable-next-line=WL001,TS004 -->"
    assert diags == []


async def test_fix_all_applies_every_safe_fix(client: LanguageClient, vault):
    body = f"Two bad times {BAD_TIME}, {BAD_TIME.replace('1:30', '2:30')} and a repeat {cite('00:03:00')}, {cite('00:03:00')}.\n"
    path = vault / "e.md"
    path.write_text(note(body, title="E", video="eeeeeeeeeee"), encoding="utf-8")
    uri = open_note(client, path)
    assert sorted({c[0] for c in codes(await published(client, uri))}) == ["TS001", "TS004"]
    (fix_all,) = await actions(client, uri, 0, only=["source.fixAll"])
    assert fix_all.kind == "source.fixAll.notelint"
    text = apply_workspace_edit(fix_all.edit, {uri: path.read_text(encoding="utf-8")})[uri]
    change_note(client, uri, text, 2)
    assert await published(client, uri) == []
    assert f"{cite('00:01:30')}, {cite('00:02:30')} and a repeat {cite('00:03:00')}." in text


# -- navigation -------------------------------------------------------------------------------------------
async def test_definition_goes_to_the_note_or_the_heading_line(client: LanguageClient, vault):
    uri = open_note(client, vault / "a.md")
    await published(client, uri)
    b = (vault / "b.md").as_uri()
    for position, line in ((at(7, 10), 0), (at(7, 22), 9)):  # [[b]], then [[b#Part One]] ("## Part One" is line 9)
        (loc,) = await client.text_document_definition_async(lsp.DefinitionParams(text_document=doc(uri), position=position))
        assert (loc.uri, loc.range.start.line) == (b, line)
    assert await client.text_document_definition_async(lsp.DefinitionParams(text_document=doc(uri), position=at(7, 2))) is None


async def test_references_of_a_note_and_of_a_heading(client: LanguageClient, vault):
    uri_b = open_note(client, vault / "b.md")
    await published(client, uri_b)
    a, c = (vault / "a.md").as_uri(), (vault / "c.md").as_uri()

    async def refs(position, declaration=False):
        found = await client.text_document_references_async(lsp.ReferenceParams(
            text_document=doc(uri_b), position=position, context=lsp.ReferenceContext(include_declaration=declaration)))
        return [(r.uri, r.range.start.line, r.range.start.character, r.range.end.character) for r in found]

    # anywhere in the note but a heading: the note's backlinks ([[b]], [[b#...]], [[Bee]])
    assert await refs(at(11, 2)) == [(a, 7, 8, 13), (a, 7, 18, 32), (c, 7, 8, 15), (c, 7, 20, 34)]
    assert (uri_b, 0, 0, 0) in await refs(at(11, 2), declaration=True)
    assert await refs(at(9, 5)) == [(a, 7, 18, 32)]  # on "## Part One": the links to that heading


async def test_document_links_reach_the_note_and_heading(client: LanguageClient, vault):
    uri = open_note(client, vault / "a.md")
    await published(client, uri)
    links = await client.text_document_document_link_async(lsp.DocumentLinkParams(text_document=doc(uri)))
    b = (vault / "b.md").as_uri()
    assert [(li.range.start.line, li.range.start.character, li.target, li.tooltip) for li in links] == [
        (7, 8, b, "Bee"), (7, 18, b + "#L10", "Bee")]


async def test_hover_on_a_citation_and_on_a_link(client: LanguageClient, vault):
    uri = open_note(client, vault / "a.md")
    await published(client, uri)

    async def hover(position):
        found = await client.text_document_hover_async(lsp.HoverParams(text_document=doc(uri), position=position))
        return found.contents.value if found is not None else None

    text = await hover(at(7, 40))
    assert "**00:01:00**" in text and "https://www.youtube.com/watch?v=aaaaaaaaaaa&t=60s" in text
    text = await hover(at(9, 20))
    assert "https://www.youtube.com/watch?v=aaaaaaaaaaa&t=90s" in text and "`TS001`" in text
    text = await hover(at(7, 10))
    assert text.startswith("**Bee** — `b.md`") and "B text [00:02:00]." in text
    text = await hover(at(7, 25))
    assert "› Part One" in text and "B text [00:02:00]." in text and "More" not in text
    assert await hover(at(7, 2)) is None


# -- completion -------------------------------------------------------------------------------------------
async def test_completion_of_targets_headings_and_a_citation(client: LanguageClient, vault):
    path = vault / "f.md"
    path.write_text(note(f"See [[bu and [[b#pa {cite('00:01:00')}.\n", title="F", video="fffffffffff"), encoding="utf-8")
    uri = open_note(client, path)
    await published(client, uri)

    async def complete(position):
        found = await client.text_document_completion_async(lsp.CompletionParams(text_document=doc(uri), position=position))
        return [(i.label, i.text_edit.new_text if i.text_edit else i.insert_text) for i in found.items]

    # the alias names b.md, but resolves to nothing (Obsidian): the completion links the file, showing the alias
    assert await complete(at(7, 8)) == [("Bumble", "b|Bumble]]")]
    everything = await complete(at(7, 6))
    # titles are offered, inserting the file name they name (no title is a key in Obsidian's resolution)
    assert ("Alpha", "a|Alpha]]") in everything and ("b", "b]]") in everything and ("Bee", "b|Bee]]") in everything
    assert await complete(at(7, 19)) == [("Part One", "Part One]]"), ("Part Two", "Part Two]]")]
    (citation,) = await complete(at(7, 2))
    assert citation[0] == "citation" and citation[1].startswith('<a class="yt-timestamp" data-t="${1:00:00:00}">[$1]</a>')


# -- rename -------------------------------------------------------------------------------------------------
async def test_rename_a_note_updates_every_link_and_the_file(client: LanguageClient, vault):
    uri = open_note(client, vault / "a.md")
    await published(client, uri)
    ready = await client.text_document_prepare_rename_async(lsp.PrepareRenameParams(text_document=doc(uri), position=at(7, 10)))
    assert ready.placeholder == "b" and (ready.range.start.character, ready.range.end.character) == (10, 11)
    edit = await client.text_document_rename_async(lsp.RenameParams(text_document=doc(uri), position=at(7, 10),
                                                                     new_name="bee_note"))
    assert isinstance(edit.document_changes[-1], lsp.RenameFile)
    texts = apply_workspace_edit(edit, {uri: (vault / "a.md").read_text(encoding="utf-8")})
    assert "A links [[bee_note]] and [[bee_note#Part One]]" in texts[uri]
    assert "C links [[ bee_note ]] and [[bee_note#Part Two]]" in texts[(vault / "c.md").as_uri()]
    for u, t in texts.items():
        (vault / u.rsplit("/", 1)[-1]).write_text(t, encoding="utf-8")
    assert not (vault / "b.md").exists() and main(["check", "--no-cache", "--select", "WL", "--config", str(vault / "notelint.toml"), str(vault)]) == 0


async def test_rename_a_heading_updates_the_links_to_it(client: LanguageClient, vault):
    uri_b = open_note(client, vault / "b.md")
    await published(client, uri_b)
    ready = await client.text_document_prepare_rename_async(lsp.PrepareRenameParams(text_document=doc(uri_b), position=at(9, 5)))
    assert ready.placeholder == "Part One"
    edit = await client.text_document_rename_async(lsp.RenameParams(text_document=doc(uri_b), position=at(9, 5),
                                                                     new_name="First part"))
    texts = apply_workspace_edit(edit, {uri_b: (vault / "b.md").read_text(encoding="utf-8")})
    assert sorted(texts) == [(vault / "a.md").as_uri(), uri_b]
    assert "## First part\n" in texts[uri_b] and "[[b#First part]]" in texts[(vault / "a.md").as_uri()]
    assert await client.text_document_prepare_rename_async(lsp.PrepareRenameParams(
        text_document=doc(uri_b), position=at(11, 1))) is None


async def test_will_rename_files_answers_the_link_edits(client: LanguageClient, vault):
    edit = await client.workspace_will_rename_files_async(lsp.RenameFilesParams(files=[
        lsp.FileRename(old_uri=(vault / "b.md").as_uri(), new_uri=(vault / "bees.md").as_uri())]))
    texts = apply_workspace_edit(edit, {})
    assert "A links [[bees]] and [[bees#Part One]]" in texts[(vault / "a.md").as_uri()]
    assert "[[ bees ]] and [[bees#Part Two]]" in texts[(vault / "c.md").as_uri()]


async def test_rename_edits_as_each_editor_takes_them(neovim: LanguageClient, vault):
    uri_b = open_note(neovim, vault / "b.md")
    await published(neovim, uri_b)
    edit = await neovim.text_document_rename_async(lsp.RenameParams(text_document=doc(uri_b), position=at(9, 5),
                                                                     new_name="First part"))
    assert edit.document_changes is None and sorted(edit.changes) == [(vault / "a.md").as_uri(), uri_b]
    uri_a = open_note(neovim, vault / "a.md")
    await published(neovim, uri_a)
    edit = await neovim.text_document_rename_async(lsp.RenameParams(text_document=doc(uri_a), position=at(7, 10),
                                                                     new_name="bee_note"))
    assert isinstance(edit.document_changes[-1], lsp.RenameFile)


async def test_a_note_rename_is_refused_where_the_editor_cannot_rename_files(emacs: LanguageClient, vault):
    from pygls.exceptions import JsonRpcException

    uri_a = open_note(emacs, vault / "a.md")
    await published(emacs, uri_a)
    with pytest.raises(JsonRpcException) as refused:
        await emacs.text_document_rename_async(lsp.RenameParams(text_document=doc(uri_a), position=at(7, 10),
                                                                 new_name="bee_note"))
    assert refused.value.code == -32803 and "rename the note in its file tree" in refused.value.message
    edit = await emacs.text_document_rename_async(lsp.RenameParams(text_document=doc(uri_a), position=at(7, 25),
                                                                    new_name="First part"))
    assert [c.text_document.uri for c in edit.document_changes] == [uri_a, (vault / "b.md").as_uri()]
