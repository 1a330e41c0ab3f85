"""Draw the citations of the labelled set: ``python -m benchmarks.transcripts_sample``.

Stratified by what the rules said when the set was drawn (default
thresholds of that day), with a fixed seed, so the draw can be repeated:

- ``in-range``: citations within the video, in strata ``flagged`` (the
  unsupported rule fired), ``low`` (support below 0.15, not flagged),
  ``mid`` (0.15 to 0.30) and ``high`` (0.30 and over);
- ``scale``: wrong-scale verdicts, in strata ``past-end-safe``,
  ``past-end-unsafe`` and ``support`` (written reading in range);
- ``label``: in-range citations whose data-t and label disagree, in strata
  by which one the rule said the transcript supports.

Writes ``tests/transcripts/sample.jsonl``: one object per drawn citation
with the size of its stratum, so that estimates can be weighted back to
the whole corpus. Labels are kept apart, in ``labels.tsv``.
"""

from __future__ import annotations

import json
import random

from notelint.transcripts import rules as R

from .transcripts_data import REPO, load_indexes, load_notes

SEED = 16
SIZES = {
    ("in-range", "flagged"): 110,
    ("in-range", "low"): 80,
    ("in-range", "mid"): 60,
    ("in-range", "high"): 60,
    ("scale", "past-end-safe"): 30,
    ("scale", "past-end-unsafe"): 30,
    ("scale", "support"): 40,
    ("label", "data-t"): 15,
    ("label", "label"): 15,
    ("label", "unclear"): 15,
}
OUT = REPO / "tests" / "transcripts" / "sample.jsonl"


def strata() -> dict[tuple[str, str], list[dict]]:
    indexes = load_indexes()
    found: dict[tuple[str, str], list[dict]] = {key: [] for key in SIZES}
    for case in load_notes():
        index = indexes[case.video]
        end = R.video_end(index, None)
        flagged = {v.citation.start for v in R.unsupported(case.claims, index)}
        for v in R.wrong_scale(case.claims, index, end):
            kind = "support" if v.reason == "support" else f"past-end-{'safe' if v.safe else 'unsafe'}"
            found[("scale", kind)].append(_item(case, v.citation))
        for v in R.label_disagreement([c for c in case.claims if c.seconds <= end], index):
            found[("label", v.supported)].append(_item(case, v.citation))
        for c in case.claims:
            if c.seconds > end:
                continue
            score = index.support(index.claim_vector(c.claim), c.seconds)
            kind = "flagged" if c.start in flagged else "low" if score < 0.15 else "mid" if score < 0.30 else "high"
            found[("in-range", kind)].append(_item(case, c))
    return found


def _item(case, c) -> dict:
    return {"note": case.rel, "offset": c.start, "video": case.video, "time": c.time, "label": c.label}


def main() -> None:
    rng = random.Random(SEED)
    rows = []
    for (group, stratum), items in strata().items():
        seen = set()
        unique = [i for i in items if (i["note"], i["offset"]) not in seen and not seen.add((i["note"], i["offset"]))]
        drawn = rng.sample(unique, min(SIZES[(group, stratum)], len(unique)))
        drawn.sort(key=lambda i: (i["note"], i["offset"]))
        for n, item in enumerate(drawn, 1):
            rows.append({"id": f"{group}/{stratum}/{n:03d}", "set": group, "stratum": stratum, "stratum_size": len(unique), **item})
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("".join(json.dumps(r, sort_keys=True) + "\n" for r in rows), encoding="utf-8")
    print(f"{len(rows)} citations drawn into {OUT.relative_to(REPO)}")


if __name__ == "__main__":
    main()
