"""How well the words of a video's transcript near a time support a claim.

A :class:`VideoIndex` is built once per transcript: each cue's words, and
their inverse document frequency over the cues of that video (TF-IDF fitted
per video, so the words the whole video is about weigh little). A claim is
turned into a :class:`ClaimVector` by the same index; its support in a
window of the video is the cosine between the claim's and the window's
TF-IDF vectors.

Two window shapes are used:

- the *support window* ``[t - before, t + after]`` (default ±30 s): is the
  claim said around the cited time at all;
- the *cue window* ``[s, s + cue_span]`` from a cue's start (default 15 s):
  which cue start is at or just before the supporting words, for naming a
  better time and for choosing between ``data-t`` and label.

All functions are pure: the index holds no state beyond what it was built
from, and caches only what depends on the transcript and the window shape.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field

from .load import Transcript
from .text import tokens


@dataclass(frozen=True, slots=True)
class Windows:
    """The window shapes of the scoring, in seconds."""

    before: float = 30.0
    after: float = 30.0
    cue_span: float = 15.0


@dataclass(frozen=True, slots=True)
class ClaimVector:
    """A claim's TF-IDF weights over the index's vocabulary."""

    weights: dict[str, float]  # term -> tf * idf (terms the transcript has)
    norm: float  # over every term of the claim, unseen ones too

    @property
    def empty(self) -> bool:
        return not self.weights


@dataclass(frozen=True, slots=True)
class BestTime:
    """The best-supported place of the video for a claim."""

    seconds: int  # a cue start, in whole seconds (truncated, as the generator cited)
    score: float  # the support window's score around it


@dataclass
class VideoIndex:
    """A video's transcript prepared for scoring claims."""

    transcript: Transcript
    starts: list[float]
    ends: list[float]
    cue_terms: list[Counter[str]]
    idf: dict[str, float]
    unseen_idf: float
    _norms: dict[tuple[float, float], list[float]] = field(default_factory=dict, repr=False)
    _spans: dict[tuple[float, float], list[tuple[int, int]]] = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls, transcript: Transcript) -> VideoIndex:
        cue_terms = [Counter(tokens(cue.text)) for cue in transcript.cues]
        df: Counter[str] = Counter()
        for terms in cue_terms:
            df.update(terms.keys())
        n = len(cue_terms)
        idf = {term: math.log((n + 1) / (count + 1)) + 1.0 for term, count in df.items()}
        return cls(
            transcript=transcript,
            starts=[cue.start for cue in transcript.cues],
            ends=[cue.end for cue in transcript.cues],
            cue_terms=cue_terms,
            idf=idf,
            unseen_idf=math.log(n + 1) + 1.0,
        )

    @property
    def end(self) -> float:
        return self.transcript.end

    # -- claims ----------------------------------------------------------
    def claim_vector(self, text: str) -> ClaimVector:
        counts = Counter(tokens(text))
        weights = {t: c * self.idf[t] for t, c in counts.items() if t in self.idf}
        norm = math.sqrt(sum((c * self.idf.get(t, self.unseen_idf)) ** 2 for t, c in counts.items()))
        return ClaimVector(weights=weights, norm=norm)

    # -- windows ---------------------------------------------------------
    def cue_range(self, lo: float, hi: float) -> range:
        """Indexes of the cues that overlap ``[lo, hi)``."""
        i0 = bisect_right(self.starts, lo)
        if i0 > 0 and self.ends[i0 - 1] > lo:
            i0 -= 1
        i1 = bisect_left(self.starts, hi)
        return range(i0, max(i0, i1))

    def score(self, claim: ClaimVector, lo: float, hi: float) -> float:
        """Cosine of the claim and the words said in ``[lo, hi)``."""
        if claim.empty or claim.norm == 0:
            return 0.0
        window: Counter[str] = Counter()
        for i in self.cue_range(lo, hi):
            window.update(self.cue_terms[i])
        if not window:
            return 0.0
        idf = self.idf
        dot = sum(w * window[t] * idf[t] for t, w in claim.weights.items() if t in window)
        norm = math.sqrt(sum((c * idf[t]) ** 2 for t, c in window.items()))
        return dot / (claim.norm * norm)

    def coverage(self, claim: ClaimVector, lo: float, hi: float) -> float:
        """The share of the claim's TF-IDF weight whose words are said in ``[lo, hi)``."""
        total = sum(claim.weights.values())
        if not total:
            return 0.0
        said: set[str] = set()
        for i in self.cue_range(lo, hi):
            said.update(self.cue_terms[i])
        return sum(w for t, w in claim.weights.items() if t in said) / total

    def support(self, claim: ClaimVector, seconds: float, windows: Windows = Windows()) -> float:
        """The claim's score in the support window around ``seconds``."""
        return self.score(claim, seconds - windows.before, seconds + windows.after)

    def scan(self, claim: ClaimVector, windows: Windows = Windows()) -> list[float]:
        """The support-window score around each cue start, in cue order."""
        n = len(self.starts)
        if claim.empty or claim.norm == 0 or n == 0:
            return [0.0] * n
        ranges = self._ranges(windows.before, windows.after)
        norms = self._window_norms(windows.before, windows.after)
        idf = self.idf
        per_cue = [0.0] * n
        weights = claim.weights
        for i, terms in enumerate(self.cue_terms):
            dot = 0.0
            for t, w in weights.items():
                c = terms.get(t)
                if c:
                    dot += w * c * idf[t]
            per_cue[i] = dot
        prefix = [0.0]
        for value in per_cue:
            prefix.append(prefix[-1] + value)
        out = []
        for (i0, i1), norm in zip(ranges, norms):
            dot = prefix[i1] - prefix[i0]
            out.append(dot / (claim.norm * norm) if norm else 0.0)
        return out

    def best_time(self, claim: ClaimVector, windows: Windows = Windows(), exclude: tuple[float, float] | None = None) -> BestTime | None:
        """The best-supported cue start, outside ``exclude`` (a ``[lo, hi]`` span) if given."""
        scores = self.scan(claim, windows)
        best_i, best = -1, 0.0
        for i, value in enumerate(scores):
            if exclude is not None and exclude[0] <= self.starts[i] <= exclude[1]:
                continue
            if value > best:
                best_i, best = i, value
        if best_i < 0:
            return None
        center = self.starts[best_i]
        return BestTime(seconds=self.cue_start(claim, center, windows), score=best)

    def cue_start(self, claim: ClaimVector, around: float, windows: Windows = Windows()) -> int:
        """The cue start near ``around`` at which the claim is said, in whole seconds.

        The cue whose window ``[start, start + cue_span)`` scores best, moved
        forward to the first cue in that window that says a word of the claim:
        the generator cited the cue at or just before the supporting words.
        """
        best_i, best = -1, -1.0
        for i in self.cue_range(around - windows.before, around + windows.after):
            s = self.starts[i]
            value = self.score(claim, s, s + windows.cue_span)
            if value > best:
                best_i, best = i, value
        if best_i < 0:
            return int(around)
        limit = self.starts[best_i] + windows.cue_span
        i = best_i
        while i + 1 < len(self.starts) and self.starts[i + 1] < limit and not self._says(claim, i):
            i += 1
        return int(self.starts[i]) if self._says(claim, i) else int(self.starts[best_i])

    def _says(self, claim: ClaimVector, i: int) -> bool:
        terms = self.cue_terms[i]
        return any(t in terms for t in claim.weights)

    def _ranges(self, before: float, after: float) -> list[tuple[int, int]]:
        key = (before, after)
        cached = self._spans.get(key)
        if cached is None:
            cached = []
            for s in self.starts:
                r = self.cue_range(s - before, s + after)
                cached.append((r.start, r.stop))
            self._spans[key] = cached
        return cached

    def _window_norms(self, before: float, after: float) -> list[float]:
        key = (before, after)
        cached = self._norms.get(key)
        if cached is None:
            idf = self.idf
            cached = []
            for i0, i1 in self._ranges(before, after):
                window: Counter[str] = Counter()
                for i in range(i0, i1):
                    window.update(self.cue_terms[i])
                cached.append(math.sqrt(sum((c * idf[t]) ** 2 for t, c in window.items())))
            self._norms[key] = cached
        return cached
