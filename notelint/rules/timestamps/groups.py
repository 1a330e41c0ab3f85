"""TS003, TS004: citation groups."""

from __future__ import annotations

from collections.abc import Iterator

from ...document import Note, padded
from ...findings import Edit, Finding, Fix
from ..registry import ERROR, RuleContext, WARNING, finding, rule


def _group_times(group):
    return [(c, c.seconds) for c in group.citations if c.problem is None and c.seconds is not None]


def _agrees(citation) -> bool:
    """``data-t`` and label name the same time (after zero-padding)."""
    if citation.time is None or citation.label is None:
        return False
    t = padded(citation.time)
    return t is not None and t == padded(citation.label)


def _group_rewrite(note, group, order) -> Edit:
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
    """The same time cited more than once in one group.

    ## What it does
    Reports a time cited more than once in the same citation group: one
    finding per repeated time and group, at its first repeat, with how many
    times it is cited (a runaway repetition of ``00:00:00`` two thousand
    times is one finding).

    ## Why is this bad?
    It adds nothing but noise, and often marks a time that should have been
    another one.

    ## Example
    ```
    <a class="yt-timestamp" data-t="00:21:12">[00:21:12]</a> <a class="yt-timestamp" data-t="00:21:12">[00:21:12]</a>
    ```

    ## Use instead
    One citation. ``--fix`` drops every repeat with the separator before it,
    unless a repeat's label names another time (TS002).
    """
    for block in note.blocks:
        for group in block.groups:
            cits = group.citations
            repeats: dict[int, list[int]] = {}  # seconds -> indices of the citations of that time
            for i, c in enumerate(cits):
                if c.problem is None and c.seconds is not None:
                    repeats.setdefault(c.seconds, []).append(i)
            for indices in repeats.values():
                if len(indices) > 1:
                    yield _repeat_finding(note, cits, indices)


def _repeat_finding(note, cits, indices: list[int]):
    first = cits[indices[1]]
    fix = None
    if all(_agrees(cits[i]) for i in indices[1:]):
        # drop each repeat with the separator before it; a repeat whose label says another
        # time may be the one that is wrong: no fix
        fix = Fix("drop the repeated citations", tuple(Edit(cits[i - 1].end, cits[i].end, b"") for i in indices[1:]))
    times = "twice" if len(indices) == 2 else f"{len(indices)} times"
    return finding(note, "TS004", first.start, first.end, f"time {first.time} is cited {times} in one group", fix)
