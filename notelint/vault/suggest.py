"""'Did you mean': the closest existing names for a target that reaches no note.

Candidates come from an index of the keys' words (rare words weigh more) and
of their first four characters; only those few are scored (Dice similarity of
character bigrams: set operations in C, no quadratic matcher), so a vault of
100,000 notes costs no more per link. Every ordering is total (score, then
name): the answer never depends on the hash seed.
"""

from __future__ import annotations

from bisect import insort
from collections.abc import Iterable
from functools import lru_cache

from .resolve import Resolver


@lru_cache(maxsize=65536)
def _bigrams(text: str) -> frozenset[str]:
    return frozenset(text[i : i + 2] for i in range(len(text) - 1)) or frozenset((text,))


class Suggester:
    """Built once from the index's keys (``key -> name shown``), in a total order."""

    def __init__(self, names: Iterable[tuple[str, str]], resolver: Resolver):
        self.resolver = resolver
        self.name_of: dict[str, str] = {}
        for key, name in names:
            self.name_of.setdefault(key, name)
        self.words: dict[str, list[str]] = {}
        self.prefixes: dict[str, list[str]] = {}
        for key in sorted(self.name_of):
            for word in sorted(set(key.split())):
                self.words.setdefault(word, []).append(key)
            self.prefixes.setdefault(key[:4], []).append(key)
        self._cache: dict[str, list[str]] = {}

    # -- kept up to date key by key (the same as building it anew) ------------------
    def put(self, key: str, name: str) -> None:
        """``key`` now names ``name`` (a key of the index, new or not)."""
        self._cache.clear()
        if key in self.name_of:
            self.name_of[key] = name
            return
        self.name_of[key] = name
        for word in set(key.split()):
            insort(self.words.setdefault(word, []), key)
        insort(self.prefixes.setdefault(key[:4], []), key)

    def discard(self, key: str) -> None:
        """``key`` is no longer a key of the index."""
        if self.name_of.pop(key, None) is None:
            return
        self._cache.clear()
        for word in set(key.split()):
            _drop(self.words, word, key)
        _drop(self.prefixes, key[:4], key)

    def suggest(self, target: str, n: int = 3) -> list[str]:
        key = self.resolver.normalize(target)
        cached = self._cache.get(key)
        if cached is not None:
            return cached[:n]
        scores: dict[str, float] = {}
        limit = max(50, len(self.name_of) // 20)
        for word in sorted(set(key.split())):
            posting = self.words.get(word)
            if posting and len(posting) <= limit:
                weight = 1.0 / len(posting)
                for k in posting:
                    scores[k] = scores.get(k, 0.0) + weight
        best = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:25]
        candidates = [k for k, _ in best] + self.prefixes.get(key[:4], [])[:25]
        grams = _bigrams(key)
        ranked = []
        for cand in dict.fromkeys(candidates):
            other = _bigrams(cand)
            dice = 2 * len(grams & other) / ((len(grams) + len(other)) or 1)
            if dice >= 0.6:
                ranked.append((-dice, cand))
        out: list[str] = []
        for _, cand in sorted(ranked):
            name = self.name_of[cand]
            if name not in out:
                out.append(name)
            if len(out) == 3:
                break
        self._cache[key] = out
        return out[:n]


def _drop(postings: dict[str, list[str]], name: str, key: str) -> None:
    posting = postings.get(name)
    if posting is not None and key in posting:
        posting.remove(key)
        if not posting:
            del postings[name]
