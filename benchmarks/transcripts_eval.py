"""Evaluate the transcript rules on the labelled set: ``python -m benchmarks.transcripts_eval``.

Reads ``tests/transcripts/sample.jsonl`` (the drawn citations) and
``labels.tsv`` (what a reader found in the transcript, see ``GUIDE.md``),
runs the rules of :mod:`notelint.transcripts.rules` at the given thresholds
on the grounding corpus, and reports:

- past the end, over every citation of the corpus, against the end of the
  last cue as the ``srt`` library reads it (no labels needed: it is arithmetic);
- wrong scale: the reading it chose against the labels (M meant, W written,
  X neither), and whether it fired on in-range citations labelled supported;
- unsupported citation: precision and recall on the in-range labels
  (partial counts as not supported), raw and weighted back to the corpus by
  stratum size, the precision-recall curve over its coverage-gain threshold, and whether
  the better time it names is where the reader found the claim;
- data-t against label: the precision of each choice;
- cost: index building and checking per citation, import time.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import time
from dataclasses import dataclass, field, replace

from notelint.transcripts import rules as R
from notelint.transcripts.claims import CitedClaim
from notelint.transcripts.score import VideoIndex

from .transcripts_data import GROUNDING, REPO, load_indexes, load_notes

LABELS = REPO / "tests" / "transcripts"
NOT_SUPPORTED = {"N", "P"}


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    set: str
    stratum: str
    stratum_size: int
    label: str
    where: int | None
    claim: CitedClaim
    index: VideoIndex
    note_claims: list[CitedClaim]


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


@dataclass
class Metrics:
    past_end_citations: int = 0
    past_end_mismatches: int = 0
    scale_correct: int = 0
    scale_wrong: int = 0
    scale_undecided: int = 0
    scale_missed: int = 0  # labelled cases the rule gave no verdict
    scale_false_alarms: int = 0  # in-range citations labelled supported that got a wrong-scale verdict
    unsupported: Counts = field(default_factory=Counts)
    unsupported_weighted_precision: float = 0.0
    unsupported_weighted_recall: float = 0.0
    better_time_right: int = 0
    better_time_known: int = 0
    curve: list[tuple[float, float, float, int]] = field(default_factory=list)  # min_gain, precision, recall, fired
    scale_safe_right: int = 0  # safe corrections labelled M
    scale_safe: int = 0  # safe corrections labelled M or W
    holdout_tp: int = 0  # the held-out sample: citations TR003 reports, labelled P or N
    holdout_fp: int = 0  # labelled S
    holdout_fired: int = 0  # citations TR003 reports outside the labelled set
    holdout_better_right: int = 0
    holdout_better_known: int = 0
    label_choice_correct: int = 0
    label_choice_wrong: int = 0
    label_unclear: int = 0
    citations: int = 0
    index_ms_per_video: float = 0.0
    check_ms_per_citation: float = 0.0


def load_items(mode: str = "sentence") -> list[Item]:
    indexes = load_indexes()
    cases = {case.rel: case for case in load_notes(mode=mode)}
    labels = {row["id"]: row for row in csv.DictReader((LABELS / "labels.tsv").open(encoding="utf-8"), delimiter="\t")}
    items = []
    for line in (LABELS / "sample.jsonl").open(encoding="utf-8"):
        drawn = json.loads(line)
        row = labels[drawn["id"]]
        case = cases[drawn["note"]]
        claim = next(c for c in case.claims if c.start == drawn["offset"])
        where = int(row["where"]) if row["where"].strip() else None
        items.append(
            Item(drawn["id"], drawn["set"], drawn["stratum"], drawn["stratum_size"], row["label"], where,
                 claim, indexes[case.video], case.claims)
        )
    return items


def past_end_check(metrics: Metrics, th: R.Thresholds) -> None:
    import srt

    ends = {}
    for path in sorted((GROUNDING / "transcripts").glob("*.srt")):
        subtitles = list(srt.parse(path.read_text(encoding="utf-8")))
        ends[path.stem] = max(s.end.total_seconds() for s in subtitles)
    indexes = load_indexes()
    for case in load_notes():
        index = indexes[case.video]
        flagged = {v.citation.start for v in R.past_end(case.claims, R.video_end(index, None, th))}
        for c in case.claims:
            truth = c.seconds > ends[case.video] + th.end_margin
            metrics.past_end_citations += truth
            metrics.past_end_mismatches += truth != (c.start in flagged)


def scale_check(metrics: Metrics, items: list[Item], th: R.Thresholds) -> None:
    for item in items:
        end = R.video_end(item.index, None, th)
        verdicts = {v.citation.start: v for v in R.wrong_scale(item.note_claims, item.index, end, th)}
        v = verdicts.get(item.claim.start)
        if item.set == "scale":
            if v is None:
                metrics.scale_missed += 1
            elif item.label == "M":
                metrics.scale_correct += 1
                metrics.scale_safe += v.safe
                metrics.scale_safe_right += v.safe
            elif item.label == "W":
                metrics.scale_wrong += 1
                metrics.scale_safe += v.safe
            else:
                metrics.scale_undecided += 1
        elif item.set == "in-range" and item.label == "S" and v is not None:
            metrics.scale_false_alarms += 1


def unsupported_fired(item: Item, th: R.Thresholds) -> R.Unsupported | None:
    q = item.index.claim_vector(item.claim.claim)
    return R.unsupported_one(item.claim, q, item.index, th)


def unsupported_check(metrics: Metrics, items: list[Item], th: R.Thresholds) -> None:
    in_range = [i for i in items if i.set == "in-range"]
    counts = Counts()
    weighted = Counts()
    per_stratum = {}
    for item in in_range:
        per_stratum[item.stratum] = per_stratum.get(item.stratum, 0) + 1
    for item in in_range:
        verdict = unsupported_fired(item, th)
        truth = item.label in NOT_SUPPORTED
        weight = item.stratum_size / per_stratum[item.stratum]
        _count(counts, verdict is not None, truth)
        _count(weighted, verdict is not None, truth, weight)
        if verdict is not None and item.label == "N" and item.where is not None:
            metrics.better_time_known += 1
            metrics.better_time_right += abs(verdict.better - item.where) <= 15
    metrics.unsupported = counts
    metrics.unsupported_weighted_precision = weighted.precision
    metrics.unsupported_weighted_recall = weighted.recall
    for gain in (0.0, 0.1, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6):
        c = Counts()
        for item in in_range:
            _count(c, unsupported_fired(item, replace(th, min_gain=gain)) is not None, item.label in NOT_SUPPORTED)
        metrics.curve.append((gain, c.precision, c.recall, c.tp + c.fp))


def holdout_check(metrics: Metrics) -> None:
    """Precision of TR003 on the held-out sample (``holdout.jsonl``, labels ``holdout.tsv``):
    drawn from the citations it reports outside the labelled set, labelled after the
    thresholds were fixed (``python -m benchmarks.transcripts_holdout``)."""
    labels = {row["id"]: row for row in csv.DictReader((LABELS / "holdout.tsv").open(encoding="utf-8"), delimiter="\t")}
    for line in (LABELS / "holdout.jsonl").open(encoding="utf-8"):
        drawn = json.loads(line)
        row = labels[drawn["id"]]
        metrics.holdout_fired = drawn["fired"]
        if row["label"] in NOT_SUPPORTED:
            metrics.holdout_tp += 1
        else:
            metrics.holdout_fp += 1
        if row["label"] == "N" and row["where"].strip():
            metrics.holdout_better_known += 1
            metrics.holdout_better_right += abs(drawn["better"] - int(row["where"])) <= 15


def _count(c: Counts, fired: bool, truth: bool, weight: float = 1) -> None:
    if fired and truth:
        c.tp += weight
    elif fired:
        c.fp += weight
    elif truth:
        c.fn += weight
    else:
        c.tn += weight


def label_check(metrics: Metrics, items: list[Item], th: R.Thresholds) -> None:
    for item in items:
        if item.set != "label":
            continue
        verdicts = R.label_disagreement([item.claim], item.index, th)
        if not verdicts or verdicts[0].supported == "unclear":
            metrics.label_unclear += 1
            continue
        ok = {"data-t": {"D", "B"}, "label": {"L", "B"}}[verdicts[0].supported]
        if item.label in ok:
            metrics.label_choice_correct += 1
        else:
            metrics.label_choice_wrong += 1


def cost(metrics: Metrics, th: R.Thresholds) -> None:
    from notelint.transcripts.load import load_transcript

    paths = sorted((GROUNDING / "transcripts").glob("*.srt"))
    t0 = time.perf_counter()
    indexes = {p.stem: VideoIndex.build(load_transcript(p)) for p in paths}
    metrics.index_ms_per_video = (time.perf_counter() - t0) * 1000 / len(paths)
    cases = load_notes()
    n = sum(len(case.claims) for case in cases)
    t0 = time.perf_counter()
    for case in cases:
        R.check_claims(case.claims, indexes[case.video], None, th)
    metrics.check_ms_per_citation = (time.perf_counter() - t0) * 1000 / n
    metrics.citations = n


def evaluate(th: R.Thresholds = R.Thresholds(), with_cost: bool = False) -> Metrics:
    metrics = Metrics()
    items = load_items()
    past_end_check(metrics, th)
    scale_check(metrics, items, th)
    unsupported_check(metrics, items, th)
    label_check(metrics, items, th)
    if th == R.Thresholds():  # the held-out sample was drawn at the default thresholds
        holdout_check(metrics)
    if with_cost:
        cost(metrics, th)
    return metrics


def import_ms() -> float:
    code = "import time; t=time.perf_counter(); import notelint.transcripts.rules; print((time.perf_counter()-t)*1000)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout)


def report(m: Metrics) -> str:
    u = m.unsupported
    decided = m.scale_correct + m.scale_wrong
    lines = [
        "transcript rules on the labelled set (tests/transcripts)",
        f"past the end: {m.past_end_citations} citations past the end, {m.past_end_mismatches} disagreements with the srt library",
        f"wrong scale: reading right {m.scale_correct}/{decided} ({m.scale_correct / decided:.1%}) where one reading is supported; "
        f"{m.scale_undecided} supported by neither, {m.scale_missed} given no verdict, "
        f"{m.scale_false_alarms} verdicts on supported in-range citations; safe corrections right "
        f"{m.scale_safe_right}/{m.scale_safe}",
        f"unsupported: precision {u.precision:.3f} recall {u.recall:.3f} (tp {u.tp} fp {u.fp} fn {u.fn}); "
        f"weighted to the corpus: precision {m.unsupported_weighted_precision:.3f} recall {m.unsupported_weighted_recall:.3f}",
        f"  better time within 15 s of where the reader found it: {m.better_time_right}/{m.better_time_known}",
        *_holdout_lines(m),
        "  min_gain  precision  recall  fired   (the curve over the coverage-gain threshold, other thresholds at default)",
        *(f"  {gain:8.2f}  {p:9.3f}  {r:6.3f}  {n:5d}" for gain, p, r, n in m.curve),
        f"data-t vs label: chosen side supported {m.label_choice_correct}, not supported {m.label_choice_wrong}, unclear {m.label_unclear}",
    ]
    if m.citations:
        lines.append(
            f"cost: {m.index_ms_per_video:.1f} ms to load and index a video, {m.check_ms_per_citation:.3f} ms per citation "
            f"({m.citations} citations), import {import_ms():.0f} ms"
        )
    return "\n".join(lines)


def _holdout_lines(m: Metrics) -> list[str]:
    n = m.holdout_tp + m.holdout_fp
    if not n:
        return []
    return [
        f"  held-out sample ({n} of the {m.holdout_fired} citations it reports outside the labelled set): "
        f"precision {m.holdout_tp / n:.3f} ({m.holdout_tp}/{n}); better time within 15 s "
        f"{m.holdout_better_right}/{m.holdout_better_known}",
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-cost", action="store_true", help="skip the timing")
    args = parser.parse_args(argv)
    print(report(evaluate(with_cost=not args.no_cost)))


if __name__ == "__main__":
    main()
