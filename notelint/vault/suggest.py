"""'Did you mean': the closest existing names for a target that reaches no note.

Candidates come from an index of the keys' words (the target's rarest words
only; rare words weigh more) and of their first four characters; only those
few are scored, by the Dice similarity of their character bigrams, computed
on bit masks (one integer per name, a bit per bigram: an AND and a popcount),
so a vault of 100,000 notes costs no more per link. Every ordering is total
(score, then name): the answer never depends on the hash seed.
"""

from __future__ import annotations

import heapq
from bisect import insort
from collections.abc import Iterable

from .resolve import Resolver

CANDIDATES = 25  # by shared rare words, plus up to 10 by prefix
MAX_POSTING = 200  # a word shared by more names than this says nothing about which one


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
        self._bit: dict[str, int] = {}  # bigram -> bit
        self._masks: dict[str, tuple[int, int]] = {}  # name -> (mask, number of bigrams)
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

    def _mask(self, text: str) -> tuple[int, int]:
        found = self._masks.get(text)
        if found is None:
            bit = self._bit
            mask = 0
            for i in range(max(1, len(text) - 1)):
                gram = text[i : i + 2]
                b = bit.get(gram)
                if b is None:
                    b = bit[gram] = 1 << len(bit)
                mask |= b
            found = self._masks[text] = (mask, mask.bit_count())
        return found

    def _candidates(self, key: str) -> list[str]:
        postings = [p for p in (self.words.get(w) for w in set(key.split())) if p and len(p) <= MAX_POSTING]
        scores: dict[str, float] = {}
        # the rarest words say the most: at most three of them, rarest first (ties by their first key)
        for posting in sorted(postings, key=lambda p: (len(p), p[0]))[:3]:
            weight = 1.0 / len(posting)
            for k in posting:
                scores[k] = scores.get(k, 0.0) + weight
        best = heapq.nsmallest(CANDIDATES, [(-s, k) for k, s in scores.items()])  # plain tuples: no key function
        return [k for _, k in best] + self.prefixes.get(key[:4], [])[:10]

    def suggest(self, target: str, n: int = 3) -> list[str]:
        key = self.resolver.normalize(target)
        cached = self._cache.get(key)
        if cached is not None:
            return cached[:n]
        mask, count = self._mask(key)
        ranked = []
        masks = self._masks
        for cand in dict.fromkeys(self._candidates(key)):
            other, other_count = masks.get(cand) or self._mask(cand)
            dice = 2 * (mask & other).bit_count() / ((count + other_count) or 1)
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
