"""TS006: broken citation markup."""

from __future__ import annotations

from collections.abc import Iterator

from ...document import Note, padded
from ...findings import Edit, Finding, Fix
from ..registry import ERROR, RuleContext, finding, rule


@rule("TS006", "broken-citation", ERROR, fix="unsafe")
def broken_citation(note: Note, ctx: RuleContext) -> Iterator[Finding]:
    """Broken citation markup.

    ## What it does
    Reports citation markup that does not work, one finding per piece of
    broken markup:

    - an anchor without ``data-t`` or with an empty label, an unclosed
      ``<a class="yt-timestamp"``, a wrong class, a label not in brackets;
    - a bare ``[00:21:12]`` label without its anchor, or a label that is the
      text of a Markdown link (``[00:21:12](https://…)``);
    - several times, or a range, in one pair of brackets
      (``[00:03:54, 00:04:05]``, ``[00:23:44 - 00:23:51]``);
    - two times run together (``[50:15:50:30]``);
    - a time in parentheses (``(12:34)``, ``(0:07:53-0:08:06)``), or as the
      address of a Markdown link (``[bone density loss](00:01:52)``);
    - a time written as a wiki-link (``[[00:50:02]]``): it is no wiki-link, so
      WL001 does not report it;
    - a time written inside a wiki-link alias
      (``[[topic | (Reference 00:01:22)]]``).

    A block cited only in these forms gets TS006, not CL001.

    ## Why is this bad?
    Such a citation is not clickable, or points nowhere: the claim looks
    cited and is not.

    ## Example
    ```
    The deck is stiffened with trusses [00:21:12], [[00:22:40]] (00:23:05).
    ```

    ## Use instead
    ```
    The deck is stiffened with trusses <a class="yt-timestamp" data-t="00:21:12">[00:21:12]</a>.
    ```
    ``--unsafe-fixes`` rebuilds the markup where the times it needs are
    there: a bare label, a time in parentheses or a time written as a
    wiki-link becomes a citation of that time; a bracketed list or range
    becomes one citation per time (``, `` and `` - `` between them); an
    anchor with an empty label gets its ``data-t`` as label; an anchor
    without ``data-t`` gets its label as ``data-t``. These fixes are unsafe:
    they change what the note shows or where it links, so look at them once
    (``--diff``). A bare label right before ``(`` or ``[`` or after ``]``
    (Markdown link syntax), times run together and times in an alias have no
    fix.
    """
    raw = note.raw
    for block in note.blocks:
        for c in block.citations:
            if c.problem is not None:
                yield finding(note, "TS006", c.start, c.end, f"broken citation: {c.problem}", _anchor_fix(raw, c))
        for bare in block.bare_labels:
            yield finding(note, "TS006", bare.start, bare.end, _MESSAGES[bare.form](bare), _bare_fix(raw, bare))


_ANCHOR = '<a class="yt-timestamp">'
_MESSAGES = {
    "label": lambda b: f"bare label [{b.text}] without its {_ANCHOR} anchor",
    "markdown-link": lambda b: f"time [{b.text}] written as a Markdown link's text instead of a citation",
    "list": lambda b: f"times [{b.text}] written as a bracketed list instead of one citation each",
    "range": lambda b: f"time range [{b.text}] written in brackets instead of two citations",
    "glued": lambda b: f"[{b.text}] is no time: two times run together? Write each as a citation",
    "parentheses": lambda b: f"time ({b.text}) written in parentheses instead of a citation",
    "link-address": lambda b: f"time ({b.text}) written as a Markdown link's address instead of a citation",
    "wiki-link": lambda b: f"time written as a wiki-link [[{b.text}]] instead of a citation",
    "alias": lambda b: f"time written inside a wiki-link alias ({b.text!r}) instead of a citation",
}


def _citation_markup(time: str) -> bytes:
    return f'<a class="yt-timestamp" data-t="{time}">[{time}]</a>'.encode()


def _bare_fix(raw: bytes, bare) -> Fix | None:
    if bare.form in ("glued", "alias", "markdown-link", "link-address"):
        return None
    times = [padded(t) for t in bare.times]
    if not times or None in times:
        return None
    if bare.form == "label" and (
        raw[bare.end : bare.end + 1] in (b"(", b"[") or raw[max(0, bare.start - 1) : bare.start] in (b"]", b"[")
    ):
        return None  # part of Markdown link syntax
    joiner = b" - " if bare.form in ("range", "parentheses") else b", "
    text = joiner.join(_citation_markup(t) for t in times)
    what = {"list": "the bracketed times", "range": "the bracketed range", "parentheses": "the time in parentheses",
            "wiki-link": "the wiki-link"}.get(bare.form, "the bare label")
    return Fix(f"turn {what} into citations" if len(times) > 1 else f"turn {what} into a citation",
               (Edit(bare.start, bare.end, text),), safe=False)


def _anchor_fix(raw: bytes, c) -> Fix | None:
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
