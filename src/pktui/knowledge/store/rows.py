"""The knowledge store's rows: an extraction as it is staged, what a publish changed, how facts,
timeline entries and points are written (in batches), and the names and entities a publishing
transaction looks up (:mod:`.writer`)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pktui.extract import ArticleExtraction
from pktui.knowledge.build import resolved_entities, timeline_entry
from pktui.knowledge.ids import longer_fact_id, text_digest
from pktui.knowledge.store import codec
from pktui.knowledge.store.codec import Row
from pktui.knowledge.timeline import tkey
from pktui.model import Article, Fact

POINT_SKIP = frozenset({"conflict"})
FACT_COLUMNS = frozenset({"id", "kind", "article", "start", "end", "text"})
KEYS = "keys"  # a fact's local entity keys, beside its fields (to resolve it again)
MENTION_COLUMNS = frozenset({"article", "start", "end", "text", "entity"})
TIMELINE_COLUMNS = frozenset({"fact", "article"})


@dataclass(slots=True)
class Staged:
    """One article ready to publish: its extraction, or why extraction failed."""

    ekey: str
    article: Article
    extraction: ArticleExtraction | None
    error: str | None = None
    #: the corpus file it was read from (the directory scan's key)
    file: str = ""
    #: what decides its id and whether it is a copy (:class:`pktui.knowledge.store.Identity`)
    who: dict[str, Any] = field(default_factory=dict)


@dataclass
class Published:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    #: articles whose stored rows changed besides the added ones (a key moved to another entity)
    refreshed: list[str] = field(default_factory=list)
    entities_changed: set[str] = field(default_factory=set)


class NameCache:
    """Entity ids and names as the transaction sees them, looked up once."""

    def __init__(self, conn: sqlite3.Connection, preload: bool = False) -> None:
        self.conn = conn
        self._entity: dict[str, str] = {}
        self._name: dict[str, str | None] = {}
        self._complete = preload  # everything is loaded: a key not found has no entity
        if preload:
            self._entity = dict(conn.execute("SELECT key, entity FROM keyinfo"))
            self._name = dict(conn.execute("SELECT id, name FROM entity"))

    def entity_of(self, key: str) -> str:
        e = self._entity.get(key)
        if e is None and self._complete:
            return key
        if e is None:
            row = self.conn.execute("SELECT entity FROM keyinfo WHERE key = ?", (key,)).fetchone()
            e = self._entity[key] = row[0] if row else key
        return e

    def name_of(self, entity_id: str) -> str | None:
        if entity_id not in self._name and not self._complete:
            row = self.conn.execute("SELECT name FROM entity WHERE id = ?", (entity_id,)).fetchone()
            self._name[entity_id] = row[0] if row else None
        return self._name.get(entity_id)

    def resolved(self, keys: Iterable[str]) -> list[str]:
        """A fact's local keys -> its entities, in order, each once, only those that exist."""
        return resolved_entities(keys, self.entity_of, lambda e: self.name_of(e) is not None)


class DerivedRows:
    """Rows of mentions, facts, their entities, timeline entries and points, written in batches."""

    def __init__(self) -> None:
        self.mentions: list[Row] = []
        self.facts: list[list[Any]] = []  # (lists: a taken id is made longer in place)
        self.fact_entities: list[Row] = []
        self.timeline: list[Row] = []
        self.points: list[Row] = []
        #: fact id -> (its row among the facts, and what longer_fact_id needs), this batch
        self.ids: dict[str, tuple[int, Article, Fact, int]] = {}

    def __len__(self) -> int:
        return len(self.mentions) + len(self.facts)

    def add_fact(self, fn: int, n: int, f: Fact, keys: list[str], rank: int, a: Article) -> None:
        self.facts.append([fn, f.id, n, f.start, f.end, f.kind, f.text, fact_data(f, keys)])
        self.ids[f.id] = (len(self.facts) - 1, a, f, rank)
        self.fact_entities.extend((e, fn) for e in f.entities)
        entry = timeline_entry(f)
        if entry is not None:
            self.timeline.append((fn, tkey(entry), n, codec.dumps(codec.fields_of(entry, TIMELINE_COLUMNS))))

    def write(self, conn: sqlite3.Connection) -> None:
        self._lengthen_taken_ids(conn)
        conn.executemany(
            "INSERT OR IGNORE INTO mention (article, start, end, key, entity, text, data) VALUES (?, ?, ?, ?, ?, ?, ?)",
            self.mentions,
        )
        conn.executemany("INSERT INTO fact VALUES (?, ?, ?, ?, ?, ?, ?, ?)", self.facts)
        conn.executemany("INSERT OR IGNORE INTO fact_entity VALUES (?, ?)", self.fact_entities)
        conn.executemany("INSERT INTO timeline VALUES (?, ?, ?, ?)", self.timeline)
        conn.executemany("INSERT INTO point VALUES (?, ?, ?, ?)", self.points)
        for rows in (self.mentions, self.facts, self.fact_entities, self.timeline, self.points):
            rows.clear()
        self.ids.clear()

    def _lengthen_taken_ids(self, conn: sqlite3.Connection) -> None:
        """A fact id another stored fact already has (about one in a million at two million
        facts) is made longer; timeline rows and points carry the id, so they follow."""
        ids = list(self.ids)
        taken: set[str] = set()
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            taken.update(
                r[0] for r in conn.execute(f"SELECT id FROM fact WHERE id IN ({','.join('?' * len(chunk))})", chunk)
            )
        if len(ids) < len(self.facts):  # two facts of this batch with one id
            seen = set()
            for row in self.facts:
                if row[1] in seen:
                    taken.add(row[1])
                seen.add(row[1])
        for old in taken:
            at, a, f, rank = self.ids[old]
            row = self.facts[at]
            f.id = row[1] = longer_fact_id(a.id, text_digest(a.text), f.start, f.end, f.kind, rank)
            self.timeline = [(t[0], t[1].replace(old.encode(), f.id.encode()), t[2], t[3]) for t in self.timeline]
            self.points = [(p[0], p[1], p[2], p[3].replace(old, f.id)) for p in self.points]


def fact_data(f: Fact, keys: list[str]) -> str:
    fields = codec.fields_of(f, FACT_COLUMNS)
    if keys != f.entities:  # (mostly they are the same)
        fields[KEYS] = keys
    return codec.dumps(fields)


def fact_keys(stored: dict[str, Any]) -> list[str]:
    """The local keys of a stored fact (its entities, unless it says otherwise)."""
    return list(stored.get(KEYS, stored.get("entities", [])))


def stored_variants(data: str) -> dict[str, list[int]]:
    return {t: list(ns) for t, ns in codec.loads(data).items()}
