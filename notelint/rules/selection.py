"""Which rules run: every rule family, and selectors (codes, prefixes, ``ALL``).

The one module that imports every rule family, so that the registry itself
imports none.
"""

from __future__ import annotations

from collections.abc import Iterable

from .registry import RULES, Rule


def all_rules() -> dict[str, Rule]:
    """Every rule, sorted by code (imports the rule families on first use)."""
    from . import (  # noqa: F401
        claims,
        files,
        frontmatter,
        source_line,
        suppression,
        timestamps,
        transcripts,
        wikilinks,
    )

    return dict(sorted(RULES.items()))


class UnknownSelector(ValueError):
    pass


def expand_selectors(selectors: Iterable[str]) -> set[str]:
    """Turn codes and prefixes (``TS``, ``TS00``, ``ALL``) into rule codes."""
    rules = all_rules()
    out: set[str] = set()
    for sel in selectors:
        s = sel.strip().upper()
        if not s:
            continue
        if s == "ALL":
            out.update(rules)
            continue
        matched = [c for c in rules if c.startswith(s)]
        if not matched:
            raise UnknownSelector(sel)
        out.update(matched)
    return out


def resolve_selection(
    select: Iterable[str] | None,
    extend_select: Iterable[str] = (),
    ignore: Iterable[str] = (),
) -> frozenset[str]:
    rules = all_rules()
    if select is None:
        chosen = {c for c, r in rules.items() if r.default}
    else:
        chosen = expand_selectors(select)
    chosen |= expand_selectors(extend_select)
    chosen -= expand_selectors(ignore)
    return frozenset(chosen)
