"""Configuration: ``[tool.notelint]`` in ``pyproject.toml`` or ``notelint.toml`` (whose
settings stand at its top level, or under ``[tool.notelint]`` too).

Found by walking up from the paths checked, then from the working directory, as
ruff finds it (``notelint.toml`` wins over ``pyproject.toml`` in the same folder). Validated by a pydantic model:
an unknown or mistyped key is a :class:`ConfigError` (exit 2) naming it.
Paths in the file are relative to the file's folder.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from ..errors import ConfigError, config_where
from ..exclude import Exclusion, match_patterns
from ..readfile import FileTooLarge, read_regular
from .limits import CONFIG_CAP, DEFAULT_MAX_FILE_SIZE, MAX_MAX_FILE_SIZE, SCHEMA_CAP
from .root import anchor_of, find_vault, quartz_site
from ..document import DEFAULT_PAGE_KINDS

__all__ = ["ConfigError", "DEFAULT_MAX_FILE_SIZE", "MAX_MAX_FILE_SIZE", "Overrides", "Settings", "find_config",
           "load_settings"]


@dataclass
class Settings:
    """Everything a run needs, resolved: what rules read as ``ctx.settings``."""

    root: Path  # the folder of the configuration file (or the working directory)
    vault: Path
    config_file: Path | None = None
    vault_source: str = "given"  # how the vault root was found (``--show-settings``, ``-v``)
    selected: frozenset[str] = frozenset()
    fail_level: str = "warning"
    per_file_ignores: list[tuple[str, frozenset[str]]] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)  # exclude + extend-exclude, gitignore-style
    respect_gitignore: bool = False
    force_exclude: bool = False
    user_schema: dict[str, Any] | None = None
    allow_extra_fields: bool = False
    external_targets: list[str] = field(default_factory=list)
    # the videos file (durations by videoId); read by :class:`notelint.videos.VideoData`, and
    # not part of the fingerprint: a cached result depends on its own video's data only
    videos_file: Path | None = None
    # the transcripts folder and how to read transcripts (the TR rules); like the videos file,
    # not part of the fingerprint: they are folded into each video's digest
    transcripts_dir: Path | None = None
    transcript_window: float | None = None  # seconds before and after a cited time (None: the default)
    transcript_thresholds: dict[str, Any] = field(default_factory=dict)  # notelint.transcripts.rules.Thresholds
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    cache_dir: Path | None = None
    # the audit's per-note counts (claims, cited claims): only ``notelint audit`` pays for them
    collect_stats: bool = False
    # (glob pattern, page kind) of the ``page-kinds`` setting, in order
    page_kinds: tuple[tuple[str, str], ...] = DEFAULT_PAGE_KINDS
    # where wiki-links go (``link-resolution``, resolved: "quartz" or "obsidian") and why
    link_resolution: str = "obsidian"
    link_resolution_source: str = "default"
    # quartz mode: the site's ``markdownLinkResolution``, ``ignorePatterns``, and its content
    # folder relative to the vault root ("" when the vault root is the content folder)
    quartz_strategy: str = "shortest"
    quartz_ignore: tuple[str, ...] = ()
    quartz_content: str = ""

    @property
    def exclusion(self) -> Exclusion:
        """What walks of the vault leave out."""
        return Exclusion(tuple(self.exclude), self.respect_gitignore)

    def ignored_for(self, rel: str) -> frozenset[str]:
        """The codes ``per-file-ignores`` turns off in the note at vault path ``rel``."""
        out: set[str] = set()
        for pattern, codes in self.per_file_ignores:
            if match_patterns((pattern,), rel):
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
                self.page_kinds,
                self.link_resolution,
                self.quartz_strategy,
                self.quartz_ignore,
                self.quartz_content,
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
    """The validated ``[tool.notelint]`` table (:class:`notelint.config.model.Config`).

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
            raise ConfigError(f"{prefix}unknown key '{key}'{_key_hint(key)}") from None
        raise ConfigError(f"{prefix}key '{key}': {err['msg']} (got {err.get('input')!r})") from None


def _key_hint(key: str) -> str:
    """" (did you mean 'exclude'?)" for a mistyped key."""
    import difflib

    from .model import Config

    keys = [f.alias or name for name, f in Config.model_fields.items()]
    close = difflib.get_close_matches(key.replace("_", "-").lower(), keys, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _memo_path(folder: Path, table: dict[str, Any]) -> Path:
    """Where the validated ``table`` is remembered: keyed on the table, notelint's version and
    the configuration model's own source (a model with a new key never reads an old memo)."""
    from .. import __version__

    # the model's source too: a key added to the model (without a new version) must not meet
    # a table validated, and remembered, before it existed
    model = hashlib.blake2b((Path(__file__).parent / "model.py").read_bytes(), digest_size=8).hexdigest()
    blob = json.dumps([__version__, model, table], sort_keys=True, default=str).encode()
    return folder / ".notelint_cache" / f"config-{hashlib.blake2b(blob, digest_size=10).hexdigest()}.json"


def default_config(folder: Path, memo: bool = True) -> SimpleNamespace:
    """The defaults, when no configuration file is found: the empty table, validated once and
    remembered like any other (so a run without a configuration does not import pydantic)."""
    return parse_config(folder / "notelint.toml", {}, memo=memo)


@dataclass
class Overrides:
    """What the command line says about the configuration (None: not said)."""

    vault: Path | None = None
    select: list[str] | None = None
    extend_select: list[str] | None = None
    ignore: list[str] | None = None
    exclude: list[str] | None = None  # replaces the configured exclude
    extend_exclude: list[str] | None = None
    respect_gitignore: bool | None = None
    force_exclude: bool | None = None


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
    overrides: Overrides | None = None,
) -> Settings:
    """Resolve configuration file + command-line options into :class:`Settings`.

    The configuration file is found from the folder ``paths`` have in common, then from
    ``cwd``; without a configured vault, the vault root is found as :mod:`.root` says."""
    cli = overrides or Overrides()
    cli.vault = cli.vault if vault is None else vault
    cli.select = cli.select if select is None else select
    cli.extend_select = cli.extend_select if extend_select is None else extend_select
    cli.ignore = cli.ignore if ignore is None else ignore
    anchor = anchor_of(paths or [], cwd)
    if config_path is not None:
        found = (config_path, _read_toml(config_path))
    else:
        found = find_config(anchor) or (find_config(cwd) if anchor != cwd else None)
    config = parse_config(*found, memo=use_cache) if found else default_config(cwd, memo=use_cache)
    root = found[0].parent if found else cwd
    settings = Settings(root=root, vault=cwd, config_file=found[0] if found else None)
    where = config_where(found[0]) if found else ""
    _vault(settings, config, cli.vault, where, anchor, cwd, paths or [])
    _selection(settings, config, cli, where)
    settings.fail_level = config.fail_level
    settings.exclude = list(config.exclude if cli.exclude is None else cli.exclude)
    settings.exclude += [*config.extend_exclude, *(cli.extend_exclude or [])]
    settings.respect_gitignore = config.respect_gitignore if cli.respect_gitignore is None else cli.respect_gitignore
    settings.force_exclude = config.force_exclude if cli.force_exclude is None else cli.force_exclude
    settings.allow_extra_fields = config.allow_extra_fields
    settings.external_targets = list(config.external_targets)
    settings.max_file_size = config.max_file_size
    settings.page_kinds = tuple(config.page_kinds.items())
    link_resolution(settings, config.link_resolution, where)
    _files(settings, config, root, where)
    settings.cache_dir = (root / config.cache_dir) if config.cache_dir else root / ".notelint_cache"
    return settings


def _vault(settings: Settings, config, vault: Path | None, where: str, anchor: Path, cwd: Path,
           paths: list[Path]) -> None:
    if vault is not None:
        settings.vault = vault.resolve()
        settings.vault_source = "--vault"
        if not settings.vault.is_dir():
            raise ConfigError(f"argument --vault: folder {settings.vault} does not exist")
    elif config.vault is not None:
        settings.vault = (settings.root / config.vault).resolve()
        settings.vault_source = f"key 'vault' of {settings.config_file}"
        if not settings.vault.is_dir():
            raise ConfigError(f"{where}key 'vault': folder {settings.vault} does not exist")
    else:
        settings.vault, settings.vault_source = find_vault(anchor, cwd, paths)


def link_resolution(settings: Settings, mode: str, where: str = "") -> None:
    """Settle ``link-resolution``: the mode asked for, or (``auto``) the renderer the vault is
    published with, and for quartz the site's configuration (:func:`.root.quartz_site`)."""
    site = quartz_site(settings.vault)
    if mode == "auto":
        if site is not None:
            mode, why = "quartz", f"auto: {site.config_file} beside the vault's content folder"
        elif (settings.vault / ".obsidian").is_dir():
            mode, why = "obsidian", "auto: the vault holds .obsidian/"
        else:
            mode, why = "obsidian", "auto: no quartz.config.ts or .obsidian/ found"
    else:
        why = f"{where}key 'link-resolution'" if where else "key 'link-resolution'"
    settings.link_resolution, settings.link_resolution_source = mode, why
    if mode == "quartz":
        if site is not None:
            settings.quartz_strategy, settings.quartz_ignore = site.strategy, site.ignore_patterns
            settings.quartz_content = site.content
        else:  # no configuration to read: Quartz's own defaults
            settings.quartz_strategy, settings.quartz_ignore = "absolute", ()
        settings.link_resolution_source += f" (markdownLinkResolution {settings.quartz_strategy!r})"


def _selection(settings: Settings, config, cli: Overrides, where: str) -> None:
    from ..rules.selection import UnknownSelector, expand_selectors, resolve_selection

    # every list of rule codes, checked where it was written, so that the error can say where
    sources = [
        (f"{where}key 'select'", config.select or []),
        (f"{where}key 'extend-select'", config.extend_select),
        (f"{where}key 'ignore'", config.ignore),
        *((f"{where}key 'per-file-ignores.{pattern}'", codes) for pattern, codes in config.per_file_ignores.items()),
        ("argument --select", cli.select or []),
        ("argument --extend-select", cli.extend_select or []),
        ("argument --ignore", cli.ignore or []),
    ]
    for label, codes in sources:
        try:
            expand_selectors(codes)
        except UnknownSelector as exc:
            raise ConfigError(f"{label}: unknown rule code or prefix '{exc.args[0]}'{exc.hint}") from None
    settings.selected = resolve_selection(
        cli.select if cli.select is not None else config.select,
        list(config.extend_select) + list(cli.extend_select or []),
        list(config.ignore) + list(cli.ignore or []),
    )
    settings.per_file_ignores = [(p, frozenset(expand_selectors(c))) for p, c in config.per_file_ignores.items()]


def _files(settings: Settings, config, root: Path, where: str) -> None:
    """The front matter schema and the videos file the configuration names, loaded now."""
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
    if config.transcripts:
        settings.transcripts_dir = _transcripts_dir(root / config.transcripts, where)
        settings.transcript_window = config.transcript_window
        settings.transcript_thresholds = dict(config.transcript_thresholds)


def _transcripts_dir(folder: Path, where: str) -> Path:
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        raise ConfigError(f"{where}key 'transcripts': {folder} {what}")
    return folder.resolve()


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
