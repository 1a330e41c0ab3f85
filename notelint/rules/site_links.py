"""WL007-WL009: wiki-links that look right in the note and silently fail on the site.

They read :attr:`notelint.document.Note.site`, what the renderer makes of the note's
wiki-links, so they report only where the vault's link resolution is ``quartz``
(``link-resolution``): with ``obsidian`` they find nothing.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..document import Note, WikiLink
from ..findings import Finding
from ..quartz.paths import is_absolute_url, normalize_uri
from .registry import ERROR, WARNING, RuleContext, finding, rule


def _unread(note: Note) -> Iterator[WikiLink]:
    """notelint's wiki-links that the renderer does not read as a link at all."""
    site = note.site
    starts = {s.start for s in site.links}
    for block in note.blocks:
        for w in block.wikilinks:
            if w.start not in starts:
                yield w


@rule("WL007", "target-read-as-address", ERROR, pages=True)
def target_read_as_address(note: Note, ctx: RuleContext) -> Iterator[Finding]:
    """Wiki-link target that Quartz takes for a web address.

    ## What it does
    In ``quartz`` link resolution, reports a wiki-link whose target begins
    like a URL scheme, a letter and then letters, digits, ``+``, ``-`` or
    ``.`` up to a colon: ``[[Colon: Title]]``, ``[[Q1: results]]``. Quartz
    (through ``is-absolute-url``) writes such a link as an external link
    to ``colon:…``, which no browser opens. Real addresses
    (``[[https://…|text]]``) are Markdown links for Quartz and are not
    reported. Obsidian has no such rule (and file names there cannot hold
    a colon): with ``link-resolution = "obsidian"`` the rule finds nothing.

    ## Why is this bad?
    The link looks like every other wiki-link in the note, but on the
    site it leads nowhere, and WL001 cannot see it (it is not a link to a
    page).

    ## Example
    ```
    See [[Colon: Title]].
    ```

    ## Use instead
    Name the note without a colon and link that name:
    ```
    See [[colon_title | Colon: Title]].
    ```
    """
    if note.site is None:
        return
    for link in note.site.links:
        # a scheme ends with a colon (which percent-encoding never adds)
        if ":" in link.target and is_absolute_url(normalize_uri(link.target + link.anchor)):
            yield finding(
                note, "WL007", link.start, link.end,
                f"Quartz takes wiki-link target {link.target!r} for a web address: the link goes nowhere",
            )


@rule("WL008", "brackets-in-link", WARNING, pages=True)
def brackets_in_link(note: Note, ctx: RuleContext) -> Iterator[Finding]:
    """Square brackets inside a wiki-link.

    ## What it does
    In ``quartz`` link resolution, reports a wiki-link holding ``[`` or
    ``]`` inside its double brackets (``[[a | x [y] z]]``,
    ``[[a [b]]]``), which Quartz's wiki-link expression refuses: the page
    shows the brackets and the text as written, and no link.

    ## Why is this bad?
    The reader sees raw ``[[…]]`` instead of a link.

    ## Example
    ```
    [[load_paths | loads [in kN]]]
    ```

    ## Use instead
    ```
    [[load_paths | loads (in kN)]]
    ```
    """
    if note.site is None or not note.site.full:  # the fast reading holds only when every link is read
        return
    for w in _unread(note):
        inner = w.raw[3:-2] if w.raw.startswith("!") else w.raw[2:-2]
        if w.raw.endswith("]]") and ("[" in inner or "]" in inner):
            yield finding(note, "WL008", w.start, w.end,
                          f"wiki-link {w.raw!r} holds square brackets: Quartz shows it as plain text")


@rule("WL009", "link-in-math", WARNING, pages=True)
def link_in_math(note: Note, ctx: RuleContext) -> Iterator[Finding]:
    """Wiki-link swallowed by math.

    ## What it does
    In ``quartz`` link resolution, reports a wiki-link that remark-math
    (Quartz's math plugin) reads as part of inline math: a ``$`` opens math
    when a run of exactly as many ``$`` follows in the same paragraph,
    whatever lies between, so ``costs $5 and [[fees]] then $10`` hides the
    link inside a formula.

    ## Why is this bad?
    The reader sees a garbled formula where the text and the link were.

    ## Example
    ```
    The fund charged $5 a month, see [[fees]], and $10 later.
    ```

    ## Use instead
    Escape the dollar signs meant as currency:
    ```
    The fund charged \\$5 a month, see [[fees]], and \\$10 later.
    ```
    """
    site = note.site
    if site is None or not site.full or not site.math:
        return
    for w in _unread(note):
        if any(a <= w.start < b for a, b in site.math):
            yield finding(note, "WL009", w.start, w.end,
                          f"wiki-link {w.raw!r} is inside inline math for Quartz ($…$): it is no link on the site")
