"""The stored knowledge base with a corrections overlay: every query answered as if the ledger had
been applied to the whole of it.

:class:`CorrectedKnowledgeBase` has the interface of
:class:`~pktui.knowledge.store.reader.StoredKnowledgeBase` (and of the in-memory
``KnowledgeBase``). What the overlay (:mod:`.overlay`) read and corrected is answered from it;
the rest from the store, lazily as before. Lists keep the order the in-memory path gives them:
stored rows are left out and corrected items put in at their place, counted with one indexed
query each (:class:`~.views.Patched`). Figures: when the ledger changed what they are built from,
the series of the articles whose facts it read are assembled again from their points (the
others' stored points, these articles' points made again), the same functions as the store's.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any, TypeVar

from pktui.knowledge.source import mentions_of, owners_within
from pktui.knowledge.store import codec
from pktui.knowledge.store.codec import Row
from pktui.knowledge.store.overlay import Overlay
from pktui.knowledge.store.reader import StoredKnowledgeBase
from pktui.knowledge.store.views import Deferred, LazyRows, LazySet, Patched
from pktui.model import Article, Entity, Fact, Mention, Series, SeriesPoint, TimelineEntry
from pktui.text import fold

T = TypeVar("T")


class CorrectedKnowledgeBase:
    """A :class:`StoredKnowledgeBase` seen through an :class:`Overlay` (module doc)."""

    def __init__(self, store: StoredKnowledgeBase, overlay: Overlay) -> None:
        self.store = store
        self.overlay = ov = overlay
        self.path = store.path
        self.problems = store.problems
        self.summary = store.summary
        self.archive: Any = None
        self.corrections = ov.outcome
        self._gone = ov.gone()
        self._names: dict[str, str | None] = {}
        self._rejected_named: set[str] | None = None
        counts = dict(store.counts)
        counts["entities"] = counts.get("entities", 0) - len(ov.replaced) + len(ov.entities)
        counts["facts"] = counts.get("facts", 0) - len(ov.rejected)
        counts["timeline"] = counts.get("timeline", 0) - len(ov.timeline_rows) + len(ov.timeline)
        self.counts = counts
        self.articles: Sequence[Article] = store.articles
        self.entities: Sequence[Entity] = self._entities()
        self.facts: Sequence[Fact] = Patched(
            store.facts,  # type: ignore[arg-type]
            drop_rows={ov.fact_rows[f] for f in ov.rejected},
            dropped=lambda f: f.id in ov.rejected,
            swap=self._swap_fact,
        )
        self.timeline: Sequence[TimelineEntry] = self._patched_timeline()
        self.series: Sequence[Series] = Deferred(self._series) if ov.outcome.series_changed else store.series

    # -- plumbing -------------------------------------------------------------------------

    def meta(self, key: str) -> str | None:
        return self.store.meta(key)

    def close(self) -> None:
        self.store.close()

    # -- articles ---------------------------------------------------------------------------

    def article(self, article_id: str) -> Article | None:
        return self.store.article(article_id)

    def articles_newest_first(self) -> Sequence[Article]:
        return self.store.articles_newest_first()

    # -- entities ---------------------------------------------------------------------------

    def entity(self, entity_id: str) -> Entity | None:
        if entity_id in self.overlay.entities:
            return self.overlay.entities[entity_id]
        if entity_id in self._gone:
            return None
        return self.store.entity(entity_id)

    def _entity_key(self, e: Entity) -> tuple[str, str, tuple[object, ...]]:
        """Where an entity of the overlay goes: by type and folded name, ties in the order the
        whole corpus had them before (the store's; new entities after)."""
        old = self.overlay.replaced.get(e.id)
        tie = (0, *old) if old is not None else (1, self.overlay.new.index(e.id))
        return (e.type, fold(e.name), tie)

    def _entities(self) -> Sequence[Entity]:
        """The store's list with the overlay's entities in it: those whose place changed (made,
        renamed, retyped) taken out and put in again, the others swapped where they are."""
        ov, store = self.overlay, self.store
        changes: list[tuple[list[str], list[str]]] = []

        def moved_and_out() -> tuple[list[str], list[str]]:
            """(worked out when the list is first used)"""
            if not changes:
                keys = ov.entity_sort_keys()
                moved = sorted(eid for eid, key in keys.items() if ov.replaced.get(eid, ("",))[:2] != key)
                changes.append((moved, sorted(self._gone.union(eid for eid in moved if eid in ov.replaced))))
            return changes[0]

        def drop_rows() -> set[int]:
            return {r[0] for r in _rows_of(store, "SELECT rowid FROM entity WHERE id IN (?*)", moved_and_out()[1])}

        taken_out = LazySet(lambda: set(moved_and_out()[1]))

        def inserts() -> list[tuple[int, Entity]]:
            moved, gone = moved_and_out()
            dropped = [ov.replaced[eid] for eid in gone]
            mine = sorted(ov.listed(moved), key=self._entity_key)
            keys = [self._entity_key(e) for e in mine]
            below = ranks(store, "entity", "type, fname", [(t, f) for t, f, _tie in keys])
            out = []
            for k, (e, (etype, fname, tie), before) in enumerate(zip(mine, keys, below)):
                tied = store._rows("SELECT type, fname, id FROM entity WHERE type = ? AND fname = ?", (etype, fname))
                before += sum(1 for row in tied if (0, *row) < tie)
                before -= sum(1 for row in dropped if (row[0], row[1], (0, *row)) < (etype, fname, tie))
                out.append((before + k, e))
            return out

        return Patched(
            store.entities,  # type: ignore[arg-type]
            drop_rows=LazySet(drop_rows),
            dropped=lambda e: e.id in taken_out,
            swap=lambda e: ov.entities.get(e.id, e) if e.id in ov.replaced else e,
            inserts=inserts,
            length=lambda: self.counts["entities"],
        )

    def entity_counts_by_type(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int, self.store.entity_counts_by_type())
        for etype, _fname, _id in self.overlay.replaced.values():
            counts[etype] -= 1
        for etype, n in self.overlay.entity_type_counts().items():
            counts[etype] += n
        return {k: v for k, v in sorted(counts.items()) if v > 0}

    def mentions_in(self, article_id: str) -> list[Mention]:
        """Entity mentions of one article in text order (``Mention.entity`` is the id)."""
        if article_id not in self.overlay.mention_articles:
            return self.store.mentions_in(article_id)
        replaced = self.overlay.replaced
        kept = [m for m in self.store.mentions_in(article_id) if m.entity not in replaced]
        return sorted([*kept, *self.overlay.mentions_of(article_id)], key=lambda m: (m.start, m.end))

    def mentions_of_in(self, entity_id: str, article_id: str) -> list[Mention]:
        """An entity's mentions in one article, in text order."""
        if article_id not in self.overlay.mention_articles:
            return self.store.mentions_of_in(entity_id, article_id)
        return mentions_of(self.mentions_in(article_id), entity_id)

    def mention_owners(self, article_id: str, lo: int, hi: int) -> list[tuple[int, int, str]]:
        """(start, end, entity id) of an article's mentions that lie within ``[lo, hi)``."""
        if article_id not in self.overlay.mention_articles:
            return self.store.mention_owners(article_id, lo, hi)
        return owners_within(self.mentions_in(article_id), lo, hi)

    def name_of(self, entity_id: str) -> str | None:
        if entity_id in self.overlay.entities:
            return self.overlay.entities[entity_id].name
        if entity_id in self._gone:
            return None
        if entity_id not in self._names:
            rows = self.store._rows("SELECT name FROM entity WHERE id = ?", (entity_id,))
            self._names[entity_id] = rows[0][0] if rows else None
        return self._names[entity_id]

    # -- facts ------------------------------------------------------------------------------

    def _swap_fact(self, f: Fact) -> Fact:
        return self.overlay.facts.get(f.id, f)

    def fact(self, fact_id: str) -> Fact | None:
        if fact_id in self.overlay.rejected:
            return None
        return self.overlay.facts.get(fact_id) or self.store.fact(fact_id)

    def facts_in(self, article_id: str) -> list[Fact]:
        """Facts of one article in text order."""
        ov = self.overlay
        return [ov.facts.get(f.id, f) for f in self.store.facts_in(article_id) if f.id not in ov.rejected]

    def _involves(self, entity_id: str) -> bool:
        """Whether a fact the overlay read names the entity (before or after correcting)."""
        if self._rejected_named is None:
            self._rejected_named = {
                eid for fid in self.overlay.rejected for eid in (self.store.fact(fid) or _NO_FACT).entities
            }
        return entity_id in self._rejected_named or self.overlay.facts_naming(entity_id) is not None

    def facts_about(self, entity_id: str) -> Sequence[Fact]:
        ov = self.overlay
        if entity_id in ov.entities or entity_id in self._gone:
            return self.overlay.facts_naming(entity_id) or []
        base = self.store.facts_about(entity_id)
        if not self._involves(entity_id):
            return base
        return _exact_length(
            Patched(
                base,  # type: ignore[arg-type]
                drop_rows={ov.fact_rows[f] for f in ov.rejected},
                dropped=lambda f: f.id in ov.rejected,
                swap=self._swap_fact,
            )
        )

    # -- timeline ---------------------------------------------------------------------------

    def _patched_timeline(self) -> Sequence[TimelineEntry]:
        """The store's timeline with the overlay's entries in it: those whose place changed (a
        date set by hand) and those gone taken out, the others swapped where they stand (the
        entries of facts nothing corrected are the store's as they were)."""
        ov, store = self.overlay, self.store
        same = ov.timeline_same()
        plan: list[_TimelinePlan] = []

        def planned() -> _TimelinePlan:
            if not plan:
                plan.append(_TimelinePlan.of(store, ov.timeline_moved_places(), ov.timeline_dropped_rows()))
            return plan[0]

        def inserts() -> list[tuple[int, TimelineEntry]]:
            p = planned()
            below = ranks(store, "timeline", "tkey", [(k,) for k, _fid in p.put_in])
            return [
                (n - bisect.bisect_left(p.out_keys, k) + i, ov.timeline[fid])
                for i, ((k, fid), n) in enumerate(zip(p.put_in, below))
            ]

        def swap(t: TimelineEntry) -> TimelineEntry:
            return ov.timeline[t.fact] if t.fact in planned().swapped else t

        return Patched(
            store.timeline,  # type: ignore[arg-type]
            drop_rows=LazySet(lambda: planned().out_rows),
            dropped=lambda t: t.fact in ov.fact_rows and t.fact not in same and t.fact not in planned().swapped,
            swap=swap,
            inserts=inserts,
            length=lambda: len(store.timeline) - len(planned().out_rows) + len(planned().put_in),
        )

    def timeline_for(self, entity_id: str | None) -> Sequence[TimelineEntry]:
        if entity_id is None:
            return self.timeline
        ov = self.overlay
        mine = ov.timeline_naming(entity_id)
        if entity_id in ov.entities or entity_id in self._gone:
            return mine
        if not self._involves(entity_id):
            return self.store.timeline_for(entity_id)
        from pktui.knowledge.timeline import tkey

        kept = [t for t in self.store.timeline_for(entity_id) if t.fact not in ov.fact_rows]
        return sorted([*kept, *mine], key=tkey)

    # -- figures ----------------------------------------------------------------------------

    def _series(self) -> Sequence[Series]:
        """The series made again where their points may have changed: in the articles of the
        facts corrected or rejected, and of the facts about an entity whose name changed (a
        figure may count for the country a name says)."""
        from pktui.knowledge.figures import article_points, series_of, series_order

        store, ov = self.store, self.overlay
        renamed = {e for e, name in ov.names_before.items() if self.name_of(e) != name}
        articles = sorted(
            ov.fact_articles | {ov.fact_order[f.id][2] for f in ov.facts.values() if renamed.intersection(f.entities)}
        )
        numbers: dict[str, int] = dict(_rows_of(store, "SELECT id, n FROM article WHERE id IN (?*)", articles))
        keys: set[tuple[str, str]] = set()
        fresh: dict[tuple[str, str], list[tuple[SeriesPoint, str]]] = defaultdict(list)
        for aid, n in numbers.items():
            keys.update(store._rows("SELECT DISTINCT subject, measure FROM point WHERE article = ?", (n,)))
            a = store.article(aid)
            if a is None:
                continue
            for key, point in article_points(a, self.facts_in(aid), self.name_of):
                fresh[key].append((point, str(n)))  # (which article: its row number will do)
                keys.add(key)
        mine: list[Series] = []
        drop_rows: set[int] = set()
        ns = set(numbers.values())
        for subject, measure in sorted(keys):
            points = list(fresh.get((subject, measure), []))
            for n, data in store._rows(
                "SELECT article, data FROM point WHERE subject = ? AND measure = ?", (subject, measure)
            ):
                if n not in ns:
                    points.append((codec.make(SeriesPoint, codec.loads(data)), str(n)))
            drop_rows.update(
                r[0]
                for r in store._rows("SELECT rowid FROM series WHERE subject = ? AND measure = ?", (subject, measure))
            )
            if points:
                mine.append(series_of((subject, measure), points))
        mine.sort(key=series_order)
        q = "SELECT subject, -npoints, measure FROM series WHERE rowid IN (?*)"
        dropped_keys = sorted(_rows_of(store, q, list(drop_rows)))

        def inserts() -> list[tuple[int, Series]]:
            order = [series_order(s) for s in mine]
            below = ranks(store, "series", "subject, -npoints, measure", order)
            return [
                (n - bisect.bisect_left(dropped_keys, o) + k, s) for k, (s, o, n) in enumerate(zip(mine, order, below))
            ]

        return Patched(
            store.series,  # type: ignore[arg-type]
            drop_rows=drop_rows,
            dropped=lambda s: (s.subject, s.measure) in keys,
            inserts=inserts,
            count=len(mine),
            length=lambda: len(store.series) - len(drop_rows) + len(mine),
        )


_NO_FACT = Fact("", "", "", 0, 0, "", (0, 0))


@dataclass
class _TimelinePlan:
    """How the overlay's corrected timeline entries go into the store's list."""

    out_rows: set[int]  # store rows taken out
    out_keys: list[bytes]  # their sort keys, sorted
    put_in: list[tuple[bytes, str]]  # (key, fact id) of the entries put in again, sorted
    swapped: set[str]  # facts whose entry is shown in its store row's place

    @classmethod
    def of(
        cls, store: StoredKnowledgeBase, moved: list[tuple[bytes, str, int]], read: AbstractSet[int]
    ) -> _TimelinePlan:
        """``moved``: the corrected entries (key, fact id, the fact's row); ``read``: the store
        rows of the entries read that are not kept as they were."""
        rows = _rows_of(store, "SELECT fact, tkey FROM timeline WHERE fact IN (?*)", list(read))
        stored: dict[int, bytes] = {int(n): bytes(k) for n, k in rows}
        swapped = {fid for k, fid, n in moved if stored.get(n) == k}
        stay = {n for k, fid, n in moved if fid in swapped}
        out_rows = set(stored) - stay
        put_in = [(k, fid) for k, fid, _n in moved if fid not in swapped]
        return cls(out_rows, sorted(stored[n] for n in out_rows), put_in, swapped)


def _exact_length(p: Patched[T]) -> Patched[T]:
    """A patched list whose left-out rows may not all be in it: counted from what is kept."""
    p._length_fn = lambda: len(p._kept_rows()) + len(p.inserts)
    return p


def ranks(store: StoredKnowledgeBase, table: str, columns: str, keys: Sequence[Row]) -> list[int]:
    """For each of ``keys`` (sorted), how many rows of ``table`` have ``columns`` below it:
    counted between one key and the next, so the whole costs one pass over the index."""
    out: list[int] = []
    total = 0
    prev: Row | None = None
    marks = ", ".join("?" * len(keys[0])) if keys else ""
    for key in keys:
        if prev is None:
            q, params = f"SELECT COUNT(*) FROM {table} WHERE ({columns}) < ({marks})", key
        else:
            q = f"SELECT COUNT(*) FROM {table} WHERE ({columns}) >= ({marks}) AND ({columns}) < ({marks})"
            params = (*prev, *key)
        rows = store._rows(q, params)
        total += int(rows[0][0]) if rows else 0
        out.append(total)
        prev = key
    return out


def _rows_of(store: StoredKnowledgeBase, sql: str, values: Sequence[object]) -> list[Row]:
    out: list[Row] = []
    for i in range(0, len(values), 500):
        chunk = values[i : i + 500]
        out.extend(store._rows(sql.replace("(?*)", f"({','.join('?' * len(chunk))})"), chunk))
    return out


__all__ = ["CorrectedKnowledgeBase", "LazyRows"]
