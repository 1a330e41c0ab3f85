"""What a run produces: one :class:`NoteResult` per note, one :class:`RunResult` per run."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..findings import SEVERITY_RANK, Finding

if TYPE_CHECKING:
    from ..discover import NoteFile
    from ..rules.suppression import Directive
    from ..vault import IndexEntry, VaultIndex


@dataclass(slots=True)
class NoteResult:
    """What one note yields: its own findings (per-note rules), its index entry, its
    suppression directives."""

    file: NoteFile
    findings: Sequence[Finding]  # read only; () when none
    entry: IndexEntry
    directives: Sequence[Directive] = ()  # read only; () when none
    checked: bool = True  # findings are wanted for this note (not only its index entry)
    text: bytes | None = None  # the note's bytes when they did not come from its file (stdin)

    def __post_init__(self) -> None:
        # one empty tuple for every note without findings or directives, not two empty lists
        # a note (some 14 MB of a run over 100,000 notes, most of which have neither)
        if not self.findings:
            self.findings = ()
        if not self.directives:
            self.directives = ()


@dataclass
class RunResult:
    findings: list[Finding]  # after vault rules, suppressions and SP001, sorted
    files: list[str]  # display paths of the notes checked
    vault_size: int
    results: dict[str, NoteResult] = field(default_factory=dict)  # by display path
    vault_state: dict = field(default_factory=dict)  # vault findings by rel, for the cache
    index: VaultIndex | None = None  # the vault index the links were resolved against
    state: bytes | None = None  # what the results depend on (every note's content, the notes checked)
    stamp: bytes = b""  # the same, by the notes' sizes and times (b"": none; see notelint.run.check)
    # the report of the last run of the same state and output options, replayed from the cache
    # (its bytes, its worst severity rank or -1): ``findings`` is then empty, never decoded
    replay: tuple[bytes, int] | None = None
    digests: dict[str, bytes] | None = None  # every note's content digest by rel, when a cache was used

    def release_index(self) -> None:
        """Drop what only the vault rules needed (the index, every note's index entry) before
        the report is rendered: a whole-vault run's largest part, freed for the report's text."""
        self.index = None
        for res in self.results.values():
            res.entry = None  # type: ignore[assignment]

    def worst(self) -> int:
        """The highest severity rank among the findings, -1 for none."""
        if self.replay is not None:
            return self.replay[1]
        return max((SEVERITY_RANK[f.severity] for f in self.findings), default=-1)

    def failed(self, fail_level: str) -> bool:
        return self.worst() >= SEVERITY_RANK[fail_level]
