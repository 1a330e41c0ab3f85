"""Page kinds (SPEC §1): channel pages and site pages are not video notes.

They are recognised without configuration (``index.md``/``directory.md``, a page
named after its folder, a body of headings and link lists) or by the
``page-kinds`` setting, and checked only for the file, the front matter's form
and their links.
"""

from __future__ import annotations

import subprocess
import sys

from conftest import cite, codes, note

from notelint.document import PageKind
from notelint.parse import parse_note

CHANNEL = """---
title: bridges
---
### [How bridges carry loads](https://www.youtube.com/watch?v=abcdefghijk)
- [[load_paths | Load paths]]
- [[gone | A note that was deleted]]

### [Cable stays](https://www.youtube.com/watch?v=bbcdefghijk)
- [[load_paths | Load paths again]]
"""
LOAD_PATHS = f"---\ntitle: Load paths\nvideoId: abcdefghijk\n---\n\nFrom: [[bridges]] <br/>\n\nLoads flow {cite('00:00:10')}.\n"


def kind(rel: str, text: str, **kw) -> PageKind:
    return parse_note(rel, rel, text.encode(), **kw).page_kind


def test_a_channel_page_gets_only_its_link_findings(vault):
    result = vault({"bridges/bridges.md": CHANNEL, "bridges/load_paths.md": LOAD_PATHS})
    # no FM003 (videoId), SL001 (source line) or CL001 (the link lists): only the broken link
    assert codes(result) == [("WL001", 6, 3)]


def test_a_channel_page_is_recognised_by_its_form_under_another_name(vault):
    assert kind("bridges/all_videos.md", CHANNEL) is PageKind.CHANNEL_PAGE
    # the source line names the channel page by its file name (titles are no keys in Obsidian's resolution)
    result = vault({"bridges/all_videos.md": CHANNEL.replace("[[gone | A note that was deleted]]", "[[load_paths]]"),
                    "bridges/load_paths.md": LOAD_PATHS.replace("[[bridges]]", "[[all_videos]]")})
    assert codes(result) == []


def test_a_page_named_after_its_folder_is_a_channel_page_even_with_a_stray_line():
    assert kind("bridges/Bridges.md", CHANNEL + "\nhidden message!\n") is PageKind.CHANNEL_PAGE


def test_site_pages_by_name_and_by_form():
    assert kind("index.md", "---\ntitle: Tubegraph\n---\n") is PageKind.SITE_PAGE
    assert kind("directory.md", "---\ntitle: Tubegraph\n---\n\nSome prose about the site.\n") is PageKind.SITE_PAGE
    assert kind("hubs.md", "---\ntitle: Hubs\n---\n\n### Channels\n\n- [[bridges | Bridges]]\n") is PageKind.SITE_PAGE


def test_a_channel_page_still_needs_a_title_and_its_front_matter_form(vault):
    page = CHANNEL.replace("title: bridges\n", "tags: yes\n").replace("[[gone", "[[load_paths")
    result = vault({"bridges/bridges.md": page, "bridges/load_paths.md": LOAD_PATHS})
    assert [(c, line) for c, line, _ in codes(result)] == [("FM003", 1), ("FM004", 2)]


def test_near_miss_a_video_note_missing_its_video_id_gets_fm003(vault):
    text = f"---\ntitle: Load paths\n---\n\nFrom: [[bridges]] <br/>\n\nLoads flow to the piers {cite('00:00:10')}.\n"
    assert kind("bridges/load_paths.md", text) is PageKind.VIDEO_NOTE
    result = vault({"bridges/load_paths.md": text}, select=["FM", "SL", "CL"])
    assert codes(result) == [("FM003", 1, 1)]


def test_near_miss_a_note_of_prose_without_video_id_or_source_line_is_a_video_note():
    text = "---\ntitle: Load paths\n---\n\nLoads flow to the piers.\n\n- [[bridges]]\n"
    assert kind("bridges/load_paths.md", text) is PageKind.VIDEO_NOTE


def test_near_miss_a_page_named_after_its_folder_with_a_video_id_is_a_video_note():
    text = note(f"Loads flow {cite('00:00:10')}.\n")
    assert kind("bridges/bridges.md", text) is PageKind.VIDEO_NOTE


def test_the_page_kinds_setting_comes_first():
    settings = (("hubs/*.md", "channel-page"), ("index.md", "video-note"))
    assert kind("hubs/x.md", "---\ntitle: X\n---\n\nProse.\n", page_kinds=settings) is PageKind.CHANNEL_PAGE
    assert kind("index.md", "---\ntitle: X\n---\n", page_kinds=settings) is PageKind.VIDEO_NOTE


def test_the_page_kinds_setting_from_the_configuration(tmp_path):
    (tmp_path / "notes" / "hubs").mkdir(parents=True)
    (tmp_path / "notes" / "hubs" / "x.md").write_text("---\ntitle: X\n---\n\nProse about hubs.\n")
    (tmp_path / "notelint.toml").write_text('[page-kinds]\n"hubs/*.md" = "channel-page"\n')
    run = subprocess.run([sys.executable, "-m", "notelint", "check", "--no-cache"], cwd=tmp_path, capture_output=True, text=True)
    assert (run.returncode, run.stdout, run.stderr) == (0, "All checks passed! (1 note checked)\n", "")
    (tmp_path / "notelint.toml").write_text('[page-kinds]\n"hubs/*.md" = "hub"\n')
    run = subprocess.run([sys.executable, "-m", "notelint", "check", "--no-cache"], cwd=tmp_path, capture_output=True, text=True)
    assert run.returncode == 2 and "page-kinds.hubs/*.md" in run.stderr, run.stderr
