"""Errors that end a run with exit code 2: one line on standard error, never a traceback.

Everything here is raised below the command line and caught once, in
:func:`notelint.cli.main`. Problems of a note are findings, not errors.
"""

from __future__ import annotations


class NotelintError(Exception):
    """A problem the user can fix: reported as one line, exit 2."""


class ConfigError(NotelintError):
    """A configuration problem (file, key, value, schema, videos file)."""

    @classmethod
    def schema(cls, config_file, problem: str) -> ConfigError:
        """A problem of the configured front matter schema, named by the key that set it."""
        where = config_where(config_file) if config_file else ""
        return cls(f"{where}key 'schema': {problem}")


class DiscoveryError(NotelintError):
    """A path on the command line that cannot be checked."""


class ChangedError(DiscoveryError):
    """A git problem in ``--changed-since``."""


class OutputError(NotelintError):
    """A report, baseline or output file that cannot be read or written."""


class WriteError(NotelintError):
    """A note could not be written by ``--fix``; the note is unchanged."""


def config_where(path) -> str:
    """How an error names the configuration table: ``file: [tool.notelint] `` or ``file: ``."""
    return f"{path}: [tool.notelint] " if path.name == "pyproject.toml" else f"{path}: "
