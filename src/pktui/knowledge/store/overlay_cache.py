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

import functools
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from pktui.knowledge.ledger import MAX_LEDGER_BYTES, Entry, LedgerError, parse_entries
from pktui.knowledge.store.kept_overlay import KeptDamaged, KeptOverlay
from pktui.knowledge.store.overlay import FindArticles, Overlay, correct
from pktui.knowledge.store.overlay_kept import KeptKey, open_kept, write_kept
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
    raw: bytes,
    read_entries: Callable[[], Sequence[Entry]],
    find_articles: FindArticles | None,
    cache: Path | None,
    where: str = "",
) -> tuple[Overlay, str | None, str, list[str]]:
    """The overlay over ``skb`` of the ledger whose file holds ``raw`` (``read_entries`` parses
    it, only when needed; ``where`` names it): from the file at ``cache`` when it holds it,
    extended when the ledger only grew, made afresh otherwise (and the file written). Returns
    the overlay, a warning (the file was damaged) or None, how it was had (``cached``,
    ``extended`` or ``made``) and the entries' digests."""
    base, ledger = store_base(skb), ledger_digest(raw)
    read_entries = functools.cache(read_entries)  # (parsed once at most)
    warning = None
    kept: tuple[KeptKey, KeptOverlay] | None = None
    try:
        kept = open_kept(cache) if cache is not None else None
    except KeptDamaged as exc:
        warning = f"the corrections cache was unreadable ({exc}); made again"
    if kept is not None and kept[0].base != base:
        kept[1].close()
        kept = None
    if kept is not None and kept[0].ledger == ledger:
        return kept[1], None, "cached", kept[0].entries
    overlay: Overlay | None = None
    try:
        if kept is not None and cache is not None:
            got = _grown(skb, kept, raw, read_entries, find_articles, where)
            if got is not None:
                overlay, how, key = got
                return _written(cache, overlay, replace(key, base=base, ledger=ledger)), warning, how, key.entries
        entries = read_entries()
    except KeptDamaged as exc:
        warning, overlay = f"the corrections cache was unreadable ({exc}); made again", None
        entries = read_entries()
    finally:
        if kept is not None and overlay is not kept[1]:
            kept[1].close()
    overlay = correct(skb, entries, find_articles)
    key = KeptKey(base, ledger, entry_digests(entries), len(raw), [e.n for e in entries])
    if cache is not None:
        write_kept(cache, overlay, key)
    return overlay, warning, "made", key.entries


def _grown(
    skb: Any,
    kept: tuple[KeptKey, KeptOverlay],
    raw: bytes,
    read_entries: Callable[[], Sequence[Entry]],
    find_articles: FindArticles | None,
    where: str,
) -> tuple[Overlay, str, KeptKey] | None:
    """The kept overlay with the ledger's new entries applied on it, when they only follow the
    kept ones (read from where the kept ledger ended when its bytes begin the file, else from
    the whole), with the key it then has; None otherwise (the whole ledger is applied)."""
    key, overlay = kept
    tail = _appended(raw, key, where)
    if tail is None:
        entries = read_entries()
        digests = entry_digests(entries)
        known = key.entries
        if not known or digests[: len(known)] != known:
            return None
        tail = list(entries[len(known) :])
    key = KeptKey(
        key.base, key.ledger, [*key.entries, *entry_digests(tail)], len(raw), [*key.numbers, *(e.n for e in tail)]
    )
    if not tail:
        return overlay, "cached", key
    grown = _extended(skb, overlay, tail, len(kept[0].entries), find_articles)
    return (grown, "extended", key) if grown is not None else None


def _appended(raw: bytes, key: KeptKey, where: str) -> list[Entry] | None:
    """The entries after the first ``key.size`` bytes of the ledger when those are the bytes
    the kept overlay was made from and what follows reads alone as entries with new numbers;
    None otherwise."""
    size = key.size
    if not 0 < size <= len(raw) or len(raw) > MAX_LEDGER_BYTES or raw[size - 1 : size] != b"\n":
        return None
    if ledger_digest(raw[:size]) != key.ledger:
        return None
    try:
        text = raw[size:].decode("utf-8")
        tail = parse_entries(text, where)
    except (LedgerError, UnicodeDecodeError):
        return None
    first = next((line for line in text.splitlines() if line.strip() and not line.startswith("#")), "-")
    if not first.startswith("-"):  # (more of the last kept entry, not entries of their own)
        return None
    if set(key.numbers).intersection(e.n for e in tail):
        return None
    lines = raw[:size].count(b"\n")
    return [replace(e, line=e.line + lines) for e in tail]


def _written(cache: Path, overlay: Overlay, key: KeptKey) -> Overlay:
    """The kept overlay, its changed rows written back; in memory where they cannot be."""
    if isinstance(overlay, KeptOverlay) and not update_kept(cache, overlay, key):
        memory = overlay.materialize()
        overlay.close()
        return memory
    return overlay


def _extended(
    skb: Any, base: Overlay, tail: list[Entry], known: int, find_articles: FindArticles | None
) -> Overlay | None:
    """The kept overlay (of ``known`` entries) with ``tail`` applied on it; None when one of
    them is an undo (or the part read was not enough): the whole ledger is applied."""
    from pktui.knowledge.store.extend import extend
    from pktui.knowledge.store.overlay import OverlayUnsafe

    if any(e.op == "undo" for e in tail):
        return None
    try:
        grown = extend(skb, base, tail, tail, find_articles)
    except (OverlayUnsafe, KeyError, ValueError, TypeError, AttributeError):
        return None  # (a kept overlay that does not fit the store: the whole ledger is applied)
    grown.grown_after = known
    return grown
