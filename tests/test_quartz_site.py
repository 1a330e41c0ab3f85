"""notelint.quartz.site: which pages a Quartz site has and where a link goes.

What the oracle harness does not model is decided here from Quartz's code (each
test names the file): front-matter aliases and permalinks (FrontMatter plugin,
AliasRedirects emitter, the worker threads of processors/parse.ts), drafts
(RemoveDrafts filter), tag pages (TagPage emitter), folder pages (FolderPage),
links that stop the build (decodeURI in transformInternalLink).
"""

from __future__ import annotations

from notelint.quartz import NoteInfo, Site, alias_slugs, coerce_to_array
from notelint.quartz.config import read_quartz_config
from notelint.quartz_vault import read_note


def link(text: str):
    (only,) = read_note("x.md", text).links
    return only


def site(files, fm=None, **kw) -> Site:
    fm = fm or {}
    return Site(files, [NoteInfo(f, fm.get(f)) for f in files if f.endswith(".md")], **kw)


def test_alias_reaches_its_redirect_page_from_any_folder():
    s = site(["a.md", "sub/b.md"], {"a.md": {"aliases": ["Other Name"]}})
    d = s.destination("sub/b.md", link("[[Other Name]]"))
    assert (d.full, d.exists) == ("Other-Name", True)
    assert s.destination("sub/b.md", link("[[Other Names]]")).exists is False


def test_alias_and_a_file_share_a_name_one_thread_or_several():
    files = ["a.md", "x/Other-Name.md", "sub/b.md"]
    fm = {"a.md": {"aliases": "Other Name, Second"}}
    # one thread (fewer than 192 notes): the alias slug is a candidate too, so the name is shared: root path
    one = site(files, fm, threads=1).destination("sub/b.md", link("[[Other Name]]"))
    # several threads: the aliases never reach the threads that resolve links: the file is the only candidate
    many = site(files, fm, threads=2).destination("sub/b.md", link("[[Other Name]]"))
    assert (one.full, one.exists) == ("Other-Name", True)  # the alias redirect page
    assert (many.full, many.exists) == ("x/Other-Name", True)


def test_threads_follow_the_number_of_notes():
    """round(notes / 128) threads: 191 notes parse in one thread, 192 in two (processors/parse.ts)."""
    fm = {"a.md": {"aliases": ["Other Name"]}}
    for notes, full in ((191, "Other-Name"), (192, "x/Other-Name")):
        files = ["a.md", "x/Other-Name.md"] + [f"n{i}.md" for i in range(notes - 2)]
        assert site(files, fm).destination("a.md", link("[[Other Name]]")).full == full


def test_slug_list_keeps_duplicates_with_several_threads():
    files = ["a.md", "x/b.md", "x/b.html"]  # one slug, x/b, twice in allSlugs
    assert site(files, threads=2).destination("a.md", link("[[b]]")).full == "b"  # not unique: root path
    assert site(files, threads=1).destination("a.md", link("[[b]]")).full == "x/b"  # FrontMatter deduplicated it


def test_draft_is_no_page_but_still_a_candidate():
    s = site(["a.md", "sub/d.md"], {"sub/d.md": {"draft": True}})
    d = s.destination("a.md", link("[[d]]"))
    assert (d.full, d.exists) == ("sub/d", False)
    assert s.destination("a.md", link("[[sub/]]")).exists is False  # its folder has no published note
    assert site(["a.md", "sub/d.md"], {"sub/d.md": {"draft": "true"}}).destination("a.md", link("[[d]]")).exists is False


def test_folder_tag_asset_and_404_pages():
    s = site(["a.md", "f/g/n.md", "img/p.png", "tags/t.md"], {"a.md": {"tags": ["ml/deep learning"]}})
    assert s.destination("a.md", link("[[f/]]")).full == "f/index"
    assert s.destination("a.md", link("[[f/g/]]")).exists is True
    assert s.destination("a.md", link("[[f]]")).exists is False  # a folder without the slash is no page
    assert s.destination("a.md", link("[[tags/ml]]")).exists is True
    assert s.destination("a.md", link("[[tags/ml/deep-learning]]")).exists is True
    assert s.destination("a.md", link("[[tags/]]")).exists is True
    assert s.destination("a.md", link("![[img/p.png]]")).kind == "media-embed"
    assert s.destination("a.md", link("[[p.png]]")).full == "img/p.png"
    assert s.destination("a.md", link("[[404]]")).exists is True
    assert "img/index" not in s.pages  # an asset's folder has no folder page


def test_malformed_percent_escape_stops_the_build():
    d = site(["a.md"]).destination("a.md", link("[[100%zz]]"))
    assert (d.kind, d.full, d.exists) == ("build-error", None, None)


def test_strategies():
    files = ["a.md", "x/b.md", "x/y/c.md"]
    rel = site(files, strategy="relative")
    assert rel.destination("x/b.md", link("[[y/c]]")).full == "x/y/c"
    assert rel.destination("x/b.md", link("[[c]]")).full == "x/c"
    ab = site(files, strategy="absolute")
    assert ab.destination("x/b.md", link("[[x/y/c]]")).exists is True
    assert ab.destination("x/b.md", link("[[c]]")).full == "c"
    sh = site(files, strategy="shortest")
    assert sh.destination("x/b.md", link("[[c]]")).full == "x/y/c"
    assert sh.destination("x/b.md", link("[[../a]]")).full == "a"
    assert sh.destination("x/b.md", link("[[/a]]")).full == "a"


def test_front_matter_values():
    assert coerce_to_array("a, b ,c") == ["a", "b", "c"]
    assert coerce_to_array([1, "x", None, True, {"k": 1}]) == ["1", "x"]
    assert coerce_to_array(None) is None
    assert alias_slugs({"alias": ["Q&A", "notes/x.md"], "permalink": "p/q"}) == ["Q-and-A", "notes/x", "p/q"]


def test_read_quartz_config():
    cfg = read_quartz_config('ignorePatterns: ["private", \'templates\'],\n Plugin.CrawlLinks({ markdownLinkResolution: "relative" })')
    assert (cfg.strategy, cfg.ignore_patterns) == ("relative", ("private", "templates"))
    assert read_quartz_config("Plugin.CrawlLinks()").strategy == "absolute"  # Quartz's default
