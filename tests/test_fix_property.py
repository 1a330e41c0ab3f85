"""Property test of ``--fix``: generated notes with fixable defects.

Each generated note is built twice, from the same random choices: as written
(short times, unordered citation groups, repeated times, a quoted title with
white space around it, invisible characters, an empty alias, a source line
without ``<br/>``) and as it must read once fixed. Code blocks and code spans
holding the same defects must come out untouched. Line endings (LF or CRLF),
a BOM and the file's permission bits are random. Some notes also get NL001,
FM001 or FM002, and must not be written at all.

Checked for every note: the file on disk is exactly the expected bytes (so
nothing outside the fixed spans changed, the BOM and line endings are kept);
its permission bits are kept; no temporary file is left; fixing again
changes nothing; no finding ``--fix`` could repair is left.
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notelint import fix as fixmod
from notelint.config import Settings
from notelint.discover import NoteFile
from notelint.fix import fix_files
from notelint.rules.registry import RuleContext
from notelint.rules.selection import resolve_selection
from notelint.rules.suppression import apply_directives
from notelint.run import lint_text

TIMES = [0, 65, 75, 599, 1272, 1716, 3605, 5419]  # few values, so groups repeat times
SEPARATORS = [", ", " ", " and ", " - ", ",\n"]
INVISIBLE = ["\u200b", "\u2060", "\ufeff", "\u200b\u200b"]
WORDS = ["claim", "bridge", "deck", "load", "truss", "cable"]


def long_form(t: int) -> str:
    h, rest = divmod(t, 3600)
    m, s = divmod(rest, 60)
    return f"{h:02d}:{m:02d}:{s:02d}"


def written_forms(t: int) -> list[str]:
    """Ways a writer spells time ``t``; each zero-pads to :func:`long_form`."""
    h, rest = divmod(t, 3600)
    m, s = divmod(rest, 60)
    forms = [long_form(t), f"{h}:{m:02d}:{s:02d}"]
    if h == 0:
        forms += [f"{m}:{s:02d}", f"{m:02d}:{s:02d}"]
    return forms


def anchor(t: str, label: str) -> str:
    return f'<a class="yt-timestamp" data-t="{t}">[{label}]</a>'


@st.composite
def word(draw):
    """(as written, as fixed): a word, maybe with invisible characters inside."""
    w = draw(st.sampled_from(WORDS))
    if draw(st.booleans()):
        return w, w
    at = draw(st.integers(1, len(w) - 1))
    return w[:at] + draw(st.sampled_from(INVISIBLE)) + w[at:], w


@st.composite
def prose(draw):
    words = draw(st.lists(word(), min_size=1, max_size=4))
    return " ".join(a for a, _ in words), " ".join(b for _, b in words)


@st.composite
def group(draw, line_breaks: bool):
    times = draw(st.lists(st.sampled_from(TIMES), min_size=1, max_size=4))
    seps = SEPARATORS if line_breaks else SEPARATORS[:-1]
    sep = draw(st.sampled_from(seps))
    cites = [anchor(draw(st.sampled_from(written_forms(t))), draw(st.sampled_from(written_forms(t)))) for t in times]
    written_seps = [sep] * (len(cites) - 1)
    if written_seps and draw(st.booleans()):  # an invisible character splits the group until removed
        i = draw(st.integers(0, len(written_seps) - 1))
        written_seps[i] = sep.rstrip("\n") + draw(st.sampled_from(INVISIBLE)) + ("\n" if sep.endswith("\n") else "")
    written = cites[0] + "".join(s + c for s, c in zip(written_seps, cites[1:]))
    fixed = sep.join(anchor(long_form(t), long_form(t)) for t in sorted(set(times)))
    return written, fixed


@st.composite
def block(draw):
    kind = draw(st.sampled_from(["paragraph", "item", "code", "link"]))
    if kind == "code":  # invisible to every rule: must come out exactly as written
        short = anchor("1:05", "1:05")
        text = draw(st.sampled_from([f"```\n{short}, {anchor('00:00:01', '00:00:01')}\n```", f"Code `{short}` {anchor('00:00:02', '00:00:02')}."]))
        return text, text
    lead_w, lead_f = draw(prose())
    g_w, g_f = draw(group(line_breaks=kind == "paragraph"))
    if kind == "link":
        alias = draw(st.sampled_from(["", " | ", "|", " | shown"]))
        target_w, target_f = draw(word())
        link_w = f"[[{target_w}{alias}]]"
        link_f = f"[[{target_f}{alias if alias.strip(' |') else ''}]]"
        return f"{lead_w} {link_w} {g_w}.", f"{lead_f} {link_f} {g_f}."
    prefix = "*   **Label**: " if kind == "item" else ""
    return f"{prefix}{lead_w} {g_w}.", f"{prefix}{lead_f} {g_f}."


@st.composite
def note(draw):
    """(bytes as written, bytes once fixed, what blocks writing or None)."""
    title_w, title_f = draw(st.sampled_from([
        ("A note", "A note"), ('"  A note "', '"A note"'), ("' A note\t'", "'A note'"), ('"A note"', '"A note"'),
    ]))
    blocks = draw(st.lists(block(), min_size=1, max_size=5))
    no_br = draw(st.booleans()) and not blocks[0][0].startswith(("```", "*"))
    src_w = "From: [[chan]]\n" if no_br else "From: [[chan]] <br/>\n\n"
    src_f = "From: [[chan]] <br/>\n" if no_br else "From: [[chan]] <br/>\n\n"
    body_w = "\n\n".join(b for b, _ in blocks) + "\n"
    body_f = "\n\n".join(b for _, b in blocks) + "\n"
    written = f"---\ntitle: {title_w}\nvideoId: abcdefghijk\n---\n\n{src_w}{body_w}"
    fixed = f"---\ntitle: {title_f}\nvideoId: abcdefghijk\n---\n\n{src_f}{body_f}"
    blocker = draw(st.sampled_from([None, None, None, "NL001", "FM001", "FM002"]))
    if blocker == "FM001":
        written = written.replace("---\n\nFrom", "\nFrom", 1)  # never closed
    elif blocker == "FM002":
        written = written.replace("title: ", "title: [", 1)
    if draw(st.booleans()):
        written, fixed = written.replace("\n", "\r\n"), fixed.replace("\n", "\r\n")
    data_w, data_f = written.encode(), fixed.encode()
    if blocker == "NL001":
        data_w += b"\xff"
    if draw(st.booleans()):
        data_w, data_f = b"\xef\xbb\xbf" + data_w, b"\xef\xbb\xbf" + data_f
    if blocker is not None:
        data_f = data_w
    return data_w, data_f, blocker


def _settings(root: Path) -> Settings:
    s = Settings(root=root, vault=root)
    s.selected = resolve_selection(None)
    return s


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(note(), st.sampled_from([0o600, 0o640, 0o644, 0o664, 0o444]))
def test_fix_is_exact_safe_and_idempotent(case, mode):
    written, expected, blocker = case
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        path = root / "a.md"
        path.write_bytes(written)
        os.chmod(path, mode)
        os.utime(path, ns=(1_000_000_000, 1_000_000_000))
        file = NoteFile(path, "a.md", "a.md")
        s = _settings(root)

        run = fix_files([file], s)
        data = path.read_bytes()
        assert run.messages == []
        assert data == expected
        assert stat.S_IMODE(os.stat(path).st_mode) == mode
        assert sorted(os.listdir(root)) == ["a.md"]  # no temporary file left
        assert data.startswith(b"\xef\xbb\xbf") == written.startswith(b"\xef\xbb\xbf")
        crlf = b"\r\n" in written
        assert (b"\n" in data.replace(b"\r\n", b"")) == (not crlf)  # line endings kept
        if blocker is not None:
            assert run.outcomes[0].refused is not None and run.outcomes[0].refused.startswith(blocker)
            assert os.stat(path).st_mtime_ns == 1_000_000_000  # never written
            return
        assert run.count > 0 or written == expected

        # fixing again changes nothing
        again = fix_files([file], s)
        assert path.read_bytes() == data and again.count == 0 and not again.changed
        # nothing --fix could repair is left
        res = lint_text(file, data, RuleContext(s))
        left = [f for f in apply_directives(res.findings, res.directives) if fixmod.applicable(f)]
        assert left == []


# -- a safe fix changes only citation markup and the separators between citations --------

CITATION_RUN = re.compile(rb'(?:<a class="yt-timestamp" data-t="[0-9:]+">\[[0-9:]+\]</a>(?:[ \t\r\n,>]|and|-|\xe2\x80\x93)*)+')
# What may stand between two citations: separators (the citations form a group) or text a
# fix must never touch (code spans, math, links, comments, prose), on one line or across two.
BETWEEN = [
    "", " ", ", ", " and ", " - ", " \u2013 ", ",\n", "\n",
    " `x = 1` ", "\n`S = (a/8) + (1/4 * S)` ", " `a, b` ", " $x^2$ ", " $a - b$ ", " [[chan]] ", " [[chan | shown]] ",
    " [text](https://example.com) ", " <!-- note --> ", " so ", "\n\n", " **b** ",
]


@st.composite
def cited_text(draw):
    """Prose whose citations repeat and disorder times, with anything between them."""
    times = draw(st.lists(st.sampled_from(TIMES[:4]), min_size=2, max_size=6))
    parts = [draw(st.sampled_from(WORDS)), " "]
    for i, t in enumerate(times):
        if i:
            parts.append(draw(st.sampled_from(BETWEEN)))
        parts.append(anchor(long_form(t), long_form(t)))
    parts.append(".")
    return "".join(parts)


def skeleton(data: bytes) -> bytes:
    """The note with each run of citations and their separators replaced by one marker."""
    return CITATION_RUN.sub(b"\x00", data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(cited_text(), min_size=1, max_size=4), st.booleans())
def test_safe_fixes_change_only_citations_and_their_separators(paragraphs, crlf):
    text = "---\ntitle: A note\nvideoId: abcdefghijk\n---\n\nFrom: [[chan]] <br/>\n\n" + "\n\n".join(paragraphs) + "\n"
    if crlf:
        text = text.replace("\n", "\r\n")
    written = text.encode()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        path = root / "a.md"
        path.write_bytes(written)
        run = fix_files([NoteFile(path, "a.md", "a.md")], _settings(root))
        assert run.messages == []
        fixed = path.read_bytes()
    assert skeleton(fixed) == skeleton(written)
