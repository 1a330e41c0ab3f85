"""The regex-only reference point: roughly notelint's checks, without a Markdown parser.

    python -m benchmarks.baseline VAULT_DIR [--show] [--statistics] [--manifest]

One process, standard library, compiled regular expressions: one read and a
handful of regex scans over the text of each file, then one pass over the
collected wiki-links to resolve them.  It is what a careful afternoon script
would do, so that the real linter's cost can be compared with something
honest.  Its last line is ``N files, F findings, T seconds`` (T: wall time
of discovery, reading, checking and resolving; not of printing).

What it checks (codes as in SPEC.md section 2; approximations noted):

- NL001 the file is not UTF-8.
- FM001 no closed front matter; FM003 ``title``/``videoId`` missing; FM004
  ``title`` empty or YAML-typed, ``videoId`` not ``^[A-Za-z0-9_-]{11}$`` or a
  YAML number.  Front matter is read with line regexes, not YAML.
- SL001 the first non-blank body line is not ``From: [[channel]] <br/>``
  (reported on that line when it starts with ``From:``, else on the first
  line after the front matter).
- TS001 ``data-t`` or label not ``HH:MM:SS`` (minutes, seconds <= 59); TS002
  ``data-t`` != label; TS003 a citation group that descends; TS004 a time
  repeated in a group.  A group is citations separated only by blanks,
  commas, ``and``, ``-`` or an en dash (not by a line break).
- WL001 unresolved target, WL003 ambiguous target, WL004 ``#Heading`` missing
  in the target.  Keys: file stem, ``title``, ``aliases``, and the path from
  the vault root; compared after NFC, casefold, and collapsing runs of space,
  ``_`` and ``-`` (a trailing ``.md`` ignored).
- CL001 a block with prose and no citation.  Blocks: lines split at blank
  lines, headings, and lines that start a list item (``*``, ``+``, ``-``,
  ``1.``, ``1)``); a block with any ``yt-timestamp`` anchor counts as cited,
  even a broken one.  Exempt: the source line, blocks ending with ``:``, a
  bold or italic label alone, blocks made only of wiki-links, blocks without
  letters.  Fenced code and HTML comments are skipped.

Per-file ignores, as a real vault configures them: by default channel notes
(``channels/*``) and ``*/index.md`` pages skip FM003, SL001 and CL001.
"""

from __future__ import annotations

import argparse
import fnmatch
import os
import re
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path

__all__ = ["DEFAULT_IGNORES", "Finding", "lint_vault", "main"]

DEFAULT_IGNORES: dict[str, frozenset[str]] = {
    "channels/*": frozenset({"FM003", "SL001", "CL001"}),
    "*/index.md": frozenset({"FM003", "SL001", "CL001"}),
    "index.md": frozenset({"FM003", "SL001", "CL001"}),
}

Finding = tuple[str, int, str, str]  # (relative path, line, code, message)

_FRONT_MATTER = re.compile(r"---[ \t]*\r?\n((?:.*?\r?\n)??)---[ \t]*(?:\r?\n|\Z)", re.S)
_TITLE = re.compile(r"^title:[ \t]*(.*?)[ \t]*\r?$", re.M)
_VIDEO_ID = re.compile(r"^videoId:[ \t]*(.*?)[ \t]*\r?$", re.M)
_ALIASES_BLOCK = re.compile(r"^aliases:[ \t]*\r?\n((?:[ \t]*-[ \t]+.*(?:\r?\n|\Z))+)", re.M)
_ALIASES_FLOW = re.compile(r"^aliases:[ \t]*\[(.*)\][ \t]*\r?$", re.M)
_ALIAS_ITEM = re.compile(r"^[ \t]*-[ \t]+(.*?)[ \t]*\r?$", re.M)
_VIDEO_ID_FORM = re.compile(r"[A-Za-z0-9_-]{11}")
_YAML_TYPED = re.compile(
    r"(?:[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|0[xX][0-9a-fA-F_]+|0[oO]?[0-7_]+|0[bB][01_]+|\.inf|\.nan)"
    r"|y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~"
    r"|\d{4}-\d\d?-\d\d?(?:[Tt ].*)?)"
)
_SOURCE_LINE = re.compile(r"From:[ \t]*\[\[[^\[\]|#]+(?:\|[^\[\]]*)?\]\](?:[ \t]*<br ?/?>)?[ \t]*")

_CITE = re.compile(r'<a class="yt-timestamp" data-t="([^"]*)">\[([^\]]*)\]</a>')
_CITE_ANY = r'<a class="yt-timestamp" data-t="[^"]*">\[[^\]]*\]</a>'
# a citation group: citations separated only by blanks, commas, "and", "-" or an en dash
_GROUP = re.compile(_CITE_ANY + r"(?:(?:[ \t,]|and|-|\u2013)*" + _CITE_ANY + ")*")
_TIME = re.compile(r"(\d\d):([0-5]\d):([0-5]\d)")
# "![[...]]", an embed, resolves the same way: no need to match the "!"
# (and "!?" in front would cost a regex scan six times as slow)
_LINK = re.compile(r"\[\[([^\[\]\n]*)\]\]")
# headings after a line break (a literal first character keeps the scan fast)
# and at the start of the text
_HEADING = re.compile(r"\n[ ]{0,3}#{1,6}[ \t]+([^\n]*)")
_HEADING_FIRST = re.compile(r"[ ]{0,3}#{1,6}[ \t]+([^\n]*)")
_HEADING_CLOSE = re.compile(r"[ \t]+#+\Z")
_LIST_ITEM = re.compile(r"[ \t]*(?:[*+-]|\d{1,9}[.)])(?:[ \t]+|$)", re.M)
_FIRST_LINE = re.compile(r"(?:[ \t]*\n)*[ \t]*([^\n]*)")
_BLOCK_BREAK = re.compile(
    r"\n(?:[ \t]*\n)+"  # blank lines
    r"|\n(?=[ ]{0,3}#{1,6}(?:[ \t]|$))"  # before a heading
    r"|\n(?=[ \t]*(?:[*+-]|\d{1,9}[.)])(?:[ \t]|$))",  # before a list item
    re.M,
)
_INVISIBLE = re.compile(
    r"^[ ]{0,3}(`{3,}|~{3,})[^\n]*\n.*?(?:^[ ]{0,3}\1[ \t]*$|\Z)"  # fenced code
    r"|<!--.*?(?:-->|\Z)",  # HTML comment
    re.M | re.S,
)
_LABEL_ONLY = re.compile(r"(?:\*\*[^*]+\*\*|__[^_]+__|\*[^*]+\*|_[^_]+_):?")
_LETTER = re.compile(r"[^\W\d_]")
_KEY_SEPARATORS = re.compile(r"[\s_-]+")


_KEYS: dict[str, str] = {}  # memo of _key: targets and headings repeat a lot
_TARGETS: dict[str, str] = {}  # link targets, interned


def _key(text: str) -> str:
    key = _KEYS.get(text)
    if key is None:
        key = _KEYS[text] = _make_key(text)
    return key


def _make_key(text: str) -> str:
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    text = text.casefold().strip()
    if text.endswith(".md"):
        text = text[:-3]
    return _KEY_SEPARATORS.sub(" ", text).strip()


def _unquote(value: str) -> tuple[str, bool]:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1], True
    return value, False


def _seconds(time_text: str) -> int | None:
    m = _TIME.fullmatch(time_text)
    return None if m is None else int(m[1]) * 3600 + int(m[2]) * 60 + int(m[3])


class _File:
    __slots__ = ("rel", "keys", "headings", "links", "ignored")

    def __init__(self, rel: str, ignored: frozenset[str]) -> None:
        self.rel = rel
        self.keys: list[str] = []
        self.headings: set[str] = set()
        self.links: list[tuple[int, str, str | None]] = []  # (line, target, heading)
        self.ignored = ignored


def _check_file(path: str, f: _File, out: list[Finding], seconds: dict[str, int | None]) -> None:
    """Check one file; seconds memoizes _seconds() across files."""
    rel = f.rel

    def report(line: int, code: str, message: str) -> None:
        if code not in f.ignored:
            out.append((rel, line, code, message))

    stem = rel.rpartition("/")[2][:-3]
    f.keys.append(_key(stem))
    f.keys.append(_key(rel[:-3]))
    try:
        with open(path, "rb") as fh:
            data = fh.read()
        text = data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        report(1, "NL001", f"cannot read file: {exc}")
        return
    if text.startswith("\ufeff"):
        text = text[1:]

    # front matter
    fm = _FRONT_MATTER.match(text)
    if fm is None:
        report(1, "FM001", "no front matter, or it is not closed")
        body, first_line = text, 1
    else:
        head = fm[1] or ""
        body, first_line = text[fm.end() :], text.count("\n", 0, fm.end()) + 1
        m = _TITLE.search(head)
        if m is None:
            report(1, "FM003", "required field 'title' is missing")
        else:
            value, quoted = _unquote(m[1])
            if not value.strip() or value != value.strip():
                report(2, "FM004", "'title' must be a non-empty string without surrounding white space")
            elif not quoted and _YAML_TYPED.fullmatch(value):
                report(2, "FM004", f"'title' {value!r} is not a string in YAML: quote it")
            else:
                f.keys.append(_key(value))
        m = _VIDEO_ID.search(head)
        if m is None:
            report(1, "FM003", "required field 'videoId' is missing")
        else:
            value, quoted = _unquote(m[1])
            if not _VIDEO_ID_FORM.fullmatch(value):
                report(1, "FM004", f"'videoId' {value!r} does not match ^[A-Za-z0-9_-]{{11}}$")
            elif not quoted and _YAML_TYPED.fullmatch(value):
                report(1, "FM004", f"'videoId' {value!r} is not a string in YAML: quote it")
        if "aliases:" in head:
            m = _ALIASES_BLOCK.search(head)
            if m is not None:
                f.keys.extend(_key(_unquote(a)[0]) for a in _ALIAS_ITEM.findall(m[1]))
            else:
                m = _ALIASES_FLOW.search(head)
                if m is not None:
                    f.keys.extend(_key(_unquote(a.strip())[0]) for a in m[1].split(",") if a.strip())

    # Code blocks and HTML comments are invisible: blank them out, keeping
    # the line numbers; CRLF becomes LF, which keeps them too.
    if "```" in body or "~~~" in body or "<!--" in body:
        body = _INVISIBLE.sub(lambda m: "\n" * m[0].count("\n"), body)
    if "\r" in body:
        body = body.replace("\r\n", "\n")

    def line_of(pos: int) -> int:
        return first_line + body.count("\n", 0, pos)

    # source line: the first non-blank body line
    m = _FIRST_LINE.match(body)
    blocks_from = m.start(1)
    if _SOURCE_LINE.fullmatch(m[1]):
        blocks_from = m.end(1)
    else:
        if m[1].startswith("From:"):
            report(line_of(m.start(1)), "SL001", f"malformed source line {m[1]!r}")
        else:  # reported where it belongs: the first line after the front matter
            report(first_line, "SL001", "source line 'From: [[channel]] <br/>' is missing")

    if "#" in body:
        m = _HEADING_FIRST.match(body)
        for m in [m, *_HEADING.finditer(body)] if m is not None else _HEADING.finditer(body):
            text = m[1].rstrip()
            if text.endswith("#"):
                text = _HEADING_CLOSE.sub("", text)
            f.headings.add(_key(text))

    # wiki-links, resolved once every file is read; line numbers counted as we go
    line, prev = first_line, 0
    for m in _LINK.finditer(body):
        line += body.count("\n", prev, m.start())
        prev = m.start()
        target, _, _ = m[1].partition("|")
        target, hash_, heading = target.partition("#")
        target = target.strip()
        target = _TARGETS.setdefault(target, target)  # one string per distinct target
        f.links.append((line, target, heading.strip() if hash_ else None))

    # citation groups
    for g in _GROUP.finditer(body):
        group: list[int] = []
        for data_t, label in _CITE.findall(body, g.start(), g.end()):
            t = seconds.get(data_t, -1)
            if t == -1:
                t = seconds[data_t] = _seconds(data_t)
            if t is None:
                report(line_of(g.start()), "TS001", f"malformed time data-t={data_t!r}")
            if label != data_t:
                if _seconds(label) is None:
                    report(line_of(g.start()), "TS001", f"malformed time label [{label}]")
                else:
                    report(line_of(g.start()), "TS002", f"data-t {data_t!r} and label [{label}] disagree")
            if t is not None:
                if t in group:
                    report(line_of(g.start()), "TS004", f"time {data_t} cited twice in one group")
                elif group and t < group[-1]:
                    report(line_of(g.start()), "TS003", f"citation group not in ascending order at {data_t}")
                group.append(t)

    # blocks: the text between blank lines, headings and list-item starts
    def check_block(start: int, end: int) -> None:
        if body.find("yt-timestamp", start, end) >= 0:  # cited (broken markup too: that is TS006's business)
            return
        chunk = body[start:end]
        text = chunk.lstrip()
        start += len(chunk) - len(text)
        if text.startswith("#"):  # a heading line, then maybe a paragraph line
            if _HEADING_FIRST.match(text) is not None:
                newline = text.find("\n")
                if newline < 0:
                    return
                check_block(start + newline + 1, end)
                return
        text = text.rstrip()
        m = _LIST_ITEM.match(text)
        if m is not None:
            text = text[m.end() :]
        if (
            text
            and not text.endswith(":")
            and not _LABEL_ONLY.fullmatch(text)
            and _LETTER.search(_LINK.sub("", text))
        ):
            report(line_of(start), "CL001", f"claim without a citation: {text[:60]!r}")

    pos = blocks_from
    for m in _BLOCK_BREAK.finditer(body, pos):
        if m.start() > pos:
            check_block(pos, m.start())
        pos = m.end()
    if pos < len(body):
        check_block(pos, len(body))


def _ignores_for(rel: str, ignores: dict[str, frozenset[str]]) -> frozenset[str]:
    codes: set[str] = set()
    for pattern, skip in ignores.items():
        if fnmatch.fnmatchcase(rel, pattern):
            codes |= skip
    return frozenset(codes)


def lint_vault(root: Path, ignores: dict[str, frozenset[str]] | None = None) -> tuple[int, list[Finding]]:
    """Check every .md file under root; return (number of files, findings sorted by path and line)."""
    ignores = DEFAULT_IGNORES if ignores is None else ignores
    root_s = os.fspath(root)
    files: list[_File] = []
    findings: list[Finding] = []
    seconds: dict[str, int | None] = {}
    for dirpath, dirnames, filenames in os.walk(root_s):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        rel_dir = os.path.relpath(dirpath, root_s).replace(os.sep, "/")
        prefix = "" if rel_dir == "." else rel_dir + "/"
        for name in sorted(filenames):
            if not name.endswith(".md"):
                continue
            rel = prefix + name
            f = _File(rel, _ignores_for(rel, ignores))
            _check_file(os.path.join(dirpath, name), f, findings, seconds)
            files.append(f)

    index: dict[str, list[_File]] = {}
    for f in files:
        for key in set(f.keys):
            index.setdefault(key, []).append(f)
    for f in files:
        for number, target, heading in f.links:
            if not target:
                if heading is None and "WL002" not in f.ignored:
                    findings.append((f.rel, number, "WL002", "empty wiki-link target"))
                continue
            found = index.get(_key(target))
            if found is None:
                if "WL001" not in f.ignored:
                    findings.append((f.rel, number, "WL001", f"wiki-link target {target!r} does not resolve"))
            elif len(found) > 1:
                if "WL003" not in f.ignored:
                    findings.append((f.rel, number, "WL003", f"wiki-link target {target!r} is ambiguous"))
            elif heading and _key(heading) not in found[0].headings and "WL004" not in f.ignored:
                findings.append((f.rel, number, "WL004", f"{found[0].rel} has no heading {heading!r}"))
    findings.sort(key=lambda x: (x[0], x[1], x[2]))
    return len(files), findings


def _compare(root: Path, findings: list[Finding]) -> str:
    """Findings against root/defects.tsv (written by benchmarks.generate)."""
    from benchmarks.generate import read_defects

    expected = {(d.path, d.code, d.line) for d in read_defects(root)}
    got = {(p, c, n) for p, n, c, _ in findings}
    by_file = {(p, c) for p, c, _ in got}
    hit = expected & got
    near = {e for e in expected - hit if (e[0], e[1]) in by_file}
    missed = expected - hit - near
    extra = {g for g in got if (g[0], g[1]) not in {(e[0], e[1]) for e in expected}}
    lines = [f"manifest: {len(expected)} defects; {len(hit)} found at their line, {len(near)} in the file on another line, {len(missed)} missed; {len(extra)} findings not in the manifest"]
    for p, c, n in sorted(missed)[:10]:
        lines.append(f"  missed {p}:{n}: {c}")
    for p, c, n in sorted(extra)[:10]:
        lines.append(f"  extra  {p}:{n}: {c}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.baseline", description=__doc__.split("\n\n")[0])
    parser.add_argument("vault", type=Path, metavar="VAULT_DIR")
    parser.add_argument("--show", action="store_true", help="print each finding as path:line: CODE message")
    parser.add_argument("--statistics", action="store_true", help="print the number of findings per code")
    parser.add_argument("--manifest", action="store_true", help="compare the findings with VAULT_DIR/defects.tsv")
    parser.add_argument("--no-default-ignores", action="store_true", help="do not skip FM003/SL001/CL001 in channels/* and index.md")
    args = parser.parse_args(argv)
    if not args.vault.is_dir():
        parser.error(f"{args.vault} is not a folder")
    start = time.perf_counter()
    count, findings = lint_vault(args.vault, {} if args.no_default_ignores else None)
    elapsed = time.perf_counter() - start
    try:
        if args.show:
            for rel, line, code, message in findings:
                print(f"{rel}:{line}: {code} {message}")
        if args.statistics:
            for code, number in sorted(Counter(f[2] for f in findings).items()):
                print(f"{number:8d}  {code}")
        if args.manifest:
            print(_compare(args.vault, findings))
        print(f"{count} files, {len(findings)} findings, {elapsed:.2f} seconds")
    except BrokenPipeError:  # e.g. piped into head
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


if __name__ == "__main__":
    sys.exit(main())
