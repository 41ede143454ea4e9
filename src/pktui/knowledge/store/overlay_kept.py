"""A corrections overlay kept on disk as SQLite, read back a row at a time.

The file holds the overlay (:class:`~.overlay.Overlay`) in tables keyed by entity id, fact id
and article id, and a ``meta`` row of what it was made from: the store's base, the ledger
file's digest (an unchanged ledger is not even parsed) and a digest per entry. Reading it back
(:func:`open_kept`) reads the meta rows and the few small lists only; :class:`KeptOverlay`
answers ``entity(id)``, ``fact(id)``, an article's mentions, the facts naming an entity and the
timeline in order with one indexed query each, and reads a table whole only when a list is
walked whole. :meth:`KeptOverlay.materialize` gives the plain overlay (for an incremental apply).

The file is written whole into a temporary file beside it, then renamed over it; a file that
cannot be read raises :class:`KeptDamaged` (the caller makes it again).
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from collections.abc import Set as AbstractSet
from pathlib import Path
from typing import Any, TypeVar

from pktui.knowledge.ledger import Entry
from pktui.knowledge.outcome import Outcome
from pktui.knowledge.store import codec
from pktui.knowledge.store.overlay import Overlay
from pktui.model import Entity, Fact, Mention, TimelineEntry

FORMAT = "pktui-overlay-3"
#: facts and timeline entries are kept as lists of their fields, in this order (a file made
#: with other fields is made again)
FACT_FIELDS = [f.name for f in dataclasses.fields(Fact)]
TIMELINE_FIELDS = [f.name for f in dataclasses.fields(TimelineEntry)]
#: single lookups after which a table is read whole (a list walked item by item)
WHOLE_AFTER = 256

K = TypeVar("K")
V = TypeVar("V")

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
_ARTICLE_SETS = ("mention_articles", "fact_articles", "moved_mention_articles")


class KeptDamaged(ValueError):
    """The kept overlay cannot be trusted (it is made again)."""


@dataclasses.dataclass(frozen=True)
class KeptKey:
    """What a kept overlay was made from."""

    base: str  # the store's generation and extractor
    ledger: str  # the ledger file's digest
    entries: list[str]  # a digest per entry


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
    from pktui.knowledge.store.rows import tkey

    gone = sorted(ov.gone())
    meta = {
        "format": FORMAT,
        "base": key.base,
        "ledger": key.ledger,
        "entries": json.dumps(key.entries),
        "fields": json.dumps([FACT_FIELDS, TIMELINE_FIELDS]),
        "outcome": codec.dumps_any(_outcome_doc(ov.outcome)),
        "small": codec.dumps_any(
            {
                "replaced": ov.replaced,
                "names_before": ov.names_before,
                "new": ov.new,
                "created": ov.created,
                "rejected": {fid: ov.fact_rows[fid] for fid in sorted(ov.rejected)},
                "gone": gone,
                "counts": {
                    "entities": len(ov.entities),
                    "facts": len(ov.facts),
                    "fact_rows": len(ov.fact_rows),
                    "timeline": len(ov.timeline),
                    "timeline_rows": len(ov.timeline_rows),
                    **{name: len(getattr(ov, name)) for name in _ARTICLE_SETS},
                },
            }
        ),
    }
    conn.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
    conn.executemany(
        "INSERT INTO entity VALUES (?, ?, ?)",
        (
            (e.id, e.type, codec.dumps_any([e.name, e.aliases, e.attributes, list(e.corrected)]))
            for e in ov.entities.values()
        ),
    )
    mentions = ((e.id, k, m) for e in ov.entities.values() for k, m in enumerate(e.mentions))
    conn.executemany(
        "INSERT INTO mention VALUES (?, ?, ?, ?, ?)",
        (
            (eid, k, m.article, codec.dumps_any([m.start, m.end, m.text, m.why, list(m.corrected)]), n)
            for n, (eid, k, m) in enumerate(mentions)
        ),
    )
    conn.executemany(
        "INSERT INTO fact VALUES (?, ?, ?, ?)",
        (
            (fid, row, codec.dumps_any(ov.fact_order[fid]), _fact_data(ov.facts.get(fid)))
            for fid, row in ov.fact_rows.items()
        ),
    )
    about = ((eid, k, f.id) for eid, facts in _about(ov).items() for k, f in enumerate(facts))
    conn.executemany("INSERT INTO about VALUES (?, ?, ?)", about)
    keyed = [(t, tkey(t)) for t in ov.timeline.values()]
    conn.executemany(
        "INSERT INTO timeline VALUES (?, ?, ?)",
        ((t.fact, k, codec.dumps_any([getattr(t, f) for f in TIMELINE_FIELDS])) for t, k in keyed),
    )
    conn.executemany(
        "INSERT OR IGNORE INTO timeline_about VALUES (?, ?, ?)",
        ((eid, k, t.fact) for t, k in keyed for eid in t.entities),
    )
    conn.executemany("INSERT INTO timeline_row VALUES (?)", ((n,) for n in ov.timeline_rows))
    conn.executemany(
        "INSERT INTO article VALUES (?, ?)", ((name, aid) for name in _ARTICLE_SETS for aid in getattr(ov, name))
    )


def _about(ov: Overlay) -> dict[str, list[Fact]]:
    about: dict[str, list[Fact]] = {}
    for f in sorted(ov.facts.values(), key=lambda f: ov.fact_order[f.id]):
        for eid in dict.fromkeys(f.entities):
            about.setdefault(eid, []).append(f)
    return about


def _fact_data(f: Fact | None) -> str | None:
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
        key = KeptKey(meta["base"], meta["ledger"], [str(d) for d in json.loads(meta["entries"])])
        return key, KeptOverlay(conn, meta)
    except KeptDamaged:
        conn.close()
        raise
    except (sqlite3.Error, KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
        conn.close()
        raise KeptDamaged(f"{type(exc).__name__}: {str(exc)[:80]}") from None


class KeptOverlay(Overlay):
    """An :class:`Overlay` whose large parts are read from the kept file when asked (module doc)."""

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
        for name in _ARTICLE_SETS:
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
        return _place(json.loads(row[0])) if row is not None else None

    def _fact_places(self) -> Iterable[tuple[str, tuple[int, str, str, int, int, str]]]:
        return ((fid, _place(json.loads(p))) for fid, p in self._all("SELECT id, place FROM fact"))

    def _entry(self, fid: str) -> TimelineEntry | None:
        row = self._one("SELECT data FROM timeline WHERE fact = ?", fid)
        return _entry(json.loads(row[0])) if row is not None else None

    def _entries(self) -> Iterable[tuple[str, TimelineEntry]]:
        return ((fid, _entry(json.loads(d))) for fid, d in self._all("SELECT fact, data FROM timeline"))

    # -- what the corrected view asks ------------------------------------------------------------

    def gone(self) -> set[str]:
        return set(self._gone)

    def mentions_of(self, article: str) -> list[Mention]:
        rows = self._all("SELECT entity, data FROM mention WHERE article = ? ORDER BY n", article)
        return [_mention(eid, article, data) for eid, data in rows]

    def timeline_in_order(self) -> list[TimelineEntry]:
        return [_entry(json.loads(d)) for (d,) in self._all("SELECT data FROM timeline ORDER BY tkey, fact")]

    def timeline_naming(self, entity_id: str) -> list[TimelineEntry]:
        q = (
            "SELECT t.data FROM timeline_about a JOIN timeline t ON t.fact = a.fact "
            "WHERE a.entity = ? ORDER BY a.tkey, a.fact"
        )
        return [_entry(json.loads(d)) for (d,) in self._all(q, entity_id)]

    def entity_type_counts(self) -> Counter[str]:
        return Counter({t: int(n) for t, n in self._all("SELECT type, COUNT(*) FROM entity GROUP BY type")})

    def facts_naming(self, entity_id: str) -> list[Fact] | None:
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
        )

    def close(self) -> None:
        self.conn.close()


class KeptDict(dict[K, V]):
    """A dict whose items are read from the kept file one key at a time, and all at once on
    the first walk over it (or after :data:`WHOLE_AFTER` single lookups). Read only."""

    def __init__(
        self,
        one: Callable[[K], V | None],
        every: Callable[[], Iterable[tuple[K, V]]],
        length: int,
        known: dict[K, V] | None = None,
    ) -> None:
        super().__init__(known or {})
        self._one, self._every, self._length = one, every, length
        self._whole = False
        self._missing: set[K] = set()
        self._asked = 0

    def _read_whole(self) -> None:
        if not self._whole:
            dict.update(self, self._every())
            self._whole = True
            self._missing.clear()

    def _lookup(self, key: K) -> tuple[bool, V | None]:
        if self._whole or dict.__contains__(self, key):
            return (True, dict.__getitem__(self, key)) if dict.__contains__(self, key) else (False, None)
        if key in self._missing:
            return False, None
        self._asked += 1
        if self._asked > WHOLE_AFTER:
            self._read_whole()
            return self._lookup(key)
        value = self._one(key)
        if value is None:
            self._missing.add(key)
            return False, None
        dict.__setitem__(self, key, value)
        return True, value

    def __getitem__(self, key: K) -> V:
        found, value = self._lookup(key)
        if not found:
            raise KeyError(key)
        return value  # type: ignore[return-value]

    def get(self, key: K, default: Any = None) -> Any:
        found, value = self._lookup(key)
        return value if found else default

    def __contains__(self, key: object) -> bool:
        return self._lookup(key)[0]  # type: ignore[arg-type]

    def __len__(self) -> int:
        return dict.__len__(self) if self._whole else self._length

    def __bool__(self) -> bool:
        return len(self) > 0

    def __iter__(self) -> Iterator[K]:
        self._read_whole()
        return dict.__iter__(self)

    def keys(self) -> Any:
        self._read_whole()
        return dict.keys(self)

    def values(self) -> Any:
        self._read_whole()
        return dict.values(self)

    def items(self) -> Any:
        self._read_whole()
        return dict.items(self)

    def __eq__(self, other: object) -> bool:
        self._read_whole()
        return dict.__eq__(self, other)

    __hash__ = None

    def _read_only(self, *args: object, **kwargs: object) -> Any:
        raise TypeError("a kept overlay is read only: materialize() it first")

    __setitem__ = __delitem__ = pop = popitem = update = setdefault = clear = _read_only


class KeptSet(AbstractSet[K]):
    """A set asked one member at a time from the kept file, read whole when walked."""

    def __init__(self, has: Callable[[K], bool], every: Callable[[], Iterable[K]], length: int) -> None:
        self._has, self._every, self._length = has, every, length
        self._members: set[K] | None = None
        self._asked = 0

    def _whole(self) -> set[K]:
        if self._members is None:
            self._members = set(self._every())
        return self._members

    def __contains__(self, item: object) -> bool:
        if self._members is None:
            self._asked += 1
            if self._asked <= WHOLE_AFTER:
                return self._has(item)  # type: ignore[arg-type]
        return item in self._whole()

    def __len__(self) -> int:
        return self._length if self._members is None else len(self._members)

    def __iter__(self) -> Iterator[K]:
        return iter(self._whole())

    @classmethod
    def _from_iterable(cls, it: Iterable[K]) -> set[K]:  # type: ignore[override]
        """What ``|``, ``&`` and ``-`` give: a plain set."""
        return set(it)


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


def _place(v: list[Any]) -> tuple[int, str, str, int, int, str]:
    undated, published, aid, start, end, kind = v
    return (int(undated), str(published), str(aid), int(start), int(end), str(kind))
