"""The grounding corpus (``../shared/corpus/grounding``) as typed records.

One :class:`NoteCase` per note: its path relative to the corpus, its video's
index, and its cited claims. Shared by the labelled-set sampler and the
evaluation, so both see the same citations.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from notelint.parse import parse_note
from notelint.transcripts.claims import CitedClaim, ClaimMode, cited_claims
from notelint.transcripts.load import load_transcript
from notelint.transcripts.score import VideoIndex

REPO = Path(__file__).resolve().parent.parent
GROUNDING = REPO.parent / "shared" / "corpus" / "grounding"


@dataclass(frozen=True, slots=True)
class NoteCase:
    rel: str  # path under the grounding folder, e.g. vault-fe6c00d8/3blue1brown/x.md
    video: str
    claims: list[CitedClaim]


def load_indexes(root: Path = GROUNDING) -> dict[str, VideoIndex]:
    """videoId -> index of its transcript."""
    return {p.stem: VideoIndex.build(load_transcript(p)) for p in sorted((root / "transcripts").glob("*.srt"))}


def load_notes(root: Path = GROUNDING, mode: ClaimMode = "sentence") -> list[NoteCase]:
    out = []
    for path in sorted(root.glob("vault-*/*/*.md")):
        rel = path.relative_to(root).as_posix()
        note = parse_note(str(path), rel, path.read_bytes())
        data = note.front_matter.data if note.front_matter and note.front_matter.data else {}
        video = data.get("videoId")
        if isinstance(video, str):
            out.append(NoteCase(rel, video, cited_claims(note, mode)))
    return out
