"""Draw (and show for reading) the held-out sample of the unsupported-citation rule (TR003).

``python -m benchmarks.transcripts_holdout`` draws, with a fixed seed,
citations that TR003 reports at its default thresholds on the grounding
corpus and that the labelled set (``sample.jsonl``) does not hold: the
thresholds were fitted on the labelled set, so this sample, labelled after
they were fixed, is an independent check of the rule's precision. Writes
``tests/transcripts/holdout.jsonl``; the labels are in ``holdout.tsv``
(same guide, ``GUIDE.md``, in-range letters S, P, N).

``--show`` prints each drawn citation as it was read: the claim, the
captions from 15 s before the cited time to 30 s after it, and around the
better time the rule names.
"""

from __future__ import annotations

import argparse
import json
import random

from notelint.transcripts import rules as R

from .transcripts_data import REPO, load_indexes, load_notes

SEED = 1616
SIZE = 40
LABELS = REPO / "tests" / "transcripts"
OUT = LABELS / "holdout.jsonl"


def fired() -> list[dict]:
    """Every citation TR003 reports at the default thresholds, outside the labelled set."""
    labelled = {(d["note"], d["offset"]) for d in map(json.loads, (LABELS / "sample.jsonl").open(encoding="utf-8"))}
    indexes = load_indexes()
    out = []
    for case in load_notes():
        index = indexes[case.video]
        end = R.video_end(index, None)
        decided = frozenset(v.citation.start for v in [*R.past_end(case.claims, end), *R.wrong_scale(case.claims, index, end)])
        for v in R.unsupported(case.claims, index, skip=decided):
            c = v.citation
            if (case.rel, c.start) not in labelled:
                out.append({"note": case.rel, "offset": c.start, "video": case.video, "time": c.time,
                            "better": v.better, "claim": c.claim})
    return out


def draw() -> list[dict]:
    items = fired()
    drawn = random.Random(SEED).sample(items, min(SIZE, len(items)))
    drawn.sort(key=lambda i: (i["note"], i["offset"]))
    rows = [{"id": f"holdout/{n:03d}", "fired": len(items), **{k: v for k, v in i.items() if k != "claim"}}
            for n, i in enumerate(drawn, 1)]
    OUT.write_text("".join(json.dumps(r, sort_keys=True) + "\n" for r in rows), encoding="utf-8")
    print(f"{len(rows)} of {len(items)} reported citations drawn into {OUT.relative_to(REPO)}")
    return rows


def show() -> None:
    indexes = load_indexes()
    claims = {(case.rel, c.start): c.claim for case in load_notes() for c in case.claims}
    for line in OUT.open(encoding="utf-8"):
        row = json.loads(line)
        index = indexes[row["video"]]
        cited = int(row["time"][0:2]) * 3600 + int(row["time"][3:5]) * 60 + int(row["time"][6:8])
        print(f"=== {row['id']} {row['note']} cited {row['time']} ({cited}) better {row['better']}")
        print("CLAIM:", claims[(row["note"], row["offset"])])
        for name, t in (("AT CITED", cited), ("AT BETTER", row["better"])):
            print(f"-- {name}")
            for cue in index.transcript.cues:
                if t - 15 <= cue.start <= t + 30:
                    print(f"  {int(cue.start)}: {cue.text}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="print the drawn citations with their captions")
    args = parser.parse_args(argv)
    show() if args.show else draw()


if __name__ == "__main__":
    main()
