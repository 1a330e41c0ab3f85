"""``notelint audit``: the collector's numbers on a tiny vault, the trend, the
JSON schema, the Markdown summary, the HTML page's escaping and the CLI."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import jsonschema
import pytest
from conftest import CORPUS, REPO, cite, lint_vault, note

from notelint.audit import html as audit_html
from notelint.audit import markdown as audit_md
from notelint.audit.collect import collect
from notelint.audit.model import AuditReport
from notelint.audit.videos import misplaced
from notelint.rules.registry import RULES
from notelint.rules.selection import all_rules

XSS_TITLE = "<script>window.__xss=1</script>"
XSS_BODY = 'Claim <img src=x onerror="window.__xss=2"> without citation.'
WHEN = datetime(2026, 1, 5, 9, 30, tzinfo=timezone.utc)


def tiny_vault() -> dict[str, str]:
    """Three notes with known counts (see test_summary_numbers)."""
    return {
        "a.md": note(f"""
            First claim cites the video {cite('00:01:00')}.

            Second claim has no citation.

            See [[b]] and [[missing one]] for more {cite('00:02:30')}, {cite('00:02:45')}.

            ## Heading

            Lead-in:

            *   [[b]]
            """, title="Alpha", video="aaaaaaaaaaa",
            header='---\ntitle: Alpha\nvideoId: aaaaaaaaaaa\nduration: "00:10:00"\n---\n\nFrom: [[chan]] <br/>\n\n'),
        "b.md": note(f"""
            Beta claim cites the video {cite('00:08:10')}.

            Links to [[missing one]] and [[Missing_One]] {cite('00:09:00')}.
            """, title="Beta", video="aaaaaaaaaaa"),
        "c.md": note(f"""
            {XSS_BODY}

            Another claim links [[a]] and [[ghost]] {cite('00:00:30')}.
            """, title=json.dumps(XSS_TITLE), video="bbbbbbbbbbb"),
    }


def rules_meta():
    all_rules()
    return {c: (r.name, r.severity) for c, r in RULES.items()}


def audit_of(root: Path, baseline=None, **kw) -> AuditReport:
    result = lint_vault(root, **kw)
    return collect(result, vault_root=str(root), rules=rules_meta(), baseline=baseline, generated=WHEN)


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


@pytest.fixture
def tiny(tmp_path) -> Path:
    write(tmp_path, tiny_vault())
    return tmp_path


# -- the collector ------------------------------------------------------------


def test_summary_numbers(tiny):
    s = audit_of(tiny).summary
    assert (s.notes, s.vault_notes, s.videos) == (3, 3, 2)
    # a: 3 claims (the lead-in and the see-also item are exempt), 2 cited; b: 2 of 2; c: 1 of 2
    assert (s.claims, s.cited_claims, s.citations) == (7, 5, 6)
    assert s.coverage == round(5 / 7, 6)
    assert s.findings == 9
    assert s.by_rule == {"CL001": 2, "WL001": 7}
    assert s.by_severity == {"error": 9, "warning": 0, "info": 0}
    # a->b twice, c->a once
    assert (s.links, s.unresolved_links) == (3, 7)
    assert (s.wanted, s.orphans, s.dead_ends) == (3, 1, 1)


def test_per_note_numbers(tiny):
    notes = {n.rel: n for n in audit_of(tiny).notes}
    a, b, c = notes["a.md"], notes["b.md"], notes["c.md"]
    assert (a.claims, a.cited_claims, a.coverage, a.citations) == (3, 2, 0.666667, 3)
    assert (a.first, a.last) == (60, 165)
    assert (a.links_in, a.links_out, a.unresolved_links) == (1, 1, 2)
    assert a.by_rule == {"CL001": 1, "WL001": 2} and a.findings == 3
    assert (b.claims, b.cited_claims, b.coverage) == (2, 2, 1.0)
    assert (b.links_in, b.links_out, b.dead_end, b.orphan) == (1, 0, True, False)
    assert (c.title, c.links_in, c.links_out, c.orphan, c.dead_end) == (XSS_TITLE, 0, 1, True, False)


def test_wanted_notes_ranked_with_referrers(tiny):
    r = audit_of(tiny)
    got = [(w.target, w.referrers, w.references, w.channel) for w in r.wanted]
    assert got == [
        ("chan", ["a.md", "b.md", "c.md"], 3, True),  # named on the source lines: a missing channel note
        ("missing one", ["a.md", "b.md"], 3, False),  # [[missing one]] and [[Missing_One]] are one target
        ("ghost", ["c.md"], 1, False),
    ]
    assert r.orphans == ["c.md"]
    assert r.dead_ends == ["b.md"]


def test_external_targets_are_not_wanted(tiny):
    r = audit_of(tiny, external_targets=["chan"])
    assert [w.target for w in r.wanted] == ["missing one", "ghost"]


def test_per_video_span_and_strip(tiny):
    videos = {v.video_id: v for v in audit_of(tiny).videos}
    v1 = videos["aaaaaaaaaaa"]
    assert v1.duration == 600  # from a.md's front matter, for b.md too
    assert (v1.first, v1.last, v1.citations, v1.outliers) == (60, 540, 5, 0)
    assert v1.minutes == [0, 1, 2, 0, 0, 0, 0, 0, 1, 1]
    assert v1.cited_minutes == 4
    assert [(n.path, n.first, n.last, n.times) for n in v1.notes] == [
        ("a.md", 60, 165, [60, 150, 165]), ("b.md", 490, 540, [490, 540])]
    v2 = videos["bbbbbbbbbbb"]
    assert (v2.duration, v2.minutes, v2.channel) == (None, [1], "chan")


def test_strip_leaves_off_misplaced_times(tmp_path):
    # one note alone on its video: 58:21:00 is 00:58:21 written as hours:minutes
    write(tmp_path, {"d.md": note(f"A claim {cite('00:01:00')}, {cite('00:02:10')}.\n\nLater {cite('58:21:00')}.\n",
                                  video="ddddddddddd")})
    v = audit_of(tmp_path).videos[0]
    assert (v.outliers, v.last, len(v.minutes), v.minutes) == (1, 130, 3, [0, 1, 1])
    assert misplaced(58 * 3600 + 21 * 60) and misplaced(16 * 3600 + 6 * 60 + 6) and not misplaced(3600 + 75) and not misplaced(59 * 60)


def test_strip_ends_at_the_known_length(tmp_path):
    header = '---\ntitle: D\nvideoId: ddddddddddd\nduration: "00:03:00"\n---\n\nFrom: [[chan]] <br/>\n\n'
    write(tmp_path, {"d.md": note(f"A claim {cite('00:01:00')} and {cite('00:05:00')}.\n", header=header)})
    r = audit_of(tmp_path)
    v = r.videos[0]
    assert (v.duration, v.minutes, v.outliers) == (180, [0, 1, 0], 1)
    assert r.summary.by_rule.get("TS005") == 1


def test_entry_stats_are_plain_data(tiny):
    """IndexEntry.stats is cached (marshal): ints, strs and None, and the transcript support
    (none without transcripts) as tuples of them; only the audit collects them."""
    import marshal
    import pickle

    from notelint.run.payload import entry_detail, entry_from_plain

    assert all(r.entry.stats is None for r in lint_vault(tiny).results.values())
    result = lint_vault(tiny, collect_stats=True)
    entry = next(r.entry for r in result.results.values() if r.entry.rel == "a.md")
    stats = entry.stats
    assert tuple(stats) == (3, 2, 3, "Alpha", "chan", ())
    assert all(isinstance(x, (int, str, type(None))) for x in stats[:-1])
    assert pickle.loads(pickle.dumps(stats)) == stats
    detail = marshal.loads(marshal.dumps(entry_detail(entry)))
    assert entry_from_plain("a.md", (None, (), (), None, None, None, (0, 0, False), None), detail).stats == stats


# -- the trend ------------------------------------------------------------------


def test_trend_against_a_baseline(tiny):
    base = audit_of(tiny)
    base = AuditReport.model_validate_json(base.model_dump_json())  # as read back from the JSON file
    files = tiny_vault()
    files["a.md"] = files["a.md"].replace("Second claim has no citation.", f"Second claim now cites {cite('00:03:00')}.")
    files["b.md"] = files["b.md"].replace("[[missing one]] and [[Missing_One]]", "[[a]] and [[Missing_One]]")
    files["c.md"] = files["c.md"].replace("[[ghost]]", "[[a ghost]]")
    files["ghost.md"] = note(f"A new note {cite('00:00:10')}.\n", title="Ghost", video="bbbbbbbbbbb")
    write(tiny, files)
    now = audit_of(tiny, baseline=base)
    t = now.trend
    assert t is not None and t.baseline_generated == "2026-01-05T09:30:00+00:00"
    m = {c.metric: c for c in t.metrics}
    assert (m["coverage"].before, m["coverage"].after, m["coverage"].verdict) == (round(5 / 7, 6), 0.875, "better")
    assert (m["notes"].before, m["notes"].after, m["notes"].verdict) == (3, 4, "changed")
    # a loses its CL001; b's two links to one missing note become one; ghost.md brings one WL001 (chan)
    assert (m["findings"].before, m["findings"].after, m["findings"].verdict) == (9, 8, "better")
    assert m["orphans"].verdict == "worse"  # the new note has no links in
    assert m["wanted"].verdict == "same"
    assert [(c.metric, c.before, c.after, c.verdict) for c in t.rules] == [("CL001", 2, 1, "better")]
    assert [n.path.rsplit("/", 1)[-1] for n in t.notes_better] == ["a.md", "b.md"]
    assert t.notes_worse == []
    assert [p.rsplit("/", 1)[-1] for p in t.notes_added] == ["ghost.md"]
    assert t.wanted_resolved == ["ghost"] and t.wanted_new == ["a ghost"]


def test_trend_in_markdown_and_html(tiny):
    base = audit_of(tiny)
    files = tiny_vault()
    files["a.md"] = files["a.md"].replace("Second claim has no citation.", f"Second claim now cites {cite('00:03:00')}.")
    write(tiny, files)
    now = audit_of(tiny, baseline=base)
    text = audit_md.render(now)
    assert "**Since the baseline**" in text
    assert "coverage 🟢 +14.3 pts" in text
    assert "| CL001 | uncited-claim (error) | 1 🟢 -1 |" in text
    page = audit_html.render(now)
    assert 'id="trend"' in page and 'data-delta="coverage"' in page


# -- JSON ----------------------------------------------------------------------------


def test_schema_file_is_in_sync_with_the_model():
    from notelint.schema import SCHEMA_DIR, generated

    on_disk = json.loads((SCHEMA_DIR / "audit.schema.json").read_text(encoding="utf-8"))
    assert on_disk == generated()["audit.schema.json"], "run: python -m notelint.schema --write"


def test_json_validates_against_the_schema(tiny, tmp_path_factory):
    schema = json.loads((REPO / "schemas" / "audit.schema.json").read_text(encoding="utf-8"))
    base = audit_of(tiny)
    now = audit_of(tiny, baseline=base)
    for report in (base, now):
        data = json.loads(report.model_dump_json())
        jsonschema.Draft202012Validator(schema).validate(data)
    bad = json.loads(base.model_dump_json())
    bad["summary"]["claims"] = -1
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


# -- Markdown ---------------------------------------------------------------------------


def test_markdown_summary(tiny):
    text = audit_md.render(audit_of(tiny))
    assert text.startswith("## notelint audit: ")
    assert "| notes | claims | citation coverage | citations | findings | wanted notes | orphans | dead ends |" in text
    assert "| 3 | 7 | 71.4% | 6 | 9 (9 errors, 0 warnings) | 3 | 1 | 1 |" in text
    assert "| WL001 | unresolved-link (error) | 7 |" in text
    assert "| missing one | 2 | a, b |" in text
    assert "Channel notes missing: 1 (chan)." in text
    assert "| c | 50.0% | 1 | 3 |" in text  # least cited notes
    assert "<details><summary>Orphan notes (no links in): 1</summary>" in text
    assert "<script" not in text and "<img" not in text


def test_markdown_escapes_note_text():
    assert audit_md.md("<script>a|b</script>") == "&lt;script&gt;a\\|b&lt;/script&gt;"
    assert audit_md.md("[x](javascript:1) *y*") == "\\[x\\](javascript:1) \\*y\\*"


def test_markdown_fits_a_pull_request_comment_on_the_corpus():
    result = lint_vault(CORPUS)
    report = collect(result, vault_root="corpus", rules=rules_meta(), generated=WHEN)
    text = audit_md.render(report)
    assert len(text) < 20000 < audit_md.LIMIT
    assert "… and" in text  # long lists are capped


# -- HTML -------------------------------------------------------------------------------


def test_html_escapes_every_piece_of_note_text(tiny):
    page = audit_html.render(audit_of(tiny))
    assert XSS_TITLE not in page
    assert "<img" not in page
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in page
    # the data block for the script is base64: no '<', '>' or '&', nothing can close it
    block = re.search(r'<script type="application/octet-stream" id="audit-data">(.*?)</script>', page, re.S).group(1)
    assert re.fullmatch(r"[A-Za-z0-9+/=]+", block)
    from notelint.audit.pagedata import decode

    data = decode(block)
    assert any("<img src=x" in m for m in data["findings"]["messages"])
    assert XSS_TITLE in [n[data["fields"]["note"].index("title")] for n in data["notes"]]


def test_html_is_self_contained_with_a_strict_csp(tiny):
    from html.parser import HTMLParser

    page = audit_html.render(audit_of(tiny))
    tags = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            tags.append((tag, dict(attrs)))

    Collect().feed(page)
    assert not [t for t in tags if "src" in t[1]]  # nothing is loaded: no img, script or iframe src
    assert {t for t, _ in tags} & {"img", "iframe", "link", "object", "embed", "base"} == set()
    assert "@import" not in page and "url(" not in page
    hrefs = [a["href"] for _, a in tags if "href" in a]
    external = [h for h in hrefs if not h.startswith("#")]
    assert all(h.startswith("https://www.youtube.com/watch?v=") for h in external)  # plain links (the strips' are the script's)
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', page).group(1)
    assert "default-src 'none'" in csp and "img-src 'none'" in csp
    script = re.search(r"<script>(.*?)</script>", page, re.S).group(1)
    style = re.search(r"<style>(.*?)</style>", page, re.S).group(1)
    for text, directive in ((script, "script-src"), (style, "style-src")):
        digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
        assert f"{directive} 'sha256-{digest}'" in csp
    assert "unsafe-inline" not in csp
    assert " style=" not in page  # the CSP would block inline style attributes


def test_html_numbers_match_the_report(tiny):
    page = audit_html.render(audit_of(tiny))
    for metric, value in (("notes", 3), ("citations", 6), ("findings", 9), ("wanted", 3), ("orphans", 1), ("dead_ends", 1)):
        assert re.search(rf'data-metric="{metric}"><div class="label">[^<]*</div><div class="value" data-value="{value}">{value}<', page), metric
    assert 'data-value="0.714286">71.4%<' in page
    # the long parts are the script's, from the data: every note, video and wanted note is in it
    from notelint.audit.pagedata import decode

    data = decode(re.search(r'id="audit-data">(.*?)</script>', page, re.S).group(1))
    report = audit_of(tiny)
    assert len(data["notes"]) == 3 and len(data["videos"]) == len(report.videos) and len(data["wanted"]) == 3
    video = data["videos"][0]
    fields = data["fields"]["video"]
    assert video[fields.index("minutes")] == report.videos[0].minutes
    times = [sum(d[: k + 1]) for _, d in video[fields.index("notes")] for k in range(len(d))]
    assert sorted(times) == sorted(t for s in report.videos[0].notes for t in s.times)


def test_video_links_only_for_well_formed_ids():
    assert audit_html.video_url("aaaaaaaaaaa") == "https://www.youtube.com/watch?v=aaaaaaaaaaa"
    assert audit_html.video_url('x" onclick="a') is None


# -- the command line ----------------------------------------------------------------------


def run_cli(*args, cwd, stdin=None, **kw):
    return subprocess.run([sys.executable, "-m", "notelint", "audit", *args], cwd=cwd, capture_output=True,
                          text=True, stdin=subprocess.DEVNULL, **kw)


def test_cli_writes_three_reports_and_exits_0(tiny, tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    proc = run_cli(".", "--html", str(out / "r.html"), "--json", str(out / "r.json"), "--markdown", str(out / "s.md"), cwd=tiny)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "" and proc.stderr == ""  # no progress bar when stderr is not a terminal
    data = json.loads((out / "r.json").read_text(encoding="utf-8"))
    assert data["summary"]["claims"] == 7 and data["kind"] == "audit"
    assert (out / "s.md").read_text(encoding="utf-8").startswith("## notelint audit: ")
    assert (out / "r.html").read_text(encoding="utf-8").startswith("<!doctype html>")
    # the baseline round trip: the JSON written is a valid baseline
    proc = run_cli(".", "--baseline", str(out / "r.json"), cwd=tiny)
    assert proc.returncode == 0, proc.stderr
    assert "**Since the baseline**" in proc.stdout and "nothing better; nothing worse." in proc.stdout


def test_cli_prints_markdown_without_output_options(tiny):
    proc = run_cli(cwd=tiny)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("## notelint audit: ")
    assert "| 3 | 7 | 71.4% |" in proc.stdout


@pytest.mark.parametrize("setup, args, message", [
    (lambda d: (d / "old.json").write_text("{nope", encoding="utf-8"), ["--baseline", "old.json"], "is not JSON"),
    (lambda d: (d / "old.json").write_text('{"tool": "notelint"}', encoding="utf-8"), ["--baseline", "old.json"],
     "is not a notelint audit JSON"),
    (lambda d: None, ["--baseline", "missing.json"], "cannot read baseline"),
    (lambda d: None, ["--html", "no/such/folder/r.html"], "cannot write"),
    (lambda d: None, ["nowhere/"], "error:"),
])
def test_cli_errors_exit_2_with_one_line(tiny, setup, args, message):
    setup(tiny)
    proc = run_cli(*args, cwd=tiny)
    assert proc.returncode == 2
    assert message in proc.stderr and len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert "Traceback" not in proc.stderr


def test_cli_exits_0_even_with_findings(tiny):
    assert lint_vault(tiny).findings  # check would exit 1
    assert run_cli(cwd=tiny).returncode == 0


def test_progress_bar_on_a_terminal_only(tiny):
    import pty

    from notelint.cli.progress import progress_bar

    class NotATty:
        def isatty(self):
            return False

    with progress_bar(NotATty()) as progress:
        assert progress is None
    master, slave = pty.openpty()
    env = dict(os.environ, TERM="xterm-256color", COLUMNS="100")
    env.pop("NO_COLOR", None)
    proc = subprocess.Popen([sys.executable, "-m", "notelint", "audit", ".", "--json", "r.json"], cwd=tiny,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=slave, env=env)
    os.close(slave)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    os.close(master)
    assert proc.wait() == 0
    assert b"auditing" in seen and b"3/3" in seen


def test_check_does_not_import_the_audit():
    code = ("import sys; from notelint.cli import main; main(['check', 'notes', '--output-format', 'concise']);"
            "print(sorted(m for m in sys.modules if m.startswith(('notelint.audit', 'rich'))))")
    proc = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    assert proc.stdout.strip().endswith("[]"), proc.stdout + proc.stderr


def test_empty_vault_and_odd_notes(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    r = audit_of(empty)
    assert (r.summary.notes, r.summary.claims, r.summary.coverage, r.videos, r.wanted) == (0, 0, None, [], [])
    assert "<!doctype html>" in audit_html.render(r) and "| 0 | 0 | – |" in audit_md.render(r)

    odd = tmp_path / "odd"
    write(odd, {"bad.md": "", "novideo.md": "---\ntitle: No video\n---\n\nJust prose.\n"})
    (odd / "binary.md").write_bytes(b"\xff\xfe\x00bin")
    r = audit_of(odd)
    assert r.summary.notes == 3 and r.videos == []
    assert {n.rel: (n.claims, n.coverage) for n in r.notes} == {
        "bad.md": (0, None), "binary.md": (0, None), "novideo.md": (1, 0.0)}
    audit_html.render(r)


def test_audit_of_some_paths_uses_the_whole_vault_graph(tiny):
    from notelint.config import Settings
    from notelint.discover import discover, walk
    from notelint.rules.selection import resolve_selection
    from notelint.run import check

    settings = Settings(root=tiny, vault=tiny)
    settings.selected = resolve_selection(None, (), ())
    files = walk(tiny, tiny, tiny, [])
    result = check(discover([tiny / "a.md"], tiny, tiny, []), files, settings, full_index=True)
    r = collect(result, vault_root=str(tiny), rules=rules_meta(), generated=WHEN)
    assert [n.rel for n in r.notes] == ["a.md"] and r.summary.vault_notes == 3
    (a,) = r.notes
    assert (a.links_in, a.orphan) == (1, False)  # c.md links to it, though c.md is not audited
    # wanted notes are those the audited notes link to
    assert [(w.target, w.referrers) for w in r.wanted] == [("chan", ["a.md"]), ("missing one", ["a.md"])]


def test_stats_missing_from_an_entry_are_filled_from_the_note(tiny):
    """An entry without stats (e.g. from a cache of an index-only run) is completed from its note."""
    result = lint_vault(tiny)
    for res in result.results.values():
        res.entry = res.entry._replace(stats=None)
    r = collect(result, vault_root=str(tiny), rules=rules_meta(), generated=WHEN)
    assert (r.summary.claims, r.summary.cited_claims, r.summary.citations) == (7, 5, 6)
    assert r.wanted[0].channel  # the channel came back too


def test_claims_agree_with_cl001(tmp_path):
    """Uncited claims are CL001's findings plus the blocks cited only by bare labels (TS006)."""
    write(tmp_path, {"e.md": note(f"""
        > [!info] A callout title
        > The callout's body is a claim.

        > [!note] Only a title

        A claim cited by a bare label [00:01:00].

        A cited claim {cite('00:02:00')}.

        **Label**:

        *   [[e]]
        """, video="eeeeeeeeeee")})
    r = audit_of(tmp_path)
    (e,) = r.notes
    # a callout's body is an aside (CL003, off by default), not a claim
    assert (e.claims, e.cited_claims, e.citations) == (2, 1, 1)
    assert e.by_rule == {"TS006": 1, "WL001": 1}  # WL001: the channel


def test_claims_agree_with_cl001_on_the_corpus():
    result = lint_vault(CORPUS)
    r = collect(result, vault_root="corpus", rules=rules_meta(), generated=WHEN)
    bare_only = 0
    for res in result.results.values():
        from notelint.parse import parse_note
        from notelint.rules.claims import claim_exemption

        note_ = parse_note(res.file.display, res.file.rel, res.file.path.read_bytes())
        bare_only += sum(1 for b in note_.blocks if b.bare_labels and not b.citations and claim_exemption(b) is None)
    s = r.summary
    assert s.claims - s.cited_claims == s.by_rule["CL001"] + bare_only
