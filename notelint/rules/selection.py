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
        site_links,
        source_line,
        suppression,
        timestamps,
        transcripts,
        wikilinks,
    )

    return dict(sorted(RULES.items()))


class UnknownSelector(ValueError):
    """A selector that names no rule; ``args[0]`` is the selector, :attr:`hint` a suggestion."""

    @property
    def hint(self) -> str:
        close = closest_rules(self.args[0])
        return f" (did you mean {' or '.join(close)}?)" if close else ""


def rule_by_name(name: str) -> Rule | None:
    """The rule named ``name`` (``uncited-claim``), or None."""
    wanted = name.strip().lower()
    return next((r for r in all_rules().values() if r.name == wanted), None)


def closest_rules(selector: str, n: int = 2) -> list[str]:
    """Codes and names close to a mistyped selector, for "did you mean"."""
    import difflib

    rules = all_rules()
    words = [*rules, *(r.name for r in rules.values())]
    sel = selector.strip()
    close = difflib.get_close_matches(sel.upper() if sel[:2].isalpha() and sel[2:].isdigit() else sel.lower(),
                                      words, n=n, cutoff=0.6)
    return [f"'{w}'" for w in close]


def expand_selectors(selectors: Iterable[str]) -> set[str]:
    """Turn codes, prefixes and names (``TS``, ``TS00``, ``uncited-claim``, ``ALL``) into rule codes."""
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
            named = rule_by_name(sel)
            if named is None:
                raise UnknownSelector(sel)
            matched = [named.code]
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
