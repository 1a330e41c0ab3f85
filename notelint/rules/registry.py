"""The one place rule codes live.

Each rule is declared next to its check function with :func:`rule`; the CLI,
``notelint rule CODE``, the SARIF rule metadata and the README table all read
:data:`RULES`. A rule's docstring is its documentation page: a one-line
summary, then the sections "What it does", "Why is this bad?", "Example" and
"Use instead".
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Callable, Iterable

from ..findings import ERROR, INFO, WARNING, Finding  # noqa: F401  (re-exported for rule modules)

NOTE = "note"  # the rule reads one note's document model
VAULT = "vault"  # the rule reads the vault index


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    name: str
    severity: str
    scope: str
    family: str
    check: Callable
    doc: str
    fix: str | None = None  # None, "safe" or "unsafe"
    default: bool = True  # enabled unless selected explicitly
    # runs on channel pages and site pages too, not only on video notes (SPEC §1)
    pages: bool = False

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0].strip()


RULES: dict[str, Rule] = {}


def rule(
    code: str,
    name: str,
    severity: str,
    *,
    scope: str = NOTE,
    fix: str | None = None,
    default: bool = True,
    pages: bool = False,
) -> Callable[[Callable], Callable]:
    """Register a check function as rule ``code``.

    A per-note rule runs on video notes only unless ``pages`` is set: channel
    pages and site pages are checked only for what applies to them (the file,
    the front matter's form, links).
    """

    def register(check: Callable) -> Callable:
        if code in RULES:
            raise RuntimeError(f"rule code {code} registered twice")
        parts = check.__module__.split(".")
        family = parts[2] if parts[:2] == ["notelint", "rules"] and len(parts) > 2 else parts[-1]
        run = check
        if scope == NOTE and not pages:
            run = _video_notes_only(check)
        RULES[code] = Rule(
            code=code,
            name=name,
            severity=severity,
            scope=scope,
            family=family,
            check=run,
            doc=inspect.cleandoc(check.__doc__ or name),
            fix=fix,
            default=default,
            pages=pages or scope != NOTE,
        )
        return check

    return register


def _video_notes_only(check: Callable) -> Callable:
    def run(note, ctx):
        return check(note, ctx) if note.is_video_note else ()

    run.__wrapped__ = check
    return run


def all_rules() -> dict[str, Rule]:
    """Every rule, sorted by code (imports the rule families on first use)."""
    from . import (  # noqa: F401
        claims,
        files,
        frontmatter,
        source_line,
        suppression,
        timestamps,
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


def finding(note, code: str, start: int, end: int, message: str, fix=None):
    """A finding of rule ``code`` on ``note`` spanning byte offsets ``start``-``end``."""
    line, col = note.position(start)
    end_line, end_col = note.position(max(end, start))
    return Finding(
        code=code,
        severity=RULES[code].severity,
        path=note.path,
        line=line,
        col=col,
        message=message,
        end_line=end_line,
        end_col=end_col,
        fix=fix,
        offset=start,
    )


def excerpt(text: str, limit: int = 60) -> str:
    """A one-line excerpt of note text for a message."""
    one = " ".join(text.split())
    return one if len(one) <= limit else one[: limit - 1] + "…"
