"""``notelint server`` with a real client over stdio: diagnostics as notes open and change,
positions in UTF-16 (and UTF-8 when the client asks), notes whose links change status,
files on disk, the configuration reloaded, malformed requests and deleted notes."""

from __future__ import annotations

import re
import shutil

import pytest
from conftest import CORPUS, cite, note
from lsp_client import (
    at,
    change_note,
    codes,
    files_changed,
    lsp_fixture,
    open_note,
    published,
    raw_request,
    write_raw,
)
from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException
from pytest_lsp import LanguageClient

pytestmark = pytest.mark.asyncio(loop_scope="function")


@pytest.fixture
def vault(tmp_path):
    root = tmp_path / "vault"
    root.mkdir()
    (root / "notelint.toml").write_text('external-targets = ["chan"]\n', encoding="utf-8")
    notes = {
        "a.md": note(f"A links [[b]] and [[b#Part One]] {cite('00:01:00')}.\n", title="Alpha", video="aaaaaaaaaaa"),
        "b.md": note(f"## Part One\n\nB text {cite('00:02:00')}.\n", title="Bee", video="bbbbbbbbbbb"),
        "c.md": note(f"C links [[ B ]] and [[missing]] {cite('00:03:00')}.\n", title="C", video="ccccccccccc"),
    }
    for name, text in notes.items():
        (root / name).write_text(text, encoding="utf-8", newline="")
    return root


client = lsp_fixture()
broken_client = lsp_fixture("broken_vault")
utf8_client = lsp_fixture(spec="neovim@v0.11.0")  # Neovim 0.11 offers UTF-8 first
real_client = lsp_fixture("real_vault")


async def test_diagnostics_on_open_name_code_range_and_severity(client: LanguageClient, vault):
    uri = open_note(client, vault / "c.md")
    diags = await published(client, uri)
    # "C links [[Bee]] and [[missing]]" on line 7 (0-based): [[missing]] at characters 20-31
    assert codes(diags) == [("WL001", 7, 20, 7, 31)]
    (d,) = diags
    assert d.severity == lsp.DiagnosticSeverity.Error and d.source == "notelint"
    assert d.message.startswith("wiki-link target 'missing' does not resolve")
    uri_a = open_note(client, vault / "a.md")
    assert await published(client, uri_a) == []


async def test_change_relints_the_note_and_close_clears_it(client: LanguageClient, vault):
    uri = open_note(client, vault / "c.md")
    await published(client, uri)
    text = (vault / "c.md").read_text(encoding="utf-8")
    change_note(client, uri, text.replace("[[missing]]", "[[b]]"), 2)
    assert await published(client, uri) == []
    change_note(client, uri, text.replace("[[missing]]", "[[nowhere]] [[nothing]]"), 3)
    assert [c[0] for c in codes(await published(client, uri))] == ["WL001", "WL001"]
    client.diagnostics.pop(uri)
    client.text_document_did_close(lsp.DidCloseTextDocumentParams(text_document=lsp.TextDocumentIdentifier(uri=uri)))
    assert await published(client, uri) == []


async def test_a_rename_in_one_note_turns_links_in_another_red_and_back(client: LanguageClient, vault):
    uri_a, uri_c = open_note(client, vault / "a.md"), open_note(client, vault / "c.md")
    assert await published(client, uri_a) == []
    await published(client, uri_c)
    uri_b = open_note(client, vault / "b.md")
    await published(client, uri_b)
    text_b = (vault / "b.md").read_text(encoding="utf-8")
    client.diagnostics.pop(uri_a, None)
    client.diagnostics.pop(uri_c, None)
    change_note(client, uri_b, text_b.replace("## Part One", "## Part Two").replace("title: Bee", "title: Wasp"), 2)
    # a.md's [[b#Part One]] names a heading b.md no longer has; c.md's [[ B ]] names its file, which
    # stays (titles are no keys in Obsidian's resolution, the default)
    assert codes(await published(client, uri_a)) == [("WL004", 7, 18, 7, 32)]
    assert codes(await published(client, uri_c)) == [("WL001", 7, 20, 7, 31)]
    client.diagnostics.pop(uri_a, None)
    client.diagnostics.pop(uri_c, None)
    change_note(client, uri_b, text_b, 3)
    assert await published(client, uri_a) == []
    assert codes(await published(client, uri_c)) == [("WL001", 7, 20, 7, 31)]


async def test_files_deleted_and_created_on_disk(client: LanguageClient, vault):
    uri_a = open_note(client, vault / "a.md")
    assert await published(client, uri_a) == []
    b = vault / "b.md"
    text = b.read_bytes()
    b.unlink()
    client.diagnostics.pop(uri_a, None)
    files_changed(client, (b, lsp.FileChangeType.Deleted))
    assert [c[0] for c in codes(await published(client, uri_a))] == ["WL001", "WL001"]
    b.write_bytes(text)
    client.diagnostics.pop(uri_a, None)
    files_changed(client, (b, lsp.FileChangeType.Created))
    assert await published(client, uri_a) == []


async def test_a_renamed_file_moves_its_links(client: LanguageClient, vault):
    uri_a = open_note(client, vault / "a.md")
    assert await published(client, uri_a) == []
    (vault / "b.md").rename(vault / "bee.md")
    client.diagnostics.pop(uri_a, None)
    client.workspace_did_rename_files(lsp.RenameFilesParams(files=[
        lsp.FileRename(old_uri=(vault / "b.md").as_uri(), new_uri=(vault / "bee.md").as_uri())]))
    assert [c[0] for c in codes(await published(client, uri_a))] == ["WL001", "WL001"]


async def test_the_configuration_is_reloaded_when_it_changes(client: LanguageClient, vault):
    uri = open_note(client, vault / "c.md")
    assert [c[0] for c in codes(await published(client, uri))] == ["WL001"]
    config = vault / "notelint.toml"
    config.write_text('external-targets = ["chan"]\nignore = ["WL001"]\n', encoding="utf-8")
    client.diagnostics.pop(uri, None)
    files_changed(client, (config, lsp.FileChangeType.Changed))
    assert await published(client, uri) == []
    config.write_text('external-targets = ["chan"]\nbogus-key = 1\n', encoding="utf-8")
    files_changed(client, (config, lsp.FileChangeType.Changed))
    # a broken configuration is reported and the last good one stays in force
    message = await client.wait_for_notification(lsp.WINDOW_SHOW_MESSAGE)
    assert "unknown key 'bogus-key'" in message.message
    assert (await client.text_document_hover_async(lsp.HoverParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), position=at(7, 10)))) is not None


@pytest.fixture
def broken_vault(vault):
    (vault / "notelint.toml").write_text('external-targets = ["chan"]\nselect = ["XX999"]\n', encoding="utf-8")
    return vault


async def test_a_broken_configuration_at_start_then_fixed(broken_client: LanguageClient, vault):
    while not broken_client.messages:  # shown while the session started: maybe already here
        await broken_client.wait_for_notification(lsp.WINDOW_SHOW_MESSAGE)
    assert "unknown rule code or prefix 'XX999'" in broken_client.messages[0].message
    uri = open_note(broken_client, vault / "c.md")
    assert await published(broken_client, uri) == []  # nothing to say without a configuration
    with pytest.raises(JsonRpcException) as closed:
        await broken_client.text_document_hover_async(lsp.HoverParams(text_document=lsp.TextDocumentIdentifier(uri=uri),
                                                                      position=at(7, 10)))
    assert closed.value.code == -32803 and "vault is not open" in closed.value.message
    (vault / "notelint.toml").write_text('external-targets = ["chan"]\n', encoding="utf-8")
    broken_client.diagnostics.pop(uri, None)
    files_changed(broken_client, (vault / "notelint.toml", lsp.FileChangeType.Changed))
    assert [c[0] for c in codes(await published(broken_client, uri))] == ["WL001"]


# -- positions --------------------------------------------------------------------------------------
POSITIONS = note(f"😀é [[nowhere]] text 😀 [[also missing]] end {cite('00:01:00')}\n", title="P", video="ppppppppppp")


async def test_positions_count_utf16_code_units_and_crlf_lines(client: LanguageClient, vault):
    (vault / "p.md").write_bytes(POSITIONS.encode())
    (vault / "q.md").write_bytes(POSITIONS.replace("\n", "\r\n").encode())
    uri_p, uri_q = open_note(client, vault / "p.md"), open_note(client, vault / "q.md")
    # 😀 is two UTF-16 code units: [[nowhere]] starts at 2 + 1 + 1 = 4, not at character 3
    expected = [("WL001", 7, 4, 7, 15), ("WL001", 7, 24, 7, 40)]
    assert codes(await published(client, uri_p)) == expected
    assert codes(await published(client, uri_q)) == expected


async def test_a_byte_order_mark_kept_in_the_buffer_is_a_character(client: LanguageClient, vault):
    text = "\ufeff" + note(f"x [[nowhere]] {cite('00:01:00')}\n", title="B", video="bbbbbbbbbbb")
    uri = open_note(client, vault / "bom.md", text)
    (d,) = await published(client, uri)
    assert (d.range.start.line, d.range.start.character) == (7, 2)
    text = "\ufeff" + '---\ntitle: "x"\nvideoId: bbbbbbbbbbb\nfoo: 1\n---\n\nFrom: [[chan]] <br/>\n'
    change_note(client, uri, text, 2)
    (d,) = await published(client, uri)  # FM005 on line 0 counts the mark: "foo" at line 3, character 0
    assert (d.code, d.range.start.line, d.range.start.character) == ("FM005", 3, 0)


async def test_positions_in_utf8_when_the_client_asks(utf8_client: LanguageClient, vault):
    assert utf8_client.init_result.capabilities.position_encoding == lsp.PositionEncodingKind.Utf8
    (vault / "p.md").write_bytes(POSITIONS.encode())
    uri = open_note(utf8_client, vault / "p.md")
    # 😀 is four bytes, é two: [[nowhere]] starts at byte 4 + 2 + 1 = 7
    assert codes(await published(utf8_client, uri)) == [("WL001", 7, 7, 7, 18), ("WL001", 7, 29, 7, 45)]


# -- bad requests and deleted notes ---------------------------------------------------------------------
async def test_malformed_requests_are_answered_and_the_server_goes_on(client: LanguageClient, vault):
    uri = open_note(client, vault / "a.md")
    await published(client, uri)
    with pytest.raises(JsonRpcException) as bad:
        await raw_request(client, 9001, "textDocument/hover", {"textDocument": 5, "position": "x"})
    assert bad.value.code == -32602 and "textDocument/hover" in bad.value.message
    with pytest.raises(JsonRpcException) as missing:
        await raw_request(client, 9002, "textDocument/definition", ...)
    assert missing.value.code == -32602
    with pytest.raises(JsonRpcException) as unknown:
        await raw_request(client, 9003, "notelint/noSuchMethod", {})
    assert unknown.value.code == -32601
    with pytest.raises(JsonRpcException) as beyond:  # a position past the note's end is an ordinary miss
        await raw_request(client, 9004, "textDocument/hover", {"textDocument": {"uri": uri},
                                                                "position": {"line": -5, "character": 2**31 - 1}})
    assert beyond.value.code == -32602  # negative lines are not LSP positions (uinteger)
    await write_raw(client, b"{this is not json")
    await write_raw(client, b"[1, 2, 3]")
    hover = await client.text_document_hover_async(lsp.HoverParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), position=at(7, 10)))
    assert hover is not None and "Bee" in hover.contents.value


async def test_a_note_deleted_under_the_server(client: LanguageClient, vault):
    uri_a = open_note(client, vault / "a.md")
    await published(client, uri_a)
    (vault / "a.md").unlink()
    files_changed(client, (vault / "a.md", lsp.FileChangeType.Deleted))
    # the open buffer still stands for the note
    where = await client.text_document_definition_async(lsp.DefinitionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri_a), position=at(7, 10)))
    assert [loc.uri for loc in where] == [(vault / "b.md").as_uri()]
    (vault / "c.md").unlink()  # no event: the server finds out when it reads it
    refs = await client.text_document_references_async(lsp.ReferenceParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri_a), position=at(7, 10),
        context=lsp.ReferenceContext(include_declaration=False)))
    assert [(r.uri, r.range.start.character, r.range.end.character) for r in refs] == [(uri_a, 8, 13), (uri_a, 18, 32)]
    # a request on a note that is neither open nor on disk is an error, answered
    with pytest.raises(JsonRpcException) as gone:
        await client.text_document_hover_async(lsp.HoverParams(
            text_document=lsp.TextDocumentIdentifier(uri=(vault / "c.md").as_uri()), position=at(0, 0)))
    assert gone.value.code == -32803 and "c.md" in gone.value.message
    client.diagnostics.pop(uri_a, None)
    client.text_document_did_close(lsp.DidCloseTextDocumentParams(text_document=lsp.TextDocumentIdentifier(uri=uri_a)))
    assert await published(client, uri_a) == []
    uri_b = open_note(client, vault / "b.md")
    assert await published(client, uri_b) == []


# -- the real corpus: what the server publishes is what check reports --------------------------------------
@pytest.fixture
def real_vault(tmp_path):
    root = tmp_path / "real"
    shutil.copytree(CORPUS, root, ignore=shutil.ignore_patterns("*.tsv"))
    return root


def _utf16(line: str, col: int) -> int:
    return len(line[: col - 1].encode("utf-16-le")) // 2


async def test_every_real_note_gets_the_findings_check_reports(real_client: LanguageClient, real_vault):
    from notelint.config import load_settings
    from notelint.discover import walk
    from notelint.run import check

    settings = load_settings(real_vault)
    files = walk(settings.vault, settings.vault, real_vault, settings.exclude)
    run = check(files, files, settings)
    assert len(files) == 147 and len(run.findings) > 100
    expected: dict[str, list] = {f.rel: [] for f in files}
    for f in run.findings:
        text = (real_vault / f.path).read_bytes().decode("utf-8-sig")
        lines = re.split(r"\r\n|\r|\n", text)
        expected[f.path].append((f.code, f.line - 1, _utf16(lines[f.line - 1], f.col)))
    for f in files:
        uri = open_note(real_client, real_vault / f.rel)
        got = [(d.code, d.range.start.line, d.range.start.character) for d in await published(real_client, uri)]
        assert sorted(got) == sorted(expected[f.rel]), f.rel

