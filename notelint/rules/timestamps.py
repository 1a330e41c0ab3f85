"""TS: citations, their times and citation groups."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from ..document import (
    LOOSE_TIME,
    BareLabel,
    Citation,
    CitationGroup,
    Note,
    format_time,
    padded,
    parse_time,
)
from ..findings import Edit, Finding, Fix
from ..vault import IndexEntry, VaultIndex
from .registry import ERROR, VAULT, WARNING, RuleContext, finding, rule, vault_finding

_TIME_IN_TEXT = re.compile(r"(?<![\d:])\d{1,2}:\d{2}(?::\d{2})?(?![\d:])")


def _all_citations(note: Note) -> Iterator[Citation]:
    for block in note.blocks:
        for c in block.citations:
            if c.problem is None:
                yield c


@rule("TS001", "malformed-time", ERROR, fix="safe")
def malformed_time(note: Note, ctx: RuleContext) -> Iterator[Finding]:
    """Malformed time: ``data-t`` or label not ``HH:MM:SS``.

    ## What it does
    Checks that a citation's ``data-t`` and its label are both written
    ``HH:MM:SS``, with minutes and seconds from 00 to 59.

    ## Why is this bad?
    The player jumps to ``data-t``; readers read the label. ``21:12`` is
    ambiguous (21 minutes, or 21 hours?) and ``00:75:00`` is no time at all.

    ## Example
    ```
    <a class="yt-timestamp" data-t="21:12">[21:12]</a>
    ```

    ## Use instead
    ```
    <a class="yt-timestamp" data-t="00:21:12">[00:21:12]</a>
    ```
    ``--fix`` zero-pads the ``0:21:12``, ``21:12`` and ``1:05`` forms.
    """
    for c in _all_citations(note):
        if c.seconds is not None and c.label == c.time:
            continue  # the common case: both well-formed and equal
        bad = []
        edits = []
        for what, value, span in (("data-t", c.time, c.time_span), ("label", c.label, c.label_span)):
            if value is None or parse_time(value) is not None:
                continue
            bad.append((what, value))
            fixed = padded(value)
            if fixed is not None and span is not None:
                edits.append(Edit(span[0], span[1], fixed.encode()))
        if not bad:
            continue
        fix = Fix("zero-pad the time to HH:MM:SS", tuple(edits)) if len(edits) == len(bad) else None
        what = " and ".join(f"{w} {v!r}" for w, v in bad)
        hint = ""
        if fix is not None:
            hint = f" (did you mean {padded(bad[0][1])}?)"
        elif any(padded(v) is None and LOOSE_TIME.match(v.strip()) for _, v in bad):
            hint = ": minutes and seconds must be 00-59"
        yield finding(note, "TS001", c.start, c.end, f"malformed time: {what} is not HH:MM:SS{hint}", fix)


@rule("TS002", "time-label-mismatch", ERROR)
def time_label_mismatch(note: Note, ctx: RuleContext) -> Iterator[Finding]:
    """``data-t`` and label disagree.

    ## What it does
    Reports a citation whose ``data-t`` and bracketed label are different
    times (after zero-padding, so ``21:12`` and ``00:21:12`` agree).

    ## Why is this bad?
    The reader sees one moment and the player jumps to another. There is no
    automatic fix: which of the two is right is unknown.

    ## Example
    ```
    <a class="yt-timestamp" data-t="00:21:12">[00:12:21]</a>
    ```

    ## Use instead
    ```
    <a class="yt-timestamp" data-t="00:21:12">[00:21:12]</a>
    ```
    """
    for c in _all_citations(note):
        if c.time is None or c.label is None or c.time == c.label:
            continue
        t, lab = padded(c.time) or c.time.strip(), padded(c.label) or c.label.strip()
        if t != lab:
            yield finding(note, "TS002", c.start, c.end, f"data-t {c.time!r} and label [{c.label}] disagree")


def _group_times(group: CitationGroup) -> list[tuple[Citation, int]]:
    return [(c, c.seconds) for c in group.citations if c.problem is None and c.seconds is not None]


def _agrees(citation: Citation) -> bool:
    """``data-t`` and label name the same time (after zero-padding)."""
    if citation.time is None or citation.label is None:
        return False
    t = padded(citation.time)
    return t is not None and t == padded(citation.label)


def _group_rewrite(note: Note, group: CitationGroup, order: list[int]) -> Edit:
    """Rewrite a group with its citations in ``order`` (indices), keeping the separators."""
    cits = group.citations
    raw = note.raw
    parts = [raw[cits[order[0]].start : cits[order[0]].end]]
    for sep, idx in zip(group.separators, order[1:]):
        parts.append(sep)
        parts.append(raw[cits[idx].start : cits[idx].end])
    return Edit(cits[0].start, cits[-1].end, b"".join(parts))


@rule("TS003", "unordered-group", ERROR, fix="safe")
def unordered_group(note: Note, ctx: RuleContext) -> Iterator[Finding]:
    """Citation group not in ascending time order.

    ## What it does
    Citations that follow one another, separated only by white space,
    commas, ``and``, a hyphen or an en dash, form a group; a group must
    ascend. A range ``[01:30:19] - [01:32:30]`` is a group too.

    ## Why is this bad?
    Out-of-order groups are how copy-paste errors and wrong times show
    themselves; a descending range is no range.

    ## Example
    ```
    … <a class="yt-timestamp" data-t="00:28:36">[00:28:36]</a>, <a class="yt-timestamp" data-t="00:21:12">[00:21:12]</a>
    ```

    ## Use instead
    The same citations in ascending order. ``--fix`` reorders them, moving
    whole citations and keeping the separators where they are; it leaves a
    group alone when a citation's label and ``data-t`` disagree (TS002),
    since then the right order is not known.
    """
    for block in note.blocks:
        for group in block.groups:
            times = _group_times(group)
            if len(times) < 2 or len(times) != len(group.citations):
                bad = next((b for a, b in zip(times, times[1:]) if b[1] < a[1]), None)
                if bad is not None:
                    yield finding(note, "TS003", bad[0].start, bad[0].end, f"citation group not in ascending order: [{bad[0].label}] after a later time")
                continue
            bad = next((b for a, b in zip(times, times[1:]) if b[1] < a[1]), None)
            if bad is None:
                continue
            order = sorted(range(len(times)), key=lambda i: times[i][1])
            fix = None
            if all(_agrees(c) for c in group.citations):
                # the order is by data-t: only when every label says the same
                fix = Fix("reorder the citation group", (_group_rewrite(note, group, order),))
            prev = times[times.index(bad) - 1][0]
            yield finding(
                note, "TS003", bad[0].start, bad[0].end,
                f"citation group not in ascending order: [{bad[0].label}] comes after [{prev.label}]", fix,
            )


@rule("TS004", "repeated-time", WARNING, fix="safe")
def repeated_time(note: Note, ctx: RuleContext) -> Iterator[Finding]:
    """The same time cited twice in one group.

    ## What it does
    Reports a citation that repeats a time already cited in the same group.

    ## Why is this bad?
    It adds nothing but noise, and often marks a time that should have been
    another one.

    ## Example
    ```
    <a class="yt-timestamp" data-t="00:21:12">[00:21:12]</a> <a class="yt-timestamp" data-t="00:21:12">[00:21:12]</a>
    ```

    ## Use instead
    One citation. ``--fix`` drops the repeat with the separator before it,
    unless the repeat's label names another time (TS002).
    """
    for block in note.blocks:
        for group in block.groups:
            seen: set[int] = set()
            cits = group.citations
            for i, c in enumerate(cits):
                if c.problem is not None or c.seconds is None:
                    continue
                if c.seconds in seen:
                    # drop the separator before the repeat together with it; a repeat whose
                    # label says another time may be the one that is wrong: no fix
                    start = cits[i - 1].end if i > 0 else c.start
                    fix = Fix("drop the repeated citation", (Edit(start, c.end, b""),)) if _agrees(c) else None
                    yield finding(note, "TS004", c.start, c.end, f"time {c.time} is cited twice in one group", fix)
                seen.add(c.seconds)


def _duration(note: Note, ctx: RuleContext) -> int | None:
    data = note.data
    dur = data.get("duration")
    if isinstance(dur, str) and parse_time(dur) is not None:
        return parse_time(dur)
    vid = data.get("videoId")
    return ctx.videos.duration(vid) if isinstance(vid, str) else None


@rule("TS005", "time-after-end", ERROR)
def time_after_end(note: Note, ctx: RuleContext) -> Iterator[Finding]:
    """Cited time after the end of the video.

    ## What it does
    Where the video's length is known, from the front matter ``duration``
    or from the videos file named in the configuration (``videos = ...``),
    reports a citation of a time past it.

    ## Why is this bad?
    The citation cannot point at what the claim says it does.

    ## Example
    ``duration: "00:42:10"`` and a citation of ``[00:51:03]``.

    ## Use instead
    The right time, within the video.
    """
    end = _duration(note, ctx)
    if end is None:
        return
    for c in _all_citations(note):
        t = c.seconds
        if t is not None and t > end:
            yield finding(note, "TS005", c.start, c.end, f"cited time {c.time} is after the end of the video ({format_time(end)})")


@rule("TS006", "broken-citation", ERROR, fix="unsafe")
def broken_citation(note: Note, ctx: RuleContext) -> Iterator[Finding]:
    """Broken citation markup.

    ## What it does
    Reports citation markup that does not work: a bare ``[00:21:12]`` label
    without its anchor, an anchor without ``data-t`` or with an empty label,
    an unclosed ``<a class="yt-timestamp"``, a wrong class, and a time
    written inside a wiki-link alias (``[[topic | (Reference 00:01:22)]]``)
    instead of a citation.

    ## Why is this bad?
    Such a citation is not clickable, or points nowhere: the claim looks
    cited and is not.

    ## Example
    ```
    The deck is stiffened with trusses [00:21:12].
    ```

    ## Use instead
    ```
    The deck is stiffened with trusses <a class="yt-timestamp" data-t="00:21:12">[00:21:12]</a>.
    ```
    ``--unsafe-fixes`` rebuilds the markup where the one time it needs is
    there: a bare label becomes a citation of that time, an anchor with an
    empty label gets its ``data-t`` as label, an anchor without ``data-t``
    gets its label as ``data-t``. These fixes are unsafe: they change what
    the note shows or where it links, so look at them once (``--diff``).
    A bare label right before ``(`` or ``[`` or after ``]`` (Markdown link
    syntax) is not touched.
    """
    raw = note.raw
    for block in note.blocks:
        for c in block.citations:
            if c.problem is not None:
                yield finding(note, "TS006", c.start, c.end, f"broken citation: {c.problem}", _anchor_fix(raw, c))
        for bare in block.bare_labels:
            yield finding(
                note, "TS006", bare.start, bare.end,
                f"bare label [{bare.text}] without its <a class=\"yt-timestamp\"> anchor", _bare_fix(raw, bare),
            )
        for link in block.wikilinks:
            if link.alias and link.problem is None and _TIME_IN_TEXT.search(link.alias):
                yield finding(
                    note, "TS006", link.start, link.end,
                    f"time written inside a wiki-link alias ({link.alias!r}) instead of a citation",
                )


def _citation_markup(time: str) -> bytes:
    return f'<a class="yt-timestamp" data-t="{time}">[{time}]</a>'.encode()


def _bare_fix(raw: bytes, bare: BareLabel) -> Fix | None:
    time = padded(bare.text)
    if time is None:
        return None
    if raw[bare.end : bare.end + 1] in (b"(", b"[") or raw[max(0, bare.start - 1) : bare.start] in (b"]", b"["):
        return None  # part of Markdown link syntax
    return Fix("turn the bare label into a citation", (Edit(bare.start, bare.end, _citation_markup(time)),), safe=False)


def _anchor_fix(raw: bytes, c: Citation) -> Fix | None:
    """Rebuild an anchor that lost its label or its ``data-t`` from the other one."""
    if c.problem == "anchor has an empty label" and c.time is not None:
        time = padded(c.time)
        if time is None:
            return None
        if c.label_span is not None:  # "[]" or "[ ]"
            edit = Edit(c.label_span[0], c.label_span[1], time.encode())
        else:  # nothing, or only white space, between the tags
            open_end = raw.find(b">", c.start, c.end) + 1
            close = raw.find(b"<", open_end, c.end)
            if open_end == 0 or close == -1 or raw[open_end:close].strip():
                return None
            edit = Edit(open_end, close, f"[{time}]".encode())
        return Fix("use the data-t time as the label", (edit,), safe=False)
    if c.problem == "anchor has no data-t attribute" and c.label is not None:
        time = padded(c.label)
        gt = raw.find(b">", c.start, c.end)
        if time is None or gt == -1 or raw[gt - 1 : gt] == b"/":
            return None
        attr = f'data-t="{time}" ' if raw[gt - 1 : gt] in (b" ", b"\t") else f' data-t="{time}"'
        return Fix("add the label's time as data-t", (Edit(gt, gt, attr.encode()),), safe=False)
    return None


@rule("TS007", "time-scale-outlier", WARNING, scope=VAULT)
def time_scale_outlier(vault: VaultIndex, ctx: RuleContext, checked: Sequence[IndexEntry]) -> Iterator[Finding]:
    """Time-scale outlier among the notes on one video.

    ## What it does
    Where the video's length is unknown, compares each note's cited times
    with the other notes on the same ``videoId`` (at least two of them): a
    time more than 3 times the latest time any other note cites is
    reported.

    ## Why is this bad?
    Real notes show ``10:53:00`` written for ``00:10:53``, and minutes
    repeated as seconds (``16:06:06``): times that are well-formed but
    cannot be right.

    ## Example
    Four notes on a video cite up to ``00:14:20``; a fifth cites ``10:53:00``.

    ## Use instead
    The time that was meant (``00:10:53``).
    """
    wanted = {e.video_id for e in checked if e.video_id}
    by_video: dict[str, list[IndexEntry]] = {}
    for entry in vault.notes.values():
        if entry.video_id in wanted and entry.max_time is not None:
            by_video.setdefault(entry.video_id, []).append(entry)
    tops: dict[str, list[tuple[int, str]]] = {}
    for entry in checked:
        video = entry.video_id
        siblings = by_video.get(video or "", ())
        if len(siblings) < 3 or entry.max_time is None or entry.duration is not None or ctx.videos.duration(video) is not None:
            continue
        top = tops.get(video)
        if top is None:  # the two latest times of the video's notes: linear, not quadratic, in its notes
            top = tops[video] = sorted(((s.max_time, s.rel) for s in siblings), reverse=True)[:2]
        ceiling = top[1][0] if top[0][1] == entry.rel else top[0][0]
        others = len(siblings) - 1
        for t, start, end in entry.cited():
            if t > 3 * ceiling:
                yield vault_finding(
                    entry, "TS007", start, end,
                    f"cited time {format_time(t)} is more than 3 times the latest time cited by the "
                    f"{others} other notes on video {video} ({format_time(ceiling)}){_meant(t, ceiling)}",
                )


def _meant(t: int, ceiling: int) -> str:
    h, rest = divmod(t, 3600)
    m, s = divmod(rest, 60)
    if h < 60 and (s == 0 or s == m) and h * 60 + m <= 3 * ceiling:
        # 10:53:00 written for 00:10:53; 16:06:06 (minutes repeated as seconds) for 00:16:06
        return f"; did you mean {format_time(h * 60 + m)}?"
    return ""
