"""Changed-files mode: ``notelint check --changed-since REV`` (SPEC §3, for pull requests).

What is checked:

1. Every note of the vault added, modified, renamed or copied since the
   merge base of REV and HEAD (what ``git diff REV...`` calls the change),
   including uncommitted and untracked notes: the diff runs against the
   working tree (``git diff --name-status -M BASE``, plus ``git ls-files
   --others --exclude-standard``). Each such note gets every rule.
2. The unchanged notes whose links the change broke. The old version of
   every deleted, renamed-away or modified note is read from git
   (``git cat-file blob BASE:path``) to learn the keys it answered to (file
   name, title, aliases, path) and its headings. An unchanged note that links
   to one of those keys, or to a key a changed note now has, is linted too,
   but only these findings of it are reported:

   - WL001 on a link whose target was a key of a deleted, renamed or
     modified note (the rename or the title change broke it);
   - WL003 on a link whose target is a key a changed note gained (an added
     note made the link ambiguous);
   - WL004 on a link into a changed note whose old version had that heading
     (or that is new).

   Its other findings were there before the change and are not the pull
   request's business.

Errors (not a git repository, unknown REV, git missing) are a
:class:`ChangedError`: one line, exit 2.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from ..discover import NoteFile
from ..errors import ChangedError
from ..exclude import Exclusion
from ..parse import parse_note
from ..rules.registry import RuleContext
from ..vault import Resolver, build_entry, make_resolver
from .finish import build_index, finish
from .lint import lint_file
from .result import RunResult

LINK_RULES = ("WL001", "WL003", "WL004")


def _git(args: list[str], cwd: Path) -> bytes:
    try:
        env = {**os.environ, "LC_ALL": "C", "GIT_OPTIONAL_LOCKS": "0", "GIT_LITERAL_PATHSPECS": "1"}
        proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, stdin=subprocess.DEVNULL, env=env)
    except FileNotFoundError:
        raise ChangedError("--changed-since needs git, and git is not installed") from None
    if proc.returncode != 0:
        msg = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ChangedError(f"git {args[0]} failed: {msg[-1] if msg else 'exit ' + str(proc.returncode)}")
    return proc.stdout


@dataclass
class OldNote:
    """What a changed note answered to at the base revision."""

    rel: str  # relative to the vault, at the base
    keys: frozenset[str]
    headings: frozenset[str]
    now: str | None  # its rel now (modified, renamed), or None (deleted)


@dataclass
class Changes:
    base: str  # the commit compared with
    present: set[str] = field(default_factory=set)  # vault rels of notes added or modified (as they are now)
    old: list[OldNote] = field(default_factory=list)


def _note_keys(rel: str, data: bytes, resolver: Resolver) -> tuple[frozenset[str], frozenset[str]]:
    """The keys and heading keys a note's old version answered to."""
    entry = build_entry(parse_note(rel, rel, data, renderer=resolver.mode))
    return frozenset(resolver.keys(entry)), resolver.entry_heading_keys(entry)


def changes_since(rev: str, vault: Path, resolver: Resolver, exclude: list[str] = ()) -> Changes:
    """The notes of ``vault`` changed since the merge base of ``rev`` and HEAD.

    Only files the vault walk would index count: Markdown, not in a hidden
    folder, not matched by ``exclude``.
    """
    if not vault.is_dir():
        raise ChangedError(f"vault folder {vault} does not exist")
    try:
        top = Path(_git(["rev-parse", "--show-toplevel"], vault).decode("utf-8", "surrogateescape").strip())
    except ChangedError as exc:
        if "not a git repository" in str(exc):
            raise ChangedError(f"--changed-since: the vault {vault} is not in a git repository") from None
        raise
    try:
        target = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"], top)
    except ChangedError:
        raise ChangedError(f"--changed-since: unknown git revision {rev!r}") from None
    commit = target.decode().strip()
    try:
        base = _git(["merge-base", commit, "HEAD"], top).decode().strip() or commit
    except ChangedError:  # no HEAD yet, or unrelated histories: compare with REV itself
        base = commit
    prefix = os.path.relpath(os.path.realpath(vault), os.path.realpath(top)).replace(os.sep, "/")
    if prefix == ".":
        prefix = ""
    elif prefix.startswith("../"):
        raise ChangedError(f"vault folder {vault} is not inside the git repository at {top}")

    def in_vault(path: str) -> str | None:
        if not path.endswith(".md"):
            return None
        if prefix:
            if not path.startswith(prefix + "/"):
                return None
            path = path[len(prefix) + 1 :]
        if any(part.startswith(".") for part in path.split("/")) or Exclusion.of(exclude).excluded(path):
            return None
        return path

    spec = ["--", prefix or "."]
    diff = _git(["-c", "core.quotepath=off", "diff", "--no-ext-diff", "--no-relative", "--name-status", "-z", "-M", base, *spec], top)
    fields = diff.decode("utf-8", "surrogateescape").split("\0")
    changes = Changes(base=base)
    gone: list[tuple[str, str | None]] = []  # (old rel, rel now)
    i = 0
    while i < len(fields) and fields[i]:
        status = fields[i][0]
        if status in "RC":
            old_path, new_path = fields[i + 1], fields[i + 2]
            i += 3
        else:
            old_path = new_path = fields[i + 1]
            i += 2
        new_rel, old_rel = in_vault(new_path), in_vault(old_path)
        if status == "D":
            if old_rel:
                gone.append((old_rel, None))
            continue
        if new_rel:
            changes.present.add(new_rel)
        if status == "R" and old_rel:
            gone.append((old_rel, new_rel))
        elif status in "MTU" and old_rel:
            gone.append((old_rel, new_rel))
    untracked = _git(["ls-files", "--others", "--exclude-standard", "--full-name", "-z", *spec], top)
    for path in untracked.decode("utf-8", "surrogateescape").split("\0"):
        rel = in_vault(path) if path else None
        if rel:
            changes.present.add(rel)
    for old_rel, now in gone:
        repo_path = f"{prefix}/{old_rel}" if prefix else old_rel
        try:
            data = _git(["cat-file", "blob", f"{base}:{repo_path}"], top)
        except ChangedError:
            continue  # e.g. a conflicted file without a base version
        keys, headings = _note_keys(old_rel, data, resolver)
        changes.old.append(OldNote(old_rel, keys, headings, now))
    return changes


def check_changed(rev: str, vault_files: list[NoteFile], settings) -> RunResult:
    """Check the notes changed since ``rev`` and the unchanged notes whose links the change broke."""
    resolver = make_resolver(settings)
    changes = changes_since(rev, settings.vault, resolver, settings.exclude)
    ctx = RuleContext(settings)
    by_rel = {f.rel: f for f in vault_files}
    changed = {rel for rel in changes.present if rel in by_rel}
    results = {f.rel: lint_file(f, ctx, checked=f.rel in changed) for f in vault_files}
    scope = _Scope.of(changes, changed, results, resolver)
    candidates = set()
    for rel, res in results.items():
        if rel not in changed and any(link.target and scope.touches(link.target) for link in res.entry.links):
            candidates.add(rel)
            results[rel] = lint_file(by_rel[rel], ctx, checked=True)
    run = finish(list(results.values()), ctx)
    if candidates:
        index = build_index(list(results.values()), ctx)
        display = {by_rel[rel].display: rel for rel in candidates}
        run.findings = [f for f in run.findings if scope.caused(f, display.get(f.path), results, index, changed)]
    return run


@dataclass
class _Scope:
    """The keys and paths a change took away (``old_*``) and added (``new_*``)."""

    resolver: Resolver
    old_keys: set[str]
    old_paths: set[str]
    new_keys: set[str]
    new_paths: set[str]
    old_by_now: dict[str, OldNote]

    @classmethod
    def of(cls, changes: Changes, changed: set[str], results, resolver: Resolver) -> _Scope:
        scope = cls(resolver, set(), set(), set(), set(), {})
        for old in changes.old:
            scope.old_keys |= old.keys
            scope.old_paths.add(resolver.path_key(old.rel))
            if old.now:
                scope.old_by_now[old.now] = old
        for rel in changed:
            before = scope.old_by_now.get(rel)
            scope.new_keys |= set(resolver.keys(results[rel].entry)) - (before.keys if before else set())
            if before is None or before.rel != rel:
                scope.new_paths.add(resolver.path_key(rel))
        return scope

    def touches(self, target: str) -> bool:
        return self.resolver.may_match(target, self.old_keys | self.new_keys, self.old_paths | self.new_paths)

    def caused(self, f, rel: str | None, results, index, changed: set[str]) -> bool:
        """Whether the change caused finding ``f`` (of the note ``rel``; None: a changed note)."""
        if rel is None:
            return True  # a changed note: every finding counts
        if f.code not in LINK_RULES:
            return False
        # a link rule's finding starts where its link starts
        link = next((link for link in results[rel].entry.links if link.start == f.offset), None)
        if link is None:
            return False
        if f.code == "WL001":
            return self.resolver.may_match(link.target, self.old_keys, self.old_paths)
        if f.code == "WL003":
            return self.resolver.may_match(link.target, self.new_keys, self.new_paths)
        found = index.resolve(link.target, rel) if link.target else [rel]
        if not found or len(found) != 1 or found[0] not in changed:
            return False
        before = self.old_by_now.get(found[0])
        return before is None or bool(set(self.resolver.heading_keys(link.heading or "")) & before.headings)
