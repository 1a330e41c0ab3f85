"""The vault index and the resolver, directly: entries built from notes, keys, resolution,
headings, incremental add/remove, suggestions, and a resolver that crosses processes."""

from __future__ import annotations

import pickle

from conftest import cite, note

from notelint.parse import parse_note
from notelint.vault import IndexEntry, LenientResolver, LinkRef, VaultIndex, build_entry


def entry(rel: str, text: str) -> IndexEntry:
    return build_entry(parse_note(rel, rel, text.encode("utf-8")))


def test_build_entry_keeps_names_as_written():
    e = entry("bridges/Load_Paths.md", note(
        f"## Fan & harp *layouts*\n\nSee [[Other Note#Part]] {cite('00:01:02')}.\n\n### 1. [[x | Shown text]]\n",
        title="Load paths", header="---\ntitle: Load paths\nvideoId: abcdefghijk\naliases: [Paths, '']\n---\n\n"
        "From: [[chan]] <br/>\n\n"))
    assert (e.rel, e.stem, e.title, e.aliases, e.video_id) == (
        "bridges/Load_Paths.md", "Load_Paths", "Load paths", ("Paths",), "abcdefghijk")
    assert [(h.text, h.shown, h.line) for h in e.headings] == [
        ("Fan & harp *layouts*", "Fan & harp layouts", 9), ("1. [[x | Shown text]]", "1. Shown text", 13)]
    assert [tuple(link)[:2] for link in e.links] == [("chan", None), ("Other Note", "Part"), ("x", None)]
    assert e.max_time == 62 and [t for t, _, _ in e.cited()] == [62]


def test_lenient_keys_and_resolution():
    r = LenientResolver()
    a = entry("a/Load_Paths.md", note("x\n", title="Bridge Loads"))
    b = entry("b/load paths.md", note("x\n", title="Other"))
    index = VaultIndex([a, b], r)
    assert r.keys(a) == ("load paths", "bridge loads")
    assert index.resolve("LOAD-PATHS") == ["a/Load_Paths.md", "b/load paths.md"]  # ambiguous
    assert index.resolve("bridge loads") == ["a/Load_Paths.md"]
    assert index.resolve("b/load_paths") == ["b/load paths.md"]  # a path from the root
    assert index.resolve("missing") == []
    assert index.resolve("") is None and index.resolve("../x") is None  # not looked up


def test_external_targets_and_headings():
    r = LenientResolver(["chan*"])
    a = entry("a.md", note("## Fan and harp layouts\n\nText.\n", title="A"))
    index = VaultIndex([a], r)
    assert index.resolve("channel_one") is None
    assert set(r.heading_keys("Fan and harp layouts")) <= index.heading_keys("a.md")
    assert r.heading_keys("fan-and-harp-layouts")[0] in index.heading_keys("a.md")  # the slug form


def test_add_remove_and_referrers():
    r = LenientResolver()
    a = entry("a.md", note("See [[b]].\n", title="A"))
    index = VaultIndex([a], r)
    assert index.resolve("b") == []
    index.add(entry("b.md", note("x\n", title="Bee")))
    assert index.resolve("b") == ["b.md"] and index.resolve("bee") == ["b.md"]
    index.add(entry("b.md", note("x\n", title="Renamed")))  # the note changed its title
    assert index.resolve("bee") == [] and index.resolve("renamed") == ["b.md"]
    assert index.referrers({"b"}, set()) == ["a.md"]
    index.remove("b.md")
    assert index.resolve("b") == [] and "b.md" not in index.notes


def test_links_yield_typed_records():
    a = entry("a.md", note("See [[b#Part]] and [[#Local]].\n", title="A"))
    index = VaultIndex([a, entry("b.md", note("x\n", title="B"))], LenientResolver())
    out = list(index.links([a]))
    assert [(e.rel, link.target, link.heading, found) for e, link, found in out] == [
        ("a.md", "chan", None, []), ("a.md", "b", "Part", ["b.md"]), ("a.md", "", "Local", None)]
    assert all(isinstance(link, LinkRef) for _, link, _ in out)


def test_suggestions_are_total_ordered():
    notes = [entry(f"{name}.md", note("x\n", title=name)) for name in ("load_paths_a", "load_paths_b", "loads")]
    index = VaultIndex(notes, LenientResolver())
    assert index.suggest("load paths") == ["load_paths_a", "load_paths_b"]
    assert index.suggest("load paths", 1) == ["load_paths_a"]


def test_resolver_is_a_plain_value():
    r = LenientResolver(["chan*"])
    copy = pickle.loads(pickle.dumps(r))
    assert copy.is_external("Channel") and copy.keys(entry("x.md", note("y\n", title="T"))) == ("x", "t")


def _state(index: VaultIndex, targets: list[str]) -> tuple:
    """What an index answers: resolutions, suggestions, heading keys, referrers of every key."""
    suggested = {t: index.suggest(t) for t in targets}
    s = index._suggester
    return (
        {t: index.resolve(t) for t in targets}, suggested,
        {rel: index.heading_keys(rel) for rel in index.notes},
        dict(index.by_key), dict(index.by_path),
        (dict(s.name_of), dict(s.words), dict(s.prefixes)) if s is not None else None,
    )


def test_an_index_updated_note_by_note_answers_as_one_built_anew():
    r = LenientResolver()
    names = ["load_paths", "load_path_b", "cable_stays", "cable_stayed_design", "deck_loads", "sub/load_paths"]
    notes = {n: entry(f"{n}.md", note(f"## Part {i}\n\nSee [[load paths]] and [[sub/load_paths]].\n", title=f"T {n}"))
             for i, n in enumerate(names)}
    targets = ["load paths", "load path", "cable stay", "t deck_loads", "renamed title", "sub/load_paths", "deck"]
    index = VaultIndex(list(notes.values())[:3], r)
    _state(index, targets)  # derive everything, so that the updates below must keep it right
    steps = [
        ("add", notes["cable_stayed_design"]), ("add", notes["deck_loads"]), ("add", notes["sub/load_paths"]),
        ("add", entry("deck_loads.md", note("## Other\n\nx\n", title="Renamed title"))),  # keys and headings change
        ("add", entry("deck_loads.md", note("## Other\n\nmore text\n", title="Renamed title"))),  # nothing named changes
        ("remove", "load_paths.md"), ("remove", "missing.md"), ("add", notes["load_paths"]),
    ]
    live = {e.rel: e for e in list(notes.values())[:3]}
    for op, arg in steps:
        if op == "add":
            index.add(arg)
            live[arg.rel] = arg
        else:
            index.remove(arg)
            live.pop(arg, None)
        assert _state(index, targets) == _state(VaultIndex(list(live.values()), r), targets), (op, arg)


def test_lazy_suggestions_answer_as_the_built_postings():
    """The first suggestions read their postings off the sorted names; every answer is the one
    the built postings give (common words cut past MAX_POSTING, prefixes shorter than four)."""
    import random

    from notelint.vault import suggest
    from notelint.vault.resolve import normalize

    rng = random.Random(7)
    words = ["load", "loads", "path", "paths", "a", "an", "cable", "stay", "deck", "de", "x"]
    names = {normalize(" ".join(rng.choice(words) for _ in range(rng.randint(1, 4)))) for _ in range(600)}
    names |= {f"common {i}" for i in range(suggest.MAX_POSTING + 5)} | {"ab", "abcd", "abcde"}
    targets = ["load path", "paths deck", "ab", "abcd x", "common load", "de de", "cabel stays", "an a", "zz"]
    r = LenientResolver()
    built = suggest.Suggester(((n, n) for n in names), r)
    built.words  # noqa: B018 - postings built before any suggestion
    for t in targets:
        lazy = suggest.Suggester(((n, n) for n in names), r)
        assert lazy.suggest(t) == built.suggest(t), t
        assert lazy._words is None  # answered without building them
        key = normalize(t)
        assert lazy._candidates(key) == built._candidates(key), t


def test_suggestion_candidates_are_the_highest_scored_names_ties_by_name():
    """A candidate's score is the sum of 1 / len(posting) over the (at most three) postings
    holding it: the CANDIDATES best are those a name-by-name scoring ranks first, (-score, name)."""
    import random

    from notelint.vault import suggest

    rng = random.Random(11)
    pool = [f"n{i:03}" for i in range(300)]
    for _ in range(400):
        postings = [sorted(rng.sample(pool, rng.choice([1, 3, 7, 24, 26, 60, 200]))) for _ in range(rng.randint(0, 3))]
        postings.sort(key=lambda p: (len(p), p[0]))
        scores: dict[str, float] = {}
        for posting in postings:
            for k in posting:
                scores[k] = scores.get(k, 0.0) + 1.0 / len(posting)
        expected = [k for _, k in sorted((-s, k) for k, s in scores.items())[: suggest.CANDIDATES]]
        assert sorted(suggest._best_scored(postings)) == sorted(expected), postings
    # equal scores: the first names in order are kept
    tied = [[f"t{i:02}" for i in range(40)]]
    assert sorted(suggest._best_scored(tied)) == tied[0][: suggest.CANDIDATES]


def test_link_rules_in_chunks_with_bounded_resolutions_find_the_same(monkeypatch):
    """The by-note vault rules run a chunk of notes at a time and forget resolutions past a
    bound: on the real notes, in chunks of 7 with at most 10 resolutions kept, every finding
    is the one a single pass finds, in the same order."""
    from conftest import SHARED, lint_vault

    from notelint.run import finish

    def findings():
        result = lint_vault(SHARED / "corpus" / "real")
        return [(f.code, f.path, f.line, f.col, f.message) for f in result.findings]

    whole = findings()
    assert {"WL001", "TS007"} <= {f[0] for f in whole}
    monkeypatch.setattr(finish, "CHUNK", 7)
    monkeypatch.setattr(finish, "RESOLUTIONS", 10)
    assert findings() == whole


def test_heading_links_with_the_heading_keys_forgotten_after_each_chunk_find_the_same(tmp_path, monkeypatch):
    """The heading keys of the notes links reach are forgotten past a fifth of the resolutions'
    bound: in chunks of one note, with both forgotten after every chunk and every note's headings
    set aside in the spill file, each link to a heading (found, missing, in a note linked again
    from a later chunk) gets the findings of one pass."""
    import importlib

    from conftest import lint_vault

    from notelint.run import finish, payload

    for name in ("alpha", "beta"):
        (tmp_path / f"{name}.md").write_text(note(f"""
            ## Setup {name}

            The {name} setup is shown {cite("00:01:00")}.

            ## Results

            The results are shown {cite("00:02:00")}.
            """, title=name.title()), encoding="utf-8")
    for i in range(4):
        (tmp_path / f"linker{i}.md").write_text(note(f"""
            See [[alpha#Setup alpha]], [[alpha#Results]], [[beta#Setup beta]] and [[beta#Gone {i}]] {cite("00:03:00")}.
            """, title=f"Linker {i}"), encoding="utf-8")

    def findings():
        return [(f.code, f.path, f.line, f.col, f.message) for f in lint_vault(tmp_path).findings]

    whole = findings()
    assert [f[0] for f in whole].count("WL004") == 4  # one missing heading in each linking note
    monkeypatch.setattr(finish, "CHUNK", 1)
    monkeypatch.setattr(finish, "RESOLUTIONS", 1)  # both caches emptied after every chunk
    forgotten = []
    real_bound = VaultIndex.bound_resolutions

    def bound(self, limit):
        forgotten.append(len(self._headings))
        real_bound(self, limit)

    monkeypatch.setattr(VaultIndex, "bound_resolutions", bound)
    monkeypatch.setattr(importlib.import_module("notelint.run.check"), "SPILL_MIN", 1)
    read_back = []
    real_packed = payload._SpilledHeadings.packed.fget
    monkeypatch.setattr(payload._SpilledHeadings, "packed", property(lambda h: read_back.append(1) or real_packed(h)))
    assert findings() == whole
    assert max(forgotten) >= 1 and len(forgotten) >= 6  # heading keys were kept, then forgotten
    assert len(read_back) >= 2  # the targets' headings were read back from the spill file


def test_link_rules_in_forked_workers_find_the_same(monkeypatch):
    """With more than one job, the by-note vault rules run in forked workers (a chunk each at a
    time) while the parent runs the others: on the real notes, in chunks of 7 over 2 workers,
    every finding (position, fix included) is the one of one process, in the same order, and the
    workers did run them (a spy counts the chunks they took)."""
    from conftest import SHARED, lint_vault

    from notelint.run import finish, workers

    def findings(jobs):
        from notelint.config import Settings
        from notelint.discover import walk
        from notelint.run import check
        from notelint.rules.selection import resolve_selection

        root = SHARED / "corpus" / "real"
        settings = Settings(root=root, vault=root)
        settings.selected = resolve_selection(None, (), ())
        files = walk(root, root, root, [])
        result = check(files, files, settings, jobs=jobs)
        return [(f.code, f.path, f.line, f.col, f.end_line, f.end_col, f.message, f.fix) for f in result.findings]

    one = findings(1)
    assert one == [(f.code, f.path, f.line, f.col, f.end_line, f.end_col, f.message, f.fix)
                   for f in lint_vault(SHARED / "corpus" / "real").findings]
    assert {"WL001", "TS007"} <= {f[0] for f in one}
    monkeypatch.setattr(finish, "CHUNK", 7)
    monkeypatch.setattr(finish, "PARALLEL_MIN", 14)
    taken = []
    real_start_map = workers.start_map

    def spy(fn, items, *args, **kwargs):
        items = list(items)
        taken.append((fn.__name__, len(items)))
        return real_start_map(fn, items, *args, **kwargs)

    monkeypatch.setattr(finish, "start_map", spy)
    assert findings(2) == one
    assert ("_by_note_chunk", 21) in taken  # 147 notes, chunks of 7


def test_notes_by_video_follow_every_change_of_the_index():
    """``on_videos`` answers as a scan of every note would (each video's notes in the index's
    order), after notes are added, removed, and moved to another video."""
    def on(video, rel, title="T"):
        return entry(rel, note("x\n", title=title, video=video))

    index = VaultIndex([on("aaaaaaaaaaa", "n1.md"), on("bbbbbbbbbbb", "n2.md"), on("aaaaaaaaaaa", "n3.md")],
                       LenientResolver())

    def scan(videos):
        return [e for v in videos for e in index.notes.values() if e.video_id == v]

    assert [e.rel for e in index.on_videos(["aaaaaaaaaaa"])] == ["n1.md", "n3.md"]
    index.add(on("aaaaaaaaaaa", "n0.md"))  # new: after the others, as in index.notes
    index.add(on("bbbbbbbbbbb", "n1.md"))  # moved to the other video
    index.add(on("aaaaaaaaaaa", "n3.md", title="Retitled"))  # refiled on the same video
    index.remove("n2.md")
    for videos in (["aaaaaaaaaaa"], ["bbbbbbbbbbb"], ["bbbbbbbbbbb", "aaaaaaaaaaa"], ["ccccccccccc"]):
        assert index.on_videos(videos) == scan(videos)
    assert [e.rel for e in index.on_videos(["aaaaaaaaaaa"])] == ["n0.md", "n3.md"]


def test_known_keys_are_taken_as_they_are_and_let_go_of_once_filed():
    """The keys a cache kept are filed as they are (not computed again), and each mode's are
    held no longer than its index's building: a large vault's are 100,000 entries a mode."""
    from notelint.vault.obsidian_mode import ObsidianResolver

    notes = [entry("a.md", note("x\n", title="Alpha")), entry("b.md", note("y\n", title="Beta"))]
    known = {"obsidian": {"a.md": ("kept a",)}, "lenient": {"b.md": ("kept b",)}}
    index = VaultIndex(notes, ObsidianResolver(), known)
    assert index.keys_of("a.md") == ("kept a",) and index.computed == {"b.md"}
    assert set(index._known) == {"lenient"}
    assert index.lenient.keys_of("b.md") == ("kept b",) and index.lenient.computed == {"a.md"}
    assert index._known == {} and index.lenient._known == {}
    assert index.resolve("kept a") == ["a.md"] and index.lenient.resolve("kept b") == ["b.md"]
    index.keys_kept()
    assert index.computed == set() and index.lenient.computed == set()
    fresh = VaultIndex(notes, ObsidianResolver())  # none known: every note's computed, no set held for it
    assert fresh.computed == {"a.md", "b.md"} and fresh._computed is None
    assert fresh.lenient.computed == {"a.md", "b.md"} and fresh.computed_keys == {"a.md", "b.md"}
