"""Citations, citation groups, bare labels and wiki-links inside one block.

Runs on a block's visible text (code spans, display math and comments are
already blanked by :mod:`notelint.parse.markdown`), so what the parser saw
as code is never mistaken for a citation or a link. Citation groups are the
exception: whether two citations form a group is decided on the note's real
bytes between them, since a code span blanked to spaces is not a separator
(dropping a repeat would delete it). Every pattern here is bounded: no input
makes it backtrack.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from ..document import BareLabel, Block, Citation, CitationGroup, WikiLink, parse_time

_OPEN = re.compile(rb"<a(?=[\s>/])([^<>]{0,4000})(>?)", re.I)
_CLOSE = re.compile(rb"</a\s*>", re.I)
_ATTR = re.compile(rb"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
_LABEL = re.compile(rb"\s*\[([^\[\]]*)\]\s*")
_T = rb"\d{1,2}:\d{1,2}(?::\d{1,2})?"
_JOIN = rb"(?:\s{0,3}(?:[,;]|-|\xe2\x80\x93|\xe2\x80\x94)\s{0,3}|\s{1,3}(?:to|and)\s{1,3})"
# times written in forms that are no citation (see BareLabel); bounded: no backtracking blow-up.
# Two patterns, each starting with one fixed byte (the scan skips to it): the bracketed forms and
# the parenthesised one; no match of one can hold the other's opening byte, so none overlap.
_BRACKETED = re.compile(
    rb"\[(?!(?<=>\[)" + _T + rb"\]</a>)"  # not an anchor's label (">[00:21:12]</a>")
    rb"(?:(?P<label>" + _T + rb")\]"
    rb"|(?P<list>" + _T + rb"(?:" + _JOIN + _T + rb"){1,20})\]"
    rb"|(?P<glued>\d{1,2}(?::\d{2}){3,4})\])"
)
_PARENTHESISED = re.compile(rb"\((?P<paren>\d{1,2}:\d{2}(?::\d{2})?(?:" + _JOIN + _T + rb")?)\)")
_TIME = re.compile(_T)
_TIME_IN_ALIAS = re.compile(r"(?<![\d:])\d{1,2}:\d{2}(?::\d{2})?(?![\d:])")
_TIME_TARGET = re.compile(r"\s*\d{1,2}:\d{2}(?::\d{2})?\s*")
_SEPARATOR = re.compile(rb"(?:[ \t\r\n,>]|and|-|\xe2\x80\x93)*")


def _attributes(attrs: bytes, base: int) -> dict[str, tuple[str, int, int]]:
    """name -> (value, value start, value end) for an HTML tag's attributes."""
    out: dict[str, tuple[str, int, int]] = {}
    for m in _ATTR.finditer(attrs):
        name = m.group(1).decode("utf-8", "replace").lower()
        for g in (2, 3, 4):
            if m.group(g) is not None:
                out.setdefault(name, (m.group(g).decode("utf-8", "replace"), base + m.start(g), base + m.end(g)))
                break
        else:
            out.setdefault(name, ("", base + m.end(1), base + m.end(1)))
    return out


# The canonical anchor, as generators write it: one regex match, no attribute parsing.
_CANONICAL_OPEN = b'<a class="yt-timestamp" data-t="'
# (no bracket in its data-t or label: no wiki-link bracket stands inside a canonical anchor)
_CANONICAL = re.compile(re.escape(_CANONICAL_OPEN) + rb'([^"<>\[\]]{0,40})">\[([^\[\]<>]{0,40})\]</a>')


def _canonical(text: bytes, base: int) -> list[Citation] | None:
    """Citations of a block whose anchors are all canonical; None if any is not.

    The anchor's fixed parts give every offset from the match's span and the
    data-t's length; a data-t seen before costs one dict look-up."""
    if b"<" not in text:
        return []
    found: list[Citation] = []
    times = _TIMES
    opener = len(_CANONICAL_OPEN)
    for m in _CANONICAL.finditer(text):
        tb, lb = m.groups()
        known = times.get(tb)
        if known is None:
            if not tb.strip():
                return None  # an empty data-t: the general path says what is wrong
            known = _time_of(tb)
        time, seconds, size = known
        if lb == tb:
            label = time
        elif lb.strip():
            label = lb.decode("utf-8", "replace")
        else:
            return None  # an empty label
        s, e = m.span()
        s += base
        e += base
        t1 = s + opener + size
        found.append(Citation(s, e, time, label, (s + opener, t1), (t1 + 3, e - 5), None, seconds))  # '">[', ']</a>'
    if text.count(b"<") != 2 * len(found) and (len(found) != text.count(b"<a") or b"<A" in text):
        return None  # a tag besides the anchors' two, and an anchor that is not canonical
    return found


# data-t -> (time, seconds, length in bytes): the same times recur across notes
_TIMES: dict[bytes, tuple[str, int | None, int]] = {}


def _time_of(data_t: bytes) -> tuple[str, int | None, int]:
    """A ``data-t`` value as text, its seconds and its length, remembered (bounded: a hostile
    vault cannot grow it without end)."""
    time = data_t.decode("utf-8", "replace")
    known = (time, parse_time(time), len(data_t))
    if len(_TIMES) < 100_000:
        _TIMES[data_t] = known
    return known


def _citations(text: bytes, base: int) -> list[Citation]:
    """Citations of a block, whatever their markup: each anchor's attributes parsed, what is wrong said."""
    found: list[Citation] = []
    for m in _OPEN.finditer(text):
        attrs = m.group(1)
        if b"yt-timestamp" not in attrs and b"data-t" not in attrs.lower():
            continue
        start = base + m.start()
        attr = _attributes(attrs, base + m.start(1))
        problem = None
        time = label = None
        time_span = label_span = None
        end = base + m.end()
        cls = attr.get("class", ("", 0, 0))[0].split()
        if "yt-timestamp" not in cls:
            problem = f"anchor has class {attr['class'][0]!r}, not 'yt-timestamp'" if "class" in attr else "anchor has no class 'yt-timestamp'"
        if "data-t" in attr:
            time, ts, te = attr["data-t"]
            time_span = (ts, te)
            if not time.strip() and problem is None:
                problem = "anchor has an empty data-t"
        elif problem is None:
            problem = "anchor has no data-t attribute"
        if not m.group(2):
            problem = "unclosed <a class=\"yt-timestamp\" tag: '>' is missing"
        else:
            lt = text.find(b"<", m.end())
            close = _CLOSE.match(text, lt) if lt != -1 else None
            if close is None:
                problem = problem or "anchor is not closed with </a>"
                lab = _LABEL.match(text, m.end())
                if lab is not None:  # the label belongs to the broken anchor, not a bare label
                    end = base + lab.end(1) + 1
            else:
                end = base + close.end()
                inner = text[m.end() : lt]
                lab = _LABEL.fullmatch(inner)
                if lab is not None:
                    label = lab.group(1).decode("utf-8", "replace")
                    label_span = (base + m.end() + lab.start(1), base + m.end() + lab.end(1))
                    if not label.strip() and problem is None:
                        problem = "anchor has an empty label"
                elif not inner.strip():
                    problem = problem or "anchor has an empty label"
                else:
                    problem = problem or f"label {inner.decode('utf-8', 'replace').strip()!r} is not in brackets"
        seconds = parse_time(time) if time is not None and problem is None else None
        found.append(Citation(start, end, time, label, time_span, label_span, problem, seconds))
    return found


def _groups(raw: bytes, citations: list[Citation]) -> list[CitationGroup]:
    """Citations that follow one another with only separators between them, read from
    the note's bytes ``raw`` (not the block's blanked text); ``citations`` is not empty."""
    current = CitationGroup([citations[0]], [])
    groups = [current]
    end = citations[0].end
    for cit in citations[1:]:
        sep = raw[end : cit.start]
        if _SEPARATOR.fullmatch(sep):
            current.citations.append(cit)
            current.separators.append(sep)
        else:
            current = CitationGroup([cit], [])
            groups.append(current)
        end = cit.end
    return groups


def _brackets(text: bytes) -> list[tuple[int, bool]]:
    """The offsets of the ``[[`` and ``]]`` of ``text`` (True: ``[[``), left to right, none
    overlapping another (``[[[`` holds one ``[[``, at its start)."""
    out = []
    opens, closes = text.find(b"[["), text.find(b"]]")
    while opens != -1 or closes != -1:
        if closes == -1 or opens != -1 and opens < closes:
            out.append((opens, True))
            at = opens + 2
        else:
            out.append((closes, False))
            at = closes + 2
        if opens != -1 and opens < at:
            opens = text.find(b"[[", at)
        if closes != -1 and closes < at:
            closes = text.find(b"]]", at)
    return out


def _wikilinks(text: bytes, base: int, raw: bytes) -> list[WikiLink]:
    """Wiki-links of a block: brackets are matched on the visible ``text`` (a ``[[`` in a
    code span opens nothing), what a link says is read from the note's bytes ``raw``."""
    links: list[WikiLink] = []
    marks = _brackets(text)
    if not marks:
        return links
    unbalanced = "unbalanced '[[': no matching ']]'"
    pending: int | None = None  # offset (in text) of the opener waiting for its ]]
    run_start = run_end = -1  # a run of adjacent openers ("[[[[") is reported once
    for pos, opener in marks:
        end = pos + 2
        if opener:
            if pending is not None:
                if pos == run_end:
                    pending, run_end = pos, end
                    continue
                links.append(_broken(text, base, run_start, unbalanced, raw))
            pending, run_start, run_end = pos, pos, end
            continue
        if pending is None:  # "]]" with no opener
            if text[end : end + 1] != b"(":  # "[Title [REVEALED]](url)": a Markdown link
                links.append(_broken(text, base, pos, "unbalanced ']]': no matching '[['", raw))
            continue
        if pending != run_start:
            links.append(_broken(text, base, run_start, unbalanced, raw))
        links.append(_link(text, base, pending, end, raw))
        pending = None
    if pending is not None:
        links.append(_broken(text, base, run_start, unbalanced, raw))
    return [link for link in links if link is not None]


# "[[Tutorial] How to …](https://…)": a Markdown link whose text starts with a bracketed word
_MD_LINK_OPENER = re.compile(rb"\[\[[^\[\]\n]{1,200}\][^\[\]\n]{0,300}\]\(")


def _broken(text: bytes, base: int, pos: int, problem: str, raw: bytes) -> WikiLink | None:
    embed = pos > 0 and text[pos - 1 : pos] == b"!"
    start = pos - 1 if embed else pos
    nl = text.find(b"\n", pos, start + 80)  # bounded: a long line has many of these
    end = nl if nl != -1 else min(start + 80, len(text))
    shown = raw[base + start : base + end]
    if problem.startswith("unbalanced '[['") and _MD_LINK_OPENER.match(text, pos):
        return None
    if problem.startswith("unbalanced '[['") and b"]]" in shown and b"]]" not in text[start:end]:
        problem = "unbalanced '[[': the ']]' that would close it is inside a code span"
    return WikiLink(
        base + start, base + pos + 2, "", None, None, embed, (base + pos, base + pos), shown.decode("utf-8", "replace"), problem
    )


def _split_pipes(visible: bytes) -> list[tuple[int, int]]:
    """(start, end) of the parts of a wiki-link's inside, split at the pipes that are not in a code span."""
    parts = []
    at = 0
    i = visible.find(b"|")
    while i != -1:  # '|', or the '|' of a table cell's '\|'
        parts.append((at, i - 1 if i and visible[i - 1] == 0x5C else i))
        at = i + 1
        i = visible.find(b"|", at)
    parts.append((at, len(visible)))
    return parts


def _link(text: bytes, base: int, opener: int, close_end: int, raw: bytes) -> WikiLink:
    embed = opener > 0 and text[opener - 1 : opener] == b"!"
    start = opener - 1 if embed else opener
    inner_at = base + opener + 2
    inner_raw = raw[inner_at : base + close_end - 2]
    shown = raw[base + start : base + close_end].decode("utf-8", "replace")
    problem = None
    if b"\n" in inner_raw or b"\r" in inner_raw:
        problem = "newline inside a wiki-link"
    visible = text[opener + 2 : close_end - 2]
    pipe = visible.find(b"|")
    if pipe == -1:
        parts = [inner_raw.decode("utf-8", "replace")]
    elif visible.find(b"|", pipe + 1) == -1 and visible[pipe - 1 : pipe] != b"\\":  # one plain '|'
        parts = [inner_raw[:pipe].decode("utf-8", "replace"), inner_raw[pipe + 1 :].decode("utf-8", "replace")]
    else:
        parts = [inner_raw[a:b].decode("utf-8", "replace") for a, b in _split_pipes(visible)]
    target_part = parts[0]
    alias = None
    if len(parts) > 2:
        problem = problem or "more than one '|' in a wiki-link"
    if len(parts) >= 2:
        alias = parts[1].strip()
        if not alias and problem is None:
            problem = "empty alias: nothing after '|'"
    target, sep, heading = target_part.partition("#")
    heading_value = heading.strip() if sep else None
    stripped = target.strip()
    if not stripped and not sep and problem is None:
        problem = "empty target"
    # span of the target text (without surrounding white space) in the note
    lead = len(target) - len(target.lstrip())
    t_start = inner_at + (len(target[:lead].encode("utf-8")) if lead else 0)
    t_end = t_start + (len(stripped) if stripped.isascii() else len(stripped.encode("utf-8")))
    return WikiLink(base + start, base + close_end, stripped, heading_value, alias, embed, (t_start, t_end), shown, problem)


def _union(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, disjoint spans covering the same offsets (for a bisect instead of a scan)."""
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            if b > out[-1][1]:
                out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _covered(citations: list[Citation], links: list[WikiLink]):
    """A test: does an offset lie inside a citation or a wiki-link?"""
    covered = _union([(c.start, c.end) for c in citations] + [(w.start, w.end) for w in links])
    starts = [a for a, _ in covered]

    def inside(offset: int) -> bool:
        i = bisect_right(starts, offset) - 1
        return i >= 0 and offset < covered[i][1]

    return inside


def _broken_forms(text: bytes, base: int, citations: list[Citation], links: list[WikiLink],
                  brackets: bool = True) -> list[BareLabel]:
    """Times in ``text`` written in a form that is no citation (outside citations and wiki-links);
    the bracketed forms only with ``brackets`` (a block whose every bracket is a citation's has none)."""
    found: list[BareLabel] = []
    inside = None
    for m in _broken_matches(text, brackets):
        ms, me = m.span()
        form = m.lastgroup
        if inside is None:
            inside = _covered(citations, links)
        if inside(base + ms):
            continue  # inside a citation or a wiki-link
        inner = m.group(form).decode()
        times = tuple(t.decode() for t in _TIME.findall(m.group(form))) if form != "glued" else (inner,)
        if form == "label" and text[me : me + 1] == b"(":
            form = "markdown-link"
        elif form == "list" and len(times) == 2 and b"," not in m.group("list") and b";" not in m.group("list"):
            form = "range"
        elif form == "paren":
            form = "parentheses"
            if text[ms - 1 : ms] == b"]":  # "[text](00:01:52)": the address of a Markdown link
                if found and found[-1].end == base + ms:
                    continue  # "[00:01:16](00:01:16)": one broken citation, already found
                form = "link-address"
        found.append(BareLabel(base + ms, base + me, inner, form, times))
    return found


def _broken_matches(text: bytes, brackets: bool = True) -> list[re.Match]:
    """The matches of the bracketed (with ``brackets``) and the parenthesised forms, in order."""
    matches = list(_BRACKETED.finditer(text)) if brackets else []
    if b"(" in text:
        parens = list(_PARENTHESISED.finditer(text))
        if parens:
            matches = sorted(matches + parens, key=re.Match.start) if matches else parens
    return matches


def _time_links(links: list[WikiLink]) -> tuple[list[WikiLink], list[BareLabel]]:
    """Split off the wiki-links that are times (``[[00:50:02]]``: no link, a broken citation),
    and note each link with a time in its alias."""
    kept: list[WikiLink] = []
    broken: list[BareLabel] = []
    for w in links:
        if w.problem is None and w.heading is None and _TIME_TARGET.fullmatch(w.target) and (
            w.alias is None or _TIME_TARGET.fullmatch(w.alias)
        ):
            broken.append(BareLabel(w.start, w.end, w.target, "wiki-link", (w.target,)))
            continue
        kept.append(w)
        if w.alias and w.problem is None and _TIME_IN_ALIAS.search(w.alias):
            broken.append(BareLabel(w.start, w.end, w.alias, "alias", tuple(_TIME_IN_ALIAS.findall(w.alias))))
    return kept, broken


def scan_block(block: Block, raw: bytes) -> None:
    """Fill a block's citations, groups, broken citation forms and wiki-links (``raw``: the note's bytes)."""
    text = block.text
    if b"<" not in text and b"[" not in text and b"]" not in text and b"(" not in text:
        return  # no anchor, bracket or parenthesis: the block's lists stay empty
    base = block.start
    citations = _canonical(text, base)
    canonical = citations is not None
    if citations is None:
        citations = _citations(text, base)
    block.citations = citations
    block.groups = _groups(raw, citations) if citations else []
    # every '[' and ']' a canonical anchor's label's: no '[[' or ']]', no bracketed time outside them
    labels_only = canonical and text.count(b"[") == len(citations) == text.count(b"]")
    every_link = [] if labels_only else _wikilinks(text, base, raw)
    if citations and every_link and not canonical:  # no bracket stands inside a canonical anchor
        in_citation = _covered(citations, [])
        # "<a …>[[00:37:02]]</a>", "[11:49:01]]</a>": an anchor's broken label is TS006's, not a wiki-link
        every_link = [
            w for w in every_link
            if not in_citation(w.start) or (w.problem and not w.problem.startswith("unbalanced ']]'"))
        ]
    links, broken = _time_links(every_link) if every_link else (every_link, [])
    block.wikilinks = links
    if not labels_only or b"(" in text:
        # every bracket a canonical label's: a bracketed form could only stand inside a citation
        broken += _broken_forms(text, base, citations, every_link, brackets=not labels_only)
    if broken:
        broken.sort(key=lambda b: b.start)
    block.bare_labels = broken
