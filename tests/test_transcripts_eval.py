"""The transcript rules meet their targets on the committed labelled set (tests/transcripts)."""

from __future__ import annotations

import pytest
from conftest import SHARED

pytest.importorskip("srt")
GROUNDING = SHARED / "corpus" / "grounding"
pytestmark = pytest.mark.skipif(not GROUNDING.is_dir(), reason="the shared grounding corpus is not beside the repository")


@pytest.fixture(scope="module")
def metrics():
    from benchmarks.transcripts_eval import evaluate

    return evaluate()


def test_past_the_end_is_exact(metrics):
    assert metrics.past_end_citations == 3326
    assert metrics.past_end_mismatches == 0


def test_wrong_scale_reading_is_right_in_98_percent(metrics):
    decided = metrics.scale_correct + metrics.scale_wrong
    assert decided >= 75
    assert metrics.scale_correct / decided >= 0.98
    assert metrics.scale_false_alarms == 0


def test_unsupported_precision_at_the_default_threshold(metrics):
    u = metrics.unsupported
    assert u.tp + u.fp >= 30  # enough verdicts for the figure to mean something
    assert u.precision >= 0.9
    assert u.recall >= 0.5
    assert metrics.better_time_right == metrics.better_time_known


def test_data_t_or_label_choice_is_supported(metrics):
    assert metrics.label_choice_correct >= 15
    assert metrics.label_choice_wrong == 0
