"""A corrections overlay kept on disk as SQLite, read back a row at a time.

The file holds the overlay (:class:`~.overlay.Overlay`) in tables keyed by entity id, fact id
and article id, and a ``meta`` row of what it was made from: the store's base, the ledger
file's digest (an unchanged ledger is not even parsed) and a digest per entry. Reading it back
(:func:`open_kept`) reads the meta rows and the few small lists only; :class:`KeptOverlay`
answers ``entity(id)``, ``fact(id)``, an article's mentions, the facts naming an entity and the
timeline in order with one indexed query each, and reads a table whole only when a list is
walked whole (:mod:`.kept_rows`).

New entries are applied on the kept overlay itself (:mod:`.extend`, through the same
interface), which notes what they changed; :func:`update_kept` writes only those rows, in one
SQLite transaction. A new file is written whole into a temporary file beside it, then renamed
over it. A file that cannot be read raises :class:`KeptDamaged` (the caller makes it again);
where it cannot be written, :meth:`KeptOverlay.materialize` gives the overlay in memory.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import sqlite3
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any, cast

from pktui.knowledge.ledger import Entry
from pktui.knowledge.outcome import Outcome
from pktui.knowledge.store import codec
from pktui.knowledge.store.kept_rows import KeptDict, KeptSet
from pktui.knowledge.store.overlay import Overlay
from pktui.model import Entity, Fact, Mention, TimelineEntry
from pktui.text import fold

FORMAT = "pktui-overlay-4"
#: facts and timeline entries are kept as lists of their fields, in this order (a file made
#: with other fields is made again)
FACT_FIELDS = [f.name for f in dataclasses.fields(Fact)]
TIMELINE_FIELDS = [f.name for f in dataclasses.fields(TimelineEntry)]

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE entity (id TEXT PRIMARY KEY, type TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE mention (entity TEXT NOT NULL, seq INTEGER NOT NULL, article TEXT NOT NULL, data TEXT NOT NULL,
                      n INTEGER NOT NULL, PRIMARY KEY (entity, seq)) WITHOUT ROWID;
CREATE INDEX mention_article ON mention (article, n);
CREATE TABLE fact (id TEXT PRIMARY KEY, row INTEGER NOT NULL, place TEXT NOT NULL, data TEXT);
CREATE TABLE about (entity TEXT NOT NULL, seq INTEGER NOT NULL, fact TEXT NOT NULL,
                    PRIMARY KEY (entity, seq)) WITHOUT ROWID;
CREATE TABLE timeline (fact TEXT PRIMARY KEY, tkey BLOB NOT NULL, data TEXT NOT NULL);
CREATE INDEX timeline_order ON timeline (tkey, fact);
CREATE TABLE timeline_about (entity TEXT NOT NULL, tkey BLOB NOT NULL, fact TEXT NOT NULL,
                             PRIMARY KEY (entity, tkey, fact)) WITHOUT ROWID;
CREATE TABLE timeline_row (n INTEGER PRIMARY KEY);
CREATE TABLE article (what TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY (what, id)) WITHOUT ROWID;
"""
#: the article sets kept, by the name of the overlay's field
ARTICLE_SETS = ("mention_articles", "fact_articles", "moved_mention_articles")


class KeptDamaged(ValueError):
    """The kept overlay cannot be trusted (it is made again)."""


@dataclasses.dataclass(frozen=True)
class KeptKey:
    """What a kept overlay was made from."""

    base: str  # the store's generation and extractor
    ledger: str  # the ledger file's digest
    entries: list[str]  # a digest per entry
    size: int = -1  # the ledger file's length (a ledger that only grew is read from there)
    numbers: list[int] = dataclasses.field(default_factory=list)  # the entries' numbers


# -- writing ---------------------------------------------------------------------------------------


def write_kept(path: Path, overlay: Overlay, key: KeptKey) -> bool:
    """Write the overlay whole beside ``path`` and rename it over; False where it cannot be
    written (nothing is left behind)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        conn = sqlite3.connect(tmp, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode = OFF")
            conn.execute("PRAGMA synchronous = OFF")
            conn.execute("BEGIN")
            _create(conn)
            _fill(conn, overlay, key)
            conn.execute("COMMIT")
        finally:
            conn.close()
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        return True
    except (OSError, sqlite3.Error):
        with contextlib.suppress(OSError):
            tmp.unlink()
        return False


def _create(conn: sqlite3.Connection) -> None:
    for statement in _SCHEMA.split(";"):
        if statement.strip():
            conn.execute(statement)


def _fill(conn: sqlite3.Connection, ov: Overlay, key: KeptKey) -> None:
    write_meta(conn, ov, key)
    put_entities(conn, ov.entities.values(), 0)
    conn.executemany(
        "INSERT INTO fact VALUES (?, ?, ?, ?)",
        (
            (fid, row, codec.dumps_any(ov.fact_order[fid]), fact_data(ov.facts.get(fid)))
            for fid, row in ov.fact_rows.items()
        ),
    )
    about = ((eid, k, f.id) for eid, facts in _about(ov).items() for k, f in enumerate(facts))
    conn.executemany("INSERT INTO about VALUES (?, ?, ?)", about)
    put_timeline(conn, ov.timeline.values())
    conn.executemany("INSERT INTO timeline_row VALUES (?)", ((n,) for n in ov.timeline_rows))
    conn.executemany(
        "INSERT INTO article VALUES (?, ?)", ((name, aid) for name in ARTICLE_SETS for aid in getattr(ov, name))
    )


def write_meta(conn: sqlite3.Connection, ov: Overlay, key: KeptKey) -> None:
    meta = {
        "format": FORMAT,
        "base": key.base,
        "ledger": key.ledger,
        "entries": json.dumps(key.entries),
        "ledger_size": str(key.size),
        "numbers": json.dumps(key.numbers),
        "fields": json.dumps([FACT_FIELDS, TIMELINE_FIELDS]),
        "outcome": codec.dumps_any(_outcome_doc(ov.outcome)),
        "small": codec.dumps_any(
            {
                "replaced": ov.replaced,
                "names_before": ov.names_before,
                "new": ov.new,
                "created": ov.created,
                "rejected": {fid: ov.fact_rows[fid] for fid in sorted(ov.rejected)},
                "gone": sorted(ov.gone()),
                "counts": {
                    "entities": len(ov.entities),
                    "facts": len(ov.facts),
                    "fact_rows": len(ov.fact_rows),
                    "timeline": len(ov.timeline),
                    "timeline_rows": len(ov.timeline_rows),
                    **{name: len(getattr(ov, name)) for name in ARTICLE_SETS},
                },
            }
        ),
    }
    conn.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", meta.items())


def put_entities(conn: sqlite3.Connection, entities: Iterable[Entity], first: int) -> None:
    """Entity rows and their mentions (numbered from ``first``: an article's mentions are
    read back in that order)."""
    entities = list(entities)
    conn.executemany(
        "INSERT INTO entity VALUES (?, ?, ?)",
        ((e.id, e.type, codec.dumps_any([e.name, e.aliases, e.attributes, list(e.corrected)])) for e in entities),
    )
    mentions = ((e.id, k, m) for e in entities for k, m in enumerate(e.mentions))
    conn.executemany(
        "INSERT INTO mention VALUES (?, ?, ?, ?, ?)",
        (
            (eid, k, m.article, codec.dumps_any([m.start, m.end, m.text, m.why, list(m.corrected)]), first + n)
            for n, (eid, k, m) in enumerate(mentions)
        ),
    )


def put_timeline(conn: sqlite3.Connection, entries: Iterable[TimelineEntry]) -> None:
    from pktui.knowledge.store.rows import tkey

    keyed = [(t, tkey(t)) for t in entries]
    conn.executemany(
        "INSERT INTO timeline VALUES (?, ?, ?)",
        ((t.fact, k, codec.dumps_any([getattr(t, f) for f in TIMELINE_FIELDS])) for t, k in keyed),
    )
    conn.executemany(
        "INSERT OR IGNORE INTO timeline_about VALUES (?, ?, ?)",
        ((eid, k, t.fact) for t, k in keyed for eid in t.entities),
    )


def _about(ov: Overlay) -> dict[str, list[Fact]]:
    about: dict[str, list[Fact]] = {}
    for f in sorted(ov.facts.values(), key=lambda f: ov.fact_place(f.id)):
        for eid in dict.fromkeys(f.entities):
            about.setdefault(eid, []).append(f)
    return about


def fact_data(f: Fact | None) -> str | None:
    return None if f is None else codec.dumps_any([getattr(f, k) for k in FACT_FIELDS])


def _outcome_doc(out: Outcome) -> dict[str, Any]:
    return {
        "applied": out.applied,
        "stale": [[e.n, e.op, e.targets, e.at, e.note, e.line, why] for e, why in out.stale],
        "series_changed": out.series_changed,
        "made": out.made,
        "gone_entities": out.gone_entities,
        "gone_facts": [[getattr(f, k) for k in FACT_FIELDS] for f in out.gone_facts.values()],
    }


# -- reading ---------------------------------------------------------------------------------------


def open_kept(path: Path) -> tuple[KeptKey, KeptOverlay] | None:
    """The kept overlay at ``path`` and what it was made from; None when there is none.
    Raises :class:`KeptDamaged`."""
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    except sqlite3.Error as exc:
        raise KeptDamaged(str(exc)) from None
    try:
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        if meta.get("format") != FORMAT or json.loads(meta["fields"]) != [FACT_FIELDS, TIMELINE_FIELDS]:
            raise KeptDamaged("not a kept overlay of this version")
        digests = [str(d) for d in json.loads(meta["entries"])]
        numbers = [int(n) for n in json.loads(meta["numbers"])]
        key = KeptKey(meta["base"], meta["ledger"], digests, int(meta["ledger_size"]), numbers)
        return key, KeptOverlay(conn, meta)
    except KeptDamaged:
        conn.close()
        raise
    except (sqlite3.Error, KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
        conn.close()
        raise KeptDamaged(f"{type(exc).__name__}: {str(exc)[:80]}") from None


class KeptOverlay(Overlay):
    """An :class:`Overlay` whose large parts are read from the kept file when asked (module doc)."""

    entities: KeptDict[str, Entity]
    facts: KeptDict[str, Fact]
    fact_rows: KeptDict[str, int]
    fact_order: KeptDict[str, tuple[int, str, str, int, int, str]]
    timeline: KeptDict[str, TimelineEntry]

    def __init__(self, conn: sqlite3.Connection, meta: dict[str, str]) -> None:
        self.conn = conn
        small = json.loads(meta["small"])
        counts = small["counts"]
        super().__init__(_outcome(json.loads(meta["outcome"])))
        self.replaced = {str(k): (str(t), str(f), str(i)) for k, (t, f, i) in small["replaced"].items()}
        self.names_before = {str(k): str(v) for k, v in small["names_before"].items()}
        self.new = [str(x) for x in small["new"]]
        self.created = [str(x) for x in small["created"]]
        rejected_rows = {str(k): int(v) for k, v in small["rejected"].items()}
        self.rejected = set(rejected_rows)
        self._gone = {str(x) for x in small["gone"]}
        self.entities = KeptDict(self._entity, self._entities, counts["entities"])
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

    def timeline_in_order(self) -> list[TimelineEntry]:
        if self.pending():
            return super().timeline_in_order()
        return [_entry(json.loads(d)) for (d,) in self._all("SELECT data FROM timeline ORDER BY tkey, fact")]

    def timeline_naming(self, entity_id: str) -> list[TimelineEntry]:
        if self.pending():
            return super().timeline_naming(entity_id)
        q = (
            "SELECT t.data FROM timeline_about a JOIN timeline t ON t.fact = a.fact "
            "WHERE a.entity = ? ORDER BY a.tkey, a.fact"
        )
        return [_entry(json.loads(d)) for (d,) in self._all(q, entity_id)]

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
