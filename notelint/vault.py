"""The vault index: every note's keys, headings and links, and link resolution.

A note answers to its file name without ``.md``, its ``title`` and each of
its ``aliases`` (SPEC §3). Keys and targets match after Unicode NFC, case
folding, trimming, and treating runs of spaces, underscores and hyphens as
one space; a trailing ``.md`` is ignored; a target with ``/`` matches a path
relative to the vault root (or its tail, as Obsidian does).

Vault rules read :class:`Vault`, built from one :class:`NoteSummary` per
note: what a note contributes to the index, small enough to cache.
"""

from __future__ import annotations

import fnmatch
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from .findings import Finding

_SEPARATORS = re.compile(r"[\s_\-]+")
_SLUG_DROP = re.compile(r"[^\w\s-]")


@lru_cache(maxsize=65536)
def normalize(text: str) -> str:
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    text = text.casefold().strip()
    if text.endswith(".md"):
        text = text[:-3]
    return _SEPARATORS.sub(" ", text).strip()


@lru_cache(maxsize=65536)
def heading_keys(text: str) -> tuple[str, ...]:
    """The forms a heading link may use: its text, and its slug (Quartz, GitHub)."""
    plain = normalize(text)
    slug = normalize(_SLUG_DROP.sub("", text.casefold()))
    return (plain, slug) if slug != plain else (plain,)


@dataclass(slots=True)
class LinkRef:
    target: str
    heading: str | None
    line: int
    col: int
    end_line: int
    end_col: int
    raw: str


@dataclass(slots=True)
class NoteSummary:
    """One note's contribution to the vault index."""

    rel: str  # posix path relative to the vault root
    path: str  # display path
    keys: tuple[str, ...]  # normalized file name, title, aliases
    display: str  # how suggestions name this note (file name without .md)
    headings: frozenset[str] = frozenset()
    video_id: str | None = None
    duration: int | None = None
    # (seconds, line, col, end_line, end_col) of each well-formed citation
    times: list[tuple[int, int, int, int, int]] = field(default_factory=list)
    links: list[LinkRef] = field(default_factory=list)
    checked: bool = True  # findings are wanted for this note (not only its keys)


class Vault:
    def __init__(self, summaries: list[NoteSummary], external: list[str] = ()):
        self.notes: dict[str, NoteSummary] = {s.rel: s for s in summaries}
        self.by_key: dict[str, list[str]] = {}
        self.by_path: dict[str, str] = {}
        self.display_of_key: dict[str, str] = {}
        for s in sorted(summaries, key=lambda s: s.rel):
            for key in s.keys:
                rels = self.by_key.setdefault(key, [])
                if s.rel not in rels:
                    rels.append(s.rel)
                self.display_of_key.setdefault(key, s.display)
            self.by_path[normalize(s.rel)] = s.rel
        self.external = [normalize(p) for p in external]
        self._suggest_cache: dict[str, list[str]] = {}

    def is_external(self, target: str) -> bool:
        key = normalize(target)
        return any(fnmatch.fnmatchcase(key, pat) for pat in self.external)

    def resolve(self, target: str) -> list[str]:
        """The notes (rel paths) a target reaches: [] unresolved, >1 ambiguous."""
        key = normalize(target)
        if "/" in key:
            key = key.lstrip("/")
            if key in self.by_path:
                return [self.by_path[key]]
            suffix = "/" + key
            return sorted(rel for norm, rel in self.by_path.items() if norm.endswith(suffix))
        return self.by_key.get(key, [])

    def suggest(self, target: str, n: int = 3) -> list[str]:
        """The closest existing targets, for 'did you mean'."""
        key = normalize(target)
        if key in self._suggest_cache:
            return self._suggest_cache[key]
        import difflib

        matches = difflib.get_close_matches(key, list(self.by_key), n=n, cutoff=0.6)
        out: list[str] = []
        for m in matches:
            name = self.display_of_key[m]
            if name not in out:
                out.append(name)
        self._suggest_cache[key] = out
        return out

    @staticmethod
    def finding(summary: NoteSummary, code: str, line: int, col: int, end_line: int, end_col: int, message: str) -> Finding:
        from .rules.registry import RULES

        return Finding(
            code=code,
            severity=RULES[code].severity,
            path=summary.path,
            line=line,
            col=col,
            end_line=end_line,
            end_col=end_col,
            message=message,
        )
