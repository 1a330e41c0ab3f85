"""TS: citations, their times and citation groups.

One module per concern: ``times`` (TS001, TS002, TS005: one citation's time),
``groups`` (TS003, TS004: citation groups), ``markup`` (TS006: broken citation
markup) and ``scale`` (TS007: the time scale across the notes on one video).
"""

from __future__ import annotations

from ...document import padded
from . import groups, markup, scale, times  # noqa: F401  (registers the rules)

__all__ = ["padded"]
