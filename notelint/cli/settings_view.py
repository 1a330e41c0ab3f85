"""``--show-settings`` and ``-v``: the settings in use, read generically from the
:class:`~notelint.config.Settings` object, so that a key added to it shows without
this module knowing it."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path


def _value(value) -> str:
    """A setting's value as one line: paths as strings, sets sorted, pairs as lists."""
    if isinstance(value, Path):
        return json.dumps(str(value))
    if isinstance(value, (set, frozenset)):
        return json.dumps(sorted(str(v) for v in value))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = dataclasses.asdict(value)
    if hasattr(value, "value") and hasattr(value, "name") and not isinstance(value, (str, int)):  # an enum
        value = value.value
    return json.dumps(value, default=_plain, ensure_ascii=False, sort_keys=True)


def _plain(value):
    if isinstance(value, (set, frozenset)):
        return sorted(str(v) for v in value)
    if isinstance(value, Path):
        return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    return str(value)


def show_settings(settings) -> str:
    """Every field of ``settings``, one ``name = value`` line each (names as in the configuration)."""
    from .. import __version__

    lines = [f"# notelint {__version__}",
             f"# configuration file: {settings.config_file or 'none (defaults)'}",
             f"# vault root: {settings.vault} ({settings.vault_source})",
             f"# link resolution: {settings.link_resolution} ({settings.link_resolution_source})"]
    for f in dataclasses.fields(settings):
        name = f.name.replace("_", "-")
        value = getattr(settings, f.name)
        if f.name == "per_file_ignores":
            value = {pattern: sorted(codes) for pattern, codes in value}
        lines.append(f"{name} = {_value(value)}")
    return "\n".join(lines) + "\n"


def verbose_lines(settings) -> list[str]:
    """What ``-v`` says before a run: the configuration file and the vault root, and how it was found."""
    return [f"configuration: {settings.config_file or 'none (defaults)'}",
            f"vault root: {settings.vault} ({settings.vault_source})",
            f"link resolution: {settings.link_resolution} ({settings.link_resolution_source})"]
