"""The resolver of each ``link-resolution`` mode: :func:`make_resolver`."""

from __future__ import annotations

from .obsidian_mode import ObsidianResolver
from .quartz_mode import QuartzResolver, site_assets
from .resolve import LenientResolver, Resolver


def make_resolver(settings) -> Resolver:
    """The resolver the settings ask for (``link-resolution``, settled by the configuration)."""
    mode = getattr(settings, "link_resolution", "obsidian")
    if mode == "quartz":
        return QuartzResolver(settings.external_targets, getattr(settings, "quartz_strategy", "shortest"),
                              getattr(settings, "quartz_content", ""), site_assets(settings))
    if mode == "lenient":
        return LenientResolver(settings.external_targets)
    return ObsidianResolver(settings.external_targets)
