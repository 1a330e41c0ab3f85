"""Scoring and rule verdicts on small hand-made transcripts and notes."""

from __future__ import annotations

import pytest
from conftest import cite, note

from notelint.parse import parse_note
from notelint.transcripts.claims import cited_claims, loose_seconds
from notelint.transcripts.load import Cue, Transcript
from notelint.transcripts.rules import (
    LabelDisagreement,
    PastEnd,
    Thresholds,
    Unsupported,
    WrongScale,
    check_claims,
    label_disagreement,
    past_end,
    scale_reading,
    unsupported,
    video_end,
    wrong_scale,
)
from notelint.transcripts.score import VideoIndex, Windows

PHOTO = "Photosynthesis converts sunlight water and carbon dioxide into glucose inside chloroplasts"
VOLCANO = "Volcanoes erupt when magma pressure builds beneath tectonic plates and lava flows"
NEURON = "Neurons transmit electrical signals across synapses using neurotransmitters like dopamine"


def _transcript() -> Transcript:
    """Cues every 5 s from 0 to 155 s; three topics, said at 10 s, 61 s and 122 s."""
    said = {10: PHOTO, 61: VOLCANO, 122: NEURON}
    starts = sorted({*range(0, 155, 5), *said} - {60, 120})
    cues = [Cue(float(s), float(s) + 4, said.get(s, "and so we pause here")) for s in starts]
    return Transcript("t.srt", tuple(cues))


@pytest.fixture(scope="module")
def index() -> VideoIndex:
    return VideoIndex.build(_transcript())


def _claims(body: str):
    data = note(body).encode()
    return cited_claims(parse_note("n.md", "n.md", data))


def test_transcript_fixture(index):
    assert index.end == 154.0
    assert [c.start for c in index.transcript.cues if c.text.startswith(("Photo", "Volc", "Neur"))] == [10.0, 61.0, 122.0]


def test_support_is_high_at_the_said_time_and_zero_elsewhere(index):
    q = index.claim_vector("Photosynthesis turns sunlight and carbon dioxide into glucose")
    assert index.support(q, 10) > 0.3
    assert index.support(q, 100) == 0.0
    assert index.coverage(q, 0, 40) == 1.0
    assert index.coverage(q, 80, 150) == 0.0


def test_best_time_snaps_to_the_cue_start_in_whole_seconds(index):
    q = index.claim_vector("Volcanoes erupt when magma pressure builds under tectonic plates")
    best = index.best_time(q)
    assert best.seconds == 61
    assert index.best_time(q, exclude=(30, 100)) is None  # said nowhere else


def test_claim_text_is_the_sentence_without_markup():
    claims = _claims(
        f"First sentence here. The [[glucose note|sugar]] is *made* here {cite('00:00:10')}, {cite('00:00:12')}.\n"
    )
    assert [c.claim for c in claims] == ["The sugar is *made* here"] * 2
    assert [c.group for c in claims] == [0, 0]
    whole = cited_claims(parse_note("n.md", "n.md", note(f"One. Two {cite('00:00:10')}.\n").encode()), "block")
    assert whole[0].claim == "One. Two"


def test_label_seconds_forgive_missing_padding():
    claims = _claims(f"Claim {cite('00:29:38', '0:29:38')} and {cite('00:01:05', '1:05')}.\n")
    assert [(c.seconds, c.label_seconds) for c in claims] == [(1778, 1778), (65, 65)]
    assert loose_seconds("61:00") is None
    assert loose_seconds("nonsense") is None


def test_past_end_uses_the_last_cue_and_15_seconds(index):
    claims = _claims(f"A {cite('00:02:49')}. B {cite('00:02:50')}.\n")
    end = video_end(index, None)
    assert end == 169.0
    assert [v.citation.time for v in past_end(claims, end)] == ["00:02:50"]
    assert past_end(claims, video_end(index, 160))[0].message == "cited time 00:02:49 is after the end of the video (00:02:40)"


def test_scale_reading():
    assert scale_reading(10 * 3600 + 53 * 60) == 653  # 10:53:00 -> 00:10:53
    assert scale_reading(16 * 3600 + 6 * 60 + 6) == 966  # 16:06:06 -> 00:16:06
    assert scale_reading(10 * 3600 + 53 * 60 + 7) is None
    assert scale_reading(0) is None


def test_whole_note_on_the_wrong_scale_is_a_safe_fix(index):
    claims = _claims(f"{PHOTO} {cite('00:10:00')}. {VOLCANO} {cite('01:01:00')}. {NEURON} {cite('02:02:00')}.\n")
    verdicts = wrong_scale(claims, index, video_end(index, None))
    assert [(v.citation.time, v.meant_time, v.safe, v.reason) for v in verdicts] == [
        ("00:10:00", "00:00:10", True, "past-end"),
        ("01:01:00", "00:01:01", True, "past-end"),
        ("02:02:00", "00:02:02", True, "past-end"),
    ]
    assert verdicts[1].message == (
        "cited time 01:01:00 is after the end of the video; it reads as 00:01:01 "
        "(minutes and seconds written as hours and minutes)"
    )


def test_past_end_scale_reading_alone_is_safe_only_with_strong_support(index):
    claims = _claims(f"{VOLCANO} {cite('01:01:00')}. Unrelated words entirely {cite('02:02:00')}. {PHOTO} {cite('00:00:12')}.\n")
    verdicts = {v.citation.time: v for v in wrong_scale(claims, index, video_end(index, None))}
    assert verdicts["01:01:00"].safe is True
    assert verdicts["02:02:00"].safe is False
    assert "00:00:12" not in verdicts


def test_in_range_time_is_rescaled_only_in_a_note_mostly_past_the_end(index):
    # 00:02:00 is within the video, but every other citation is on the hours scale
    mostly = _claims(f"{VOLCANO} {cite('01:01:00')}. {NEURON} {cite('02:02:00')}. {PHOTO} {cite('00:10:00')}. X {cite('00:02:00')}.\n")
    in_range = [v for v in wrong_scale(mostly, index, video_end(index, None)) if v.reason == "support"]
    assert [(v.citation.time, v.meant_time) for v in in_range] == [("00:02:00", "00:00:02")]
    alone = _claims(f"{PHOTO} {cite('00:02:00')}.\n")
    assert wrong_scale(alone, index, video_end(index, None)) == []


def test_unsupported_names_the_better_time(index):
    claims = _claims(f"Photosynthesis converts sunlight, water and carbon dioxide into glucose in chloroplasts {cite('00:01:40')}.\n")
    [verdict] = unsupported(claims, index)
    assert isinstance(verdict, Unsupported)
    assert (verdict.score, verdict.better, verdict.better_time) == (0.0, 10, "00:00:10")
    assert verdict.message.startswith("the transcript around 00:01:40 does not support this claim (score 0.00); it is said at 00:00:10")


def test_supported_short_and_skipped_citations_get_no_move(index):
    supported = _claims(f"Photosynthesis converts sunlight, water and carbon dioxide into glucose in chloroplasts {cite('00:00:10')}.\n")
    assert unsupported(supported, index) == []
    short = _claims(f"Photosynthesis makes glucose {cite('00:01:40')}.\n")
    assert unsupported(short, index) == []  # too few words to judge
    wrong = _claims(f"Photosynthesis converts sunlight, water and carbon dioxide into glucose in chloroplasts {cite('00:01:40')}.\n")
    assert unsupported(wrong, index, skip=frozenset({wrong[0].start})) == []


def test_label_disagreement_says_which_side_the_transcript_supports(index):
    claims = _claims(f"{NEURON} {cite('00:02:02', '00:00:30')}. {VOLCANO} {cite('00:00:10', '00:01:01')}. Nothing {cite('00:00:40', '00:00:45')}.\n")
    verdicts = label_disagreement(claims, index)
    assert [(v.citation.time, v.supported) for v in verdicts] == [
        ("00:02:02", "data-t"),
        ("00:00:10", "label"),
        ("00:00:40", "unclear"),
    ]
    assert verdicts[1].message == "data-t 00:00:10 and label 00:01:01 disagree; the transcript supports label 00:01:01"
    assert verdicts[2].message == "data-t 00:00:40 and label 00:00:45 disagree; the transcript supports neither clearly"


def test_check_claims_gives_no_move_to_a_rescaled_citation(index):
    claims = _claims(
        f"{VOLCANO} {cite('01:01:00')}. {NEURON} {cite('02:02:00')}. "
        f"Photosynthesis converts sunlight, water and carbon dioxide into glucose in chloroplasts {cite('00:02:00')}.\n"
    )
    verdicts = check_claims(claims, index)
    kinds = [(type(v).__name__, v.citation.time) for v in verdicts]
    assert kinds == [
        ("PastEnd", "01:01:00"),
        ("PastEnd", "02:02:00"),
        ("WrongScale", "01:01:00"),
        ("WrongScale", "02:02:00"),
        ("WrongScale", "00:02:00"),
    ]
    assert all(isinstance(v, (PastEnd, WrongScale, LabelDisagreement, Unsupported)) for v in verdicts)


def test_thresholds_and_windows_are_parameters(index):
    claims = _claims(f"Photosynthesis converts sunlight, water and carbon dioxide into glucose in chloroplasts {cite('00:00:45')}.\n")
    assert unsupported(claims, index) != []  # 35 s after the words: outside the default +-30 s
    assert unsupported(claims, index, windows=Windows(before=40, after=30)) == []
    assert unsupported(claims, index, th=Thresholds(min_terms=20)) == []
