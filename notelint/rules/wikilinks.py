"""WL: wiki-links and their resolution across the vault."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence

from ..document import Note, WikiLink
from ..findings import Edit, Finding, Fix
from ..vault import IndexEntry, LinkRef, VaultIndex, leaves_vault
from .registry import ERROR, VAULT, WARNING, RuleContext, finding, rule, vault_finding


@rule("WL001", "unresolved-link", ERROR, scope=VAULT, fix="safe", by_note=True)
def unresolved_link(vault: VaultIndex, ctx: RuleContext, checked: Sequence[IndexEntry]) -> Iterator[Finding]:
    """Wiki-link target does not resolve.

    ## What it does
    Resolves every ``[[target]]`` against the whole vault as the renderer
    does (``link-resolution``, SPEC §3), also when only some files are
    linted, and reports the ones that reach no page:

    * ``quartz`` (a ``quartz.config.ts`` beside the content folder): Quartz
      4.5 exactly, with the site's ``markdownLinkResolution`` (``shortest``,
      ``relative``, ``absolute``): targets match file slugs (no case
      folding, white space as ``-``), front-matter ``aliases`` make redirect
      pages, titles are no keys, a name shared by files in two folders with
      none at the root is Quartz's 404 page, folder pages (``[[folder/]]``)
      and tag pages exist. Checked link by link against Quartz itself on the
      real vault (``tests/test_link_resolution_oracle.py``).
    * ``obsidian`` (the default without a Quartz site): file names without
      regard to case, ``.md`` optional, paths and path tails; titles and
      aliases are no keys (Obsidian writes ``[[file|alias]]``). Case, ``.md``,
      paths and titles are verified by obsidian-export's tests; see
      ``docs/link-resolution.md`` for what is observed only.

    The message names the notes the link most likely meant (lenient
    matching: case, separators, titles and aliases ignored), those in the
    linking note's folder first, else the closest names. Targets declared in
    ``external-targets`` (names or glob patterns, such as channel notes kept
    elsewhere) count as existing. A time written as a wiki-link
    (``[[00:01:02]]``) is TS006's.

    ``--fix`` repairs a link that matches exactly one note leniently: the
    target becomes the name that reaches it (its file name, else its path);
    an alias stays, and a link without alias or heading gets the old target
    as its alias, so the reader sees the same text. The fix is safe when that
    note is in the linking note's folder, unsafe (``--unsafe-fixes``)
    otherwise.

    ## Why is this bad?
    A broken link is a dead end for the reader; after a rename it is also
    the only trace of the note that was meant.

    ## Example
    ```
    See [[suspension_bridge_loads]].
    ```

    ## Use instead
    ```
    See [[suspension_bridge_load_paths]].
    ```
    """
    for entry, link, found in vault.links(checked):
        if found is None or found or _TIME_TARGET.fullmatch(link.target):
            continue  # a time written as a wiki-link ([[00:50:02]]) is TS006's
        yield broken_link(vault, entry, link)


def broken_link(vault: VaultIndex, entry: IndexEntry, link: LinkRef) -> Finding:
    """WL001's finding for a link that reaches no page: the notes it may have meant (lenient
    matches, the linking note's folder first), and the repair when exactly one matches."""
    candidates = vault.candidates(link.target, entry.rel)
    names = [_exact_name(vault, rel, entry.rel) or rel for rel in candidates[:_LISTED]]
    if names:
        hint = f"; did you mean {' or '.join(repr(n) for n in names)}?"
    else:
        close = vault.suggest(link.target)
        hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    fix = None
    # no repair that would write invisible characters (a bidi-isolated folder name, say): NL002
    # removes them again; renaming the file is the repair there
    if (len(candidates) == 1 and link.target_span is not None and names[0] != candidates[0]
            and not any(unicodedata.category(c) == "Cf" for c in names[0])):
        a, b = link.target_span
        same_folder = _folder(candidates[0]) == _folder(entry.rel)
        # the text the reader sees stays: a link without alias or heading shows its target
        text = names[0] if link.alias is not None or link.heading is not None else f"{names[0]}|{link.target}"
        fix = Fix(f"link to {names[0]!r}", (Edit(a, b, text.encode("utf-8")),), safe=same_folder)
    return vault_finding(entry, "WL001", link.start, link.end,
                         f"wiki-link target {link.target!r} {_BROKEN[vault.resolver.mode]}{hint}", fix)


_TIME_TARGET = re.compile(r"[0-9]{1,3}(?::[0-9]{1,2}){1,2}")
_BROKEN = {"quartz": "goes to a missing page on the site", "obsidian": "does not resolve",
           "lenient": "does not resolve"}


def _folder(rel: str) -> str:
    return rel.rsplit("/", 1)[0] if "/" in rel else ""


def _exact_name(vault: VaultIndex, rel: str, source: str) -> str | None:
    """The shortest target that reaches note ``rel`` from ``source``: its name, else its path."""
    entry = vault.notes[rel]
    path = rel[:-3] if rel.endswith(".md") else rel
    site_rel = getattr(vault.resolver, "site_rel", None)
    if site_rel is not None:
        path = site_rel(path) or path
    for name in (entry.stem, path):
        if vault.resolve(name, source) == [rel]:
            return name
    return None


@rule("WL002", "malformed-link", ERROR, fix="safe", pages=True)
def malformed_link(note: Note, ctx: RuleContext) -> Iterator[Finding]:
    """Malformed wiki-link.

    ## What it does
    Reports an empty target (``[[]]``, ``[[|alias]]``), an empty alias
    (nothing after the pipe), more than one pipe, an unbalanced ``[[`` or
    ``]]``, and a newline inside a wiki-link.

    ## Why is this bad?
    The wiki renders such links as literal brackets, or links the wrong
    text.

    ## Example
    ```
    [[bridge_inspection_and_fatigue | ]] and [[cable | stays | design]]
    ```

    ## Use instead
    ```
    [[bridge_inspection_and_fatigue | inspection]] and [[cable_stayed_bridge_design | cable stays]]
    ```
    ``--fix`` removes an empty alias with its pipe (``[[target | ]]``
    becomes ``[[target]]``): the link then shows its target, where Quartz
    shows an empty link text. The fix is safe because the alias held
    nothing to lose. The other forms have no automatic fix.
    """
    for block in note.blocks:
        for link in block.wikilinks:
            if link.problem is not None:
                yield finding(
                    note, "WL002", link.start, link.end, f"malformed wiki-link {link.raw!r}: {link.problem}",
                    _empty_alias_fix(note, link),
                )


def _empty_alias_fix(note: Note, link: WikiLink) -> Fix | None:
    if not link.problem.startswith("empty alias") or not (link.target or link.heading):
        return None
    raw = note.raw[link.start : link.end]
    if not raw.endswith(b"]]"):
        return None
    pipe = raw.rfind(b"|")
    if pipe == -1 or raw[pipe + 1 : -2].strip():
        return None
    if raw[pipe - 1 : pipe] == b"\\":  # "\|" inside a table
        pipe -= 1
    while pipe > 0 and raw[pipe - 1 : pipe] in (b" ", b"\t"):
        pipe -= 1
    return Fix("remove the empty alias", (Edit(link.start + pipe, link.end - 2, b""),))


@rule("WL003", "ambiguous-link", WARNING, scope=VAULT, by_note=True)
def ambiguous_link(vault: VaultIndex, ctx: RuleContext, checked: Sequence[IndexEntry]) -> Iterator[Finding]:
    """Ambiguous wiki-link target: the renderer picks one of several notes.

    ## What it does
    Reports a link that reaches a note only because the renderer chose
    among several candidates, listing them and naming the one picked:

    * ``quartz`` with ``shortest``: a name shared by several files is read
      from the site root, so it works only when a root-level file has that
      name; that file wins (reported here). Without one it is a 404 (WL001).
    * ``obsidian``: of several notes with the name, an exact vault path
      wins, then one spelled with the same case, then one in the linking
      note's folder, then the shortest path (observed in Obsidian, not
      verified by a test suite).

    ## Why is this bad?
    The note the reader lands on depends on where the notes sit, and moves
    when one is added or moved.

    ## Example
    ``x/load_paths.md`` and ``y/load_paths.md``, and ``[[load_paths]]``.

    ## Use instead
    Link by file name or path (``[[bridges/load_paths]]``), or rename one.
    """
    for entry, link, found in vault.links(checked):
        if not found:
            continue
        choices = vault.choices(link.target, entry.rel, link.embed)
        if len(choices) > 1:
            # at most _LISTED names: 50,000 notes sharing a title must not make each message 50,000 names long
            shown = ", ".join(choices[:_LISTED]) + (f" and {len(choices) - _LISTED} more" if len(choices) > _LISTED else "")
            picked = f"; the renderer picks {found[0]}" if len(found) == 1 else ""
            yield vault_finding(
                entry, "WL003", link.start, link.end,
                f"wiki-link target {link.target!r} is ambiguous: it matches {shown}{picked}",
            )


_LISTED = 10


@rule("WL004", "missing-heading", ERROR, scope=VAULT, by_note=True)
def missing_heading(vault: VaultIndex, ctx: RuleContext, checked: Sequence[IndexEntry]) -> Iterator[Finding]:
    """``[[note#Heading]]`` names a heading the target does not have.

    ## What it does
    Checks the heading part of a wiki-link against the headings of the note
    it resolves to. ``quartz``: exactly as the site does, the heading's
    GitHub-style slug (as Quartz's link transform writes it) against the
    page's heading ids (rehype-slug over the rendered headings: repeats get
    ``-1``, ``-2``...). ``obsidian``: by heading text or slug, ignoring case
    and punctuation (Obsidian's exact rule is not verified; this reports only
    headings that match in no such form). ``[[#Heading]]`` checks the note
    itself. Block references (``#^id``) are not checked.

    ## Why is this bad?
    The link lands at the top of the note instead of the section meant,
    usually because the heading was renamed.

    ## Example
    ``[[cable_stayed_bridge_design#Fan layout]]`` where the note has
    ``## Fan and harp layouts``.

    ## Use instead
    ``[[cable_stayed_bridge_design#Fan and harp layouts]]``
    """
    for entry, link, found in vault.links(checked):
        heading = link.heading
        if not heading or heading.startswith("^") or not vault.resolver.link_heading(link):
            continue
        if link.target:
            if found is None or len(found) != 1:
                continue
            rel = found[0]
        else:
            rel = entry.rel
        if rel not in vault.notes or vault.heading_found(rel, link, entry.rel):  # a folder or tag page: headings unknown
            continue
        name = vault.notes[rel].stem
        yield vault_finding(entry, "WL004", link.start, link.end, f"heading {heading!r} not found in {name!r}")


@rule("WL005", "link-leaves-vault", ERROR, pages=True)
def link_leaves_vault(note: Note, ctx: RuleContext) -> Iterator[Finding]:
    """Wiki-link target would leave the vault.

    ## What it does
    Reports a target with a ``..`` segment or an absolute path
    (``/etc/passwd``, ``C:/notes``, ``~/notes``). Such targets are never
    resolved: notelint reads nothing outside the vault.

    ## Why is this bad?
    A published vault cannot link outside itself; such a link breaks when the
    vault is moved or built elsewhere.

    ## Example
    ```
    [[../drafts/bridge_loads]]
    ```

    ## Use instead
    A note inside the vault, or an ``external-targets`` entry.
    """
    for block in note.blocks:
        for link in block.wikilinks:
            if link.problem is None and link.target and leaves_vault(link.target):
                yield finding(note, "WL005", link.start, link.end, f"wiki-link target {link.target!r} leaves the vault")


# a wiki-link as a writer meant it: a target with a letter, no brackets, not starting with white space
# (so bash's "[[ -f x ]]" and matrices "[[0 -1] [1 0]]" are not taken for one)
_CODE_LINK = re.compile(rb"!?\[\[(?=[^\s\[\]])([^\[\]|`\n]*[^\W\d_][^\[\]|`\n]*)(?:\|[^\[\]`\n]*)?\]\]")


@rule("WL006", "wiki-link-in-code", WARNING, fix="unsafe", pages=True)
def wiki_link_in_code(note, ctx):
    """Wiki-link inside a code span.

    ## What it does
    Reports a wiki-link written inside a code span
    (`` `[[ray_dalios_all_weather_portfolio | All Weather Portfolio]]` ``).
    Text in brackets that is no wiki-link (``[[ -f file ]]``, a matrix such
    as ``[[0 -1] [1 0]]``) is not reported. Fenced code blocks are code, not
    prose, and are not looked at.

    ## Why is this bad?
    Inside a code span the brackets render as literal text: the reader sees
    ``[[target | alias]]`` instead of a link, and the link rules never see
    it.

    ## Example
    ```
    He backs the `[[ray_dalios_all_weather_portfolio | All Weather Portfolio]]`.
    ```

    ## Use instead
    ```
    He backs the [[ray_dalios_all_weather_portfolio | All Weather Portfolio]].
    ```
    ``--unsafe-fixes`` removes the backticks when the code span is nothing
    but the wiki-link (unsafe: the text stops being code and becomes a link).
    """
    raw = note.raw
    for start, end in note.code_spans:
        span = raw[start:end]
        if b"[[" not in span:
            continue
        for m in _CODE_LINK.finditer(span):
            link = m.group().decode("utf-8", "replace")
            fix = None
            ticks = len(span) - len(span.lstrip(b"`"))
            if ticks and span[ticks:len(span) - ticks].strip() == m.group() and span.endswith(b"`" * ticks):
                fix = Fix("take the wiki-link out of the code span", (Edit(start, end, m.group()),), safe=False)
            yield finding(
                note, "WL006", start + m.start(), start + m.end(),
                f"wiki-link {link!r} inside a code span renders as literal text", fix,
            )
