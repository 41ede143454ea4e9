"""The kept overlay read back (:mod:`.overlay_kept`): what the corrected view asks of an
overlay, answered with one indexed query each; a table read whole only when walked."""

from __future__ import annotations

import functools
import json
import sqlite3
from collections import Counter
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from typing import Any, cast

from pktui.knowledge.ledger import Entry
from pktui.knowledge.outcome import Outcome
from pktui.knowledge.store.kept_rows import KeptDict, KeptSet
from pktui.knowledge.store.overlay import Overlay
from pktui.knowledge.store.views import LazyEntity
from pktui.model import Entity, Fact, Mention, TimelineEntry
from pktui.text import fold

#: the article sets kept, by the name of the overlay's field
ARTICLE_SETS = ("mention_articles", "fact_articles", "moved_mention_articles")


class KeptDamaged(ValueError):
    """The kept overlay cannot be trusted (it is made again)."""


class KeptOverlay(Overlay):
    """An :class:`Overlay` whose large parts are read from the kept file when asked (module doc)."""

    entities: KeptDict[str, Entity]
    facts: KeptDict[str, Fact]
    fact_rows: KeptDict[str, int]
    fact_order: KeptDict[str, tuple[int, str, str, int, int, str]]
    timeline: KeptDict[str, TimelineEntry]

    def __init__(self, conn: sqlite3.Connection, meta: dict[str, str]) -> None:
        self.conn = conn
        #: (device, inode) of the file read, when known (a copy of it is what is written back)
        self.identity: tuple[int, int] | None = None
        small = json.loads(meta["small"])
        counts = small["counts"]
        super().__init__(_outcome(json.loads(meta["outcome"])))
        self.replaced = {k: tuple(v) for k, v in small["replaced"].items()}
        self.names_before = dict(small["names_before"])
        self.new = [str(x) for x in small["new"]]
        self.created = [str(x) for x in small["created"]]
        rejected_rows = {str(k): int(v) for k, v in small["rejected"].items()}
        self.rejected = set(rejected_rows)
        self._gone = {str(x) for x in small["gone"]}
        self.entities = KeptDict(
            self._entity,
            self._entities,
            counts["entities"],
            has=lambda eid: self._one("SELECT 1 FROM entity WHERE id = ?", eid) is not None,
        )
        self.facts = KeptDict(self._fact, self._facts, counts["facts"])
        self.fact_rows = KeptDict(self._fact_row, self._fact_rows, counts["fact_rows"], rejected_rows)
        self.fact_order = KeptDict(self._fact_place, self._fact_places, counts["fact_rows"])
        self.timeline = KeptDict(self._entry, self._entries, counts["timeline"])
        self.timeline_rows = KeptSet(  # type: ignore[assignment]
            lambda n: self._one("SELECT 1 FROM timeline_row WHERE n = ?", n) is not None,
            lambda: (r[0] for r in self._all("SELECT n FROM timeline_row")),
            counts["timeline_rows"],
        )
        for name in ARTICLE_SETS:
            setattr(self, name, self._article_set(name, counts[name]))

    # -- the rows --------------------------------------------------------------------------------

    def _one(self, sql: str, *params: object) -> tuple[Any, ...] | None:
        try:
            row: tuple[Any, ...] | None = self.conn.execute(sql, params).fetchone()
        except sqlite3.Error as exc:
            raise KeptDamaged(str(exc)) from None
        return row

    def _all(self, sql: str, *params: object) -> list[tuple[Any, ...]]:
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise KeptDamaged(str(exc)) from None

    def _article_set(self, name: str, count: int) -> KeptSet[str]:
        return KeptSet(
            lambda aid: self._one("SELECT 1 FROM article WHERE what = ? AND id = ?", name, aid) is not None,
            lambda: (r[0] for r in self._all("SELECT id FROM article WHERE what = ?", name)),
            count,
        )

    def _make_entity(self, eid: str, etype: str, data: str, mentions: list[Mention]) -> Entity:
        name, aliases, attributes, corrected = json.loads(data)
        return Entity(eid, name, etype, list(aliases), mentions, dict(attributes), tuple(corrected))

    def _entity(self, eid: str) -> Entity | None:
        row = self._one("SELECT type, data FROM entity WHERE id = ?", eid)
        if row is None:
            return None
        rows = self._all("SELECT article, data FROM mention WHERE entity = ? ORDER BY seq", eid)
        return self._make_entity(eid, row[0], row[1], [_mention(eid, a, d) for a, d in rows])

    def _entities(self) -> Iterable[tuple[str, Entity]]:
        mentions: dict[str, list[Mention]] = {}
        for eid, aid, data in self._all("SELECT entity, article, data FROM mention ORDER BY entity, seq"):
            mentions.setdefault(eid, []).append(_mention(eid, aid, data))
        for eid, etype, data in self._all("SELECT id, type, data FROM entity"):
            yield eid, self._make_entity(eid, etype, data, mentions.get(eid, []))

    def _fact(self, fid: str) -> Fact | None:
        row = self._one("SELECT data FROM fact WHERE id = ?", fid)
        return _fact(json.loads(row[0])) if row is not None and row[0] is not None else None

    def _facts(self) -> Iterable[tuple[str, Fact]]:
        for fid, data in self._all("SELECT id, data FROM fact WHERE data IS NOT NULL"):
            yield fid, _fact(json.loads(data))

    def _fact_row(self, fid: str) -> int | None:
        row = self._one("SELECT row FROM fact WHERE id = ?", fid)
        return int(row[0]) if row is not None else None

    def _fact_rows(self) -> Iterable[tuple[str, int]]:
        return ((fid, int(n)) for fid, n in self._all("SELECT id, row FROM fact"))

    def _fact_place(self, fid: str) -> tuple[int, str, str, int, int, str] | None:
        row = self._one("SELECT place FROM fact WHERE id = ?", fid)
        return place_of(json.loads(row[0])) if row is not None else None

    def _fact_places(self) -> Iterable[tuple[str, tuple[int, str, str, int, int, str]]]:
        return ((fid, place_of(json.loads(p))) for fid, p in self._all("SELECT id, place FROM fact"))

    def _entry(self, fid: str) -> TimelineEntry | None:
        row = self._one("SELECT data FROM timeline WHERE fact = ?", fid)
        return _entry(json.loads(row[0])) if row is not None else None

    def _entries(self) -> Iterable[tuple[str, TimelineEntry]]:
        return ((fid, _entry(json.loads(d))) for fid, d in self._all("SELECT fact, data FROM timeline"))

    # -- what the corrected view asks ------------------------------------------------------------

    def pending(self) -> bool:
        """Whether something changed here that the file does not hold yet (then the lists are
        worked out in memory, as a plain overlay's)."""
        tables = (self.entities, self.facts, self.fact_rows, self.fact_order, self.timeline)
        sets = (self.timeline_rows, *(getattr(self, name) for name in ARTICLE_SETS))
        return any(t.changed for t in tables) or any(cast(KeptSet[object], s).added for s in sets)

    def written(self) -> None:
        """The changes are in the file now."""
        self._gone = self.gone()
        for t in (self.entities, self.facts, self.fact_rows, self.fact_order, self.timeline):
            t.changed.clear()
        for s in (self.timeline_rows, *(getattr(self, name) for name in ARTICLE_SETS)):
            cast(KeptSet[object], s).added.clear()

    def gone(self) -> set[str]:
        out = set(self._gone)
        for eid in self.entities.changed:
            if eid in self.replaced and eid not in self.entities:
                out.add(eid)
            else:
                out.discard(eid)
        return out

    def mentions_of(self, article: str) -> list[Mention]:
        if self.pending():
            return super().mentions_of(article)
        rows = self._all("SELECT entity, data FROM mention WHERE article = ? ORDER BY n", article)
        return [_mention(eid, article, data) for eid, data in rows]

    def timeline_same(self) -> AbstractSet[str]:
        if self.pending():
            return super().timeline_same()
        return KeptSet(
            lambda fid: self._one("SELECT 1 FROM timeline WHERE fact = ? AND same = 1", fid) is not None,
            lambda: (r[0] for r in self._all("SELECT fact FROM timeline WHERE same = 1")),
            lambda: int(self._all("SELECT COUNT(*) FROM timeline WHERE same = 1")[0][0]),
        )

    def timeline_moved_places(self) -> list[tuple[bytes, str, int]]:
        if self.pending():
            return super().timeline_moved_places()
        q = "SELECT tkey, fact, row FROM timeline WHERE same = 0 ORDER BY tkey, fact"
        return [(bytes(k), str(fid), int(n)) for k, fid, n in self._all(q)]

    def timeline_moved_count(self) -> int:
        if self.pending():
            return super().timeline_moved_count()
        return int(self._all("SELECT COUNT(*) FROM timeline WHERE same = 0")[0][0])

    def timeline_dropped_rows(self) -> AbstractSet[int]:
        if self.pending():
            return super().timeline_dropped_rows()
        same_rows = "SELECT f.row FROM timeline t JOIN fact f ON f.id = t.fact WHERE t.same = 1"
        return KeptSet(
            lambda n: self._one(f"SELECT 1 FROM timeline_row WHERE n = ? AND n NOT IN ({same_rows})", n) is not None,
            lambda: (r[0] for r in self._all(f"SELECT n FROM timeline_row WHERE n NOT IN ({same_rows})")),
            lambda: int(self._all(f"SELECT COUNT(*) FROM timeline_row WHERE n NOT IN ({same_rows})")[0][0]),
        )

    def timeline_keyed(self) -> list[tuple[bytes, TimelineEntry]]:
        if self.pending():
            return super().timeline_keyed()
        rows = self._all("SELECT tkey, data FROM timeline ORDER BY tkey, fact")
        return [(bytes(k), _entry(json.loads(d))) for k, d in rows]

    def timeline_naming(self, entity_id: str) -> list[TimelineEntry]:
        if self.pending():
            return super().timeline_naming(entity_id)
        q = (
            "SELECT t.data FROM timeline_about a JOIN timeline t ON t.fact = a.fact "
            "WHERE a.entity = ? ORDER BY a.tkey, a.fact"
        )
        return [_entry(json.loads(d)) for (d,) in self._all(q, entity_id)]

    def listed(self, ids: Sequence[str]) -> list[Entity]:
        """The entities ``ids`` as a list shows them: their mentions read when used."""
        if self.pending():
            return super().listed(ids)
        out = []
        for eid in ids:
            if dict.__contains__(self.entities, eid):
                out.append(self.entities[eid])
                continue
            row = self._one("SELECT type, data, nmentions FROM entity WHERE id = ?", eid)
            if row is None:
                raise KeyError(eid)
            name, aliases, attributes, corrected = json.loads(row[1])
            out.append(
                LazyEntity.make(
                    functools.partial(self._mentions_of_entity, eid),
                    functools.partial(self._articles_of_entity, eid),
                    int(row[2]),
                    id=eid,
                    name=name,
                    type=row[0],
                    aliases=list(aliases),
                    attributes=dict(attributes),
                    corrected=tuple(corrected),
                )
            )
        return out

    def _mentions_of_entity(self, eid: str) -> list[Mention]:
        rows = self._all("SELECT article, data FROM mention WHERE entity = ? ORDER BY seq", eid)
        return [_mention(eid, a, d) for a, d in rows]

    def _articles_of_entity(self, eid: str) -> list[str]:
        return list(dict.fromkeys(m.article for m in self._mentions_of_entity(eid)))

    def entity_sort_keys(self) -> dict[str, tuple[str, str]]:
        if self.pending():
            return super().entity_sort_keys()
        return {eid: (t, fold(json.loads(d)[0])) for eid, t, d in self._all("SELECT id, type, data FROM entity")}

    def type_and_folded_name(self, entity_id: str) -> tuple[str, str]:
        if dict.__contains__(self.entities, entity_id) or entity_id in self.entities.changed:
            return super().type_and_folded_name(entity_id)
        row = self._one("SELECT type, data FROM entity WHERE id = ?", entity_id)
        if row is None:
            raise KeyError(entity_id)
        return row[0], fold(json.loads(row[1])[0])

    def entity_type_counts(self) -> Counter[str]:
        if self.pending():
            return super().entity_type_counts()
        return Counter({t: int(n) for t, n in self._all("SELECT type, COUNT(*) FROM entity GROUP BY type")})

    def facts_naming(self, entity_id: str) -> list[Fact] | None:
        if self.pending():
            return super().facts_naming(entity_id)
        q = "SELECT f.data FROM about a JOIN fact f ON f.id = a.fact WHERE a.entity = ? ORDER BY a.seq"
        rows = self._all(q, entity_id)
        return [_fact(json.loads(d)) for (d,) in rows] if rows else None

    def materialize(self) -> Overlay:
        """The plain overlay, every part read (what an incremental apply changes in place)."""
        return Overlay(
            self.outcome,
            entities=dict(self.entities),
            replaced=dict(self.replaced),
            names_before=dict(self.names_before),
            new=list(self.new),
            created=list(self.created),
            facts=dict(self.facts),
            fact_rows=dict(self.fact_rows),
            fact_order=dict(self.fact_order),
            rejected=set(self.rejected),
            timeline=dict(self.timeline),
            timeline_rows=set(self.timeline_rows),
            mention_articles=set(self.mention_articles),
            fact_articles=set(self.fact_articles),
            moved_mention_articles=set(self.moved_mention_articles),
            grown=self.grown,
            grown_after=self.grown_after,
        )

    def close(self) -> None:
        self.conn.close()

    def reading(self, conn: sqlite3.Connection) -> None:
        """Read from ``conn`` from now on (the file written again with this overlay's changes)."""
        self.conn.close()
        self.conn = conn


def _outcome(o: dict[str, Any]) -> Outcome:
    return Outcome(
        applied=[int(n) for n in o["applied"]],
        stale=[
            (Entry(int(n), str(op), dict(t), str(at), note, int(line)), str(why))
            for n, op, t, at, note, line, why in o["stale"]
        ],
        series_changed=bool(o["series_changed"]),
        made=[str(x) for x in o["made"]],
        gone_entities={str(k): str(v) for k, v in o["gone_entities"].items()},
        gone_facts={f.id: f for f in map(_fact, o["gone_facts"])},
    )


def _mention(eid: str, article: str, data: str) -> Mention:
    start, end, text, why, corrected = json.loads(data)
    return Mention(article, int(start), int(end), str(text), eid, why, tuple(int(n) for n in corrected))


def _fact(row: list[Any]) -> Fact:
    f = Fact(*row)
    if not isinstance(f.id, str) or not isinstance(f.entities, list) or len(f.sentence) != 2:
        raise KeptDamaged("fact row")
    f.sentence = (int(f.sentence[0]), int(f.sentence[1]))
    f.corrected = tuple(int(n) for n in f.corrected)
    return f


def _entry(row: list[Any]) -> TimelineEntry:
    t = TimelineEntry(*row)
    if not isinstance(t.fact, str) or not isinstance(t.entities, list):
        raise KeptDamaged("timeline entry")
    return t


def place_of(v: list[Any]) -> tuple[int, str, str, int, int, str]:
    undated, published, aid, start, end, kind = v
    return (int(undated), str(published), str(aid), int(start), int(end), str(kind))
