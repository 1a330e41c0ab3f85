"""Front matter: find the ``---`` block and load its YAML safely.

The split is done here, on bytes, so that every position is exact; the YAML
is loaded through python-frontmatter's YAML handler with a loader that

* reports duplicate keys (plain YAML loaders silently keep the last one),
* refuses aliases (``*name``), so no "billion laughs" expansion can happen,
* constructs only plain data (safe loader: ``!!python/object`` is an error),
* records where each top-level key and value stand.
"""

from __future__ import annotations

import re
from typing import Any

import frontmatter
import yaml

from ..document import FrontMatter

try:  # libyaml when available: ten times faster than the pure-Python loader
    _BaseLoader = yaml.CSafeLoader  # type: ignore[attr-defined]
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _BaseLoader = yaml.SafeLoader

MAX_FRONT_MATTER_BYTES = 64 * 1024
_MAX_INT_CHARS = 1000
_INT_TAG = "tag:yaml.org,2002:int"
_DELIMITER = re.compile(rb"---[ \t]*(?:\r\n|\r|\n|$)")
_LINE = re.compile(rb"[^\r\n]*(?:\r\n|\r|\n|$)")


class _AliasError(yaml.YAMLError):
    def __init__(self, mark):
        self.problem_mark = mark
        self.problem = "YAML aliases (*name) are not allowed in front matter"

    def __str__(self) -> str:
        return self.problem


def _short(node) -> str:
    value = node.value if isinstance(node.value, str) else ""
    return repr(value if len(value) <= 40 else value[:39] + "…")


class NoteLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe loader that records duplicate keys and key positions and refuses aliases."""

    def __init__(self, stream):
        super().__init__(stream)
        self.duplicates: list[tuple[str, Any]] = []  # (key, mark)
        self.top_keys: dict[str, tuple[Any, Any, Any]] = {}
        self._root = None

    def construct_document(self, node):
        self._root = node
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode):
                    self.top_keys.setdefault(
                        key_node.value,
                        (key_node.start_mark, value_node.start_mark, value_node.end_mark),
                    )
        return super().construct_document(node)

    def construct_object(self, node, deep=False):
        if node in self.constructed_objects or node in self.recursive_objects:
            raise _AliasError(node.start_mark)
        if node.tag == _INT_TAG and len(node.value) > _MAX_INT_CHARS:
            # Python refuses to read or print an integer of more than 4,300 digits
            raise yaml.constructor.ConstructorError(None, None, f"integer {_short(node)} is too large", node.start_mark)
        try:
            value = super().construct_object(node, deep)
        except (yaml.YAMLError, RecursionError):
            raise
        except Exception as exc:  # noqa: BLE001 - a constructor's own error on odd input
            # ``!!float abc``, ``!!bool maybe``, ``2001-02-30``, a 5,000-digit integer: PyYAML's
            # constructors raise ValueError, KeyError, AttributeError... Report it where it stands.
            reason = str(exc) if isinstance(exc, ValueError) else f"{type(exc).__name__}: {exc}"
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read the {node.tag.rsplit(':', 1)[-1]} value {_short(node)}: {reason}",
                node.start_mark,
            ) from None
        return value

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            seen: set = set()
            for key_node, _ in node.value:
                if isinstance(key_node, yaml.ScalarNode):
                    key = key_node.value
                    if key in seen:
                        self.duplicates.append((key, key_node.start_mark))
                    seen.add(key)
        return super().construct_mapping(node, deep)


class NoteYAMLHandler(frontmatter.YAMLHandler):
    """python-frontmatter's YAML handler, with notelint's loader."""

    def load(self, fm: str, **kwargs: object) -> Any:  # type: ignore[override]
        loader = NoteLoader(fm)
        try:
            data = loader.get_single_data()
        finally:
            loader.dispose()
        return data, loader


HANDLER = NoteYAMLHandler()


def split_front_matter(raw: bytes) -> FrontMatter | None:
    """Locate the front matter block; None when the note does not open with ``---``."""
    first = _DELIMITER.match(raw)
    if first is None:
        return None
    yaml_start = first.end()
    pos = yaml_start
    n = len(raw)
    while pos < n:
        m = _DELIMITER.match(raw, pos)
        if m is not None:
            return FrontMatter(start=0, end=m.end(), yaml_start=yaml_start, yaml_end=pos, closed=True)
        line = _LINE.match(raw, pos)
        if line is None or line.end() == pos:  # pragma: no cover - _LINE always advances
            break
        pos = line.end()
    return FrontMatter(start=0, end=n, yaml_start=yaml_start, yaml_end=n, closed=False)


def _mark_offset(raw: bytes, yaml_start: int, line_starts: list[int], mark) -> int:
    """Byte offset in the note of a YAML mark (line, column in characters)."""
    if mark is None:
        return yaml_start
    idx = min(mark.line, len(line_starts) - 1)
    start = line_starts[idx]
    line_end = raw.find(b"\n", start)
    if line_end == -1:
        line_end = len(raw)
    text = raw[start:line_end].decode("utf-8", "replace")
    return start + len(text[: mark.column].encode("utf-8"))


def _first_alias_mark(text: str):
    """Where the first alias (``*name``) of ``text`` stands, from the parser's events."""
    try:
        for event in yaml.parse(text, Loader=_BaseLoader):
            if isinstance(event, yaml.AliasEvent):
                return event.start_mark
    except yaml.YAMLError:  # pragma: no cover - the text composed once already
        pass
    return None


# A line ``key: text`` whose text is a plain YAML scalar: printable ASCII, one space after the colon,
# no indicator first (a '-' only before a non-space), at most 1,024 characters of key (libyaml's limit)
_PLAIN_LINE = re.compile(rb"([A-Za-z_][A-Za-z0-9_-]{0,100}): ((?:(?![-?:,\[\]{}#&*!|>'\"%@`])[!-~]|-(?=[!-~]))[ -~]*)\n")
_RESOLVER = yaml.resolver.Resolver()  # the loader's own resolver: which plain scalars are not text
_STR_TAG = "tag:yaml.org,2002:str"


def _load_plain(raw: bytes, fm: FrontMatter) -> bool:
    """Load a front matter of plain ``key: text`` lines (most notes: ``title``, ``videoId``) without
    the YAML loader, with the same data and key positions; False, loading nothing, when it is not one
    (a quote, a comment, a list, a number, a repeated key...: the loader reads it)."""
    data: dict[str, Any] = {}
    keys: dict[str, tuple[int, int, int]] = {}
    pos = fm.yaml_start
    while pos < fm.yaml_end:
        m = _PLAIN_LINE.match(raw, pos, fm.yaml_end)
        if m is None:
            return False
        key, value = m.group(1).decode(), m.group(2).decode()
        if key in data or value[-1] in " :" or ": " in value or " #" in value:
            return False
        if _RESOLVER.resolve(yaml.ScalarNode, key, (True, False)) != _STR_TAG or _RESOLVER.resolve(
            yaml.ScalarNode, value, (True, False)
        ) != _STR_TAG:
            return False  # 'yes', '12', '2024-01-01', 'null'...: the loader's types
        data[key] = value
        keys[key] = (pos, m.start(2), m.end(2))
        pos = m.end()
    if not data:
        return False
    fm.data, fm.keys = data, keys
    return True


def load_front_matter(raw: bytes, fm: FrontMatter) -> None:
    """Load the YAML of ``fm`` in place: data, duplicates, key positions or error."""
    size = fm.yaml_end - fm.yaml_start
    if size > MAX_FRONT_MATTER_BYTES:
        fm.error = (f"front matter is {size} bytes; the limit is {MAX_FRONT_MATTER_BYTES}", fm.yaml_start)
        return
    if _load_plain(raw, fm):
        return
    text = raw[fm.yaml_start : fm.yaml_end].decode("utf-8")
    # YAML treats lone CR as a line break too; line starts of the YAML text, in note offsets.
    line_starts = [fm.yaml_start]
    line_starts.extend(fm.yaml_start + m.end() for m in re.finditer(rb"\r\n|\r|\n", raw[fm.yaml_start : fm.yaml_end]))
    try:
        data, loader = HANDLER.load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        if isinstance(exc, _AliasError):
            # the construction error points at the anchored node; report the alias itself
            mark = _first_alias_mark(text) or mark
        problem = getattr(exc, "problem", None) or str(exc)
        context = getattr(exc, "context", None)
        message = f"{context}: {problem}" if context and "alias" not in str(problem) else str(problem)
        fm.error = (message.strip(), _mark_offset(raw, fm.yaml_start, line_starts, mark))
        return
    except RecursionError:
        fm.error = ("front matter is nested too deeply", fm.yaml_start)
        return
    if data is None:
        data = {}
    if not isinstance(data, dict):
        fm.error = (f"front matter must be a mapping of keys to values, not a {type(data).__name__}", fm.yaml_start)
        return
    fm.data = data
    fm.duplicates = [(key, _mark_offset(raw, fm.yaml_start, line_starts, mark)) for key, mark in loader.duplicates]
    fm.keys = {
        key: (
            _mark_offset(raw, fm.yaml_start, line_starts, km),
            _mark_offset(raw, fm.yaml_start, line_starts, vs),
            _mark_offset(raw, fm.yaml_start, line_starts, ve),
        )
        for key, (km, vs, ve) in loader.top_keys.items()
    }
