"""Fuzzing the whole pipeline: read, parse, rules, vault rules, every output format, fixes.

Hypothesis feeds arbitrary text, arbitrary bytes, Markdown-like token soup,
front matter made of tricky YAML, and mutated real notes (``../shared/corpus/real/``) into a small vault, runs
``checker.check`` on it, and asserts:

* no exception, and no finding born of one (the checker turns an internal
  error in one note into an NL001 "internal error": that must never happen);
* every finding's line and column, start and end, lie inside the file;
* every format in ``notelint.report.FORMATS`` renders (formats added later are
  picked up automatically) without a raw control character; JSON-like formats
  parse, ``json`` validates against ``schemas/report.schema.json``, XML-like
  formats parse;
* applying all fixes (``Finding.fix.edits``) gives a file that still parses
  and lints the same way (positions inside the file), and stays UTF-8.

Fixes are applied twice: all of them at once by ``apply_fixes`` below, and by
``notelint.fix.fix_bytes`` (the ``--fix`` engine, unsafe fixes included, which
must also be idempotent).
"""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from functools import lru_cache

import jsonschema
import pytest
from conftest import CORPUS, REPO, cite
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notelint.cli.check import _Sources
from notelint.config import Settings
from notelint.discover import walk
from notelint.fix import fix_bytes
from notelint.parse import parse_note
from notelint.report import FORMATS, render
from notelint.rules.registry import RULES
from notelint.rules.selection import all_rules, resolve_selection
from notelint.run import check

BOM = b"\xef\xbb\xbf"
HEAD = "---\ntitle: Fuzz\nvideoId: abcdefghijk\n---\n\nFrom: [[chan]] <br/>\n\n"
REPORT_SCHEMA = json.loads((REPO / "schemas" / "report.schema.json").read_text(encoding="utf-8"))
CORPUS_NOTES = sorted(CORPUS.glob("*.md"))
# never raw in any output format (tests/test_hostile.py): C0 controls but tab and newline, DEL,
# C1 controls, line/paragraph separators, bidirectional controls
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")

# Pieces of the notes' syntax, and of ways to break it.
TOKENS = [
    "---\n", "---", "\n", "\r\n", "\r", " ", "\t", "  ", "\n\n", "title: ", "videoId: ", "duration: ", "aliases:\n  - ",
    "tags: [a, b]", "&a ", "*a", "!!python/object:os.system ", "From: [[chan]] <br/>", "From: ", "<br/>",
    "[[", "]]", "|", "#", "![[", "[[note#Heading]]", "[[a | b]]", "[[../up]]", "[[/abs]]", "[", "]", "(", ")",
    cite("00:21:12"), cite("0:21:12"), cite("21:12"), cite("00:21:12", "00:21:13"), cite("99:99:99"), cite("00:00:01"),
    '<a class="yt-timestamp" data-t="', '">[', "]</a>", "<a ", "</a>", '<a class="x" data-t="00:00:01">[00:00:01]</a>',
    "[00:21:12]", ", ", " and ", " - ", " – ", "<!--", "-->", "<!-- notelint: disable=CL001 -->",
    "<!-- notelint: disable-next-line=WL001 -->", "<!-- notelint: enable=CL001 -->", "<!-- notelint: disable-file=TS -->",
    "```\n", "`", "$$", "$", "> ", "> [!info] Title\n", "- ", "* ", "1. ", "    ", "# ", "## ", "**Label**:", "_", "*",
    "| a | b |\n| --- | --- |\n| c | d |\n", "\u200b", "\u2066", "\ufeff", "é", "€", "𝄞", "\x00", "\x1b[31m", "\u2028",
    "Claim.", "Sentence one. Sentence two", ":", "word",
    "!!float ", "!!int ", "!!bool ", "!!timestamp ", "!!binary ", "!!set ", "!!str ", "2001-02-30", "0x", "1e999", "9" * 50,
]


@lru_cache(maxsize=None)
def corpus_bytes(index: int) -> bytes:
    return CORPUS_NOTES[index].read_bytes()


text_notes = st.one_of(st.text(), st.text().map(lambda t: HEAD + t)).map(lambda t: t.encode("utf-8"))
binary_notes = st.one_of(st.binary(max_size=2000), st.binary(max_size=200).map(lambda b: HEAD.encode() + b))
token_notes = st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=6)), max_size=40).map(
    lambda parts: "".join(parts).encode("utf-8", "surrogatepass")
)
token_notes_with_head = token_notes.map(lambda b: HEAD.encode() + b)


YAML_KEYS = ["title", "videoId", "duration", "aliases", "tags", "extra", "? complex", "\"quoted key\"", "1", "~", "<<"]
YAML_VALUES = [
    "T", "abcdefghijk", "00:10:00", "1:2:3", "99:99:99", "12345678901", "yes", "no", "~", "null", "", " ",
    "[a, b]", "[1, [2, [3]]]", "{a: 1}", "{a: {b: {c: d}}}", "- item", "&a x", "*a", "&a [x, x]", "[*a, *a]",
    "|\n  block\n  text", ">\n  folded", "\"quoted \\u00e9 \\x41\"", "'single ''quoted'''", "\"unterminated",
    "!!float x", "!!int x", "!!int 0x1f", "!!bool maybe", "!!timestamp x", "!!binary aGk=", "!!binary !!", "!!set {a}",
    "!!omap [a: 1]", "!!pairs [a: 1]", "!!str [a]", "!!null x", "!!python/object:os.system", "!custom x",
    "2001-02-30", "2001-01-01 25:00:00", "0x" + "f" * 40, "9" * 1200, "1e999", ".nan", "-.inf", "0o17", "1_000",
    "x: y: z", "\t", "#comment", "@at", "`tick", "%percent",
]


@st.composite
def front_matter_notes(draw):
    """A note whose front matter is made of the notes' keys and tricky YAML values."""
    lines = []
    clean = draw(st.booleans())  # well-formed YAML, so that the values' constructors run
    for _ in range(draw(st.integers(0, 8))):
        if clean:
            key = draw(st.sampled_from(YAML_KEYS[:6]))
            value = draw(st.sampled_from(YAML_VALUES))
            indent = ""
        else:
            key = draw(st.one_of(st.sampled_from(YAML_KEYS), st.text(max_size=8)))
            value = draw(st.one_of(st.sampled_from(YAML_VALUES), st.text(max_size=12)))
            indent = draw(st.sampled_from(["", "", "", " ", "  "]))
        lines.append(f"{indent}{key}: {value}")
    eol = draw(st.sampled_from(["\n", "\n", "\r\n", "\r"]))
    closing = draw(st.sampled_from(["---", "---", "...", ""]))
    body = draw(st.sampled_from(["", "\nFrom: [[chan]] <br/>\n\nText " + cite("00:00:01") + ".\n", "---\nx: 1\n---\n"]))
    text = eol.join(["---", *lines, closing]) + eol + body
    return text.encode("utf-8", "surrogatepass")


@st.composite
def mutated_notes(draw):
    """A real note from the corpus with a few insertions, deletions, copies and cuts."""
    data = bytearray(corpus_bytes(draw(st.integers(0, len(CORPUS_NOTES) - 1))))
    pieces = st.one_of(
        st.sampled_from(TOKENS).map(str.encode), st.binary(max_size=6), st.text(max_size=6).map(str.encode)
    )
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["insert", "delete", "replace", "copy", "truncate", "line-endings"]))
        a = draw(st.integers(0, len(data)))
        b = min(len(data), a + draw(st.integers(0, 200)))
        if op == "insert":
            data[a:a] = draw(pieces)
        elif op == "delete":
            del data[a:b]
        elif op == "replace":
            data[a:b] = draw(pieces)
        elif op == "copy":
            data[a:a] = data[draw(st.integers(0, len(data))) :][: b - a]
        elif op == "truncate":
            del data[a:]
        else:
            data[:] = data.replace(b"\n", draw(st.sampled_from([b"\r\n", b"\r"])))
    return bytes(data)


# -- the checks -------------------------------------------------------------------------------


def lines_of(data: bytes) -> list[str]:
    raw = data[3:] if data.startswith(BOM) else data
    return re.split(r"\r\n|\r|\n", raw.decode("utf-8", "replace"))


def assert_positions_inside(result, files: dict[str, bytes]) -> None:
    for f in result.findings:
        assert "internal error" not in f.message, f
        lines = lines_of(files[f.path])
        for line, col in ((f.line, f.col), (f.end_line, f.end_col)):
            assert 1 <= line <= len(lines), (f, len(lines))
            assert 1 <= col <= len(lines[line - 1]) + 1, (f, lines[line - 1][:200])
        assert (f.end_line, f.end_col) >= (f.line, f.col), f


def assert_formats_render(result, max_size: int) -> None:
    sources = _Sources(result, max_size)
    options = dict(  # what the CLI passes (cli.cmd_check)
        show_source=True, color=False, rule_names={c: r.name for c, r in RULES.items()},
        source_lines=sources.display, position=sources.position,
    )
    for fmt in FORMATS:
        for statistics in (False, True):
            out = render(fmt, result, statistics=statistics, **options)
            assert isinstance(out, str)
            assert not RAW_CONTROL.search(out), (fmt, RAW_CONTROL.search(out))  # no escape sequence reaches a terminal
            if statistics:
                continue
            if fmt == "json":
                jsonschema.validate(json.loads(out), REPORT_SCHEMA)
            elif fmt == "json-lines":
                assert [json.loads(line)["code"] for line in out.splitlines()] == [f.code for f in result.findings]
            elif "json" in fmt or fmt in ("sarif", "gitlab") or out.lstrip().startswith(("{", "[")):
                json.loads(out)
            elif "junit" in fmt or "xml" in fmt or out.lstrip().startswith("<"):
                ET.fromstring(out)


def apply_fixes(data: bytes, findings) -> bytes:
    """Apply every fix (safe or not) whose edits do not overlap one already taken; all of a fix or none.

    Edits are byte offsets into the note without its UTF-8 BOM (ARCH.md); the BOM is kept.
    """
    bom = data.startswith(BOM)
    raw = data[3:] if bom else data
    fixes = sorted(
        (f.fix for f in findings if f.fix is not None and f.fix.edits),
        key=lambda fx: min((e.start, e.end) for e in fx.edits),
    )
    taken: list[tuple[int, int, bytes]] = []
    for fx in fixes:
        for e in fx.edits:
            assert 0 <= e.start <= e.end <= len(raw), (e, len(raw))
        spans = [(e.start, e.end) for e in fx.edits]
        if any(a < te and ts < b or (a == b == ts) for a, b in spans for ts, te, _ in taken):
            continue
        taken.extend((e.start, e.end, e.text) for e in fx.edits)
    out, pos = [], 0
    for start, end, text in sorted(taken, key=lambda t: (t[0], t[1])):
        if start < pos:
            continue  # two edits of one fix touching each other: keep the first
        out += [raw[pos:start], text]
        pos = end
    out.append(raw[pos:])
    return (BOM if bom else b"") + b"".join(out)


@pytest.fixture(scope="module")
def fuzz_vault(tmp_path_factory):
    """A vault of two real notes (links, a shared videoId...) and the fuzzed ``fuzz.md``."""
    root = tmp_path_factory.mktemp("fuzz")
    for i in (0, 1):
        (root / f"real{i}.md").write_bytes(corpus_bytes(i))
    all_rules()
    settings = Settings(root=root, vault=root, external_targets=["chan"])
    settings.selected = resolve_selection(["ALL"])  # CL002 too
    return root, settings


def pipeline(vault, data: bytes) -> None:
    root, settings = vault
    (root / "fuzz.md").write_bytes(data)
    files = walk(root, root, root, [])
    contents = {f.display: f.path.read_bytes() for f in files}
    result = check(files, files, settings)
    assert result.files == ["fuzz.md", "real0.md", "real1.md"]
    assert_positions_inside(result, contents)
    assert_formats_render(result, settings.max_file_size)

    # every fix at once, safe or not (the local helper below), then notelint's own --fix engine
    fixed = apply_fixes(data, [f for f in result.findings if f.path == "fuzz.md"])
    check_fixed(vault, files, contents, data, fixed)
    fuzz_file = next(f for f in files if f.rel == "fuzz.md")
    outcome = fix_bytes(fuzz_file, data, settings, unsafe=True)
    if outcome.refused is None:
        assert fix_bytes(fuzz_file, outcome.after, settings, unsafe=True).after == outcome.after or outcome.warning
    check_fixed(vault, files, contents, data, outcome.after)


def check_fixed(vault, files, contents, data: bytes, fixed: bytes) -> None:
    root, settings = vault
    if fixed != data:
        readable = parse_note("fuzz.md", "fuzz.md", data).unreadable is None
        note = parse_note("fuzz.md", "fuzz.md", fixed)
        assert note.unreadable is None or not readable, "a fix broke the file's encoding"
        (root / "fuzz.md").write_bytes(fixed)
        again = check(files, files, settings)
        assert_positions_inside(again, {**contents, "fuzz.md": fixed})
        assert_formats_render(again, settings.max_file_size)


def fuzz(n: int):
    """Settings for ``n`` examples (times ``NOTELINT_FUZZ_SCALE`` for a longer hunt)."""
    return settings(
        max_examples=n * int(os.environ.get("NOTELINT_FUZZ_SCALE", "1")),
        deadline=None,  # no test depends on timing
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
    )


@fuzz(100)
@given(data=text_notes)
def test_fuzz_arbitrary_text(fuzz_vault, data):
    pipeline(fuzz_vault, data)


@fuzz(60)
@given(data=binary_notes)
def test_fuzz_arbitrary_bytes(fuzz_vault, data):
    pipeline(fuzz_vault, data)


@fuzz(100)
@given(data=st.one_of(token_notes, token_notes_with_head))
def test_fuzz_markdown_token_soup(fuzz_vault, data):
    pipeline(fuzz_vault, data)


@fuzz(120)
@given(data=front_matter_notes())
def test_fuzz_front_matter(fuzz_vault, data):
    pipeline(fuzz_vault, data)


@fuzz(120)
@given(data=mutated_notes())
def test_fuzz_mutated_real_notes(fuzz_vault, data):
    pipeline(fuzz_vault, data)


@fuzz(200)
@given(name=st.text(min_size=1, max_size=40), message=st.text(max_size=60))
def test_fuzz_names_and_messages_in_every_format(name, message):
    """Any file name and message: no raw control character in any format, and a name or
    message adds no line to the output (a newline in a name must not start a line)."""
    from notelint.findings import Finding
    from notelint.run.result import RunResult

    def result(path: str, text: str) -> RunResult:
        return RunResult([Finding("CL001", "error", path, 8, 1, text, 8, 2)], [path], 1)

    for fmt in FORMATS:
        plain = render(fmt, result("a.md", "m"), rule_names={"CL001": "uncited-claim"})
        out = render(fmt, result(name, message), rule_names={"CL001": "uncited-claim"})
        assert not RAW_CONTROL.search(out), (fmt, RAW_CONTROL.search(out))
        if plain.lstrip().startswith(("{", "[")):
            json.loads(out)  # valid JSON holds no raw line break inside a string
        else:
            assert out.count("\n") == plain.count("\n"), fmt
        if fmt == "json":
            [finding] = json.loads(out)["findings"]
            assert (finding["path"], finding["message"]) == (name, message)  # exact, only escaped


def test_unmutated_corpus_notes_pass_the_same_checks(fuzz_vault):
    # The harness itself, on every third real note (fixes included).
    for i in range(0, len(CORPUS_NOTES), 3):
        pipeline(fuzz_vault, corpus_bytes(i))


def test_apply_fixes_helper():
    from notelint.findings import Edit, Finding, Fix

    def f(*edits):
        return Finding("TS001", "error", "x", 1, 1, "m", 1, 1, Fix("d", tuple(Edit(*e) for e in edits)))

    data = BOM + b"abcdef"
    # the second fix overlaps the first: skipped whole; the BOM is kept
    assert apply_fixes(data, [f((1, 3, b"X")), f((2, 4, b"Y"), (5, 6, b"Z"))]) == BOM + b"aXdef"
    assert apply_fixes(data, [f((0, 0, b"<")), f((6, 6, b">"))]) == BOM + b"<abcdef>"
