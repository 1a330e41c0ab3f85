"""'Did you mean': the closest existing names for a target that reaches no note.

Candidates come from an index of the keys' words (the target's rarest words
only; rare words weigh more) and of their first four characters; only those
few are scored, by the Dice similarity of their character bigrams, computed
on bit masks (one integer per name, a bit per bigram: an AND and a popcount),
so a vault of 100,000 notes costs no more per link. Every ordering is total
(score, then name): the answer never depends on the hash seed.

Building those postings costs about 4 microseconds a name (some 35 ms for a
real vault of 8,700 notes), more than a run that shows a few suggestions needs
(pre-commit on one note): the first :data:`LAZY_QUERIES` suggestions read the
postings they need off the sorted names instead (a literal search in one
string, about half a millisecond a word), with the same answers.
"""

from __future__ import annotations

import re
from bisect import bisect_left, insort
from collections.abc import Iterable

from .resolve import Resolver

CANDIDATES = 25  # by shared rare words, plus up to 10 by prefix
MAX_POSTING = 200  # a word shared by more names than this says nothing about which one
LAZY_QUERIES = 12  # suggestions answered before the postings are built
_ODD_SPACE = re.compile(r"[^\S \n]")  # white space str.split() splits on but the lazy reading does not


class Suggester:
    """Built once from the index's keys (``key -> name shown``), in a total order."""

    def __init__(self, names: Iterable[tuple[str, str]], resolver: Resolver):
        self.resolver = resolver
        self.name_of: dict[str, str] = {}
        for key, name in names:
            self.name_of.setdefault(key, name)
        self._words: dict[str, list[str]] | None = None  # built on the LAZY_QUERIES-th suggestion
        self._prefixes: dict[str, list[str]] = {}
        self._sorted: list[str] | None = None  # the names in order, and joined by new lines, until then
        self._joined = ""
        self._odd = False  # a name holds white space the lazy reading would not split on
        self._queries = 0
        self._bit: dict[str, int] = {}  # bigram -> bit
        self._masks: dict[str, tuple[int, int]] = {}  # name -> (mask, number of bigrams)
        self._cache: dict[str, list[str]] = {}

    @property
    def words(self) -> dict[str, list[str]]:
        """word -> the names holding it, in order (built on first use)."""
        if self._words is None:
            words: dict[str, list[str]] = {}
            prefixes: dict[str, list[str]] = {}
            for key in sorted(self.name_of):
                for word in sorted(set(key.split())):
                    words.setdefault(word, []).append(key)
                prefixes.setdefault(key[:4], []).append(key)
            self._words, self._prefixes = words, prefixes
            self._sorted, self._joined = None, ""
        return self._words

    @property
    def prefixes(self) -> dict[str, list[str]]:
        """The first four characters -> the names starting with them, in order."""
        self.words  # noqa: B018 - built together
        return self._prefixes

    def _read_lazily(self) -> bool:
        """Whether this suggestion reads its postings off the sorted names: few suggestions so
        far, and no name the lazy reading would split otherwise than ``str.split``."""
        if self._queries > LAZY_QUERIES:
            return False
        if self._sorted is None:
            self._sorted = sorted(self.name_of)
            self._joined = "\n".join(self._sorted)
            self._odd = _ODD_SPACE.search(self._joined) is not None
        return not self._odd

    def _posting(self, word: str) -> list[str] | None:
        """The names holding ``word``, in order (None for none; past MAX_POSTING, cut short)."""
        if self._words is not None:
            return self._words.get(word)
        joined, out, line = self._joined, [], -1
        for m in re.finditer(re.escape(word) + r"(?![^\n ])", joined):
            start = m.start()
            if start and joined[start - 1] not in "\n ":
                continue  # the end of a longer word
            first = joined.rfind("\n", 0, start) + 1
            if first == line:
                continue  # the word again in the same name
            line = first
            end = joined.find("\n", start)
            out.append(joined[first:end if end >= 0 else len(joined)])
            if len(out) > MAX_POSTING:
                break  # too common to say anything: dropped like a full posting
        return out or None

    def _prefixed(self, prefix: str) -> list[str]:
        """The first ten names whose first four characters are ``prefix``, in order."""
        if self._words is not None:
            return self._prefixes.get(prefix, [])[:10]
        names = self._sorted or []
        i = bisect_left(names, prefix)
        out = []
        while i < len(names) and len(out) < 10 and names[i][:4] == prefix:
            out.append(names[i])
            i += 1
        return out

    # -- kept up to date key by key (the same as building it anew) ------------------
    def put(self, key: str, name: str) -> None:
        """``key`` now names ``name`` (a key of the index, new or not)."""
        self._cache.clear()
        if key in self.name_of:
            self.name_of[key] = name
            return
        self.name_of[key] = name
        if self._words is None:
            self._sorted = None  # read again when next asked
            return
        for word in set(key.split()):
            insort(self._words.setdefault(word, []), key)
        insort(self._prefixes.setdefault(key[:4], []), key)

    def discard(self, key: str) -> None:
        """``key`` is no longer a key of the index."""
        if self.name_of.pop(key, None) is None:
            return
        self._cache.clear()
        if self._words is None:
            self._sorted = None
            return
        for word in set(key.split()):
            _drop(self._words, word, key)
        _drop(self._prefixes, key[:4], key)

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
        self._queries += 1
        if self._words is None and not self._read_lazily():
            self.words  # noqa: B018 - built now
        # the words in order: which three are the rarest, and the scores' sums, never hang on the hash seed
        postings = [p for p in (self._posting(w) for w in sorted(set(key.split()))) if p and len(p) <= MAX_POSTING]
        # the rarest words say the most: at most three of them, rarest first (ties by their first key)
        return _best_scored(sorted(postings, key=lambda p: (len(p), p[0]))[:3]) + self._prefixed(key[:4])

    def suggest(self, target: str, n: int = 3) -> list[str]:
        key = self.resolver.normalize(target)
        cached = self._cache.get(key)
        if cached is not None:
            return cached[:n]
        mask, count = self._mask(key)
        ranked = []
        masks = self._masks
        for cand in dict.fromkeys(self._candidates(key)):
            known = masks.get(cand)
            if known is None:
                # at most len - 1 bigrams, all shared, cannot reach 0.6 when 7 (len - 1) < 3 count:
                # not worth making the mask of
                if 1 < len(cand) and 7 * (len(cand) - 1) < 3 * count:
                    continue
                known = self._mask(cand)
            other, other_count = known
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


def _best_scored(postings: list[list[str]]) -> list[str]:
    """The CANDIDATES names of highest score, ties by name (in no given order: the scoring
    that follows orders them), a name's score being the sum of ``1 / len(posting)`` over the
    postings holding it, added in the postings' order.

    Each posting's names come in at once (``dict.fromkeys``); only the names already scored
    are added to one by one, and the ranking is two sorts without a key function of Python's:
    a common word's posting holds up to MAX_POSTING names."""
    if not postings:
        return []
    scores = dict.fromkeys(postings[0], 1.0 / len(postings[0]))
    for posting in postings[1:]:
        weight = 1.0 / len(posting)
        more = dict.fromkeys(posting, weight)
        more.update(scores)
        for k in scores.keys() & posting:
            more[k] = scores[k] + weight
        scores = more
    if len(scores) <= CANDIDATES:
        return list(scores)
    # by name, then (a stable sort) by score, highest first: ties stay in name order
    return sorted(sorted(scores), key=scores.__getitem__, reverse=True)[:CANDIDATES]


def _drop(postings: dict[str, list[str]], name: str, key: str) -> None:
    posting = postings.get(name)
    if posting is not None and key in posting:
        posting.remove(key)
        if not posting:
            del postings[name]
