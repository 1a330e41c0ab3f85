"""Configuration: ``[tool.notelint]`` in ``pyproject.toml`` or ``notelint.toml`` (whose
settings stand at its top level, or under ``[tool.notelint]`` too).

Found by walking up from the working directory (``notelint.toml`` wins over
``pyproject.toml`` in the same folder). Validated by a pydantic model:
an unknown or mistyped key is a :class:`ConfigError` (exit 2) naming it.
Paths in the file are relative to the file's folder.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from ..errors import ConfigError, config_where
from ..readfile import FileTooLarge, read_regular
from .limits import CONFIG_CAP, DEFAULT_MAX_FILE_SIZE, MAX_MAX_FILE_SIZE, SCHEMA_CAP

__all__ = ["ConfigError", "DEFAULT_MAX_FILE_SIZE", "MAX_MAX_FILE_SIZE", "Settings", "find_config", "load_settings"]


@dataclass
class Settings:
    """Everything a run needs, resolved: what rules read as ``ctx.settings``."""

    root: Path  # the folder of the configuration file (or the working directory)
    vault: Path
    config_file: Path | None = None
    selected: frozenset[str] = frozenset()
    fail_level: str = "warning"
    per_file_ignores: list[tuple[str, frozenset[str]]] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    user_schema: dict[str, Any] | None = None
    allow_extra_fields: bool = False
    external_targets: list[str] = field(default_factory=list)
    # the videos file (durations by videoId); read by :class:`notelint.videos.VideoData`, and
    # not part of the fingerprint: a cached result depends on its own video's data only
    videos_file: Path | None = None
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    cache_dir: Path | None = None
    # the audit's per-note counts (claims, cited claims): only ``notelint audit`` pays for them
    collect_stats: bool = False

    def ignored_for(self, rel: str) -> frozenset[str]:
        out: set[str] = set()
        name = rel.rsplit("/", 1)[-1]
        for pattern, codes in self.per_file_ignores:
            if fnmatch.fnmatchcase(rel, pattern) or ("/" not in pattern and fnmatch.fnmatchcase(name, pattern)):
                out |= codes
        return frozenset(out)

    def fingerprint(self) -> str:
        """What a cached result depends on besides the note's bytes."""
        return json.dumps(
            [
                sorted(self.selected),
                self.per_file_ignores and [[p, sorted(c)] for p, c in self.per_file_ignores],
                self.user_schema,
                self.allow_extra_fields,
                self.external_targets,
                self.max_file_size,
                self.collect_stats,
            ],
            sort_keys=True,
            default=str,
        )


def find_config(start: Path) -> tuple[Path, dict[str, Any]] | None:
    """The nearest configuration file at or above ``start``, with its notelint table."""
    for folder in [start, *start.parents]:
        own = folder / "notelint.toml"
        if own.is_file():
            return own, _read_toml(own)
        py = folder / "pyproject.toml"
        if py.is_file():
            data = _read_toml(py)
            tool = data.get("tool", {})
            if isinstance(tool, dict) and "notelint" in tool:
                return py, {"tool": {"notelint": tool["notelint"]}}
    return None


def _read_toml(path: Path) -> dict[str, Any]:
    data = read_capped(path, CONFIG_CAP)
    try:
        return tomllib.loads(data.decode("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: not UTF-8 (byte at offset {exc.start})") from None


def read_capped(path: Path, cap: tuple[int, str], template: str = "{path}: cannot read: {reason}") -> bytes:
    """The bytes of a file that is not a note: a regular file within its cap, else a
    :class:`ConfigError` from ``template`` naming the file, and the cap when it is over it."""
    limit, what = cap
    try:
        return read_regular(path, limit)
    except FileTooLarge as exc:
        reason = exc.over(what)
    except OSError as exc:
        reason = exc.strerror or str(exc)
    raise ConfigError(template.format(path=path, reason=reason))


def parse_config(path: Path, data: dict[str, Any], memo: bool = True) -> SimpleNamespace:
    """The validated ``[tool.notelint]`` table (:class:`notelint.config_model.Config`).

    pydantic is the validator, but it is not imported on every run: a table
    validated once is remembered under ``.notelint_cache/`` by a hash of its
    content and notelint's version, so a pre-commit run starts without it.
    """
    table = data.get("tool", {}).get("notelint", {}) if path.name == "pyproject.toml" else _own_table(path, data)
    where = "[tool.notelint]" if path.name == "pyproject.toml" else ""
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: {where or 'notelint.toml'} must be a table")
    values = None
    memo_file = _memo_path(path.parent, table)
    if memo:
        try:
            values = json.loads(read_regular(memo_file, CONFIG_CAP[0]).decode("utf-8"))
        except (OSError, ValueError):
            values = None
    if isinstance(values, dict):
        return SimpleNamespace(**values)
    values = validate_table(path, table)
    if not memo:
        return SimpleNamespace(**values)
    from ..atomic import write_atomic
    from ..cache import ensure_folder

    try:
        ensure_folder(memo_file.parent)  # with its .gitignore, as the cache creates it
        write_atomic(memo_file, json.dumps(values).encode("utf-8"), durable=False, follow_links=False)
    except OSError:
        pass  # read-only checkout: validate every time
    return SimpleNamespace(**values)


def _own_table(path: Path, data: dict[str, Any]) -> Any:
    """The settings of a ``notelint.toml``: at its top level, or all under one ``[tool.notelint]``
    table (as the README's ``pyproject.toml`` example writes them)."""
    tool = data.get("tool")
    if tool is None:
        return data
    if isinstance(tool, dict) and list(tool) == ["notelint"] and list(data) == ["tool"]:
        return tool["notelint"]
    raise ConfigError(f"{path}: unknown key 'tool': write the settings at the top level of notelint.toml "
                      "(vault = \"notes\"), or all of them under one [tool.notelint] table")


def validate_table(path: Path, table: dict[str, Any]) -> dict[str, Any]:
    from pydantic import ValidationError

    from .model import Config

    try:
        return Config.model_validate(table).model_dump()
    except ValidationError as exc:
        err = exc.errors()[0]
        key = ".".join(str(p) for p in err["loc"])
        prefix = config_where(path)
        if err["type"] == "extra_forbidden":
            raise ConfigError(f"{prefix}unknown key '{key}'") from None
        raise ConfigError(f"{prefix}key '{key}': {err['msg']} (got {err.get('input')!r})") from None


def _memo_path(folder: Path, table: dict[str, Any]) -> Path:
    from .. import __version__

    blob = json.dumps([__version__, table], sort_keys=True, default=str).encode()
    return folder / ".notelint_cache" / f"config-{hashlib.blake2b(blob, digest_size=10).hexdigest()}.json"


def default_config() -> SimpleNamespace:
    from .model import Config

    return SimpleNamespace(**Config().model_dump())


def load_settings(
    cwd: Path,
    *,
    config_path: Path | None = None,
    vault: Path | None = None,
    select: list[str] | None = None,
    extend_select: list[str] | None = None,
    ignore: list[str] | None = None,
    paths: list[Path] | None = None,
    use_cache: bool = True,
) -> Settings:
    """Resolve configuration file + command-line options into :class:`Settings`."""
    from ..rules.selection import UnknownSelector, expand_selectors, resolve_selection

    if config_path is not None:
        found = (config_path, _read_toml(config_path))
    else:
        found = find_config(cwd)
    config = parse_config(*found, memo=use_cache) if found else default_config()
    root = found[0].parent if found else cwd
    settings = Settings(root=root, vault=cwd, config_file=found[0] if found else None)
    where = config_where(found[0]) if found else ""

    if vault is not None:
        settings.vault = vault.resolve()
        if not settings.vault.is_dir():
            raise ConfigError(f"argument --vault: folder {settings.vault} does not exist")
    elif config.vault is not None:
        settings.vault = (root / config.vault).resolve()
        if not settings.vault.is_dir():
            raise ConfigError(f"{where}key 'vault': folder {settings.vault} does not exist")
    else:
        settings.vault = _default_vault(cwd, paths or [])

    # every list of rule codes, checked where it was written, so that the error can say where
    sources = [
        (f"{where}key 'select'", config.select or []),
        (f"{where}key 'extend-select'", config.extend_select),
        (f"{where}key 'ignore'", config.ignore),
        *((f"{where}key 'per-file-ignores.{pattern}'", codes) for pattern, codes in config.per_file_ignores.items()),
        ("argument --select", select or []),
        ("argument --extend-select", extend_select or []),
        ("argument --ignore", ignore or []),
    ]
    for label, codes in sources:
        try:
            expand_selectors(codes)
        except UnknownSelector as exc:
            raise ConfigError(f"{label}: unknown rule code or prefix '{exc.args[0]}'") from None

    try:
        for codes in config.per_file_ignores.values():
            resolve_selection(codes)
        settings.selected = resolve_selection(
            select if select is not None else config.select,
            list(config.extend_select) + list(extend_select or []),
            list(config.ignore) + list(ignore or []),
        )
        settings.per_file_ignores = [(p, frozenset(expand_selectors(c))) for p, c in config.per_file_ignores.items()]
    except UnknownSelector as exc:
        raise ConfigError(f"unknown rule code or prefix '{exc.args[0]}'") from None

    settings.fail_level = config.fail_level
    settings.exclude = list(config.exclude)
    settings.allow_extra_fields = config.allow_extra_fields
    settings.external_targets = list(config.external_targets)
    settings.max_file_size = config.max_file_size
    if config.schema_path:
        schema_file = root / config.schema_path
        data = read_capped(schema_file, SCHEMA_CAP, where + "key 'schema': cannot load {path}: {reason}")
        try:
            settings.user_schema = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ConfigError(f"{where}key 'schema': cannot load {schema_file}: {exc}") from None
        _check_schema(settings, schema_file, settings.user_schema)
    if config.videos:
        from ..videos import VideoData

        settings.videos_file = root / config.videos
        try:
            VideoData.from_settings(settings).load()  # a bad videos file is a configuration error now
        except ConfigError as exc:
            raise ConfigError(f"{where}key 'videos': {exc}") from None
    settings.cache_dir = (root / config.cache_dir) if config.cache_dir else root / ".notelint_cache"
    return settings


def schema_error(settings: Settings, problem: str) -> ConfigError:
    """A problem of the configured front matter schema, named by the key that set it."""
    return ConfigError.schema(settings.config_file, problem)


def _check_schema(settings: Settings, path: Path, schema: Any) -> None:
    import jsonschema
    from referencing.exceptions import Unresolvable

    try:
        cls = jsonschema.validators.validator_for(schema)
        cls.check_schema(schema)
        list(cls(schema).iter_errors({}))  # resolves the references met on the way: a broken one fails now
    except jsonschema.SchemaError as exc:
        raise schema_error(settings, f"{path} is not a valid JSON Schema: {exc.message}") from None
    except Unresolvable as exc:
        raise schema_error(settings, f"{path}: cannot resolve a $ref: {exc}") from None


def _default_vault(cwd: Path, paths: list[Path]) -> Path:
    """No configured vault: notes/ when the paths lie in it, else the folder linted."""
    notes = (cwd / "notes").resolve()
    resolved = [p.resolve() for p in paths]
    if not resolved:
        return notes if notes.is_dir() else cwd.resolve()
    if notes.is_dir() and all(_inside(p, notes) for p in resolved):
        return notes
    if len(resolved) == 1 and resolved[0].is_dir():
        return resolved[0]
    parents = [p if p.is_dir() else p.parent for p in resolved]
    common = parents[0]
    for p in parents[1:]:
        while not _inside(p, common):
            common = common.parent
    return common


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
        return True
    except ValueError:
        return False
