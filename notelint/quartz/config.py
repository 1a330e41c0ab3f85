"""What notelint needs of a ``quartz.config.ts``: the link resolution strategy and the ignore patterns.

Read the way the oracle harness reads it (a regular expression over the
TypeScript, not an evaluation): ``CrawlLinks({ markdownLinkResolution: "…" })``
(Quartz's default is ``absolute``) and ``ignorePatterns: ["…", …]``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .paths import Strategy

_STRATEGY = re.compile(r"""markdownLinkResolution:\s*["'](absolute|relative|shortest)["']""")
_IGNORE = re.compile(r"ignorePatterns:\s*\[([^\]]*)\]")
_STRING = re.compile(r""""((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'""")


@dataclass(frozen=True, slots=True)
class QuartzConfig:
    strategy: Strategy = "absolute"
    ignore_patterns: tuple[str, ...] = ()


def read_quartz_config(text: str) -> QuartzConfig:
    """The strategy and ignore patterns written in a ``quartz.config.ts``."""
    m = _STRATEGY.search(text)
    strategy: Strategy = m.group(1) if m else "absolute"  # type: ignore[assignment]
    ig = _IGNORE.search(text)
    patterns = tuple(m.group(1) if m.group(1) is not None else m.group(2) for m in _STRING.finditer(ig.group(1))) if ig else ()
    return QuartzConfig(strategy, patterns)
