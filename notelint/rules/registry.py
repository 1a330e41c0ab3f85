"""The one place rule codes live.

Each rule is declared next to its check function with :func:`rule`; the CLI,
``notelint rule CODE``, the SARIF rule metadata and the README table all read
:data:`RULES` (through :mod:`.selection` and :mod:`.docs`). A rule's
docstring is its documentation page: a one-line summary, then the sections
"What it does", "Why is this bad?", "Example" and "Use instead".

A rule declares what it reads (its :class:`Scope`), and ``notelint.run`` has
one runner per scope:

* ``NOTE``: one note's document model, ``check(note: Note, ctx: RuleContext)``;
* ``VAULT``: the vault index, ``check(vault: VaultIndex, ctx: RuleContext,
  checked: Sequence[IndexEntry])``, reporting on the ``checked`` notes only;
* ``SUPPRESSIONS``: a note's suppression directives after every other rule
  ran, ``check(directives: Sequence[Directive], ctx: RuleContext, path: str)``.

Every rule makes its findings with :func:`finding` (a note and byte
offsets), :func:`vault_finding` (an index entry and byte offsets; the run
places them) or :func:`finding_at` (a line and column already known).
"""

from __future__ import annotations

import enum
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from ..findings import ERROR, INFO, WARNING, Finding, Fix  # noqa: F401  (re-exported for rule modules)


class Scope(enum.Enum):
    NOTE = "note"  # reads one note's document model
    VAULT = "vault"  # reads the vault index
    SUPPRESSIONS = "suppressions"  # reads a note's suppression directives, after every other rule


NOTE, VAULT, SUPPRESSIONS = Scope.NOTE, Scope.VAULT, Scope.SUPPRESSIONS


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    name: str
    severity: str
    scope: Scope
    family: str
    check: Callable[..., Any]
    doc: str
    fix: str | None = None  # None, "safe" or "unsafe"
    default: bool = True  # enabled unless selected explicitly
    # codes whose finding at the same offset this rule's finding replaces (see ``superseded``)
    supersedes: tuple[str, ...] = ()
    # runs on channel pages and site pages too, not only on video notes (SPEC §1)
    pages: bool = False
    # a vault rule whose findings on a note depend on that note and the index only (not on
    # the other notes checked): run on a chunk of notes at a time (see notelint.run.finish)
    by_note: bool = False

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0].strip()


RULES: dict[str, Rule] = {}


def rule(
    code: str,
    name: str,
    severity: str,
    *,
    scope: Scope = NOTE,
    fix: str | None = None,
    default: bool = True,
    supersedes: tuple[str, ...] = (),
    pages: bool = False,
    by_note: bool = False,
) -> Callable[[Callable], Callable]:
    """Register a check function as rule ``code``.

    A per-note rule runs on video notes only unless ``pages`` is set: channel
    pages and site pages are checked only for what applies to them (the file,
    the front matter's form, links).
    """

    def register(check: Callable) -> Callable:
        if code in RULES:
            raise RuntimeError(f"rule code {code} registered twice")
        parts = check.__module__.split(".")
        family = parts[2] if parts[:2] == ["notelint", "rules"] and len(parts) > 2 else parts[-1]
        RULES[code] = Rule(code, name, severity, scope, family, check, inspect.cleandoc(check.__doc__ or name), fix, default,
                           tuple(supersedes), pages or scope is not NOTE, by_note)
        return check

    return register


def superseded(findings: list[Finding]) -> list[Finding]:
    """``findings`` without those another finding replaces: a rule that ``supersedes`` a code
    says the same thing better about the same place (its finding starts at the same offset)."""
    replaced = {(code, f.offset) for f in findings for code in _supersedes(f.code)}
    if not replaced:
        return findings
    return [f for f in findings if (f.code, f.offset) not in replaced]


def _supersedes(code: str) -> tuple[str, ...]:
    r = RULES.get(code)  # a code from an older cache may be gone
    return r.supersedes if r is not None else ()


class RuleContext:
    """What rules may read besides their input: the settings, the per-video data, and
    things built from the settings once (the user's JSON Schema validator)."""

    def __init__(self, settings, videos=None):
        from ..videos import VideoData

        self.settings = settings
        self.videos: VideoData = videos if videos is not None else VideoData.from_settings(settings)
        schema = settings.user_schema or {}
        props = schema.get("properties") if isinstance(schema, dict) else None
        self.schema_properties = frozenset(props) if isinstance(props, dict) else frozenset()

    @cached_property
    def user_validator(self):
        """A jsonschema validator for the configured front matter schema, or None."""
        schema = self.settings.user_schema
        if schema is None:
            return None
        import jsonschema

        cls = jsonschema.validators.validator_for(schema)
        return cls(schema, format_checker=cls.FORMAT_CHECKER)


def finding(note, code: str, start: int, end: int, message: str, fix: Fix | None = None) -> Finding:
    """A finding of rule ``code`` on ``note`` spanning byte offsets ``start``-``end``."""
    line, col = note.position(start)
    end_line, end_col = note.position(max(end, start))
    return Finding(code, RULES[code].severity, note.path, line, col, message, end_line, end_col, fix, start, end)


def vault_finding(entry, code: str, start: int, end: int, message: str, fix: Fix | None = None) -> Finding:
    """A finding on the note of index entry ``entry`` at byte offsets: line 0 and the note's
    vault path until the run places it (``notelint.run.finish``)."""
    return Finding(code, RULES[code].severity, entry.rel, 0, 0, message, 0, 0, fix, start, end)


def finding_at(path: str, code: str, line: int, col: int, message: str) -> Finding:
    """A finding whose line and column are known (a suppression directive's)."""
    return Finding(code, RULES[code].severity, path, line, col, message, line, col)


def excerpt(text: str, limit: int = 60) -> str:
    """A one-line excerpt of note text for a message."""
    one = " ".join(text.split())
    return one if len(one) <= limit else one[: limit - 1] + "…"
