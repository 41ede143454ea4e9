"""A corrections overlay kept on disk, so that a reopen with the same ledger reads it instead of
correcting again, and a ledger that only grew applies its new entries on it.

The file (JSON, written whole then renamed) holds what the overlay is (:class:`~.overlay.Overlay`:
the corrected entities with their mentions, the facts read as corrected, their timeline
entries, where they sit in the store) and what it was made from: the store's generation and
extractor (``base``) and a digest of each ledger entry in order. :func:`cached_correct` reads
it when the base is the same and its entries begin the ledger: all of them, it is the answer;
fewer, the new ones are applied on it (:mod:`.extend`) unless one is an ``undo`` (which may
take back anything: the whole ledger is applied again). Any other file is made again; one that
cannot be read is made again with a warning; where it cannot be written the overlay is used
from memory.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pktui.fileio import atomic_output
from pktui.knowledge.corrections import Outcome
from pktui.knowledge.ledger import Entry
from pktui.knowledge.store import codec
from pktui.knowledge.store.overlay import FindArticles, Overlay, correct
from pktui.model import Entity, Fact, Mention, TimelineEntry

FORMAT = 2
#: a cached overlay larger than this is not read (it is made again)
MAX_CACHE_BYTES = 512 * 1024 * 1024


class OverlayCacheDamaged(ValueError):
    """The cached overlay cannot be trusted (it is made again)."""


def entry_digests(entries: Sequence[Entry]) -> list[str]:
    """One short digest per entry (everything it says, its note and time included)."""
    return [
        hashlib.sha256(json.dumps(e.as_dict(), sort_keys=True, default=str).encode()).hexdigest()[:16] for e in entries
    ]


def store_base(skb: Any) -> str:
    """What an overlay depends on besides the ledger: the store's generation and extractor."""
    return "|".join(skb.meta(k) or "" for k in ("generation", "extractor", "extractor.inputs"))


def cached_correct(
    skb: Any, entries: Sequence[Entry], find_articles: FindArticles | None, cache: Path | None
) -> tuple[Overlay, str | None, str]:
    """The ledger's overlay over ``skb``: from the cache at ``cache`` when it holds it, extended
    when the ledger only grew, made afresh otherwise (and the cache written). Returns the
    overlay, a warning (the cache was damaged) or None, and how it was had: ``cached``,
    ``extended`` or ``made``."""
    base, digests = store_base(skb), entry_digests(entries)
    overlay: Overlay | None = None
    how, warning = "made", None
    try:
        cached = _read(cache) if cache is not None else None
        if cached is not None and cached.get("base") == base:
            known = cached.get("entries")
            if known == digests:
                overlay, how = overlay_from_doc(cached, entries), "cached"
            elif isinstance(known, list) and known and known == digests[: len(known)]:
                overlay, how = _extended(skb, cached, entries, len(known), find_articles), "extended"
    except OverlayCacheDamaged as exc:
        warning = f"the corrections cache was unreadable ({exc}); made again"
    if overlay is None:
        overlay, how = correct(skb, entries, find_articles), "made"
    if how != "cached" and cache is not None:
        write(cache, overlay, base, digests)
    return overlay, warning, how


def _extended(
    skb: Any, doc: dict[str, Any], entries: Sequence[Entry], known: int, find_articles: FindArticles | None
) -> Overlay | None:
    """The cached overlay with the entries after the first ``known`` applied on it; None when
    one of them is an undo (or the part read was not enough): the whole ledger is applied."""
    from pktui.knowledge.store.extend import extend
    from pktui.knowledge.store.overlay import OverlayUnsafe

    tail = list(entries[known:])
    if any(e.op == "undo" for e in tail):
        return None
    base = overlay_from_doc(doc, entries[:known])
    try:
        grown = extend(skb, base, entries, tail, find_articles)
    except (OverlayUnsafe, KeyError, ValueError, TypeError, AttributeError):
        return None  # (a kept overlay that does not fit the store: the whole ledger is applied)
    grown.grown_after = known
    return grown


def _read(cache: Path) -> dict[str, Any] | None:
    """The cached document, None when there is none; raises :class:`OverlayCacheDamaged`."""
    try:
        size = cache.stat().st_size
        if size > MAX_CACHE_BYTES:
            raise OverlayCacheDamaged(f"{size:,} bytes")
        data = cache.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise OverlayCacheDamaged(exc.strerror or str(exc)) from None
    try:
        doc = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise OverlayCacheDamaged(str(exc)) from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise OverlayCacheDamaged("not a cached overlay of this version")
    return doc


def write(cache: Path, overlay: Overlay, base: str, digests: list[str]) -> None:
    """Write the cache whole or not at all; where it cannot be written, nothing is (the overlay
    is used from memory)."""
    doc = {"format": FORMAT, "base": base, "entries": digests, **overlay_doc(overlay)}
    with contextlib.suppress(OSError):
        cache.parent.mkdir(parents=True, exist_ok=True)
        with atomic_output(cache) as fh:
            fh.write(codec.dumps_any(doc))


# -- the overlay as JSON and back ------------------------------------------------------------------


def overlay_doc(ov: Overlay) -> dict[str, Any]:
    out = ov.outcome
    return {
        "outcome": {
            "applied": out.applied,
            "stale": [[e.n, why] for e, why in out.stale],
            "series_changed": out.series_changed,
            "made": out.made,
            "gone_entities": out.gone_entities,
            "gone_facts": [_fact_row(f) for f in out.gone_facts.values()],
        },
        "entities": [_entity_row(e) for e in ov.entities.values()],
        "replaced": ov.replaced,
        "names_before": ov.names_before,
        "new": ov.new,
        "created": ov.created,
        "fact_fields": FACT_FIELDS,
        "facts": [_fact_row(f) for f in ov.facts.values()],
        "fact_rows": ov.fact_rows,
        "fact_order": ov.fact_order,
        "rejected": sorted(ov.rejected),
        "timeline_fields": TIMELINE_FIELDS,
        "timeline": [[getattr(t, k) for k in TIMELINE_FIELDS] for t in ov.timeline.values()],
        "timeline_rows": sorted(ov.timeline_rows),
        "mention_articles": sorted(ov.mention_articles),
        "fact_articles": sorted(ov.fact_articles),
        "moved_mention_articles": sorted(ov.moved_mention_articles),
    }


#: facts and timeline entries are kept as lists of their fields, in this order (a cache made
#: with other fields is made again)
FACT_FIELDS = [f.name for f in dataclasses.fields(Fact)]
TIMELINE_FIELDS = [f.name for f in dataclasses.fields(TimelineEntry)]


def _fact_row(f: Fact) -> list[Any]:
    return [getattr(f, k) for k in FACT_FIELDS]


def _entity_row(e: Entity) -> list[Any]:
    mentions = [[m.article, m.start, m.end, m.text, m.why, list(m.corrected)] for m in e.mentions]
    return [e.id, e.name, e.type, e.aliases, e.attributes, list(e.corrected), mentions]


def overlay_from_doc(doc: dict[str, Any], entries: Sequence[Entry]) -> Overlay:
    """The overlay a cached document holds (``entries``: the ledger it was made from, for the
    stale entries' messages); raises :class:`OverlayCacheDamaged`."""
    try:
        return _overlay(doc, {e.n: e for e in entries})
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
        raise OverlayCacheDamaged(f"{type(exc).__name__}: {str(exc)[:80]}") from None


def _overlay(doc: dict[str, Any], by_n: dict[int, Entry]) -> Overlay:
    if doc["fact_fields"] != FACT_FIELDS or doc["timeline_fields"] != TIMELINE_FIELDS:
        raise ValueError("kept with other fields")
    o = doc["outcome"]
    outcome = Outcome(
        applied=[int(n) for n in o["applied"]],
        stale=[(by_n[n], str(why)) for n, why in o["stale"]],
        series_changed=bool(o["series_changed"]),
        made=[str(x) for x in o["made"]],
        gone_entities={str(k): str(v) for k, v in o["gone_entities"].items()},
        gone_facts={f.id: f for f in (_fact(d) for d in o["gone_facts"])},
    )
    ov = Overlay(outcome)
    for row in doc["entities"]:
        e = _entity(row)
        ov.entities[e.id] = e
    ov.replaced = {str(k): (str(t), str(f), str(i)) for k, (t, f, i) in doc["replaced"].items()}
    ov.names_before = {str(k): str(v) for k, v in doc["names_before"].items()}
    ov.new = [str(x) for x in doc["new"]]
    ov.created = [str(x) for x in doc["created"]]
    for d in doc["facts"]:
        f = _fact(d)
        ov.facts[f.id] = f
    ov.fact_rows = {str(k): int(v) for k, v in doc["fact_rows"].items()}
    ov.fact_order = {str(k): _place(v) for k, v in doc["fact_order"].items()}
    ov.rejected = {str(x) for x in doc["rejected"]}
    for row in doc["timeline"]:
        t = TimelineEntry(*row)
        if not isinstance(t.fact, str) or not isinstance(t.entities, list):
            raise ValueError("timeline entry")
        ov.timeline[t.fact] = t
    ov.timeline_rows = {int(x) for x in doc["timeline_rows"]}
    ov.mention_articles = {str(x) for x in doc["mention_articles"]}
    ov.fact_articles = {str(x) for x in doc["fact_articles"]}
    ov.moved_mention_articles = {str(x) for x in doc["moved_mention_articles"]}
    _check(ov)
    return ov


def _fact(row: list[Any]) -> Fact:
    f = Fact(*row)
    if not isinstance(f.id, str) or not isinstance(f.entities, list) or len(f.sentence) != 2:
        raise ValueError("fact row")
    f.sentence = (int(f.sentence[0]), int(f.sentence[1]))
    f.corrected = tuple(int(n) for n in f.corrected)
    return f


def _entity(row: list[Any]) -> Entity:
    eid, name, etype, aliases, attributes, corrected, mentions = row
    if not all(isinstance(x, str) for x in (eid, name, etype)) or not isinstance(attributes, dict):
        raise ValueError("entity row")
    made = [
        Mention(str(a), int(s), int(e), str(text), eid, why, tuple(int(n) for n in c))
        for a, s, e, text, why, c in mentions
    ]
    return Entity(eid, name, etype, [str(a) for a in aliases], made, dict(attributes), tuple(int(n) for n in corrected))


def _place(v: list[Any]) -> tuple[int, str, str, int, int, str]:
    undated, published, aid, start, end, kind = v
    return (int(undated), str(published), str(aid), int(start), int(end), str(kind))


def _check(ov: Overlay) -> None:
    """What the corrected view relies on holds (every fact read has its row and place)."""
    for fid in (*ov.facts, *ov.rejected):
        if fid not in ov.fact_rows or fid not in ov.fact_order:
            raise ValueError(f"fact {fid} without its place")
    for eid in ov.new:
        if eid not in ov.entities:
            raise ValueError(f"new entity {eid} missing")
