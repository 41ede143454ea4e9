"""A corrections overlay kept on disk, so that a reopen with the same ledger reads it instead of
correcting again, and a ledger that only grew applies its new entries on it.

The file (:mod:`.overlay_kept`, SQLite, written whole then renamed) holds the overlay and what
it was made from: the store's generation and extractor (``base``), the ledger file's digest and
a digest of each ledger entry in order. :func:`cached_correct` first compares the ledger file's
digest: the same base and the same bytes, the kept overlay is the answer and the ledger is not
even parsed. Otherwise the ledger is read, and when the kept entries begin it the new ones are
applied on the kept overlay (:mod:`.extend`) unless one is an ``undo`` (which may take back
anything: the whole ledger is applied again). Any other file is made again; one that cannot
be read is made again with a warning; where it cannot be written the overlay is used from
memory.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from pktui.knowledge.ledger import Entry
from pktui.knowledge.store.overlay import FindArticles, Overlay, correct
from pktui.knowledge.store.overlay_kept import KeptDamaged, KeptKey, KeptOverlay, open_kept, write_kept
from pktui.knowledge.store.overlay_kept_update import update_kept

#: kept for the messages and tests that name it
OverlayCacheDamaged = KeptDamaged


def entry_digests(entries: Sequence[Entry]) -> list[str]:
    """One short digest per entry (everything it says, its note and time included)."""
    return [
        hashlib.sha256(json.dumps(e.as_dict(), sort_keys=True, default=str).encode()).hexdigest()[:16] for e in entries
    ]


def ledger_digest(raw: bytes) -> str:
    """The digest of a ledger file's bytes (an unchanged file is not parsed again)."""
    return hashlib.sha256(raw).hexdigest()[:32]


def store_base(skb: Any) -> str:
    """What an overlay depends on besides the ledger: the store's generation and extractor."""
    return "|".join(skb.meta(k) or "" for k in ("generation", "extractor", "extractor.inputs"))


def cached_correct(
    skb: Any,
    ledger: str,
    read_entries: Callable[[], Sequence[Entry]],
    find_articles: FindArticles | None,
    cache: Path | None,
) -> tuple[Overlay, str | None, str, list[str]]:
    """The ledger's overlay over ``skb`` (``ledger``: the ledger file's digest; ``read_entries``
    parses it, only when needed): from the file at ``cache`` when it holds it, extended when the
    ledger only grew, made afresh otherwise (and the file written). Returns the overlay, a
    warning (the file was damaged) or None, how it was had (``cached``, ``extended`` or
    ``made``) and the entries' digests."""
    base = store_base(skb)
    warning = None
    kept: tuple[KeptKey, KeptOverlay] | None = None
    try:
        kept = open_kept(cache) if cache is not None else None
    except KeptDamaged as exc:
        warning = f"the corrections cache was unreadable ({exc}); made again"
    if kept is not None and kept[0].base == base and kept[0].ledger == ledger:
        return kept[1], None, "cached", kept[0].entries
    overlay: Overlay | None = None
    try:
        entries = read_entries()
        digests = entry_digests(entries)
        if kept is not None and cache is not None and kept[0].base == base:
            overlay, how = _grown(skb, kept[1], kept[0].entries, entries, digests, find_articles)
            if overlay is not None:
                overlay = _written(cache, overlay, KeptKey(base, ledger, digests))
                return overlay, warning, how, digests
    except KeptDamaged as exc:
        warning, overlay = f"the corrections cache was unreadable ({exc}); made again", None
    finally:
        if kept is not None and overlay is not kept[1]:
            kept[1].close()
    overlay = correct(skb, entries, find_articles)
    if cache is not None:
        write_kept(cache, overlay, KeptKey(base, ledger, digests))
    return overlay, warning, "made", digests


def _grown(
    skb: Any,
    kept: KeptOverlay,
    known: list[str],
    entries: Sequence[Entry],
    digests: list[str],
    find_articles: FindArticles | None,
) -> tuple[Overlay | None, str]:
    """The kept overlay when its entries are the ledger's (written otherwise), or with the new
    entries applied on it when they begin the ledger; None otherwise."""
    if known == digests:
        return kept, "cached"
    if known and known == digests[: len(known)]:
        return _extended(skb, kept, entries, len(known), find_articles), "extended"
    return None, "made"


def _written(cache: Path, overlay: Overlay, key: KeptKey) -> Overlay:
    """The kept overlay, its changed rows written back; in memory where they cannot be."""
    if isinstance(overlay, KeptOverlay) and not update_kept(cache, overlay, key):
        memory = overlay.materialize()
        overlay.close()
        return memory
    return overlay


def _extended(
    skb: Any, base: Overlay, entries: Sequence[Entry], known: int, find_articles: FindArticles | None
) -> Overlay | None:
    """The kept overlay with the entries after the first ``known`` applied on it; None when
    one of them is an undo (or the part read was not enough): the whole ledger is applied."""
    from pktui.knowledge.store.extend import extend
    from pktui.knowledge.store.overlay import OverlayUnsafe

    tail = list(entries[known:])
    if any(e.op == "undo" for e in tail):
        return None
    try:
        grown = extend(skb, base, entries, tail, find_articles)
    except (OverlayUnsafe, KeyError, ValueError, TypeError, AttributeError):
        return None  # (a kept overlay that does not fit the store: the whole ledger is applied)
    grown.grown_after = known
    return grown
