"""CL: claims and their citations."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator

from ..document import Note
from ..findings import Finding
from .registry import ERROR, INFO, RuleContext, excerpt, finding, rule
from ..parse.roles import SUMMARY_ROLES

_TAG = re.compile(rb"<[^<>]{0,4000}>")
_GAP = re.compile(rb"[ \t,]*")
_LETTER = re.compile(r"[^\W\d_]")
# a block that is only a bold or italic label, optionally ending in ':'
_LABEL_ONLY = re.compile(rb"\s*(\*\*|__|\*|_)(?=\S)(.{1,300}?)(?<=\S)\1\s*:?\s*", re.S)
_CALLOUT = re.compile(rb"\s*\[![^\]\s]+\][+-]?")
_TRAILING_MARKUP = b" \t\r\n*_"
_SENTENCE_END = re.compile(rb"[.!?](?=\s+[\"'(*_\[]*[A-Z])")


def _visible(block, drop_links: bool = False) -> bytes:
    """Block text without citations, bare labels, HTML tags (and wiki-links).

    Only its content matters to the exemptions, not offsets: each removed span
    becomes one space.
    """
    spans = [(c.start, c.end) for c in block.citations]
    if block.bare_labels:
        spans += [(b.start, b.end) for b in block.bare_labels]
    if drop_links:
        spans += [(w.start, w.end) for w in block.wikilinks]
    text = block.text
    if spans:
        spans.sort()
        base = block.start
        parts = []
        pos = 0
        for s, e in spans:
            if s - base > pos:
                parts.append(text[pos : s - base])
            pos = max(pos, e - base)
        parts.append(text[pos:])
        text = b" ".join(parts)
    if b"<" in text:
        text = _TAG.sub(b" ", text)
    return text


def _has_letters(text: bytes) -> bool:
    return _LETTER.search(text.decode("utf-8", "replace")) is not None


def claim_exemption(block) -> str | None:
    """Why a block is not a claim (CL001's exemptions), or None if it is one."""
    return structural_exemption(block) or block.role  # parse.roles: intro, conclusion, entry, …


def structural_exemption(block) -> str | None:
    """Why a block's form makes it no claim (a heading, a lead-in, a label…), or None."""
    if not block.is_claim_candidate:
        return "not a block"
    if block.source_line:
        return "source line"
    if block.kind == "table-head":
        return "table header row"
    text = _visible(block)
    if not _has_letters(text):
        return "no letters"
    if text.rstrip(_TRAILING_MARKUP).endswith(b":"):
        return "lead-in"
    label = text.strip()
    if label[:1] in (b"*", b"_") and label[-1:] in (b"*", b"_", b":") and len(label) <= 310 and _LABEL_ONLY.fullmatch(label):
        return "label"
    if block.quoted and _CALLOUT.match(block.text):
        return "callout title"
    if block.kind == "item" and block.wikilinks and not _has_letters(_visible(block, drop_links=True)):
        return "see-also list"
    if block.wikilinks and all(w.embed for w in block.wikilinks) and not _has_letters(_visible(block, drop_links=True)):
        return "embed"
    return None


def claim_start(block, stray: list[tuple[int, int]]) -> int | None:
    """Where a block's claim starts, or None when the block is not a claim.

    A callout's title line is exempt: its claim is the lines after it, cited only by
    citations on those lines. Blocks inside a second front matter block (``stray``,
    FM008) are not claims. CL001 and the audit's coverage both count claims with this.
    """
    if not block.is_claim_candidate or (stray and any(s <= block.start < e for s, e in stray)):
        return None
    if block.role is not None:
        return None
    if block.quoted and _CALLOUT.match(block.text):
        nl = block.text.find(b"\n")
        if nl == -1:
            return None
        rest = block.text[nl + 1 :]
        if not _has_letters(_TAG.sub(b" ", rest)):
            return None
        return block.start + nl + 1 + len(rest) - len(rest.lstrip(b"> \t\r\n"))
    return block.start if claim_exemption(block) is None else None


@rule("CL001", "uncited-claim", ERROR)
def uncited_claim(note: Note, ctx: RuleContext) -> Iterator[Finding]:
    """Claim without a citation.

    ## What it does
    Every claim must cite the video at least once. A claim is a block with
    prose (a paragraph, a list item's own text, a table row, a block-quote
    paragraph) that reports the video: what is said, shown or argued in it.

    Not claims, and so exempt:

    - structure: headings; the source line; a table's header row; a block
      whose text ends with ``:`` (a lead-in); a block whose own text is only
      a bold or italic label, optionally ending in ``:`` (a container bullet
      or a pseudo-heading); a callout's title line (``> [!info] Title``); a
      list item made only of wiki-links (a see-also list); a block made only
      of embeds; blocks with no letters; a list item that is a name or a
      short label (at most four words besides numbers, no full stop:
      ``- Quickdraw Synchron``, ``*   **Mirror Force** (x1)``), and the
      items without a full stop of a list most of whose items are such
      names; a block of
      questions only; a block without a word of three letters (no prose: a
      formula, a table row of data);
      a formula's legend (``*   $\\mu$ = population mean``); a list item
      cited by an item that holds nothing but citations (its nested item,
      or a ``- **Reference**: <a …>`` item ending its list);
    - blocks that frame or wrap up the note instead of reporting the video
      (summary-role blocks: CL003 reports them, off by default):

      - the intro: in a note with headings, the first paragraph after the
        source line when it comes before the first heading (and the next
        one when the first is a title line); the blocks under an ``Introduction`` or
        ``Overview`` heading, a list announced as the note's contents
        (``This guide will cover:``), a block that frames the note
        (``Let's explore…``, ``In this article…``);
      - a topic sentence: a section's one-sentence opening paragraph when
        blocks of the section below it cite the video;
      - conclusions: blocks under a conclusion-like heading (``Conclusion``,
        ``Summary``, ``Key Takeaways``, ``Final Thoughts``, ``Wrap-up``,
        ``Recap``…), opening with a summarising phrase (``Overall,``, ``In
        conclusion``, ``In summary``, ``In short``, ``To sum up``…), a list
        under a bold label that names a summary (``**Summary of Steps:**``),
        or summing up what came before (``These stages highlight…``,
        ``Thus, …``);
      - the closing run: in a note with headings, the paragraphs after its
        last citation when at most four blocks follow that citation, else
        the paragraphs of the last section after it; in a note that cites
        nothing, its last paragraph;
      - the blocks of a callout (``> [!info]``, ``> [!note]``…);
      - a pointer to other notes (``For more on …, see [[…]]``, ``See also
        …``);
    - generator artefacts, reported by their own rules: a preamble right
      after the source line (SL003) and a sentence saying the source has
      nothing on the topic (NL003).

    A block cited in a form that is no citation (``[00:21:12]``, ``[00:03:54,
    00:04:05]``, ``[50:15:50:30]``, ``(12:34)``, ``[[00:50:02]]``, a time in a
    wiki-link alias) gets TS006, not CL001. Code, math, HTML and comments are
    not blocks.

    ## Why is this bad?
    An uncited claim cannot be checked against the video; in generated
    notes it is where invented content hides.

    ## Example
    ``Suspension bridges carry the deck on vertical hangers.``

    ## Use instead
    ```
    Suspension bridges carry the deck on vertical hangers <a class="yt-timestamp" data-t="00:04:10">[00:04:10]</a>.
    ```
    """
    stray = note.body_front_matter
    for block in note.blocks:
        if (block.citations or block.bare_labels) and not (block.quoted and _CALLOUT.match(block.text)):
            continue  # cited, whatever its exemptions (only a callout's title line may hold its citations)
        s = claim_start(block, stray)
        if s is None or any(c.start >= s for c in block.citations) or any(b.start >= s for b in block.bare_labels):
            continue
        yield finding(note, "CL001", s, s, f"claim without a citation: {excerpt(note.slice(s, block.end))!r}")


_SUMMARY_NAMES = {
    "intro": "intro", "topic": "topic sentence", "conclusion": "conclusion", "closing": "closing paragraph", "aside": "callout",
    "see-also": "see-also",
}


@rule("CL003", "uncited-summary", INFO, default=False)
def uncited_summary(note, ctx):
    """Summary-role block without a citation.

    ## What it does
    Reports the blocks CL001 exempts because they frame or wrap up the note
    rather than report the video, when they cite nothing (CL001's page says
    exactly which): the intro, topic sentences, conclusions, the closing
    run, callouts and see-also sentences. Off by default; enable it with
    ``--extend-select CL003``.

    ## Why is this bad?
    A summary that cites nothing may still state what the video never said,
    or say more than the cited blocks it sums up. Editors who want every
    sentence backed can opt in.

    ## Example
    ```
    ## Conclusion

    Suspension bridges remain the only choice for the longest spans.
    ```

    ## Use instead
    The citation of the moment the summary rests on, or a summary that only
    restates cited blocks.
    """
    for block in note.blocks:
        if block.role in SUMMARY_ROLES and not block.citations and not block.bare_labels and (
            block.callout is not None or structural_exemption(block) is None
        ):
            s = block.start
            if block.quoted and _CALLOUT.match(block.text):  # the title line is no summary
                nl = block.text.find(b"\n")
                if nl == -1:
                    continue
                rest = block.text[nl + 1 :]
                s += nl + 1 + len(rest) - len(rest.lstrip(b"> \t\r\n"))
            what = _SUMMARY_NAMES[block.role]
            yield finding(note, "CL003", s, s, f"{what} without a citation: {excerpt(note.slice(s, block.end))!r}")


@rule("CL002", "uncited-sentence", INFO, default=False)
def uncited_sentence(note: Note, ctx: RuleContext) -> Iterator[Finding]:
    """Sentence without a citation, inside a cited block.

    ## What it does
    The stricter, sentence-level reading of CL001 (off by default; enable it
    with ``--extend-select CL002``). A citation right after a sentence's
    full stop counts for that sentence. Blocks exempt from CL001 are not
    looked at.

    ## Why is this bad?
    A paragraph with one citation at its end may carry several claims the
    video never made.

    ## Example
    ```
    Cables are spun in place. They last a century <a class="yt-timestamp" data-t="00:09:12">[00:09:12]</a>.
    ```

    ## Use instead
    A citation for each sentence.
    """
    for block in note.blocks:
        if not block.citations or claim_exemption(block) is not None:
            continue
        text = block.text
        cites = sorted(c.start - block.start for c in block.citations)
        start = 0
        bounds = [m.end() for m in _SENTENCE_END.finditer(text)] + [len(text)]
        for end in bounds:
            # the first citation at or after the sentence's start: inside it, or right after
            # its full stop (separated by nothing but white space and commas)
            i = bisect_left(cites, start)
            cs = cites[i] if i < len(cites) else -1
            cited = cs != -1 and (cs < end or _GAP.match(text, end, cs).end() == cs)
            sentence = text[start:end]
            if not cited and _has_letters(_TAG.sub(b" ", sentence)):
                lead = len(sentence) - len(sentence.lstrip())
                s = block.start + start + lead
                yield finding(note, "CL002", s, s, f"sentence without a citation: {excerpt(note.slice(s, block.start + end))!r}")
            start = end
