"""Deterministic generator of seed-like vaults for benchmarks and tests.

    python -m benchmarks.generate OUT_DIR --notes N [--seed S] [--defects RATE] [--force]

Writes N video notes shaped like ``shared/seeds/`` (front matter with
``title``, ``videoId`` and sometimes ``aliases``; the source line; headings,
paragraphs, label list items; about 9 KB, about 50 citations and about 19
wiki-links each) into ``OUT_DIR/v000/``, ``OUT_DIR/v001/``, ... (at most
``SHARD_SIZE`` notes per folder), and one channel note per channel into
``OUT_DIR/channels/`` (front matter with only ``title``, then a see-also list
of links to the channel's notes, like the channel pages of the real wiki).

Clean output (``--defects 0``) is meant to give no finding at all under
SPEC.md section 2, except that channel notes have no ``videoId`` and no
source line: like the real wiki's channel pages they need the per-file
ignore ``"channels/*.md" = ["FM003", "SL001"]``.  Every wiki-link resolves
(by file stem, in any case, with or without ``.md``: Obsidian's resolution) to
exactly one note, ``[[stem#Heading]]`` links name a heading the target has, and every
block with prose has a citation or ends with ``:``.

``--defects RATE`` injects, with probability RATE per note, exactly one
known defect (see ``DEFECT_CODES``) and lists them in ``OUT_DIR/defects.tsv``
(tab-separated, header ``path code line``; path relative to OUT_DIR with
``/``; line 1-based: the line of the citation, link or block at fault; 1 for
FM003; for SL001 the first line after the front matter, where the source
line belongs).  Each defect gives exactly one finding of its code and nothing
else.  The defects come from a random stream of their own, so a vault with
defects is the clean vault of the same seed plus the listed edits.

Same arguments, same bytes: every random choice comes from
``random.Random`` seeded with a string derived from the seed (and the note's
index), nothing depends on time, hash order or the file system.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import sys
import time
import unicodedata
from pathlib import Path
from typing import NamedTuple

__all__ = [
    "DEFECT_CODES",
    "SHARD_SIZE",
    "Defect",
    "generate_vault",
    "main",
    "normalize_key",
    "read_defects",
]

SHARD_SIZE = 1000
NOTES_PER_CHANNEL = 100
MAX_CHANNELS = 1000
POOL_SIZE = 4096
MANIFEST_NAME = "defects.tsv"
CHANNEL_DIR = "channels"
DEFECT_CODES = ("TS001", "TS002", "TS003", "TS004", "WL001", "CL001", "FM003", "SL001")

# --------------------------------------------------------------------------
# vocabulary

_NOUNS = """
access accountability adoption agency agreement algorithm allocation analysis
approach architecture assessment audit autonomy awareness balance barrier
benchmark budget bureaucracy capacity capital career center challenge change
citizen city climate coalition collaboration commitment communication
community competition complexity compliance computation consensus constraint
consumer context contract cooperation coordination corruption cost council
crisis culture customer data database debate decision deficit delivery demand
democracy deployment design development dialogue diplomacy disruption
diversity economy ecosystem education efficiency election employment energy
engagement engineering enterprise environment equity evaluation evidence
exchange experiment expertise failure feedback finance flexibility framework
funding governance government growth guidance habit health hierarchy housing
identity impact incentive inclusion income industry inequality inflation
information infrastructure initiative innovation insight institution
integration integrity interest investment knowledge labor landscape language
leadership learning legislation legitimacy literacy logistics machine
management manufacturing market measurement media memory method migration
mission mobility model momentum motivation network neighborhood norm
obligation opportunity organization outcome ownership participation
partnership performance perspective pipeline planning platform policy
population portfolio poverty practice pressure priority privacy procedure
process procurement productivity program progress project proposal prototype
prosperity protocol quality reform region regulation relationship reliability
research resilience resource response responsibility revenue risk routine
safety scale scenario school science security sector service settlement skill
society software solution stability standard strategy structure subsidy
supply support sustainability system talent tax technology tension territory
testing threshold tool trade tradition training transition transparency
transport treaty trust uncertainty union university urbanization value
vision welfare workforce workload
""".split()

_ADJECTIVES = """
active adaptive agile annual applied basic bold broad careful central civic
clear collective common complex concrete consistent core critical cultural
daily decisive deep different digital direct distinct diverse domestic
dynamic early economic effective efficient emerging empirical environmental
essential ethical european everyday explicit external fair federal financial
flexible focused foreign formal fragile fundamental general global gradual
green hidden high historical human hybrid implicit important inclusive
independent individual industrial informal initial innovative institutional
integrated internal international joint key large legal legislative limited
local long major mandatory manual measurable medical modern modest municipal
mutual national natural new novel open operational ordinary organizational
original overall partial personal physical political popular practical
private proactive productive professional public quantitative rapid rational
real regional regulatory relevant remote resilient responsible robust rural
scientific secure senior shared short significant simple small social
specific stable steady strategic strong structural successful sustainable
systemic technical temporary traditional transparent typical uneven unified
universal urban useful visible vital wide
cross-border long-term real-time data-driven evidence-based short-term
high-level low-cost
""".split()

_VERBS = """
accelerate address adopt advance affect align allocate amplify analyze
anticipate assess balance build capture challenge clarify combine compare
complement connect consolidate constrain coordinate create cultivate define
deliver demonstrate deploy design determine develop drive embed emphasize
enable encourage engage enhance ensure establish evaluate expand explain
expose extend facilitate foster frame generate guide highlight identify
illustrate implement improve increase influence inform integrate introduce
invest leverage limit maintain measure mobilize monitor motivate navigate
optimize organize outline prioritize promote protect provide rebuild reduce
reinforce reshape restore reveal scale secure shape simplify stabilize
strengthen structure support sustain test transform underline undermine
unlock
""".split()

_ADVERBS = """
Ultimately Historically Increasingly Importantly Similarly Consequently
Meanwhile Moreover Notably Overall Crucially Practically Initially Gradually
Interestingly Specifically Typically Generally
""".split()

_PREPS = ("in", "across", "within", "for", "through", "beyond", "among", "between", "around", "under", "toward", "with")
_DETS = ("the", "a", "this", "each", "their", "its", "every", "one")
_SUBJECTS = (
    "The speaker", "The panel", "The host", "The guest", "One participant", "The moderator",
    "The presenter", "The interviewee", "The author", "The researcher", "A panelist",
)
_REPORTING = (
    "argues that", "notes that", "explains that", "suggests that", "points out that",
    "emphasizes that", "observes that", "stresses that", "recalls that", "warns that",
)
_AUX = ("can", "must", "should", "could", "will", "may", "helps to", "tends to", "needs to")
_CONNECTORS = ("while", "because", "although", "whereas", "since", "and", "but", "so", "as")
_LEAD_INS = (
    "This includes:", "Key examples include:", "This involved:", "Several points stand out:",
    "The main elements are:", "Examples include:", "This required:", "Key takeaways include:",
)
_HEADING_FIXED = (
    "Introduction", "Background", "Overview", "Challenges", "Benefits and Outcomes",
    "Future Outlook", "Key Takeaways", "Conclusion", "Context", "Recommendations",
    "Lessons Learned", "Implications", "Open Questions", "Case Studies", "Key Concepts",
)

_YAML_NUMBER = re.compile(
    r"[-+]?(?:[0-9][0-9_]*(?:[eE][-+]?[0-9]+)?|0[xX][0-9a-fA-F_]+|0[oO]?[0-7_]+|0[bB][01_]+)"
)
_VIDEO_ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
_KEY_SEPARATORS = re.compile(r"[\s_-]+")
_SLUG = re.compile(r"[^a-z0-9]+")


def normalize_key(text: str) -> str:
    """Link-resolution key (SPEC.md section 3): NFC, casefold, trim, runs of space/_/- as one space."""
    key = unicodedata.normalize("NFC", text).casefold().strip()
    if key.endswith(".md"):
        key = key[:-3]
    return _KEY_SEPARATORS.sub(" ", key).strip()


def _third_person(verb: str) -> str:
    if verb.endswith(("s", "sh", "ch", "x", "z")):
        return verb + "es"
    if verb.endswith("y") and verb[-2] not in "aeiou":
        return verb[:-1] + "ies"
    return verb + "s"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _title_case(text: str) -> str:
    small = {"and", "of", "in", "for", "the", "a", "with", "to", "across", "within", "between", "through"}
    words = text.split(" ")
    return " ".join(w if (k and w in small) else "-".join(_cap(p) for p in w.split("-")) for k, w in enumerate(words))


def _fmt_time(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def _anchor(data_t: str, label: str | None = None) -> str:
    return f'<a class="yt-timestamp" data-t="{data_t}">[{data_t if label is None else label}]</a>'


def _group_text(times: tuple[int, ...], sep: str) -> str:
    return sep.join(_anchor(_fmt_time(t)) for t in times)


# --------------------------------------------------------------------------
# the world: titles, stems, videos, channels, text pools


class _World:
    """Everything shared by all notes of one vault; built once from the seed."""

    def __init__(self, notes: int, seed: int) -> None:
        self.seed = seed
        self.n = notes
        rng = random.Random(f"notelint-bench:{seed}:world")
        nouns, adjs = _NOUNS, _ADJECTIVES
        verbs3 = [_third_person(v) for v in _VERBS]
        ch = rng.choice

        def np_() -> str:
            k = rng.random()
            if k < 0.35:
                return f"{ch(adjs)} {ch(nouns)}"
            if k < 0.6:
                return f"{ch(nouns)} {ch(nouns)}"
            if k < 0.75:
                return f"{ch(adjs)} {ch(nouns)} {ch(nouns)}"
            if k < 0.88:
                return f"{ch(nouns)} and {ch(nouns)}"
            return ch(nouns)

        def head() -> str:
            k = rng.random()
            if k < 0.3:
                return _cap(f"{ch(_DETS)} {ch(adjs)} {ch(nouns)} {ch(verbs3)}")
            if k < 0.5:
                return f"{ch(_SUBJECTS)} {ch(_REPORTING)} {ch(_DETS)} {ch(nouns)} {ch(verbs3)}"
            if k < 0.65:
                return f"{ch(_ADVERBS)}, {ch(_DETS)} {ch(adjs)} {ch(nouns)} {ch(verbs3)}"
            if k < 0.8:
                return _cap(f"{ch(_DETS)} {ch(nouns)} of {ch(nouns)} {ch(verbs3)}")
            return f"{ch(_SUBJECTS)} {ch(_REPORTING)} {ch(nouns)} {ch(_AUX)} {ch(_VERBS)}"

        def tail() -> str:
            k = rng.random()
            if k < 0.25:
                return f"{ch(_PREPS)} {ch(_DETS)} {ch(adjs)} {ch(nouns)}"
            if k < 0.45:
                return f"{ch(_PREPS)} {ch(nouns)} {ch(_PREPS)} {ch(adjs)} {ch(nouns)}"
            if k < 0.75:
                return (
                    f"{ch(_PREPS)} {ch(_DETS)} {ch(nouns)}, {ch(_CONNECTORS)} {ch(_DETS)} {ch(adjs)} "
                    f"{ch(nouns)} {ch(verbs3)} {ch(nouns)} {ch(_PREPS)} {ch(adjs)} {ch(nouns)}"
                )
            return (
                f"and {ch(verbs3)} {ch(_DETS)} {ch(adjs)} {ch(nouns)} {ch(_PREPS)} {ch(nouns)}, "
                f"{ch(_CONNECTORS)} {ch(nouns)} {ch(verbs3)} {ch(_DETS)} {ch(nouns)}"
            )

        self.nps = [np_() for _ in range(POOL_SIZE)]
        self.heads = [head() for _ in range(POOL_SIZE)]
        self.tails = [tail() for _ in range(POOL_SIZE)]
        self.labels = [_title_case(np_()) for _ in range(POOL_SIZE)]
        # whole sentences without a link, the common case, joined once
        self.plain = [f"{ch(self.heads)} {ch(self.nps)} {ch(self.tails)}" for _ in range(2 * POOL_SIZE)]
        self.leadin_heads = [
            f"{ch(('Several', 'Three main', 'Two', 'Various', 'Many'))} {ch(('factors', 'types of', 'aspects of', 'forms of', 'drivers of'))}"
            for _ in range(256)
        ]
        headings: set[str] = set(_HEADING_FIXED)
        while len(headings) < 1500:
            k = rng.random()
            if k < 0.3:
                h = f"{ch(adjs)} {ch(nouns)}"
            elif k < 0.55:
                h = f"{ch(nouns)} and {ch(nouns)}"
            elif k < 0.75:
                h = f"role of {ch(nouns)} in {ch(nouns)}"
            elif k < 0.9:
                h = f"challenges in {ch(adjs)} {ch(nouns)}"
            else:
                h = f"{ch(adjs)} {ch(nouns)} {ch(('strategies', 'outcomes', 'models', 'lessons'))}"
            headings.add(_title_case(h))
        self.headings = sorted(headings)

        # Note titles, stems, aliases: unique after normalisation, over all keys.
        keys: set[str] = set()
        self.titles: list[str] = []
        self.stems: list[str] = []
        self.aliases: list[tuple[str, ...]] = []
        for _ in range(notes):
            while True:
                k = rng.random()
                if k < 0.3:
                    t = f"{ch(adjs)} {ch(nouns)} {ch(_PREPS)} {ch(adjs)} {ch(nouns)}"
                elif k < 0.5:
                    t = f"{ch(nouns)} and {ch(nouns)} {ch(_PREPS)} {ch(nouns)} {ch(nouns)}"
                elif k < 0.65:
                    t = f"role of {ch(nouns)} {ch(_PREPS)} {ch(adjs)} {ch(nouns)}"
                elif k < 0.85:
                    t = f"{ch(adjs)} {ch(nouns)} {ch(nouns)} {ch(_PREPS)} {ch(nouns)}"
                else:
                    t = f"challenges of {ch(adjs)} {ch(nouns)} {ch(nouns)}"
                key = normalize_key(t)
                if key not in keys:
                    break
            keys.add(key)
            self.titles.append(_cap(t))
            self.stems.append(_SLUG.sub("_", t.lower()).strip("_"))
            alias: tuple[str, ...] = ()
            if rng.random() < 0.2:
                a = _cap(f"{ch(nouns)} {ch(nouns)} {ch(nouns)} {ch(('overview', 'basics', 'debate', 'case'))}")
                if normalize_key(a) not in keys:
                    keys.add(normalize_key(a))
                    alias = (a,)
            self.aliases.append(alias)

        # Videos: runs of 3..7 consecutive notes share a videoId.
        self.video_of: list[int] = []
        self.video_ids: list[str] = []
        self.video_len: list[int] = []
        seen_ids: set[str] = set()
        while len(self.video_of) < notes:
            size = min(rng.randint(3, 7), notes - len(self.video_of))
            while True:
                vid = "".join(rng.choice(_VIDEO_ID_CHARS) for _ in range(11))
                if vid not in seen_ids and not _YAML_NUMBER.fullmatch(vid):
                    break
            seen_ids.add(vid)
            self.video_of.extend([len(self.video_ids)] * size)
            self.video_ids.append(vid)
            self.video_len.append(rng.randint(12 * 60, 2 * 3600 + 30 * 60))

        # Channels: contiguous runs of videos, about NOTES_PER_CHANNEL notes each.
        n_videos = len(self.video_ids)
        n_channels = max(1, min(MAX_CHANNELS, -(-notes // NOTES_PER_CHANNEL), n_videos))
        self.channel_of_video = [v * n_channels // n_videos for v in range(n_videos)]
        self.channels: list[str] = []
        names: set[str] = set()
        while len(self.channels) < n_channels:
            name = "".join(ch(nouns) for _ in range(rng.randint(1, 3)))
            if rng.random() < 0.5:
                name = name[:26] + str(rng.randint(1000, 9999))
            key = normalize_key(name)
            if key not in names and key not in keys:
                names.add(key)
                self.channels.append(name)
        self.keys = keys | names
        # citation markup for every second a video can have, built once
        self.anchors = [_anchor(_fmt_time(t)) for t in range(max(self.video_len) + 1)]
        self.shard_width = max(3, len(str(max(0, notes - 1) // SHARD_SIZE)))

    def rel_path(self, i: int) -> str:
        return f"v{i // SHARD_SIZE:0{self.shard_width}d}/{self.stems[i]}.md"

    def plan(self, i: int) -> list[tuple[int, str]]:
        """The headings of note i, as (level, text); other notes link to them."""
        rng = random.Random(f"{self.seed}:plan:{i}")
        texts = rng.sample(self.headings, rng.randint(5, 8))
        return [(2 if k == 0 or rng.random() < 0.7 else 3, t) for k, t in enumerate(texts)]


# --------------------------------------------------------------------------
# one note


class _Note:
    """Builds one note's lines and remembers where its citations and links are."""

    def __init__(self, world: _World, i: int) -> None:
        self.w = world
        self.i = i
        self.rng = random.Random(f"{world.seed}:note:{i}")
        self.length = world.video_len[world.video_of[i]]
        self.lines: list[str] = []
        # Where the citations and links are, for injecting defects.  Text is
        # always built before the line that holds it is emitted, so a record's
        # line is the next one: len(self.lines) when the record is made.
        # (line index, times, separator, text) of every citation group
        self.groups: list[tuple[int, tuple[int, ...], str, str]] = []
        # (line index, link text, target, is heading link)
        self.links: list[tuple[int, str, str, bool]] = []
        self.emit = self.lines.append
        r = self.rng
        self.cites_left = r.randint(42, 54)
        self.links_left = r.randint(16, 22)
        self.heading_links_left = r.randint(1, 3)

    # -- primitives

    def pick(self, pool: list[str]) -> str:
        return pool[int(self.rng.random() * len(pool))]

    def group(self) -> str:
        r = self.rng.random
        anchors = self.w.anchors
        t1 = int(r() * self.length)
        times: tuple[int, ...] = (t1,)
        sep = " "
        text = anchors[t1]
        if self.cites_left >= 2 and r() < 0.45:
            t2 = t1 + 1 + int(r() * 150)
            if t2 < self.length:
                times = (t1, t2)
                k = r()
                sep = " " if k < 0.8 else ", " if k < 0.88 else " and " if k < 0.92 else " - "
                text = anchors[t1] + sep + anchors[t2]
        self.cites_left -= len(times)
        self.groups.append((len(self.lines), times, sep, text))
        return text

    def target(self) -> int:
        n, i, r = self.w.n, self.i, self.rng
        if n == 1:
            return i
        rnd = r.random
        while True:
            j = i - 50 + int(rnd() * 101) if rnd() < 0.5 else int(rnd() * n)
            if 0 <= j < n and j != i:
                return j

    def link(self, display: str | None = None) -> str:
        """A wiki-link to another note; display forces the alias form."""
        w, r = self.w, self.rng
        j = self.target()
        k = r.random()
        if self.heading_links_left > 0 and r.random() < 0.15:
            self.heading_links_left -= 1
            heading = r.choice(w.plan(j))[1]
            form = w.stems[j] if k < 0.7 else w.stems[j].upper()
            target = f"{form}#{heading}"
            text = f"[[{target}]]" if display is None and r.random() < 0.5 else f"[[{target} | {display or self.pick(w.nps)}]]"
            self.links.append((len(self.lines), text, target, True))
            self.links_left -= 1
            return text
        # by file name, as Obsidian resolves (the default link resolution): the stem, in
        # another case, or with .md; the random draws are those of the earlier forms
        # (title, lowercased, kebab- or snake-cased title, alias), so the rest of the note stays
        if k < 0.35:
            target = w.stems[j]
        elif k < 0.6:
            target = w.stems[j].upper()
        elif k < 0.8:
            target = w.stems[j] + ".md"
        elif k < 0.9 or not w.aliases[j]:
            target = w.stems[j].title() if r.random() < 0.5 else w.stems[j].capitalize()
        else:
            target = w.stems[j]
        k = r.random()
        if display is not None or k < 0.55:
            text = f"[[{target} | {display or self.pick(w.nps)}]]"
        elif k < 0.65:
            text = f"[[{target}|{self.pick(w.nps)}]]"
        else:
            text = f"[[{target}]]"
        self.links.append((len(self.lines), text, target, False))
        self.links_left -= 1
        return text

    def want_link(self) -> bool:
        sentences_left = self.cites_left / 1.45 + 1.0
        return self.rng.random() < self.links_left / sentences_left

    def sentence(self, cite: bool = True) -> str:
        w, r = self.w, self.rng.random
        if self.links_left > 0 and self.want_link():
            text = f"{w.heads[int(r() * POOL_SIZE)]} {self.link()} {w.tails[int(r() * POOL_SIZE)]}"
        else:
            text = w.plain[int(r() * 2 * POOL_SIZE)]
        if cite:
            text += " " + self.group()
        return text + "."

    def prose(self, n: int) -> str:
        """n sentences, at least one of them cited (the last, when the draw leaves none)."""
        r = self.rng.random
        cited = [r() < 0.93 for _ in range(n)]
        if not any(cited):
            cited[-1] = True
        return " ".join(self.sentence(c) for c in cited)

    def lead_in(self) -> str:
        """An uncited block that ends with ':' (CL001-exempt)."""
        w, r = self.w, self.rng
        if r.random() < 0.5:
            what = self.link() if self.links_left > 0 and self.want_link() else self.pick(w.nps)
            return f"{self.pick(w.leadin_heads)} {what} {self.pick(w.tails)}:"
        return self.pick(_LEAD_INS)

    def label(self) -> str:
        return self.pick(self.w.labels)

    def item(self, marker: str) -> str:
        r = self.rng.random()
        label = self.label()
        n = 2 if self.rng.random() < 0.2 else 1
        if r < 0.75:
            return f"{marker}**{label}**: {self.prose(n)}"
        if r < 0.95:
            return f"{marker}**{label}:** {self.prose(n)}"
        return f"{marker}**{label}** {self.prose(n)}"

    # -- sections

    def section_paragraphs(self, budget: int) -> None:
        r = self.rng.random
        if r() < 0.7:
            self.emit("")
        stop = self.cites_left - budget
        first = True
        while first or self.cites_left > stop:
            if not first:
                self.emit("")
            first = False
            self.emit(self.prose(1 + int(r() * 3)))

    def section_list(self, budget: int) -> None:
        r = self.rng.random
        k = r()
        if k < 0.4:
            self.emit("")
            self.emit(self.prose(1 + int(r() * 2)) + " " + self.pick(_LEAD_INS))
        elif k < 0.7:
            self.emit("")
            self.emit(self.lead_in())
            if r() < 0.5:
                self.emit("")
        else:
            self.emit("")
        stop = self.cites_left - budget
        n = 0
        while n < 2 or self.cites_left > stop:
            n += 1
            self.emit(self.item("*   "))

    def section_numbered(self, budget: int) -> None:
        self.emit("")
        self.emit(self.lead_in())
        stop = self.cites_left - budget
        n = 0
        while n < 2 or self.cites_left > stop:
            n += 1
            self.emit(self.item(f"{n}.  "))

    def section_containers(self, budget: int) -> None:
        r = self.rng.random
        self.emit("")
        if r() < 0.6:
            self.emit(self.lead_in())
            self.emit("")
        numbered = r() < 0.3
        stop = self.cites_left - budget
        n = 0
        while n < 2 or self.cites_left > stop:
            n += 1
            self.emit(f"{n}.  **{self.label()}**" if numbered else f"*   **{self.label()}**")
            for _ in range(2 + int(r() * 2)):
                self.emit("    *   " + self.prose(1 + int(r() < 0.3)))

    def section_subsections(self, budget: int) -> None:
        r = self.rng.random
        self.emit("")
        self.emit(self.lead_in())
        self.emit("")
        stop = self.cites_left - budget
        n = 0
        while n < 2 or self.cites_left > stop:
            n += 1
            if n > 1:
                self.emit("")
            label = self.label()
            if self.links_left > 0 and r() < 0.5:
                self.emit(f"### {n}. {self.link(label)}")
            else:
                self.emit(f"### {n}. {label}")
            self.emit(self.prose(1 + int(r() * 3)))

    def build(self) -> list[str]:
        w, i, r = self.w, self.i, self.rng
        self.emit("---")
        self.emit(f"title: {w.titles[i]}")
        self.emit(f"videoId: {w.video_ids[w.video_of[i]]}")
        if w.aliases[i]:
            self.emit("aliases:")
            for a in w.aliases[i]:
                self.emit(f"  - {a}")
        self.emit("---")
        self.emit("")
        self.emit(f"From: [[{w.channels[w.channel_of_video[w.video_of[i]]]}]] <br/> ")
        self.emit("")
        self.emit(self.prose(2 + int(r.random() * 2)))
        plan = w.plan(i)
        styles = (
            (0.35, self.section_paragraphs),
            (0.6, self.section_list),
            (0.72, self.section_numbered),
            (0.87, self.section_containers),
            (1.0, self.section_subsections),
        )
        for k, (level, heading) in enumerate(plan):
            budget = max(2, (self.cites_left - 3) // (len(plan) - k))
            self.emit("")
            self.emit("#" * level + " " + heading)
            x = r.random()
            next(f for p, f in styles if x < p)(budget)
        self.emit("")
        self.emit(self.prose(1 + int(r.random() * 2)))
        return self.lines


# --------------------------------------------------------------------------
# defects


class Defect(NamedTuple):
    """One injected defect, as listed in defects.tsv."""

    path: str  # relative to the vault, with '/'
    code: str  # one of DEFECT_CODES
    line: int  # 1-based


def _typo(target: str, keys: set[str], rng: random.Random) -> str:
    """A near miss of target that resolves to nothing."""
    for _ in range(20):
        k = 1 + rng.randrange(max(1, len(target) - 2))
        broken = target[:k] + target[k + 1 :]
        if normalize_key(broken) not in keys and normalize_key(broken):
            return broken
    return target + "x"


def _inject(note: _Note, code: str, rng: random.Random) -> int:
    """Apply one defect of the given code to note.lines; return its 1-based line."""
    lines, groups = note.lines, note.groups
    singles = [g for g in groups if len(g[1]) == 1]
    pairs = [g for g in groups if len(g[1]) == 2]

    def replace(idx: int, old: str, new: str) -> int:
        assert old in lines[idx]
        lines[idx] = lines[idx].replace(old, new, 1)
        return idx + 1

    if code == "TS001":
        short = [g for g in singles if g[1][0] < 3600] or singles
        idx, (t,), _, text = rng.choice(short)
        bad = f"{t // 60:02d}:{t % 60:02d}" if t < 3600 else f"{t // 3600}:{t // 60 % 60:02d}:{t % 60:02d}"
        return replace(idx, text, _anchor(bad))
    if code == "TS002":
        idx, (t,), _, text = rng.choice(singles)
        other = t + 1 if t + 1 < note.length else t - 1
        return replace(idx, text, _anchor(_fmt_time(t), _fmt_time(other)))
    if code in ("TS003", "TS004"):
        if pairs:
            idx, (a, b), sep, text = rng.choice(pairs)
        else:  # no pair in this note: widen a single citation into one
            idx, (b,), sep, text = rng.choice([g for g in singles if g[1][0] > 0])
            a = b - 1
        times = (b, a) if code == "TS003" else (a, a)
        return replace(idx, text, _group_text(times, sep))
    if code == "WL001":
        idx, text, target, _ = rng.choice([lk for lk in note.links if not lk[3]])
        return replace(idx, text, text.replace(target, _typo(target, note.w.keys, rng), 1))
    if code == "CL001":
        # a body claim: not the intro before the first heading, not the closing prose after the last
        # one, not a section's opening line (those are summary-role blocks, CL003)
        headings = [k for k, line in enumerate(lines) if line.startswith("#")]
        first, last = (headings[0], headings[-1]) if headings else (len(lines), len(lines))

        def body_claim(k: int) -> bool:
            opening = lines[k - 1].startswith("#") or (not lines[k - 1] and lines[k - 2].startswith("#"))
            return first < k < last and not opening and not lines[k].endswith(":")

        cited = sorted({g[0] for g in groups if body_claim(g[0])}) or sorted({g[0] for g in groups if not lines[g[0]].endswith(":")})
        idx = rng.choice(cited)
        for g in groups:
            if g[0] == idx:
                lines[idx] = lines[idx].replace(" " + g[3], "", 1)
        return idx + 1
    if code == "FM003":
        assert lines[2].startswith("videoId: ")
        del lines[2]
        return 1
    if code == "SL001":
        idx = next(k for k, line in enumerate(lines) if line.startswith("From: [["))
        del lines[idx : idx + 2]  # the source line and the blank line after it
        return lines.index("---", 1) + 2  # where it belongs: the first line after the front matter
    raise ValueError(f"unknown defect code {code!r}")


# --------------------------------------------------------------------------
# vault


def _channel_note(world: _World, c: int, members: list[int]) -> str:
    out = ["---", f"title: {world.channels[c]}", "---", ""]
    out.extend(f"*   [[{world.stems[i]}]]" for i in members)
    return "\n".join(out) + "\n"


def _write(path: Path, data: bytes) -> None:
    # os.open/os.write: about half the cost of open() per small file, which
    # matters at 100,000 files
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def _prepare(out_dir: Path, overwrite: bool) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise NotADirectoryError(str(out_dir))
    if out_dir.is_dir() and any(out_dir.iterdir()):
        if not overwrite:
            raise FileExistsError(f"{out_dir} is not empty (use --force to replace a generated vault)")
        for entry in sorted(out_dir.iterdir()):
            if entry.is_dir() and not entry.is_symlink() and (re.fullmatch(r"v\d+", entry.name) or entry.name == CHANNEL_DIR):
                shutil.rmtree(entry)
            elif entry.name == MANIFEST_NAME:
                entry.unlink()
    out_dir.mkdir(parents=True, exist_ok=True)


def _write_notes(world: _World, out_dir: Path, start: int, stop: int, defects: float) -> list[Defect]:
    """Write notes start..stop-1; return the defects injected into them."""
    seed = world.seed
    injected: list[Defect] = []
    for i in range(start, stop):
        note = _Note(world, i)
        lines = note.build()
        rel = world.rel_path(i)
        if defects > 0.0:
            drng = random.Random(f"{seed}:defect:{i}")
            if drng.random() < defects:
                code = DEFECT_CODES[int(drng.random() * len(DEFECT_CODES))]
                injected.append(Defect(rel, code, _inject(note, code, drng)))
        _write(out_dir / rel, ("\n".join(lines) + "\n").encode("utf-8"))
    return injected


# A worker process's world: inherited from the parent where processes fork,
# rebuilt (same seed, same world) where they spawn.
_WORKER_WORLD: _World | None = None


def _init_worker(notes: int, seed: int) -> None:
    global _WORKER_WORLD
    if _WORKER_WORLD is None or (_WORKER_WORLD.n, _WORKER_WORLD.seed) != (notes, seed):
        _WORKER_WORLD = _World(notes, seed)


def _write_shard(out_dir: str, start: int, stop: int, defects: float) -> list[Defect]:
    assert _WORKER_WORLD is not None
    return _write_notes(_WORKER_WORLD, Path(out_dir), start, stop, defects)


def generate_vault(
    out_dir: Path,
    notes: int,
    seed: int = 0,
    defects: float = 0.0,
    *,
    overwrite: bool = False,
    jobs: int | None = None,
) -> list[Path]:
    """Write a vault of `notes` notes (plus channel notes) into out_dir.

    Returns the paths written, in order: the video notes, then the channel
    notes.  With defects > 0, also writes out_dir/defects.tsv (see
    read_defects).  jobs is the number of worker processes (default: one per
    CPU, at most 8; vaults of up to 2 shards are written in-process); the
    output does not depend on it.  Raises FileExistsError when out_dir is not
    empty, unless overwrite is true, which first removes a previously generated
    vault's shard folders, channel folder and manifest (nothing else).
    """
    global _WORKER_WORLD
    if notes < 1:
        raise ValueError("notes must be at least 1")
    if not 0.0 <= defects <= 1.0:
        raise ValueError("defects must be between 0 and 1")
    out_dir = Path(out_dir)
    _prepare(out_dir, overwrite)
    world = _World(notes, seed)
    shards = [(k, min(k + SHARD_SIZE, notes)) for k in range(0, notes, SHARD_SIZE)]
    for start, _ in shards:
        (out_dir / world.rel_path(start)).parent.mkdir(exist_ok=True)
    if jobs is None:
        jobs = min(os.cpu_count() or 1, 8)
    manifest: list[Defect] = []
    if jobs > 1 and len(shards) > 2:
        from concurrent.futures import ProcessPoolExecutor

        _WORKER_WORLD = world
        try:
            with ProcessPoolExecutor(min(jobs, len(shards)), initializer=_init_worker, initargs=(notes, seed)) as pool:
                futures = [pool.submit(_write_shard, str(out_dir), a, b, defects) for a, b in shards]
                for future in futures:
                    manifest.extend(future.result())
        finally:
            _WORKER_WORLD = None
    else:
        manifest = _write_notes(world, out_dir, 0, notes, defects)
    written = [out_dir / world.rel_path(i) for i in range(notes)]

    members: list[list[int]] = [[] for _ in world.channels]
    for i in range(notes):
        members[world.channel_of_video[world.video_of[i]]].append(i)
    (out_dir / CHANNEL_DIR).mkdir(exist_ok=True)
    for c, name in enumerate(world.channels):
        path = out_dir / CHANNEL_DIR / f"{name}.md"
        _write(path, _channel_note(world, c, members[c]).encode("utf-8"))
        written.append(path)

    if manifest:
        rows = ["path\tcode\tline"] + [f"{d.path}\t{d.code}\t{d.line}" for d in manifest]
        _write(out_dir / MANIFEST_NAME, ("\n".join(rows) + "\n").encode("utf-8"))
    return written


def read_defects(out_dir: Path) -> list[Defect]:
    """The injected defects listed in out_dir/defects.tsv ([] when there is none)."""
    path = Path(out_dir) / MANIFEST_NAME
    if not path.is_file():
        return []
    rows = path.read_text(encoding="utf-8").splitlines()[1:]
    return [Defect(p, c, int(n)) for p, c, n in (row.split("\t") for row in rows if row)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.generate", description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path, metavar="OUT_DIR")
    parser.add_argument("--notes", type=int, required=True, metavar="N", help="number of video notes")
    parser.add_argument("--seed", type=int, default=0, metavar="S", help="random seed (default 0)")
    parser.add_argument("--defects", type=float, default=0.0, metavar="RATE", help="probability per note of one injected defect (default 0)")
    parser.add_argument("--force", action="store_true", help="replace a previously generated vault in OUT_DIR")
    parser.add_argument("--jobs", type=int, default=None, metavar="J", help="worker processes (default: one per CPU, at most 8); the output does not depend on it")
    args = parser.parse_args(argv)
    if args.notes < 1:
        parser.error("--notes must be at least 1")
    if not 0.0 <= args.defects <= 1.0:
        parser.error("--defects must be between 0 and 1")
    start = time.perf_counter()
    try:
        paths = generate_vault(args.out_dir, args.notes, args.seed, args.defects, overwrite=args.force, jobs=args.jobs)
    except (FileExistsError, NotADirectoryError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    size = sum(p.stat().st_size for p in paths)
    n_defects = len(read_defects(args.out_dir))
    print(
        f"{len(paths)} files ({args.notes} notes), {size / 1e6:.1f} MB, {n_defects} defects, "
        f"{time.perf_counter() - start:.2f} seconds",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
