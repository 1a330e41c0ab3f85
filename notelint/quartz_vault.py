"""A vault read the way Quartz reads it: each note's wiki-links and heading ids, and the site.

Glue between :mod:`notelint.quartz` (the port of Quartz, standard library only)
and notelint's parser (:mod:`notelint.parse.text_nodes`, pyromark) and YAML
loader. One pass per note: Quartz's text transforms, one parse of the
transformed text, its wiki-links and heading ids.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any

import yaml

from .parse.text_nodes import text_tree
from .quartz import (
    NoteInfo,
    QuartzLink,
    Site,
    content_files,
    heading_ids,
    text_transform,
    wikilinks,
)
from .quartz.config import QuartzConfig, read_quartz_config

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)??---[ \t]*(?:\r?\n|\Z)", re.S)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(slots=True)
class QuartzNote:
    rel: str
    links: list[QuartzLink]
    info: NoteInfo


@dataclass(slots=True)
class QuartzVault:
    site: Site
    notes: dict[str, QuartzNote]


def front_matter(text: str) -> dict[str, Any] | None:
    """The note's YAML front matter as a mapping (None when absent or not a mapping)."""
    m = _FRONT_MATTER.match(text.lstrip("\ufeff \t\r\n"))
    if not m or not m.group(1):
        return None
    try:
        data = yaml.load(m.group(1), Loader=_LOADER)  # noqa: S506 - a safe loader
    except yaml.YAMLError:
        return None
    return data if isinstance(data, dict) else None


def read_note(rel: str, text: str) -> QuartzNote:
    """One note's wiki-links (offsets into ``text``) and heading ids, as Quartz sees them."""
    t = text_transform(text)
    tree = text_tree(t.text)
    ids = heading_ids(tree.headings, tree.footnotes)
    return QuartzNote(rel, wikilinks(t, tree.nodes), NoteInfo(rel, front_matter(t.text), ids))


def config_beside(root: str) -> QuartzConfig | None:
    """The ``quartz.config.ts`` beside the content folder ``root``, if there is one."""
    path = os.path.join(os.path.dirname(os.path.abspath(root)), "quartz.config.ts")
    if not os.path.isfile(path):
        return None
    with open(path, encoding="utf-8") as fh:
        return read_quartz_config(fh.read())


def read_vault(root: str, config: QuartzConfig | None = None) -> QuartzVault:
    """Every note of the content folder ``root`` and the Quartz site they make."""
    config = config or config_beside(root) or QuartzConfig()
    files = content_files(root, config.ignore_patterns)
    notes: dict[str, QuartzNote] = {}
    for rel in files:
        if rel.endswith(".md"):
            with open(os.path.join(root, rel), encoding="utf-8", errors="replace") as fh:
                notes[rel] = read_note(rel, fh.read())
    site = Site(files, (n.info for n in notes.values()), config.strategy)
    return QuartzVault(site, notes)
