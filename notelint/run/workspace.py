"""A vault kept in memory and updated one note at a time.

The language server and ``--stdin-filename`` use it: open it once (every
note from the cache or linted), then :meth:`Workspace.update` a note from its
new bytes (an editor's buffer), :meth:`Workspace.remove` a deleted one, and
:meth:`Workspace.lint` any note. An update re-parses that one note, refiles
its index entry, and says which other notes' links may have changed status
(those linking to a name, path or heading the note gained or lost, and the
notes on the same video when its cited times changed), so only those are
linted again.
"""

from __future__ import annotations

import marshal
from collections.abc import Iterable

from ..discover import NoteFile
from ..findings import Finding
from ..rules.registry import RuleContext
from ..vault import IndexEntry, VaultIndex, make_resolver
from .finish import place, run_vault_rules, suppress
from .lint import lint_file, lint_text
from .payload import DECODE_ERRORS, entry_from_plain, entry_index
from .result import NoteResult, RunResult


class Workspace:
    def __init__(self, settings, results: Iterable[NoteResult] = (), index: VaultIndex | None = None):
        self.settings = settings
        self.ctx = RuleContext(settings)
        self.results: dict[str, NoteResult] = {r.file.rel: r for r in results}
        if index is None:
            index = VaultIndex([r.entry for r in self.results.values()], make_resolver(settings))
        self.index = index
        self._opened = None  # (cache, every note's digest) of Workspace.open
        self._changed: set[str] = set()  # notes updated, reloaded or removed since

    @classmethod
    def open(cls, settings, vault_files: list[NoteFile], *, cache=None, jobs: int = 1, details: bool = True) -> Workspace:
        """Every note of ``vault_files``, from the cache where it can answer. Without ``details``
        the notes keep only their index entries' names (enough to resolve one note's links)."""
        from .check import check

        run = check([], vault_files, settings, jobs=jobs, cache=cache, full_index=details, prune=False)
        workspace = cls(settings, run.results.values(), run.index)
        workspace._opened = (cache, run.digests) if cache is not None else None
        return workspace

    def keep_index_keys(self) -> None:
        """Keep in the cache the keys the index filed notes under since it was opened from it
        (a lenient index built for a broken link's candidates, say), for the next run: those
        of the notes not changed since (the others' digests are not known here)."""
        if self._opened is not None and self._opened[1]:
            from .check import keep_index_keys

            cache, digests = self._opened
            keep_index_keys(cache, self.index, {rel: d for rel, d in digests.items() if rel not in self._changed})
            cache.save()

    def add_details(self, rels: Iterable[str], cache=None) -> None:
        """Give the notes ``rels`` of a workspace opened without details their links and cited
        times (what finding a note's backlinks needs), from the cache, else by reading them."""
        for rel in rels:
            res = self.results.get(rel)
            if res is None:
                continue
            entry = None
            blob = cache.detail(rel) if cache is not None else None
            if blob is not None:
                try:
                    entry = entry_from_plain(rel, entry_index(res.entry), marshal.loads(blob)[2])
                except (*DECODE_ERRORS, AttributeError):
                    entry = None
            if entry is None:
                res = lint_file(res.file, self.ctx, checked=False)
                entry = res.entry
            self.results[rel] = NoteResult(res.file, [], entry, [], checked=False)
            self.index.add(entry)

    # -- changes ------------------------------------------------------------------
    def update(self, file: NoteFile, data: bytes, among: Iterable[str] | None = None) -> set[str]:
        """Re-lint ``file`` from ``data``; return the other notes (of ``among``, default every
        note) whose findings may have changed."""
        old = self.results.get(file.rel)
        self._changed.add(file.rel)
        res = lint_text(file, data, self.ctx)
        self.results[file.rel] = res
        affected = self._affected(old.entry if old else None, res.entry, among)
        self.index.add(res.entry)
        return affected - {file.rel}

    def reload(self, file: NoteFile, among: Iterable[str] | None = None) -> set[str]:
        """Re-lint ``file`` from disk (saved, created or changed outside the editor)."""
        old = self.results.get(file.rel)
        self._changed.add(file.rel)
        res = lint_file(file, self.ctx)
        self.results[file.rel] = res
        affected = self._affected(old.entry if old else None, res.entry, among)
        self.index.add(res.entry)
        return affected - {file.rel}

    def remove(self, rel: str, among: Iterable[str] | None = None) -> set[str]:
        """Forget a deleted note; return the notes whose findings may have changed."""
        old = self.results.pop(rel, None)
        self._changed.add(rel)
        if old is None:
            return set()
        affected = self._affected(old.entry, None, among)
        self.index.remove(rel)
        return affected - {rel}

    def _affected(self, old: IndexEntry | None, new: IndexEntry | None, among: Iterable[str] | None) -> set[str]:
        """Notes (of ``among``) whose link or time-scale findings may change when ``old`` becomes ``new``."""
        if among is not None:
            among = [rel for rel in among if rel in self.index.notes]
        times_moved = old is None or new is None or (old.video_id, _seconds(old)) != (new.video_id, _seconds(new))
        return self.index.concerned(old, new, times_moved, old is None or new is None or old.headings != new.headings,
                                    among)

    # -- findings -------------------------------------------------------------------
    def lint(self, rel: str) -> list[Finding]:
        """Every finding of note ``rel`` (per-note and vault rules, after suppressions), sorted."""
        res = self.results[rel]
        if not res.checked:  # loaded for its index entry only: check it now
            res = self.results[rel] = lint_file(res.file, self.ctx)
        vault_found = run_vault_rules(self.index, self.ctx, [res.entry]).get(rel, [])
        place(res, vault_found, self.settings.max_file_size)
        return sorted(suppress(res, vault_found, self.ctx), key=Finding.sort_key)

    def run_result(self, rels: Iterable[str]) -> RunResult:
        """A :class:`RunResult` for the notes ``rels``, as ``check`` would report them (its
        ``results`` are theirs: the report reads only the notes it reports on)."""
        rels = [r for r in rels if r in self.results]
        findings = sorted((f for rel in rels for f in self.lint(rel)), key=Finding.sort_key)
        results = {self.results[rel].file.display: self.results[rel] for rel in rels}
        return RunResult(findings, [self.results[rel].file.display for rel in rels], len(self.results), results,
                         index=self.index)


def _seconds(entry: IndexEntry) -> list[int]:
    return sorted(t for t, _, _ in entry.cited())
