"""What a block does in a video note, when it is not a claim's text (``Block.role``).

Decided on the real notes of a generated wiki (``../shared/corpus/tubegraph``),
where an editor reading a CL001 finding disagrees with it when the block
frames, wraps up or points elsewhere instead of reporting the video:

- ``preamble``: the generator's message right after the source line
  (``Here is the article with the backlinks embedded:``): SL003;
- ``placeholder``: a block saying the source has nothing on the topic
  (``There is no information about … in the provided transcript``): NL003;
- ``intro``: in a note with headings, the first paragraph after the source
  line when it comes before the first heading (and the next one, when the
  first is a title line); the blocks under an ``Introduction`` or ``Overview``
  heading; a list announced as the note's contents (``This guide will
  cover:``); a block that frames the note (``Let's explore…``, ``In this
  article…``, ``To understand …, we…``);
- ``conclusion``: a block under a conclusion-like heading (``Conclusion``,
  ``Summary``, ``Key Takeaways``, ``Final Thoughts``…), opening with a
  summarising phrase (``Overall,``, ``In conclusion``, ``In summary``…), a
  list under a bold label that names a summary (``**Summary of Steps:**``), or
  a paragraph that sums up what came before (``These stages highlight…``,
  ``This underscores…``);
- ``closing``: in a note with headings, the paragraphs after its last
  citation when at most four blocks follow it, else the paragraphs of the
  last section after it; in a note that cites nothing, its last paragraph:
  the generator's wrap-up;
- ``topic``: a section's one-sentence opening paragraph over blocks that
  cite: the topic sentence the section's citations back up;
- ``aside``: a block inside a callout (``> [!info] Key Takeaway``);
- ``see-also``: a pointer to other notes (``For more on …, see [[…]]``);
- ``entry``: a list item that is a name or a short label, not a sentence
  (``- Quickdraw Synchron``, ``*   **Mirror Force** (x1)``), and the items
  without a full stop of a list most of whose items are such names;
- ``question``: a block of questions only (``- Is it novel?``): it asserts
  nothing;
- ``formula``: a block without a word of three letters, so no prose: a
  formula (``CF₁/(1+R)¹ + …``), a table row of data (``| D | 2 | 240 |``);
- ``cited-below``: a list item cited by an item that holds nothing but
  citations: its nested item (``  - <a class="yt-timestamp" …>[01:14:08]</a>``)
  or the last item of its list (``- **Reference**: <a …>``).

Roles are given to claim candidates (paragraphs, list items, table rows)
only; the rest keep ``role = None``. The roles of blocks that frame or wrap
up the note (intro, topic, conclusion, closing, aside, see-also) are
:data:`SUMMARY_ROLES`: CL003 reports them when they cite nothing.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right

from ..document import Block, Note

SUMMARY_ROLES = frozenset(("intro", "topic", "conclusion", "closing", "aside", "see-also"))

_TAG = re.compile(r"<[^<>]{0,4000}>")
# "(?:!\[|\[)" is "!?\[" written so that the scan skips to the two bytes it can start with
_WIKI = re.compile(r"(?:!\[\[|\[\[)([^\[\]|]*)(?:\|([^\[\]]*))?\]\]")
_MD_LINK = re.compile(r"(?:!\[|\[)([^\[\]]*)\]\([^()\s]*\)")
_MARKUP = re.compile(r"[*_`~]+")
_LEAD = re.compile(r"^[\s>*_#-]+")
_WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*")

_PREAMBLE = re.compile(
    r"(?:here\s+is|here's|below\s+is|sure[,!]|certainly[,!]|okay[,!])[^\n]{0,160}?"
    r"\b(?:article|note|text|version|summary|content|backlinks?)\b[^\n]{0,120}:\s*",
    re.I,
)
_SOURCE_WORD = r"\b(?:transcript|provided\s+(?:text|content|source|material|video)|this\s+(?:article|note|entry)|the\s+video)\b"
_LACK = (
    r"\b(?:no(?:\s+[\w-]+){0,2}\s+(?:information|content|details|examples|mention|data)\b"
    r"|(?:does|do|did)\s+not\s+(?:\w+\s+)?(?:contain|include|mention|discuss|cover|provide|detail|specify|address|explain)\b"
    r"|doesn't\s+(?:contain|include|mention|discuss|cover|provide|detail|explain)\b"
    r"|contains?\s+no\b|(?:cannot|could\s+not|can't)\s+be\s+(?:generated|written|created|extracted|produced)\b"
    r"|(?:very\s+)?limited(?:\s+and\s+\w+)?\s+information\b|nothing\s+(?:about|on|related)\b)"
)
_SOURCE_RE = re.compile(_SOURCE_WORD, re.I)
_SOURCE_KEYWORDS = ("transcript", "provided", "article", "note", "entry", "video")  # one in each of its phrases
_LACK_RE = re.compile(_LACK, re.I)
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")
_MAX_SENTENCE = 1000  # longer runs without a full stop are no sentence a generator writes
_CONCLUSION_HEADING = re.compile(
    r"\b(?:conclusions?|concluding|summary|summing\s+up|in\s+summary|takeaways?|final\s+(?:thoughts|words|remarks|"
    r"reflections|notes)|closing\s+(?:thoughts|remarks|words)|wrap(?:ping)?[\s-]?up|recap|tl;?dr|bottom\s+line)\b",
    re.I,
)
_INTRO_HEADING = re.compile(r"^\W*(?:\d+\.\s*)?(?:introduction|intro|overview)\b", re.I)
_SUMMARY_OPENER = re.compile(
    r"^(?:overall|in\s+conclusion|in\s+summary|to\s+summari[sz]e|to\s+sum\s+up|in\s+short|in\s+essence|all\s+in\s+all"
    r"|to\s+conclude|in\s+closing|concluding|in\s+sum|taken\s+together|summing\s+up)\b",
    re.I,
)
_SEE_ALSO = re.compile(
    r"^(?:for\s+(?:more|further|a\s+deeper|additional|related|details|an?\s+\w+\s+(?:look|dive|discussion))\b[^.!?]{0,200}?"
    r"\b(?:see|refer\s+to|explore|check\s+out|read|visit)\b|see\s+also\b|related\s+(?:topics|notes|reading)\b"
    r"|to\s+(?:learn|read|explore|dive)\s+(?:more|further|deeper)\b|(?:further|related)\s+reading\b)",
    re.I,
)
_OUTLINE = re.compile(
    r"\b(?:this|the\s+following)\s+(?:guide|article|note|post|tutorial|overview|section|page)\b[^.!?:]{0,80}"
    r"\b(?:cover|explore|discuss|look\s+at|walk\s+through|include|address|outline)s?\b[^.!?]{0,80}:\s*$"
    r"|\bwe(?:'ll|\s+will)\s+(?:cover|explore|discuss|look\s+at|walk\s+through)\b[^.!?]{0,80}:\s*$",
    re.I,
)
_FRAMING = re.compile(
    r"^(?:let's|let\s+us|in\s+this\s+(?:article|section|note|guide|post|overview)\b"
    r"|this\s+(?:article|section|note|guide|overview)\s+(?:explores|examines|covers|discusses|delves|looks)"
    r"|to\s+understand\b[^.!?]{0,120}\bwe\b|[^.!?]{0,40}\bthe\s+following\s+(?:sections?|article|note|guide)\b)",
    re.I,
)
_GLOSS = re.compile(
    r"^(?:(?:this|these|such|together,?\s+these|taken\s+together,?\s+these)\b[^.!?]{0,80}?"
    r"\b(?:highlight|illustrat|underscor|demonstrat|exemplif|reflect|emphasi[sz])\w*|(?:thus|hence),)",
    re.I,
)
_ENTRY_WORDS = 4
_NAME_WORDS = 10
_TOPIC_WORDS = 35
_PSEUDO_HEADING_CHARS = 80
_PSEUDO_HEADING = re.compile(r"[^.!?]{1,%d}:?" % _PSEUDO_HEADING_CHARS)
_TITLE_WORDS = 12
_LABEL = re.compile(r"^\W*[^\W\d_][^:]{0,40}:")  # "**Reference**:"
_WORD3 = re.compile(r"[^\W\d_]{3,}")
_ASCII_WORD3 = re.compile(r"[A-Za-z]{3}")
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)")
_LETTER = re.compile(r"[^\W\d_]")
_LEGEND = re.compile(r"^(?:\$[^$]{1,80}\$|`[^`]{1,80}`)\s*(?:=|:|—|-|is\b)")
CLOSING_BLOCKS = 4


def visible_text(block: Block) -> str:
    """What a reader sees of a block, roughly: no citations, tags, link or emphasis markup."""
    text = block.text
    if block.citations or block.bare_labels:
        spans = [(c.start, c.end) for c in block.citations]  # in order
        if block.bare_labels:
            spans += [(b.start, b.end) for b in block.bare_labels]
            spans.sort()
        parts, pos, start = [], 0, block.start
        for s, e in spans:
            if s - start > pos:
                parts.append(text[pos : s - start])
            if e - start > pos:
                pos = e - start
        parts.append(text[pos:])
        text = b" ".join(parts)
    out = text.decode("utf-8", "replace")
    if "<" in out:
        out = _TAG.sub(" ", out)
    # the links' shown text in their place, spliced from the split (no Python call a match):
    # a wiki-link's alias, else its target, trimmed; a Markdown link's text (its one group)
    if "[[" in out:
        parts = _WIKI.split(out)  # text, target, alias (None), text, …
        if len(parts) > 1:
            parts[1::3] = [(alias or target).strip() for target, alias in zip(parts[1::3], parts[2::3])]
            del parts[2::3]
            out = "".join(parts)
    if "](" in out:
        out = "".join(_MD_LINK.split(out))
    return " ".join(out.split())


def _cited(block: Block) -> bool:
    return bool(block.citations or block.bare_labels)


def refusal(text: str) -> re.Match | None:
    """The sentence of ``text`` saying the source has nothing on the topic, if there is one.

    Linear: each sentence is searched once for a source word and once for a lack phrase. A
    sentence is a run between full stops, so a text without a source word has no such sentence.
    """
    if text.isascii():  # in ASCII text, a match of _SOURCE_RE holds one of these words, lower-cased
        low = text.lower()
        if not any(word in low for word in _SOURCE_KEYWORDS):
            return None
    if _SOURCE_RE.search(text) is None:
        return None
    for m in _SENTENCE.finditer(text):
        sentence = m.group()
        if len(sentence) <= _MAX_SENTENCE and _SOURCE_RE.search(sentence) and _LACK_RE.search(sentence):
            return m
    return None


def assign_roles(note: Note) -> None:
    """Set ``Block.role`` for the claim candidates of a video note (see the module docstring)."""
    blocks = note.blocks
    start = next((i + 1 for i, b in enumerate(blocks) if b.source_line), 0)
    candidates = [b for b in blocks[start:] if b.is_claim_candidate and b.kind != "table-head"]
    if not candidates:
        return
    texts = {id(b): visible_text(b) for b in candidates}
    for b in candidates:  # what a block is by its form comes first: it is no claim wherever it stands
        if not _cited(b):
            b.role = _form_role(b, texts[id(b)])
    _opening(candidates, texts, note)
    _sections(blocks[start:], texts, note)
    _outline(blocks[start:], texts)
    _closing(blocks[start:], texts)
    _topics(blocks[start:], texts, note)
    _cited_below(candidates, texts, note.raw)
    _name_lists(candidates, texts, note.raw)
    for b in candidates:
        if b.role is None and not _cited(b):
            b.role = _own_role(b, texts[id(b)])


def _opening(candidates: list[Block], texts: dict[int, str], note: Note) -> None:
    """The preamble, placeholder sentences and the intro paragraph at the top of the note."""
    first = candidates[0]
    at = 0
    if note.source_line is not None and first.kind == "paragraph" and _PREAMBLE.fullmatch(texts[id(first)]):
        first.role = "preamble"
        at = 1
    for b in candidates[at : at + 2]:
        if refusal(texts[id(b)]):
            b.role = "placeholder"
    first_heading = next((h.start for h in note.headings if h.start > note.body_start), None)
    if first_heading is None:
        return
    for intro in candidates[at : at + 2]:  # it introduces the sections below it
        if (
            intro.role is not None or intro.kind != "paragraph" or intro.quoted or _cited(intro)
            or intro.start >= first_heading
        ):
            return
        intro.role = "intro"
        text = texts[id(intro)]
        if _SENTENCE_END.search(text) or len(text.split()) > _TITLE_WORDS:
            return  # a title line ("Fascination with Violence") is followed by the intro itself


def _sections(blocks: list[Block], texts: dict[int, str], note: Note) -> None:
    """Blocks under a conclusion-like or an introduction heading."""
    levels = {h.start: h.level for h in note.headings}
    starts = sorted(levels)
    stack: list[tuple[int, str | None]] = []  # (level, role the heading gives) of the open headings
    pseudo = False  # under a bold label that names a summary
    for b in blocks:
        if b.kind == "heading":
            pseudo = False
            i = bisect_right(starts, b.start) - 1
            level = levels[starts[i]] if i >= 0 else 1
            text = " ".join(b.text.decode("utf-8", "replace").split())
            while stack and stack[-1][0] >= level:
                stack.pop()
            role = "conclusion" if _CONCLUSION_HEADING.search(text) else "intro" if _INTRO_HEADING.match(text) else None
            stack.append((level, role))
            continue
        if id(b) not in texts:
            continue
        if b.kind == "paragraph" and _pseudo_heading(texts[id(b)]):
            pseudo = True  # "**Summary of Steps:**": the list under it sums up
            continue
        if b.kind != "item":
            pseudo = False
        if b.role is not None or _cited(b):
            continue
        given = next((r for _, r in reversed(stack) if r is not None), None) or ("conclusion" if pseudo else None)
        if given is not None:
            b.role = given


def _pseudo_heading(text: str) -> bool:
    """A short line without a full stop that names a summary (``**Summary of Steps:**``)."""
    return (
        len(text) <= _PSEUDO_HEADING_CHARS + 1 and _PSEUDO_HEADING.fullmatch(text) is not None
        and _CONCLUSION_HEADING.search(text) is not None
    )


def _closing(blocks: list[Block], texts: dict[int, str]) -> None:  # noqa: C901
    """The paragraphs after the note's last citation that end a note with sections: all of them
    when at most :data:`CLOSING_BLOCKS` blocks follow the citation, else those of the last section
    (a longer uncited ending is uncited content, not a wrap-up)."""
    last_cited = max((i for i, b in enumerate(blocks) if _cited(b)), default=None)
    last_heading = max((i for i, b in enumerate(blocks) if b.kind == "heading"), default=None)
    if last_heading is None:
        return  # a note without sections: no wrap-up to tell apart
    if last_cited is None:  # a note that cites nothing: its last paragraph, when it ends the note
        last = next((b for b in reversed(blocks) if id(b) in texts), None)
        if last is not None and last is blocks[-1] and last.kind == "paragraph" and last.role is None:
            last.role = "closing"
        return
    after = blocks[last_cited + 1 :]
    if sum(1 for b in after if id(b) in texts) > CLOSING_BLOCKS:
        after = blocks[max(last_cited, last_heading) + 1 :]
    for b in after:
        if b.kind == "paragraph" and id(b) in texts and b.role is None:
            b.role = "closing"


def _topics(blocks: list[Block], texts: dict[int, str], note: Note) -> None:
    """A section's one-sentence opening paragraph over cited blocks: the topic sentence the
    section's citations back up (``A striking cultural difference is the perception of time.``
    over a cited list)."""
    levels = {h.start: h.level for h in note.headings}
    starts = sorted(levels)

    def level(b: Block) -> int:
        i = bisect_right(starts, b.start) - 1
        return levels[starts[i]] if i >= 0 else 1

    for i, b in enumerate(blocks):
        if b.kind != "heading" or i + 1 >= len(blocks):
            continue
        first = blocks[i + 1]
        if first.kind != "paragraph" or first.quoted or first.role is not None or _cited(first) or id(first) not in texts:
            continue
        text = texts[id(first)]
        if len(_SENTENCE_END.findall(text)) != 1 or len(text.split()) > _TOPIC_WORDS:
            continue
        own = level(b)
        for later in blocks[i + 2 :]:
            if later.kind == "heading" and level(later) <= own:
                break
            if _cited(later):
                first.role = "topic"
                break


def _cited_below(candidates: list[Block], texts: dict[int, str], raw: bytes) -> None:
    """List items cited by an item that holds nothing but citations: their nested item
    (``  - <a …>[01:14:08]</a>``), or the last item of their list (``- **Reference**: <a …>``)."""
    for i, b in enumerate(candidates):
        if b.kind != "item" or not b.citations or _LETTER.search(_LABEL.sub("", texts[id(b)])):
            continue
        indent = _indent(raw, b.start)
        k = i - 1
        while k >= 0 and i - k <= 50 and candidates[k].kind == "item" and _indent(raw, candidates[k].start) >= indent:
            above = candidates[k]
            deeper = _indent(raw, above.start) > indent
            if not deeper and above.role is None and not _cited(above):
                above.role = "cited-below"
            k -= 1
        if k >= 0 and candidates[k].kind == "item" and _indent(raw, candidates[k].start) < indent:
            parent = candidates[k]
            if parent.role is None and not _cited(parent) and k == i - 1:
                parent.role = "cited-below"


def _name_lists(candidates: list[Block], texts: dict[int, str], raw: bytes) -> None:
    """A list most of whose items are names is a list of names: its longer items without a full
    stop are names too (``- Liners of paper cups and soup cans`` among ``- Packaging materials``)."""
    run: list[Block] = []
    run_indent = None  # the indent of the run's items
    for b in [*candidates, None]:
        indent = _indent(raw, b.start) if b is not None and b.kind == "item" else None
        if indent is not None and (not run or indent == run_indent):
            run.append(b)
            run_indent = indent
            continue
        if len(run) >= 3 and 2 * sum(1 for x in run if x.role == "entry") >= len(run):
            for x in run:
                plain = _plain(texts[id(x)])
                if x.role is None and not _cited(x) and len(plain.split()) <= _NAME_WORDS and not plain.rstrip().endswith((".", "!", "?")):
                    x.role = "entry"
        run, run_indent = ([b] if indent is not None else []), indent


def _indent(raw: bytes, offset: int) -> int:
    line = max(raw.rfind(b"\n", 0, offset), raw.rfind(b"\r", 0, offset)) + 1
    return offset - line


def _outline(blocks: list[Block], texts: dict[int, str]) -> None:
    """The items of a list that a paragraph announces as the note's contents ("This guide will cover:")."""
    announced = False
    for b in blocks:
        if id(b) not in texts:
            announced = announced and b.kind != "heading"
            continue
        if b.kind == "item":
            if announced and b.role is None and not _cited(b):
                b.role = "intro"
            continue
        text = texts[id(b)]  # an announcement ends with a colon: the search only where one stands
        announced = b.kind == "paragraph" and text.rstrip().endswith(":") and bool(_OUTLINE.search(text))


def _has_word(text: str) -> bool:
    """Whether ``text`` holds a run of three letters (``CF₁`` holds two: ``₁`` is no letter)."""
    if _ASCII_WORD3.search(text):
        return True  # three ASCII letters in a row: letters, and no modifier letter among them
    for token in _WORD3.findall(text):
        run = 0
        for ch in token:  # a letter, not a modifier letter such as the subscript in CFₙ
            run = run + 1 if ch.isalpha() and unicodedata.category(ch) != "Lm" else 0
            if run >= 3:
                return True
    return False


def _plain(text: str) -> str:
    return _LEAD.sub("", _MARKUP.sub("", text))


def _form_role(block: Block, text: str) -> str | None:
    """What a block is by its form, whatever its place: a formula, a legend, questions, a name."""
    plain = _plain(text)
    if not _has_word(plain):
        return "formula"  # no prose: a formula, a data row  # "CF₁/(1+R)¹ + CF₂/(1+R)²": no word of three letters
    if block.kind == "item" and _LEGEND.match(text.lstrip("*_ ")):
        return "entry"  # "$\\mu$ = population mean": a formula's legend
    if plain.rstrip().endswith("?") and all(q.group().rstrip().endswith("?") for q in _SENTENCE.finditer(plain) if q.group().strip()):
        return "question"
    if block.kind == "item" and not plain.rstrip().endswith((".", "!", "?")):
        words = [w for w in _WORD.findall(plain) if not w.isdigit()]
        if len(words) <= _ENTRY_WORDS:
            return "entry"
    return None


def _own_role(block: Block, text: str) -> str | None:
    """Roles a block has by its own text: summary opener, see-also, framing, gloss, aside."""
    if _cited(block):
        return None
    plain = _plain(text)
    if _SUMMARY_OPENER.match(plain):
        return "conclusion"
    if block.wikilinks and _SEE_ALSO.match(plain):
        return "see-also"
    if _FRAMING.match(plain):
        return "intro"
    if block.kind == "paragraph" and _GLOSS.match(plain):
        return "conclusion"  # "These stages highlight …": the sum of what was cited above
    if block.callout is not None:
        return "aside"
    return None
