"""TR: the transcript rules through the whole pipeline (configuration, per-video data, rules,
supersession, fixes, cache), on a small hand-made transcript.

The transcript: a cue every 5 s from 0 to 155 s, filler words except three topics said at
10 s, 61 s and 122 s; its last cue ends at 154 s, so a cited time after 169 s (154 + 15) is
past the end.
"""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest
from conftest import cite, lint_vault, note

from notelint.cache import Cache
from notelint.cli import main
from notelint.config import Settings, load_settings
from notelint.discover import NoteFile, walk
from notelint.fix import fix_bytes
from notelint.rules.registry import RuleContext
from notelint.rules.selection import resolve_selection
from notelint.run import check, workers
from notelint.videos import VideoData

PHOTO = "Photosynthesis converts sunlight water and carbon dioxide into glucose inside chloroplasts"
VOLCANO = "Volcanoes erupt when magma pressure builds beneath tectonic plates and lava flows"
NEURON = "Neurons transmit electrical signals across synapses using neurotransmitters like dopamine"
VID = "abcdefghijk"


def srt_time(seconds: float) -> str:
    ms = int(round(seconds * 1000))
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d},{ms:03d}"


def srt(said: dict[int, str] | None = None, end: int = 155) -> str:
    said = {10: PHOTO, 61: VOLCANO, 122: NEURON} if said is None else said
    starts = sorted({*range(0, end, 5), *said} - {60, 120})
    cues = []
    for i, s in enumerate(starts, 1):
        cues.append(f"{i}\n{srt_time(s)} --> {srt_time(s + 4)}\n{said.get(s, 'and so we pause here')}\n")
    return "\n".join(cues)


def folder(tmp_path: Path, files: dict[str, str | bytes] | None = None) -> Path:
    tr = tmp_path / "transcripts"
    tr.mkdir(exist_ok=True)
    for name, content in (files if files is not None else {f"{VID}.srt": srt()}).items():
        (tr / name).write_bytes(content if isinstance(content, bytes) else content.encode())
    return tr


def run(tmp_path: Path, notes: dict[str, str], transcripts: dict | None = None, **kw):
    vault = tmp_path / "v"
    vault.mkdir(exist_ok=True)
    for name, text in notes.items():
        (vault / name).write_text(text, encoding="utf-8")
    return lint_vault(vault, transcripts_dir=folder(tmp_path, transcripts), external_targets=["chan"], **kw)


def found(result, prefix=("TR", "TS")) -> list[tuple[str, int, int]]:
    return sorted((f.code, f.line, f.col) for f in result.findings if f.code.startswith(prefix))


LINE = 8  # the first body line of a conftest note


# -- the rules --------------------------------------------------------------------------------


def test_without_a_transcripts_folder_no_tr_rule_runs(tmp_path):
    vault = tmp_path / "v"
    vault.mkdir()
    (vault / "a.md").write_text(note(f"{VOLCANO} {cite('01:01:00')}.\n"))
    assert not [f for f in lint_vault(vault).findings if f.code.startswith("TR")]


def test_a_note_whose_video_has_no_transcript_is_left_alone(tmp_path):
    result = run(tmp_path, {"a.md": note(f"{VOLCANO} {cite('01:01:00')}.\n", video="zzzzzzzzzzz")})
    assert found(result, "TR") == []


def test_past_the_end_replaces_ts005(tmp_path):
    body = f"{PHOTO} {cite('00:00:10')}. Later on {cite('00:03:10')}.\n"
    result = run(tmp_path, {"a.md": note(body)}, durations={VID: 160})
    col = len(f"{PHOTO} {cite('00:00:10')}. Later on ") + 1
    assert found(result) == [("TR001", LINE, col)]
    f = result.findings[0]
    assert f.message == "cited time 00:03:10 is after the end of the video (00:02:40)"


def test_past_the_end_of_the_transcript_with_its_margin(tmp_path):
    body = f"Said at the end {cite('00:02:49')}. Past it {cite('00:02:50')}.\n"
    result = run(tmp_path, {"a.md": note(body)})
    assert [(f.code, f.message) for f in result.findings if f.code.startswith("TR")] == [
        ("TR001", "cited time 00:02:50 is after the end of the video (its transcript ends at 00:02:34)")
    ]


def test_past_the_end_replaces_ts007_on_that_citation_only(tmp_path):
    notes = {f"n{i}.md": note(f"{PHOTO} {cite('00:00:10')}.\n", title=f"N{i}") for i in range(3)}
    notes["odd.md"] = note(f"{PHOTO} {cite('00:00:10')}. Much later {cite('00:09:07')}.\n", title="Odd")
    without = lint_vault_of(tmp_path, notes)
    assert [f.code for f in without.findings if f.path.endswith("odd.md")] == ["TS007"]
    result = run(tmp_path, notes)
    assert [f.code for f in result.findings if f.path.endswith("odd.md")] == ["TR001"]


def lint_vault_of(tmp_path: Path, notes: dict[str, str]):
    vault = tmp_path / "v"
    vault.mkdir(exist_ok=True)
    for name, text in notes.items():
        (vault / name).write_text(text)
    return lint_vault(vault, external_targets=["chan"])


def test_wrong_scale_is_reported_with_a_safe_fix_when_the_whole_note_is_on_that_scale(tmp_path):
    body = f"{VOLCANO} {cite('01:01:00')}.\n"
    result = run(tmp_path, {"a.md": note(body)})
    assert found(result) == [("TR002", LINE, len(VOLCANO) + 2)]
    f = result.findings[0]
    assert f.message == ("cited time 01:01:00 is after the end of the video; it reads as 00:01:01 "
                         "(minutes and seconds written as hours and minutes)")
    assert f.fix.safe and f.fix.description == "rewrite the time as 00:01:01"
    raw = note(body).encode()
    assert sorted(raw[e.start:e.end] for e in f.fix.edits) == [b"01:01:00", b"01:01:00"]
    assert {e.text for e in f.fix.edits} == {b"00:01:01"}


def test_wrong_scale_fix_is_unsafe_when_the_transcript_support_is_weak_and_the_note_mixed(tmp_path):
    body = f"{PHOTO} {cite('00:00:10')}. Nothing said there {cite('02:02:00')}.\n"
    result = run(tmp_path, {"a.md": note(body)})
    (f,) = [f for f in result.findings if f.code == "TR002"]
    assert not f.fix.safe


def test_fix_rewrites_data_t_and_label_together(tmp_path):
    text = note(f"{VOLCANO} {cite('01:01:00')}.\n")
    outcome = fix(tmp_path, text)
    assert outcome.after.decode() == note(f"{VOLCANO} {cite('00:01:01')}.\n")
    assert outcome.fixed == {"TR002": 1}


def test_unsupported_citation_is_off_by_default(tmp_path):
    body = f"{VOLCANO} {cite('00:02:02')}.\n"
    assert found(run(tmp_path, {"a.md": note(body)}), "TR") == []


def test_unsupported_citation_names_the_better_time_with_an_unsafe_move(tmp_path):
    body = f"{VOLCANO} {cite('00:02:02')}.\n"
    result = run(tmp_path, {"a.md": note(body)}, extend_select=["TR003"])
    assert found(result) == [("TR003", LINE, len(VOLCANO) + 2)]
    (f,) = result.findings
    assert f.severity == "info"
    assert f.message.startswith("the transcript around 00:02:02 does not support this claim (score 0.00); it is said at 00:01:01")
    assert not f.fix.safe and f.fix.description == "move the citation to 00:01:01"


def test_a_rewritten_scale_is_not_moved_again_in_the_same_run(tmp_path):
    # TR002 rewrites 02:02:00 to 00:02:02 (unsafe: the note is mixed and nothing is said
    # there); TR003 would then move it to 00:01:01, but not in the same run
    text = note(f"{PHOTO} {cite('00:00:10')}. {VOLCANO} {cite('02:02:00')}.\n")
    outcome = fix(tmp_path, text, unsafe=True, extend=["TR003"])
    assert outcome.after.decode() == note(f"{PHOTO} {cite('00:00:10')}. {VOLCANO} {cite('00:02:02')}.\n")
    assert outcome.fixed == {"TR002": 1}
    again = fix(tmp_path, outcome.after.decode(), unsafe=True, extend=["TR003"])
    assert again.after.decode() == note(f"{PHOTO} {cite('00:00:10')}. {VOLCANO} {cite('00:01:01')}.\n")


def test_label_disagreement_says_which_side_the_transcript_supports_and_replaces_ts002(tmp_path):
    body = f"{VOLCANO} {cite('00:01:01', '00:02:02')}.\n"
    result = run(tmp_path, {"a.md": note(body)})
    assert found(result) == [("TR004", LINE, len(VOLCANO) + 2)]
    f = result.findings[0]
    assert f.message == "data-t 00:01:01 and label 00:02:02 disagree; the transcript supports data-t 00:01:01"
    assert not f.fix.safe
    assert fix(tmp_path, note(body), unsafe=True).after.decode() == note(f"{VOLCANO} {cite('00:01:01')}.\n")


def test_label_supported_rewrites_data_t(tmp_path):
    body = f"{VOLCANO} {cite('00:02:02', '00:01:01')}.\n"
    assert fix(tmp_path, note(body), unsafe=True).after.decode() == note(f"{VOLCANO} {cite('00:01:01')}.\n")


def test_label_disagreement_without_a_winner_has_no_fix(tmp_path):
    body = f"Nothing of this is said {cite('00:00:30', '00:00:40')}.\n"
    result = run(tmp_path, {"a.md": note(body)})
    (f,) = result.findings
    assert (f.code, f.fix) == ("TR004", None)
    assert f.message.endswith("the transcript supports neither clearly")


MALFORMED = {
    "bad.srt": ("1\n00:00:01,000 -> 00:00:02,000\nhello\n", "not valid SRT"),
    "bad.vtt": ("no header\n", "not valid WebVTT (no WEBVTT header)"),
    "bad.json": ('{"text": 1}', "not a transcript"),
    "latin.srt": (b"1\n00:00:01,000 --> 00:00:02,000\ncaf\xe9\n", "not valid UTF-8"),
    "empty.srt": ("", "empty file"),
}


@pytest.mark.parametrize("name", list(MALFORMED))
def test_a_malformed_transcript_is_one_finding_on_the_video_id(tmp_path, name):
    content, why = MALFORMED[name]
    suffix = name.rsplit(".", 1)[1]
    text = note(f"{VOLCANO} {cite('01:01:00')}.\n")
    result = run(tmp_path, {"a.md": text}, transcripts={f"{VID}.{suffix}": content})
    assert found(result, "TR") == [("TR005", 3, 10)]  # the videoId value
    (f,) = [f for f in result.findings if f.code == "TR005"]
    assert f.message.startswith(f"transcript cannot be used: {tmp_path / 'transcripts' / VID}.{suffix}: {why}")


def test_a_folder_in_place_of_a_transcript_is_one_finding(tmp_path):
    tr = folder(tmp_path, {})
    (tr / f"{VID}.srt").mkdir()
    result = run(tmp_path, {"a.md": note(f"{VOLCANO} {cite('00:01:01')}.\n")}, transcripts={})
    assert [(f.code, f.message.endswith("not a regular file")) for f in result.findings] == [("TR005", True)]


@pytest.mark.parametrize("vid", ["../transcripts/abcdefghijk", "a/b", ".hidden", "x" * 65])
def test_a_video_id_that_is_not_a_plain_name_reads_no_file(tmp_path, vid):
    videos = VideoData(transcripts_dir=folder(tmp_path))
    assert videos.transcript_path(vid) is None and videos.digest(vid) == b""


@pytest.mark.parametrize("suffix, content", [
    (".vtt", "WEBVTT\n\n00:00:10.000 --> 00:00:14.000\n" + VOLCANO + "\n\n00:02:00.000 --> 00:02:30.000\nthe end\n"),
    (".json", json.dumps([{"text": VOLCANO, "start": 10.0, "duration": 4.0},
                          {"text": "the end", "start": 120.0, "duration": 30.0}])),
    (".json", json.dumps({"segments": [{"text": VOLCANO, "start": 10.0, "end": 14.0},
                                       {"text": "the end", "start": 120.0, "end": 150.0}]})),
])
def test_webvtt_and_json_transcripts(tmp_path, suffix, content):
    text = note(f"{VOLCANO} {cite('00:10:00')}.\n")
    result = run(tmp_path, {"a.md": text}, transcripts={f"{VID}{suffix}": content})
    assert [(f.code, f.message) for f in result.findings] == [
        ("TR002", "cited time 00:10:00 is after the end of the video; it reads as 00:00:10 "
                  "(minutes and seconds written as hours and minutes)")
    ]


def test_suppressing_the_tr_finding_does_not_bring_ts005_back(tmp_path):
    body = f"<!-- notelint: disable-next-line=TR001 -->\nLater on {cite('00:03:10')}.\n"
    result = run(tmp_path, {"a.md": note(body)}, durations={VID: 160})
    assert found(result) == []


def test_ignoring_the_tr_rule_keeps_ts005(tmp_path):
    body = f"Later on {cite('00:03:10')}.\n"
    result = run(tmp_path, {"a.md": note(body)}, durations={VID: 160}, ignore=["TR"])
    assert [f.code for f in result.findings] == ["TS005"]


# -- fixing -----------------------------------------------------------------------------------


def fix(tmp_path: Path, text: str, unsafe: bool = False, extend=()):
    settings = Settings(root=tmp_path, vault=tmp_path, transcripts_dir=folder(tmp_path), external_targets=["chan"])
    settings.selected = resolve_selection(None, list(extend))
    path = tmp_path / "f.md"
    path.write_text(text)
    return fix_bytes(NoteFile(path, "f.md", "f.md"), text.encode(), settings, unsafe=unsafe)


# -- configuration ----------------------------------------------------------------------------


def test_configuration_keys(tmp_path):
    folder(tmp_path)
    (tmp_path / "notelint.toml").write_text(
        'transcripts = "transcripts"\ntranscript-window = 20\n'
        "[transcript-thresholds]\nlow = 0.2\nmin-terms = 4\n"
    )
    settings = load_settings(tmp_path, use_cache=False)
    assert settings.transcripts_dir == (tmp_path / "transcripts").resolve()
    videos = VideoData.from_settings(settings)
    assert (videos.windows.before, videos.windows.after) == (20, 20)
    assert (videos.thresholds.low, videos.thresholds.min_terms, videos.thresholds.ratio) == (0.2, 4, 3.0)


@pytest.mark.parametrize("toml, message", [
    ('transcripts = "nope"\n', "key 'transcripts': {root}/nope does not exist"),
    ('transcripts = "notelint.toml"\n', "key 'transcripts': {root}/notelint.toml is not a folder"),
    ("transcript-window = 0\n", "key 'transcript-window': Input should be greater than 0"),
    ("[transcript-thresholds]\nlowest = 1\n", "unknown key 'transcript-thresholds.lowest'"),
    ('[transcript-thresholds]\nlow = "high"\n', "key 'transcript-thresholds.low': Input should be a valid number"),
])
def test_configuration_errors_exit_2(tmp_path, monkeypatch, capsys, toml, message):
    (tmp_path / "notelint.toml").write_text(toml)
    (tmp_path / "a.md").write_text(note("Hi.\n"))
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--no-cache", "a.md"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("notelint: error: ") and message.format(root=tmp_path) in err, err


# -- per-video data and the cache ----------------------------------------------------------------


def test_video_data_pickles_small_and_reads_again(tmp_path):
    videos = VideoData(transcripts_dir=folder(tmp_path))
    assert videos.transcript(VID).index is not None
    copy = pickle.loads(pickle.dumps(videos))
    assert len(pickle.dumps(videos)) < 500
    assert copy.digest(VID) == videos.digest(VID) != b""
    assert copy.transcript(VID).index.end == 154.0


def test_editing_one_transcript_relints_only_that_videos_notes(tmp_path, monkeypatch):
    tr = folder(tmp_path, {"aaaaaaaaaaa.srt": srt(), "bbbbbbbbbbb.srt": srt()})
    vault = tmp_path / "v"
    vault.mkdir()
    for i in range(4):
        video = "aaaaaaaaaaa" if i % 2 == 0 else "bbbbbbbbbbb"
        (vault / f"n{i}.md").write_text(note(f"{NEURON} {cite('00:02:03')}.\n", title=f"N{i}", video=video))
    settings = Settings(root=tmp_path, vault=vault, external_targets=["chan"], transcripts_dir=tr)
    settings.selected = resolve_selection(None)
    files = walk(vault, vault, tmp_path, [])

    def once():
        return check(files, files, settings, cache=Cache(tmp_path / ".cache", "k"))

    assert not once().findings
    seen: list[str] = []
    real = workers.lint_note
    monkeypatch.setattr(workers, "lint_note", lambda file, *a, **kw: seen.append(file.rel) or real(file, *a, **kw))
    assert not once().findings and seen == []
    (tr / "aaaaaaaaaaa.srt").write_text(srt({10: PHOTO}, end=60))  # a shorter video
    result = once()
    assert sorted(seen) == ["n0.md", "n2.md"]
    assert sorted((f.code, f.path) for f in result.findings) == [("TR001", "v/n0.md"), ("TR001", "v/n2.md")]


def test_the_rules_share_one_transcript_check_per_note(tmp_path, monkeypatch):
    from notelint.rules import transcripts as tr_rules

    made = []
    real = tr_rules.TranscriptCheck.__init__

    def spy(self, *a):
        made.append(1)
        real(self, *a)

    monkeypatch.setattr(tr_rules.TranscriptCheck, "__init__", spy)
    run(tmp_path, {"a.md": note(f"{VOLCANO} {cite('01:01:00')}.\n")})
    assert len(made) == 1


def test_rule_context_reads_transcripts_from_settings(tmp_path):
    settings = Settings(root=tmp_path, vault=tmp_path, transcripts_dir=folder(tmp_path))
    assert RuleContext(settings).videos.transcript(VID).index.end == 154.0


# -- the audit --------------------------------------------------------------------------------


def test_the_audit_shows_where_the_transcript_supports_the_citations(tmp_path):
    from notelint.audit import html as audit_html
    from notelint.audit import markdown as audit_md
    from notelint.audit.collect import collect

    body = (f"{PHOTO} {cite('00:00:10')}. {NEURON} {cite('00:02:02')}.\n\n"  # supported twice
            f"{VOLCANO} {cite('00:00:20')}.\n\n"  # said at 00:01:01
            f"{VOLCANO} {cite('01:01:00')}.\n\n"  # wrong scale: 00:01:01
            f"Nothing of this is ever said in the captions at all {cite('00:01:30')}.\n")
    result = run(tmp_path, {"a.md": note(body)}, collect_stats=True)
    settings = Settings(root=tmp_path, vault=tmp_path / "v", transcripts_dir=tmp_path / "transcripts")
    report = collect(result, settings, vault_root="v", videos=VideoData.from_settings(settings))
    (v,) = report.videos
    assert v.duration == 169  # the transcript's end and TR001's margin
    t = v.transcript
    assert (t.citations, t.supported, t.elsewhere, t.past_end, t.unclear) == (5, 2, 2, 0, 1)
    assert t.share_supported == 0.4
    assert t.support_minutes == [1, 2, 1]  # 00:00:10; 00:01:01 twice; 00:02:02
    assert v.minutes == [2, 1, 1]  # the cited strip leaves the wrong-scale time off
    page = audit_html.render(report)
    assert ">40%</b> of 5 citations supported by the transcript · 2 said at another time · 1 unclear" in page
    assert page.count("support lies") == 1
    assert "Transcripts: **40.0%** of 5 citations on 1 videos supported" in audit_md.render(report)


def test_the_audit_of_a_video_without_transcript_has_none(tmp_path):
    from notelint.audit.collect import collect

    result = run(tmp_path, {"a.md": note(f"{PHOTO} {cite('00:00:10')}.\n", video="zzzzzzzzzzz")}, collect_stats=True)
    settings = Settings(root=tmp_path, vault=tmp_path / "v", transcripts_dir=tmp_path / "transcripts")
    report = collect(result, settings, vault_root="v", videos=VideoData.from_settings(settings))
    assert report.videos[0].transcript is None
