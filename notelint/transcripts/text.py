"""Words for scoring: the same tokens from a caption cue and from a claim.

Lower case, letters and digits, English stop words dropped, each word
reduced to its Snowball (Porter 2) stem when ``snowballstemmer`` is
installed, so that "hashes" in a note meets "hash" in the captions.
"""

from __future__ import annotations

import re
from functools import lru_cache

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")

# Function words that say nothing about what a moment of a video is about,
# plus the words every explanatory video uses everywhere.
STOP_WORDS = frozenset(
    """
    a about above after again against all also am an and any are aren't as at be because been before
    being below between both but by can can't cannot could couldn't did didn't do does doesn't doing
    don't down during each even few for from further get gets got had hadn't has hasn't have haven't
    having he he'd he'll he's her here here's hers herself him himself his how how's however i i'd i'll
    i'm i've if in into is isn't it it's its itself just let let's like me more most much must mustn't my
    myself no nor not now of off on once one only or other ought our ours ourselves out over own really
    same say says she she'd she'll she's should shouldn't so some such than that that's the their theirs
    them themselves then there there's these they they'd they'll they're they've thing things this those
    through thus to too under until up upon us very was wasn't way we we'd we'll we're we've were weren't
    what what's when when's where where's whether which while who who's whom why why's will with won't
    would wouldn't yet you you'd you'll you're you've your yours yourself yourselves
    going gonna actually kind sort okay well basically something
    """.split()
)


@lru_cache(maxsize=1)
def _stemmer():
    try:
        import snowballstemmer
    except ImportError:  # the transcripts extra brings it; without it, words stay whole
        return None
    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The Snowball stem of a lower-case word (the word itself without the stemmer)."""
    stemmer = _stemmer()
    return word if stemmer is None else stemmer.stemWord(word)


def tokens(text: str) -> list[str]:
    """The scoring words of ``text``, in order."""
    out = []
    for word in _WORD.findall(text.lower().replace("\u2019", "'")):
        if word in STOP_WORDS:
            continue
        if word.endswith("'s"):
            word = word[:-2]
        out.append(stem(word))
    return out
