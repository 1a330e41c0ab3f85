"""The vault: index entries (:mod:`.entry`), link resolution (:mod:`.resolve`), the
index itself (:mod:`.index`) and suggestions (:mod:`.suggest`)."""

from .entry import HeadingRef, IndexEntry, LinkRef, NoteStats, SiteEntry, build_entry, pack_times
from .index import VaultIndex
from .modes import make_resolver
from .resolve import (
    LenientResolver,
    Resolver,
    heading_keys,
    leaves_vault,
    normalize,
)

__all__ = [
    "HeadingRef", "IndexEntry", "LenientResolver", "LinkRef", "NoteStats", "Resolver", "SiteEntry", "VaultIndex",
    "build_entry", "heading_keys", "leaves_vault", "make_resolver", "normalize", "pack_times",
]
