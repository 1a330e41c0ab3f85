"""The cache, directly: hits by modification time and size, content comparison, per-video
dependency keys, vault findings reused only when nothing changed, sharded saves."""

from __future__ import annotations

import importlib
import json
import os

import pytest

from conftest import cite, note

from notelint.cache import _MAGIC, Cache, CacheEntry
from notelint.config import Settings
from notelint.discover import walk
from notelint.rules.selection import resolve_selection
from notelint.run import check, workers


def setup(tmp_path, n=4, videos=None):
    vault = tmp_path / "v"
    vault.mkdir()
    for i in range(n):
        video = "aaaaaaaaaaa" if i % 2 == 0 else "bbbbbbbbbbb"
        (vault / f"n{i}.md").write_text(note(f"Claim {cite('00:05:00')}.\n", title=f"N{i}", video=video))
    settings = Settings(root=tmp_path, vault=vault, external_targets=["chan"])
    if videos is not None:
        settings.videos_file = tmp_path / "videos.json"
        settings.videos_file.write_text(json.dumps(videos))
    settings.selected = resolve_selection(None)
    return vault, settings


def run(vault, settings, tmp_path, spy=None):
    files = walk(vault, vault, tmp_path, [])
    return check(files, files, settings, cache=Cache(tmp_path / ".cache", "k"))


def linted(monkeypatch):
    """The rels each run lints (the cache answers for the others)."""
    seen: list[str] = []
    real = workers.lint_note

    def spy(file, *a, **kw):
        seen.append(file.rel)
        return real(file, *a, **kw)

    monkeypatch.setattr(workers, "lint_note", spy)
    return seen


def test_a_warm_run_lints_nothing_and_reuses_the_vault_findings(tmp_path, monkeypatch):
    vault, settings = setup(tmp_path)
    first = run(vault, settings, tmp_path)
    seen = linted(monkeypatch)
    second = run(vault, settings, tmp_path)
    assert seen == []
    assert [(f.code, f.path, f.line) for f in second.findings] == [(f.code, f.path, f.line) for f in first.findings]
    assert second.index is None  # the vault rules did not run: their findings came from the cache


def test_an_edit_relints_that_note_only(tmp_path, monkeypatch):
    vault, settings = setup(tmp_path)
    run(vault, settings, tmp_path)
    seen = linted(monkeypatch)
    (vault / "n1.md").write_text(note(f"Claim {cite('00:06:00')}.\n", title="N1", video="bbbbbbbbbbb"))
    run(vault, settings, tmp_path)
    assert seen == ["n1.md"]


def test_same_size_edit_with_old_mtime_is_caught_by_content(tmp_path, monkeypatch):
    vault, settings = setup(tmp_path)
    path = vault / "n1.md"
    old = path.read_text()
    st = os.stat(path)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns - 10_000_000_000))  # not 'just modified'
    run(vault, settings, tmp_path)
    st = os.stat(path)
    path.write_text(old.replace("00:05:00", "00:05:01"))  # same size
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # and the old modification time
    cache = Cache(tmp_path / ".cache", "k")
    hit, stale = cache.lookup("n1.md", os.stat(path))
    assert hit is None and stale is not None  # the status change time moved: compare the content
    seen = linted(monkeypatch)
    result = run(vault, settings, tmp_path)
    assert seen == ["n1.md"]
    assert [f.code for f in result.findings if f.path.endswith("n1.md")] == []


def test_editing_one_videos_duration_relints_only_that_videos_notes(tmp_path, monkeypatch):
    vault, settings = setup(tmp_path, videos={"aaaaaaaaaaa": 600, "bbbbbbbbbbb": 600})
    assert not run(vault, settings, tmp_path).findings
    seen = linted(monkeypatch)
    settings.videos_file.write_text(json.dumps({"aaaaaaaaaaa": 200, "bbbbbbbbbbb": 600}))
    result = run(vault, settings, tmp_path)
    assert sorted(seen) == ["n0.md", "n2.md"]
    assert sorted({(f.code, f.path) for f in result.findings}) == [("TS005", "v/n0.md"), ("TS005", "v/n2.md")]


def test_entries_are_plain_tuples_in_shards(tmp_path):
    vault, settings = setup(tmp_path)
    run(vault, settings, tmp_path)
    cache = Cache(tmp_path / ".cache", "k")
    assert set(cache.entries) == {f"n{i}.md" for i in range(4)}
    entry = CacheEntry(*cache.entries["n0.md"])
    assert entry.index[0] == "N0" and entry.has_details is False and len(entry.digest) == 16
    assert (tmp_path / ".cache" / ".gitignore").read_text() == "# Created by notelint automatically.\n*\n"



def _aliased(alias: str) -> str:
    return note("Claim.\n", title="N0").replace("title: N0\n", f"title: N0\naliases: [{alias}]\n")


def keyed(monkeypatch) -> list[tuple[str, str]]:
    """(resolver mode, rel) of every note whose keys a resolver computes."""
    from notelint.vault.obsidian_mode import ObsidianResolver
    from notelint.vault.quartz_mode import QuartzResolver
    from notelint.vault.resolve import LenientResolver

    seen: list[tuple[str, str]] = []
    for cls in (LenientResolver, ObsidianResolver, QuartzResolver):
        def spy(self, entry, real=cls.keys):
            seen.append((self.mode, entry.rel))
            return real(self, entry)

        monkeypatch.setattr(cls, "keys", spy)
    return seen


def test_the_index_takes_the_keys_it_filed_last_time_for_unchanged_notes(tmp_path, monkeypatch):
    """keys.bin: a run's index files every unchanged note under the keys it had (none computed
    again, the lenient index's either), a changed one under its new keys (quartz mode: an
    alias is a key), and resolves as a run without the cache does."""
    vault, settings = setup(tmp_path)
    settings.link_resolution = "quartz"
    (vault / "n0.md").write_text(_aliased("Old name"))
    (vault / "n1.md").write_text(note("See [[New name]] and [[n3]] and [[missin]].\n", title="N1"))
    seen = keyed(monkeypatch)
    first = run(vault, settings, tmp_path)
    assert ("WL001", 5) in [(f.code, f.col) for f in first.findings if f.path.endswith("n1.md")]  # not yet
    assert sorted(set(seen)) == [(m, f"n{i}.md") for m in ("lenient", "quartz") for i in range(4)]
    seen.clear()
    (vault / "n0.md").write_text(_aliased("New name"))
    second = run(vault, settings, tmp_path)
    assert sorted(seen) == [("lenient", "n0.md"), ("quartz", "n0.md")]
    files = walk(vault, vault, tmp_path, [])
    fresh = check(files, files, settings)
    assert [(f.code, f.path, f.line, f.col) for f in second.findings] == \
        [(f.code, f.path, f.line, f.col) for f in fresh.findings]
    assert ("WL001", 5) not in [(f.code, f.col) for f in second.findings if f.path.endswith("n1.md")]


def test_the_keys_of_a_few_edited_notes_among_many_are_computed_again_not_written(tmp_path, monkeypatch):
    """keys.bin is not written again for a few edited notes among many (under a hundredth): the
    next runs compute their keys again, and find what a run without the cache finds; past a
    hundredth of the notes, the keys are written again."""
    vault, settings = setup(tmp_path, n=250)
    (vault / "n1.md").write_text(note("See [[n2]] and [[missin]].\n", title="N1"))
    run(vault, settings, tmp_path)
    keys_file = next((tmp_path / ".cache").glob("*/keys.bin"))
    stored = keys_file.read_bytes()

    def edit(*numbers):
        for i in numbers:
            (vault / f"n{i}.md").write_text(note(f"Claim {cite('00:06:00')}.\n", title=f"N{i} again"))

    def computed(*numbers):
        return sorted((mode, f"n{i}.md") for mode in ("lenient", "obsidian") for i in numbers)

    seen = keyed(monkeypatch)
    edit(3)
    run(vault, settings, tmp_path)
    assert sorted(set(seen)) == computed(3) and keys_file.read_bytes() == stored
    seen.clear()
    edit(6)
    second = run(vault, settings, tmp_path)
    assert sorted(set(seen)) == computed(3, 6) and keys_file.read_bytes() == stored  # n3's again, a few microseconds
    files = walk(vault, vault, tmp_path, [])
    assert [(f.code, f.path, f.line, f.col) for f in second.findings] == \
        [(f.code, f.path, f.line, f.col) for f in check(files, files, settings).findings]
    seen.clear()
    edit(4, 5)  # four notes of 250: past a hundredth, written again
    run(vault, settings, tmp_path)
    assert sorted(set(seen)) == computed(3, 4, 5, 6) and keys_file.read_bytes() != stored
    seen.clear()
    edit(7)
    run(vault, settings, tmp_path)
    assert sorted(set(seen)) == computed(7)


def test_damaged_stored_keys_are_filed_anew(tmp_path, monkeypatch):
    import marshal

    vault, settings = setup(tmp_path)
    first = run(vault, settings, tmp_path)
    keys_file = next((tmp_path / ".cache").glob("*/keys.bin"))
    digest = Cache(tmp_path / ".cache", "k").entries["n0.md"][3]
    keys_file.write_bytes(_MAGIC + marshal.dumps({"obsidian": {"n0.md": (digest, [2]), "n2.md": ([1], "x")}}))
    (vault / "n1.md").write_text(note(f"Claim {cite('00:06:00')}.\n", title="N1", video="bbbbbbbbbbb"))
    seen = keyed(monkeypatch)
    second = run(vault, settings, tmp_path)
    assert sorted(seen) == [("obsidian", f"n{i}.md") for i in range(4)]
    assert [f.code for f in second.findings] == [f.code for f in first.findings]


def test_stored_keys_are_not_held_once_read_and_a_mode_not_filed_again_stays(tmp_path, monkeypatch):
    """keys.bin is let go of once read: saving keys reads it again only for a stored mode the
    run did not file (its lenient index not built), which stays as it was."""
    d = {"a.md": b"1" * 16, "b.md": b"2" * 16}
    both = {"quartz": {"a.md": ("x",), "b.md": ("y", "z")}, "lenient": {"a.md": ("x",)}}
    first = Cache(tmp_path / ".cache", "k")
    first.remember_index_keys(both, d)
    first.save()
    reads = []
    real_read = Cache._read

    def read(self, name):
        reads.append(name)
        return real_read(self, name)

    monkeypatch.setattr(Cache, "_read", read)
    cache = Cache(tmp_path / ".cache", "k")
    assert cache.index_keys(d) == both and cache._keys is None and reads == ["keys.bin"]
    cache.remember_index_keys({"quartz": {"a.md": ("w",)}}, {"a.md": d["a.md"]})  # no lenient index
    cache.save()
    assert reads == ["keys.bin", "keys.bin"]
    cache = Cache(tmp_path / ".cache", "k")
    assert cache.index_keys(d) == {"quartz": {"a.md": ("w",)}, "lenient": {"a.md": ("x",)}}
    cache.remember_index_keys({"quartz": {"b.md": ("v",)}, "lenient": {"b.md": ("v",)}}, d)  # every mode filed
    cache.save()
    assert reads == ["keys.bin"] * 3  # not read again
    assert Cache(tmp_path / ".cache", "k").index_keys(d) == {"quartz": {"b.md": ("v",)}, "lenient": {"b.md": ("v",)}}


def test_decoded_links_stay_packed_and_read_as_the_records(tmp_path):
    """A decoded entry keeps its links as the marshal bytes they were stored as, and reads
    them as the LinkRef records linting made: iterated, counted, indexed, compared; a
    damaged blob fails the decoding (the note is linted again), as a damaged record does."""
    import marshal

    import pytest

    from notelint.rules.registry import RuleContext
    from notelint.run.lint import lint_file
    from notelint.run.payload import DECODE_ERRORS, _Links, decode, encode, entry_from_plain, packed_entry

    vault, settings = setup(tmp_path, n=1)
    (vault / "n0.md").write_text(note("See [[n1]], [[n2#Part|the part]] and ![[n3]].\n", title="N0"))
    files = walk(vault, vault, tmp_path, [])
    made = lint_file(files[0], RuleContext(settings))
    payload = encode(made)
    decoded = decode(files[0], payload.index, payload.detail, True).entry
    assert isinstance(decoded.links, _Links)
    assert list(decoded.links) == list(made.entry.links) and len(decoded.links) == 4  # the source line links too
    assert decoded.links == made.entry.links and decoded.links[2].heading == "Part"
    assert decoded.links[1:] == tuple(made.entry.links[1:]) and decoded.links[-1].embed
    assert packed_entry(made.entry).links == made.entry.links
    assert encode(made).detail == payload.detail  # packed again as it was: one layout
    times, _, stats = marshal.loads(payload.detail)[2]
    for damaged in (marshal.dumps(((1, 2),)), b"\xff", marshal.dumps("not links")):
        with pytest.raises(DECODE_ERRORS):
            entry_from_plain("n0.md", payload.index, (times, damaged, stats))


def test_decoded_headings_stay_packed_and_read_as_the_records(tmp_path):
    """A decoded entry keeps its headings packed (their texts in one string, lengths and lines
    as integers) and reads them as the HeadingRef records linting made: written and shown
    text (a wiki-link in a heading shows its alias), a setext heading of two lines, non-ASCII
    text, an empty heading; packed again byte for byte; a damaged packed form fails."""
    import pytest

    from notelint.rules.registry import RuleContext
    from notelint.run.lint import lint_file
    from notelint.run.payload import DECODE_ERRORS, _Headings, decode, encode, entry_from_plain, packed_entry

    vault, settings = setup(tmp_path, n=1)
    body = ("## Über [[n1|the first]] part\n\nText.\n\nTwo\nlines\n===\n\n##\n\n"
            "### Plain é\n\nMore.\n")
    (vault / "n0.md").write_text(note(body, title="N0"))
    files = walk(vault, vault, tmp_path, [])
    made = lint_file(files[0], RuleContext(settings))
    assert [(h.text, h.shown) for h in made.entry.headings] == [
        ("Über [[n1|the first]] part", "Über the first part"), ("Two\nlines", "Two lines"), ("", ""),
        ("Plain é", "Plain é")]
    payload = encode(made)
    decoded = decode(files[0], payload.index, None, False).entry
    assert isinstance(decoded.headings, _Headings)
    assert list(decoded.headings) == list(made.entry.headings) and len(decoded.headings) == 4
    assert decoded.headings == made.entry.headings and decoded.headings[1].line == made.entry.headings[1].line
    assert packed_entry(made.entry).headings == made.entry.headings
    assert encode(made).index == payload.index == encode(decode(files[0], payload.index, None, False)).index
    text, numbers = payload.index[2]
    for damaged in ((text + "x", numbers), (text, numbers[:-1]), (text, b""), ((1, 2), numbers), (text,),
                    (("a", "a", 1),)):
        with pytest.raises(DECODE_ERRORS):
            entry_from_plain("n0.md", (*payload.index[:2], damaged, *payload.index[3:]), None)


def test_stored_keys_of_a_mode_not_filed_this_run_are_kept(tmp_path, monkeypatch):
    """A run that builds no lenient index (no broken link) keeps the lenient keys stored by
    the last run that did: the next run with a broken link files no unchanged note anew."""
    vault, settings = setup(tmp_path)
    (vault / "n1.md").write_text(note("See [[missin]].\n", title="N1"))
    run(vault, settings, tmp_path)  # lenient keys stored
    (vault / "n1.md").write_text(note("See [[n2]].\n", title="N1"))
    run(vault, settings, tmp_path)  # no broken link: no lenient index
    (vault / "n1.md").write_text(note("See [[missing]].\n", title="N1"))
    seen = keyed(monkeypatch)
    run(vault, settings, tmp_path)
    assert sorted(seen) == [("lenient", "n1.md"), ("obsidian", "n1.md")]


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("cached", [False, True])
def test_a_large_run_sets_links_aside_and_finds_the_same(tmp_path, monkeypatch, jobs, cached):
    """From ``SPILL_MIN`` notes, worker blobs and every note's packed links, headings and cited
    times go to a temporary file until read: on the real notes (the threshold lowered to 10, the workers'
    to 20), one process or a pool, with a cache or not, the findings are those of a run that
    keeps them in memory (TS007's among them, which reads the times), and the links were read
    back from the file."""
    from conftest import CORPUS

    from notelint.cache import Cache
    from notelint.config import Settings
    from notelint.discover import walk
    from notelint.rules.selection import resolve_selection
    from notelint.run import payload, workers
    from notelint.spill import SpilledBytes

    check_mod = importlib.import_module("notelint.run.check")

    settings = Settings(root=CORPUS, vault=CORPUS)
    settings.selected = resolve_selection(None, (), ())
    files = walk(CORPUS, CORPUS, CORPUS, [])

    def findings(cache_dir):
        cache = Cache(cache_dir, "key") if cached else None
        result = check_mod.check(files, files, settings, jobs=jobs, cache=cache)
        return [(f.code, f.path, f.line, f.col, f.message, f.fix) for f in result.findings], result

    kept, _ = findings(tmp_path / "kept")
    monkeypatch.setattr(check_mod, "SPILL_MIN", 10)
    monkeypatch.setattr(workers, "PARALLEL_MIN", 20)
    read = []
    real_get = check_mod.Spill.get
    monkeypatch.setattr(check_mod.Spill, "get", lambda self, at, size: read.append(size) or real_get(self, at, size))
    spilled, result = findings(tmp_path / "spilled")
    assert spilled == kept and {"WL001", "TS007"} <= {f[0] for f in kept}
    linked = [r.entry for r in result.results.values() if r.entry is not None and r.entry.links]
    assert linked and all(isinstance(e.links, payload._SpilledLinks) for e in linked)
    assert len(read) >= len(linked)  # every note's links read back from the file at least once
    timed = [r.entry for r in result.results.values() if r.entry is not None and r.entry.times]
    assert timed and all(isinstance(e.times, SpilledBytes) for e in timed)
    titled = [r.entry for r in result.results.values() if r.entry is not None and r.entry.headings]
    # headings too: with a cache, the run lets go of its entries (the index parts they come from)
    assert titled and all(isinstance(e.headings, payload._SpilledHeadings) for e in titled)
    if cached:  # the details waited in the spill file, and the cache wrote what it writes without one
        import marshal

        from notelint.cache import _MAGIC

        def shards(folder):
            return {p.name: marshal.loads(p.read_bytes()[len(_MAGIC):]) for p in folder.rglob("*.bin")}

        written = shards(tmp_path / "spilled")
        assert shards(tmp_path / "kept") == written
        assert sum(name.startswith("detail-") for name in written) > 10


def test_a_run_without_a_cache_decodes_each_worker_result_as_it_comes(tmp_path, monkeypatch):
    """Without a cache, a pool's results are decoded one by one as they come, not held until the
    last one comes (some 700 bytes a generated note): the same findings as one process."""
    from notelint.run import workers

    check_mod = importlib.import_module("notelint.run.check")
    vault, settings = setup(tmp_path, n=8)
    (vault / "n0.md").write_text(note("See [[missin]] and [[n1]].\n", title="N0"))
    files = walk(vault, vault, tmp_path, [])
    alone = [(f.code, f.path, f.line, f.col, f.message) for f in check(files, files, settings).findings]
    monkeypatch.setattr(workers, "PARALLEL_MIN", 2)
    came, decoded = [0], []
    real_lint_all, real_decode = check_mod.lint_all, check_mod.decode

    def lint_all(*a, **kw):
        for done in real_lint_all(*a, **kw):
            came[0] += 1
            yield done

    def decode(*a, **kw):
        decoded.append(came[0])
        return real_decode(*a, **kw)

    monkeypatch.setattr(check_mod, "lint_all", lint_all)
    monkeypatch.setattr(check_mod, "decode", decode)
    pooled = check(files, files, settings, jobs=2)
    assert decoded == list(range(1, 9))  # the n-th decoded once n results came
    assert [(f.code, f.path, f.line, f.col, f.message) for f in pooled.findings] == alone
    assert ("WL001", "v/n0.md") in {(f.code, f.path) for f in pooled.findings}


@pytest.mark.parametrize("way", ["one process", "pool", "cache"])
def test_a_note_without_findings_or_directives_holds_no_list_of_its_own(tmp_path, monkeypatch, way):
    """Most notes of a large run have neither findings nor suppression comments: their results
    share one empty tuple, however they were made; the others keep theirs."""
    from notelint.run import workers

    vault, settings = setup(tmp_path, n=4)
    (vault / "n0.md").write_text(note("Uncited claim.\n\n<!-- notelint: disable-next-line=CL001 -->\nAnother.\n",
                                      title="N0"))
    monkeypatch.setattr(workers, "PARALLEL_MIN", 2)
    files = walk(vault, vault, tmp_path, [])
    cache = Cache(tmp_path / ".cache", "k") if way == "cache" else None
    result = check(files, files, settings, jobs=1 if way == "one process" else 2, cache=cache)
    by_rel = {r.file.rel: r for r in result.results.values()}
    quiet = [by_rel[f"n{i}.md"] for i in (1, 2, 3)]
    assert all(type(r.findings) is tuple and not r.findings and type(r.directives) is tuple and not r.directives
               for r in quiet)
    assert by_rel["n0.md"].findings and by_rel["n0.md"].directives
    assert [f.code for f in result.findings] == [f.code for f in check(files, files, settings).findings]


def test_a_part_set_aside_is_held_as_one_integer():
    """What a large run sets aside costs one integer a part (offset and length together), and
    reads back as it was written."""
    from notelint.spill import Spill, SpilledBytes, size_of

    spill = Spill()
    first, second = spill.keep(b"first"), spill.keep(b"the second part")
    assert type(first) is int and type(second) is int and size_of(second) == 15
    assert (spill.read(first), spill.read(second)) == (b"first", b"the second part")
    aside = spill.aside(b"x" * 1000)
    assert type(aside) is SpilledBytes and len(aside) == 1000 and aside and aside == b"x" * 1000
    assert bytes(aside) == b"x" * 1000 and spill.aside(b"") == b""


def test_a_spill_file_that_fills_up_keeps_the_rest_in_memory(monkeypatch):
    """No space left for the spill file (pwrite fails after a few notes): what could not be
    written stays in memory, and the findings are those of a run without a spill file."""
    import errno

    from conftest import CORPUS

    from notelint.config import Settings
    from notelint.discover import walk
    from notelint.rules.selection import resolve_selection
    from notelint import spill
    from notelint.run import payload

    check_mod = importlib.import_module("notelint.run.check")
    settings = Settings(root=CORPUS, vault=CORPUS)
    settings.selected = resolve_selection(None, (), ())
    files = walk(CORPUS, CORPUS, CORPUS, [])
    kept = [(f.code, f.path, f.line, f.col, f.message) for f in check_mod.check(files, files, settings).findings]
    monkeypatch.setattr(check_mod, "SPILL_MIN", 10)
    writes = []
    real_pwrite = os.pwrite

    def pwrite(fd, data, at):
        writes.append(at)
        if len(writes) > 5:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_pwrite(fd, data, at)

    monkeypatch.setattr(spill.os, "pwrite", pwrite)
    result = check_mod.check(files, files, settings)
    assert [(f.code, f.path, f.line, f.col, f.message) for f in result.findings] == kept
    kinds = {type(r.entry.links) for r in result.results.values() if r.entry.links}
    assert kinds == {payload._SpilledLinks, payload._Links}  # the first few set aside, the rest kept
    assert {type(r.entry.times) for r in result.results.values() if r.entry.times} == {spill.SpilledBytes, bytes}
    assert {type(r.entry.headings) for r in result.results.values() if r.entry.headings} == {
        payload._SpilledHeadings, payload._Headings}


def test_after_an_edit_the_vault_rules_run_only_on_the_notes_it_may_concern(tmp_path, monkeypatch):
    """A run after an edit that leaves every name and heading where it was takes the stored
    vault findings of the notes the edit cannot concern, and runs the vault rules on the
    others: the edited note, and the notes on its video when its cited times changed (TS007
    reads them). A heading renamed, a title changed, a note added or removed: the notes
    linking to its names besides. After each edit the findings are those of a run without a
    cache, messages and fixes included."""
    from notelint.run import finish as finish_mod
    from notelint.run import reuse

    # two notes of six with a broken link: past the share that makes every note's anew (a
    # name gained or lost concerns them), which the end of the test checks; lowered till then
    monkeypatch.setattr(reuse, "BROKEN_SHARE", 1)
    vault = tmp_path / "v"
    vault.mkdir()
    video = "ccccccccccc"

    def times(*ts):
        return " ".join(cite(t) for t in ts)

    def write(name, body, title=None, on=video):
        (vault / name).write_text(note(body, title=title or name[:-3], video=on))

    write("r1.md", f"## Part\n\nClaim {times('00:05:00', '00:10:00', '00:14:20')}.\n")
    write("r2.md", f"Claim {times('00:04:00', '00:09:00', '00:14:00')}.\n")
    write("x.md", f"Claim {times('00:50:00', '00:55:00', '00:58:00')}.\n")
    write("y.md", f"See [[r1#Part]] and [[x]] and [[missin]]. {cite('00:01:00')}\n", on="ddddddddddd")
    write("z.md", f"See [[y]]. {cite('00:01:00')}\n", on="eeeeeeeeeee")
    settings = Settings(root=tmp_path, vault=vault, external_targets=["chan"])
    settings.selected = resolve_selection(None)
    ran: list[set[str]] = []
    real = finish_mod._vault_rules

    def spy(index, ctx, results, by_rel, jobs):
        ran.append({r.file.rel for r in results})
        return real(index, ctx, results, by_rel, jobs)

    monkeypatch.setattr(finish_mod, "_vault_rules", spy)

    def same_as_fresh():
        files = walk(vault, vault, tmp_path, [])
        cached = check(files, files, settings, cache=Cache(tmp_path / ".cache", "k")).findings
        fresh = check(files, files, settings).findings
        key = [(f.code, f.path, f.line, f.col, f.end_line, f.end_col, f.message, f.fix) for f in cached]
        assert key == [(f.code, f.path, f.line, f.col, f.end_line, f.end_col, f.message, f.fix) for f in fresh]
        return ran[-2], {(f.code, f.path) for f in cached}  # the cached run's, then the fresh one's

    every = {"r1.md", "r2.md", "x.md", "y.md", "z.md"}
    assert same_as_fresh()[0] == every
    # prose added above y's links: y alone
    write("y.md", f"New line.\n\nSee [[r1#Part]] and [[x]] and [[missin]]. {cite('00:01:00')}\n", on="ddddddddddd")
    ran_on, found = same_as_fresh()
    assert ran_on == {"y.md"} and {("WL001", "v/y.md"), ("TS007", "v/x.md")} <= found
    # r1's latest time moves up: the notes on its video (x is no longer an outlier)
    write("r1.md", f"## Part\n\nClaim {times('00:05:00', '00:10:00', '00:20:00')}.\n")
    ran_on, found = same_as_fresh()
    assert ran_on == {"r1.md", "r2.md", "x.md"} and ("TS007", "v/x.md") not in found
    # a line above r1's heading (it moves, its text stays): r1 alone
    write("r1.md", f"Intro.\n\n## Part\n\nClaim {times('00:05:00', '00:10:00', '00:20:00')}.\n")
    assert same_as_fresh()[0] == {"r1.md"}
    # the heading renamed: r1, the notes linking to it (y's link to it breaks), those on its video
    write("r1.md", f"Intro.\n\n## Piece\n\nClaim {times('00:05:00', '00:10:00', '00:20:00')}.\n")
    ran_on, found = same_as_fresh()
    assert ran_on == {"r1.md", "y.md", "r2.md", "x.md"} and ("WL004", "v/y.md") in found
    # a note added: it, and the notes linking to its names (y's broken link now resolves)
    write("missin.md", f"Claim {cite('00:01:00')}.\n", on="fffffffffff")
    ran_on, found = same_as_fresh()
    assert ran_on == {"missin.md", "y.md"} and ("WL001", "v/y.md") not in found
    # another title: the notes linking to the note (y), and those with a link that reaches
    # nothing (z: its 'did you mean' now names the note, which obsidian mode does not link by title)
    write("z.md", f"See [[y]] and [[Other]]. {cite('00:01:00')}\n", on="eeeeeeeeeee")
    assert same_as_fresh()[0] == {"z.md"}
    write("missin.md", f"Claim {cite('00:01:00')}.\n", title="Other", on="fffffffffff")
    ran_on, found = same_as_fresh()
    assert ran_on == {"missin.md", "y.md", "z.md"} and ("WL001", "v/z.md") in found
    # a note removed: the notes linking to it (y's link breaks again), those on its video, those
    # with a link that reaches nothing; and back
    (vault / "x.md").unlink()
    ran_on, found = same_as_fresh()
    assert ran_on == {"y.md", "r1.md", "r2.md", "z.md"} and ("WL001", "v/y.md") in found
    write("x.md", f"Claim {times('00:50:00', '00:55:00', '00:58:00')}.\n")
    assert same_as_fresh()[0] == {"x.md", "y.md", "r1.md", "r2.md", "z.md"}
    # a one-note run in between stores its own findings: the next whole run starts anew, right
    files = walk(vault, vault, tmp_path, [])
    write("z.md", f"See [[y]] again. {cite('00:01:00')}\n", on="eeeeeeeeeee")
    one = [f for f in files if f.rel == "z.md"]
    check(one, files, settings, cache=Cache(tmp_path / ".cache", "k"))
    write("x.md", f"Claim {times('00:50:00', '00:55:00', '00:59:00')}.\n")
    same_as_fresh()
    # nothing changed: the stored findings of this very state, no vault rule
    before = len(ran)
    run(vault, settings, tmp_path)
    assert len(ran) == before
    # a note added, and one note of six with a broken link: more than a tenth, every note anew
    write("z.md", f"See [[y]] and [[Nowhere]]. {cite('00:01:00')}\n", on="eeeeeeeeeee")
    assert same_as_fresh()[0] == {"z.md"}
    monkeypatch.setattr(reuse, "BROKEN_SHARE", 10)
    write("w.md", f"Claim {cite('00:01:00')}.\n", on="fffffffffff")
    assert same_as_fresh()[0] == every | {"missin.md", "w.md"}


def test_a_large_run_writes_its_entries_and_lets_go_of_them_before_the_vault_rules(tmp_path, monkeypatch):
    """From ``SPILL_MIN`` notes (lowered to 3), a run that checks notes writes the shards it
    changed once its look-ups are done and holds no entry through the vault rules; the next
    runs (after an edit, after a note is removed) read them back and find what a run without
    a cache finds, and the removed note's entry is gone."""
    check_mod = importlib.import_module("notelint.run.check")
    monkeypatch.setattr(check_mod, "SPILL_MIN", 3)
    vault, settings = setup(tmp_path, n=6)
    (vault / "n0.md").write_text(note(f"Claim about [[n9]] {cite('00:05:00')}.\n", title="N0"))
    held = []
    real_finish = check_mod.finish

    def finish(*a, **kw):
        held.append(cache._entries)
        return real_finish(*a, **kw)

    monkeypatch.setattr(check_mod, "finish", finish)
    # and before its own are decoded, without reading an index shard again for their details
    decoding, reads = [], []
    real_decode, real_read = check_mod.decode, Cache._read

    def decode(*a, **kw):
        decoding.append(cache._entries)
        return real_decode(*a, **kw)

    def read(self, name):
        reads.append((len(decoding), name))
        return real_read(self, name)

    monkeypatch.setattr(check_mod, "decode", decode)
    monkeypatch.setattr(Cache, "_read", read)

    def findings(result):
        return [(f.code, f.path, f.line, f.col, f.message) for f in result.findings]

    def uncached():
        files = walk(vault, vault, tmp_path, [])
        return findings(check(files, files, settings))

    def cached_run():
        nonlocal cache
        cache = Cache(tmp_path / ".cache", "k")
        files = walk(vault, vault, tmp_path, [])
        return findings(check(files, files, settings, cache=cache))

    cache = None
    first = cached_run()
    assert held == [None]  # let go of before the vault rules
    assert decoding == [None] * 6
    # nor a detail shard: the details of the notes it linted are read where they wait (a shard
    # read again from disk would hold every note's details of that shard)
    assert not [name for n, name in reads if n and name.startswith(("index-", "detail-"))]
    assert first == uncached() and ("WL001", "v/n0.md") in {f[:2] for f in first}
    stored = Cache(tmp_path / ".cache", "k")
    assert sorted(stored.entries) == [f"n{i}.md" for i in range(6)]
    assert all(stored.stored_entry(rel).digest == workers.digest((vault / rel).read_bytes()) for rel in stored.entries)

    (vault / "n1.md").write_text(note(f"Another claim {cite('00:06:00')}.\n", title="N1", video="bbbbbbbbbbb"))
    (vault / "n5.md").unlink()
    assert cached_run() == uncached()
    stored = Cache(tmp_path / ".cache", "k")
    assert sorted(stored.entries) == [f"n{i}.md" for i in range(5)]  # n5's pruned
    assert stored.stored_entry("n1.md").digest == workers.digest((vault / "n1.md").read_bytes())  # the edit's
    assert cached_run() == uncached()


def test_a_large_run_interrupted_in_its_vault_rules_keeps_the_notes_it_linted(tmp_path, monkeypatch):
    """A large run writes the shards it changed before its vault rules: stopped there (Ctrl-C),
    the next run lints none of its notes again."""
    check_mod = importlib.import_module("notelint.run.check")
    monkeypatch.setattr(check_mod, "SPILL_MIN", 3)
    vault, settings = setup(tmp_path, n=5)
    files = walk(vault, vault, tmp_path, [])
    real_finish = check_mod.finish

    def interrupted(*a, **kw):
        raise KeyboardInterrupt

    monkeypatch.setattr(check_mod, "finish", interrupted)
    with pytest.raises(KeyboardInterrupt):
        check(files, files, settings, cache=Cache(tmp_path / ".cache", "k"))
    monkeypatch.setattr(check_mod, "finish", real_finish)
    assert sorted(Cache(tmp_path / ".cache", "k").entries) == [f"n{i}.md" for i in range(5)]
    seen = linted(monkeypatch)
    result = check(files, files, settings, cache=Cache(tmp_path / ".cache", "k"))
    assert seen == []
    uncached = check(files, files, settings)
    assert [(f.code, f.path, f.line) for f in result.findings] == [(f.code, f.path, f.line) for f in uncached.findings]
