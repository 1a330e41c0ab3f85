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
from array import array
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from .findings import Finding

_SEPARATORS = re.compile(r"[\s_\-]+")
_MISSING: list = []
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
def leaves_vault(target: str) -> bool:
    """A target with a ``..`` segment or an absolute path (WL005): never resolved."""
    t = target.replace("\\", "/")
    return t.startswith("/") or t.startswith("~") or ".." in t.split("/") or (len(t) > 1 and t[1] == ":")


@lru_cache(maxsize=65536)
def _bigrams(text: str) -> frozenset[str]:
    return frozenset(text[i : i + 2] for i in range(len(text) - 1)) or frozenset((text,))


@lru_cache(maxsize=65536)
def heading_keys(text: str) -> tuple[str, ...]:
    """The forms a heading link may use: its text, and its slug (Quartz, GitHub)."""
    plain = normalize(text)
    slug = normalize(_SLUG_DROP.sub("", text.casefold()))
    return (plain, slug) if slug != plain else (plain,)


class NoteStats(NamedTuple):
    """Counts for the audit, taken while the note is parsed (plain data: cacheable).

    A claim is a block CL001 would look at (``claim_exemption(block) is None``);
    it is cited when it holds at least one citation anchor. ``citations`` counts
    every citation anchor in the note's blocks. The cited times themselves are
    :attr:`NoteSummary.times`.
    """

    claims: int
    cited_claims: int
    citations: int
    title: str | None  # the front matter title, when it is a string
    channel: str | None  # the source line's wiki-link target


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
    max_time: int | None = None  # the latest time the note cites
    # (readable times, latest, suspect) of its cited times: TS007's reference needs it of every note
    time_profile: tuple[int, int, bool] = (0, 0, False)
    # (seconds, start, end) of each readable citation time, offsets in the note, packed as
    # unsigned 32-bit integers (a tuple per citation would cost 20 times the memory): see cited()
    times: bytes = b""
    # (target, heading, start, end) of each well-formed wiki-link, offsets in the note
    links: list[tuple[str, str | None, int, int]] = field(default_factory=list)
    checked: bool = True  # findings are wanted for this note (not only its keys)
    # audit counts; filled for checked notes only (index-only notes skip the cost)
    stats: NoteStats | None = None


def pack_times(times: list[tuple[int, int, int]]) -> bytes:
    return array("I", [x for t in times for x in t]).tobytes()


def cited(summary: NoteSummary) -> list[tuple[int, int, int]]:
    """The (seconds, start, end) of each citation time a note summary holds."""
    flat = array("I")
    flat.frombytes(summary.times)
    return list(zip(flat[0::3], flat[1::3], flat[2::3]))


class Vault:
    def __init__(self, summaries: list[NoteSummary], external: list[str] = ()):
        self.notes: dict[str, NoteSummary] = {s.rel: s for s in summaries}
        self.by_key: dict[str, list[str]] = {}
        self._by_path: dict[str, str] | None = None  # built on the first target with a "/"
        self.display_of_key: dict[str, str] = {}
        for s in sorted(summaries, key=lambda s: s.rel):
            for key in s.keys:
                rels = self.by_key.setdefault(key, [])
                if s.rel not in rels:
                    rels.append(s.rel)
                self.display_of_key.setdefault(key, s.display)
        self.external = [normalize(p) for p in external]
        self._suggest_cache: dict[str, list[str]] = {}
        self._resolved: dict[str, list[str]] = {}
        self._link_status: dict[str, list[str] | None] = {}  # shared by the link rules
        self._words: dict[str, list[str]] | None = None
        self._prefixes: dict[str, list[str]] = {}

    @property
    def by_path(self) -> dict[str, str]:
        """normalized path (without .md) -> rel, for targets written as paths."""
        if self._by_path is None:
            self._by_path = {normalize(rel): rel for rel in sorted(self.notes)}
        return self._by_path

    def links(self):
        """(summary, target, heading, start, end, found) for each wiki-link of each checked note.

        ``found`` is the notes the target reaches ([] unresolved, more than one
        ambiguous), or None for a target that is empty (a same-note heading
        link), external, or leaves the vault (WL005). Each distinct target is
        resolved once.
        """
        status = self._link_status
        for summary in self.notes.values():
            if not summary.checked:
                continue
            for target, heading, start, end in summary.links:
                found = status.get(target, _MISSING)
                if found is _MISSING:
                    if not target or leaves_vault(target) or self.is_external(target):
                        found = None
                    else:
                        found = self.resolve(target)
                    status[target] = found
                yield summary, target, heading, start, end, found

    def is_external(self, target: str) -> bool:
        key = normalize(target)
        return any(fnmatch.fnmatchcase(key, pat) for pat in self.external)

    def resolve(self, target: str) -> list[str]:
        """The notes (rel paths) a target reaches: [] unresolved, >1 ambiguous."""
        found = self._resolved.get(target)
        if found is None:
            found = self._resolved[target] = self._resolve(target)
        return found

    def _resolve(self, target: str) -> list[str]:
        key = normalize(target)
        if "/" in key:
            key = key.lstrip("/")
            by_path = self.by_path
            if key in by_path:
                return [by_path[key]]
            suffix = "/" + key
            return sorted(rel for norm, rel in by_path.items() if norm.endswith(suffix))
        return self.by_key.get(key, [])

    def suggest(self, target: str, n: int = 3) -> list[str]:
        """The closest existing targets, for 'did you mean'.

        Candidates come from an index of the keys' words (rare words weigh
        more) and of their first four characters; only those few are scored
        with difflib, so a vault of 100,000 notes costs no more per link.
        """
        key = normalize(target)
        cached = self._suggest_cache.get(key)
        if cached is not None:
            return cached
        if self._words is None:
            self._build_suggest_index()
        from collections import Counter

        scores: Counter = Counter()
        limit = max(50, len(self.by_key) // 20)
        for word in set(key.split()):
            posting = self._words.get(word)
            if posting and len(posting) <= limit:
                for k in posting:
                    scores[k] += 1.0 / len(posting)
        candidates = [k for k, _ in scores.most_common(25)]
        candidates += self._prefixes.get(key[:4], [])[:25]
        # Dice similarity of character bigrams: set operations in C, no quadratic matcher.
        grams = _bigrams(key)
        ranked = []
        for cand in dict.fromkeys(candidates):
            other = _bigrams(cand)
            dice = 2 * len(grams & other) / ((len(grams) + len(other)) or 1)
            if dice >= 0.6:
                ranked.append((-dice, cand))
        out: list[str] = []
        for _, cand in sorted(ranked):
            name = self.display_of_key[cand]
            if name not in out:
                out.append(name)
            if len(out) == n:
                break
        self._suggest_cache[key] = out
        return out

    def _build_suggest_index(self) -> None:
        self._words = {}
        self._prefixes = {}
        for k in self.by_key:
            for word in set(k.split()):
                self._words.setdefault(word, []).append(k)
            self._prefixes.setdefault(k[:4], []).append(k)

    @staticmethod
    def finding(summary: NoteSummary, code: str, start: int, end: int, message: str) -> Finding:
        """A vault finding at byte offsets; the checker fills in line and column."""
        from .rules.registry import RULES

        return Finding(
            code=code,
            severity=RULES[code].severity,
            path=summary.path,
            line=0,
            col=0,
            message=message,
            offset=start,
            end_offset=end,
        )
