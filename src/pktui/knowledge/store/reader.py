"""The knowledge base read from the store: today's ``KnowledgeBase`` interface, read when asked.

Nothing is read at start but a few counts. ``kb.articles``, ``kb.entities``, ``kb.facts``,
``kb.timeline`` and ``kb.series`` are sequences (:class:`~.views.LazyRows`) whose items are
made from their rows when indexed or iterated; lookups by id are one indexed query each.

Every row is checked when it is read (offsets inside the text, ids that resolve, values that
decode, sizes sane). A row that fails is never used: it is left out (or, where a sequence must
answer at a position, stands in as an item saying it is unreadable), its article is named in
``kb.problems`` and recorded so that the next open extracts it again.

The connection holds one read transaction for the life of the knowledge base, so what it shows
stays consistent while another process publishes an update.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from array import array
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pktui.knowledge.store import codec
from pktui.knowledge.store.codec import BadRow, Row
from pktui.knowledge.store.reader_mentions import MENTION_SELECT, MentionReads
from pktui.knowledge.store.reader_timeline import ARTICLE_ORDER, TimelineReads
from pktui.knowledge.store.views import Concat, LazyArticle, LazyEntity, LazyRows, Recent
from pktui.model import Article, Entity, Fact, LoadProblem, LoadSummary, Mention, Series, TimelineEntry

if TYPE_CHECKING:
    pass

_FACT_SELECT = "SELECT f.n, f.id, f.start, f.end, f.kind, f.text, f.data, a.id, a.length FROM fact f JOIN article a ON a.n = f.article"
_ARTICLE_SELECT = "SELECT n, id, published, length, meta FROM article"
_ARTICLE_ORDER = ARTICLE_ORDER
_MENTION_SELECT = MENTION_SELECT  # (the in-memory copy and the overlay read the same rows)


class StoredKnowledgeBase(MentionReads, TimelineReads):
    """A knowledge base over an open store file (see the module doc)."""

    def __init__(
        self, path: Path, problems: list[LoadProblem] | None = None, conn: sqlite3.Connection | None = None
    ) -> None:
        from pktui.knowledge.store.schema import connect

        self.path = path
        self._lock = threading.RLock()
        self._own_conn = conn is None
        if conn is None:
            conn = connect(path)
            conn.execute("PRAGMA query_only = ON")
            conn.execute("BEGIN")  # one snapshot for the life of this knowledge base
        self.conn = conn
        #: a second connection for reading whole lists in workers, so that the UI thread's small
        #: reads never queue behind them (at 20,000 articles a search's hundred lookups waited
        #: a second behind the timeline's); its snapshot is taken with the first one's
        self._bulk: sqlite3.Connection | None = None
        self._bulk_lock = threading.RLock()
        self.problems: list[LoadProblem] = list(problems or [])
        self.archive: Any = None  # the Archive that opened it (pktui.archive)
        #: what reading left out on purpose (duplicates, hidden files): set by the opener
        self.summary = LoadSummary()
        self._suspects: dict[str, str] = {}
        self._exists: dict[str, bool] = {}
        self._articles_cache: Recent[Article | None] = Recent(512)
        self._facts_cache: Recent[Fact | None] = Recent(2048)
        self._entities_cache: Recent[Entity | None] = Recent(2048)
        # what search asks for each hit shown (its article's facts and mentions), kept a while
        self._facts_in_cache: Recent[list[Fact]] = Recent(512)
        self._mentions_in_cache: Recent[list[Mention]] = Recent(512)
        self._spans_cache: Recent[list[tuple[str, int, int]]] = Recent(32)
        counts: dict[str, str] = dict(self._rows("SELECT k, v FROM meta WHERE k LIKE 'count.%'"))
        if self._own_conn:
            with contextlib.suppress(Exception):  # without it, lists are read on the first connection
                bulk = connect(path)
                bulk.execute("PRAGMA query_only = ON")
                bulk.execute("BEGIN")
                bulk.execute("SELECT count(*) FROM meta").fetchall()  # the snapshot starts at the first read
                self._bulk = bulk
        self.counts = {k.split(".", 1)[1]: int(v) for k, v in counts.items()}
        self.problems.extend(self._stored_problems())
        self.articles: Sequence[Article] = LazyRows(
            lambda: self._order(f"SELECT n FROM article a {_ARTICLE_ORDER}"),
            self._articles_by_n,
            length=lambda: self.counts.get("articles", 0),
        )
        self.entities: Sequence[Entity] = LazyRows(
            lambda: self._order("SELECT rowid FROM entity ORDER BY type, fname, id"),
            self._entities_by_rowid,
            length=lambda: self.counts.get("entities", 0),
            stream=lambda: map(
                self._make_entity,
                self._stream(
                    "SELECT id, type, name, aliases, attributes, nmentions, narticles FROM entity ORDER BY type, fname, id"
                ),
            ),
        )
        self.facts: Sequence[Fact] = LazyRows(
            self._fact_order,
            self._facts_by_n,
            length=lambda: self.counts.get("facts", 0),
            stream=self._stream_facts,
        )
        self.timeline: Sequence[TimelineEntry] = LazyRows(
            lambda: self._order("SELECT fact FROM timeline ORDER BY tkey"),
            self._timeline_by_fact,
            length=lambda: self.counts.get("timeline", 0),
        )
        self.series: Sequence[Series] = LazyRows(
            lambda: self._order("SELECT rowid FROM series ORDER BY subject, npoints DESC, measure"),
            self._series_by_rowid,
        )

    # -- plumbing -------------------------------------------------------------------------

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        with self._lock:
            try:
                return self.conn.execute(sql, params).fetchall()
            except sqlite3.DatabaseError as exc:
                self._damaged(exc)
                return []

    def _stream(self, sql: str, params: Sequence[Any] = (), size: int = 1024, *, bulk: bool = False) -> Iterator[Row]:
        """Rows in batches, the connection free between them; ``bulk``: on the second
        connection (a whole list read in a worker)."""
        conn, lock = (self._bulk, self._bulk_lock) if bulk and self._bulk is not None else (self.conn, self._lock)
        with lock:
            try:
                cur = conn.cursor()
                cur.execute(sql, params)
            except sqlite3.DatabaseError as exc:
                self._damaged(exc)
                return
        while True:
            with lock:
                try:
                    rows = cur.fetchmany(size)
                except sqlite3.DatabaseError as exc:
                    self._damaged(exc)
                    return
            if not rows:
                return
            yield from rows

    def _order(self, sql: str, params: Sequence[Any] = ()) -> array[int]:
        """A list's keys, read in batches: the UI thread's own reads go between them (one
        read of 600,000 keys held the connection a second)."""
        return array("q", (r[0] for r in self._stream(sql, params, size=8192, bulk=True)))

    def _damaged(self, exc: Exception) -> None:
        reason = f"store {self.path} unreadable ({codec.dumps(str(exc))[1:-1]}); it is rebuilt at the next open"
        if ("store", reason) not in {(p.path, p.reason) for p in self.problems}:
            self.problems.append(LoadProblem("store", reason, skipped=False))
        with contextlib.suppress(OSError):
            (self.path.parent / "DAMAGED").write_text(reason + "\n", encoding="utf-8")

    def _suspect(self, article: str, reason: str) -> None:
        """A row of ``article`` cannot be trusted: say so once, and have it extracted again."""
        if article in self._suspects:
            return
        self._suspects[article] = reason
        self.problems.append(
            LoadProblem(
                article, f"stored row not trusted ({reason}); left out now, extracted again at the next open", False
            )
        )
        with contextlib.suppress(sqlite3.Error, OSError):
            if not self._own_conn:  # inside a writer's transaction
                self.conn.execute("INSERT OR REPLACE INTO suspect VALUES (?, ?)", (article, reason[:200]))
                return
            conn = sqlite3.connect(self.path, timeout=2)
            try:
                conn.execute("INSERT OR REPLACE INTO suspect VALUES (?, ?)", (article, reason[:200]))
                conn.commit()
            finally:
                conn.close()

    def _stored_problems(self) -> list[LoadProblem]:
        out: list[LoadProblem] = []
        for (data,) in self._rows("SELECT problems FROM file WHERE problems IS NOT NULL ORDER BY path"):
            with contextlib.suppress(BadRow, TypeError, ValueError):
                out.extend(LoadProblem(str(p), str(r), bool(s)) for p, r, s in codec.loads(data))
        for path, problem in self._rows(
            "SELECT json_extract(meta, '$.path'), problem FROM article WHERE problem IS NOT NULL ORDER BY id"
        ):
            out.append(LoadProblem(str(path), str(problem), skipped=False))
        return out

    @classmethod
    def over(cls, conn: sqlite3.Connection, path: Path) -> StoredKnowledgeBase:
        """The knowledge base as a writer's open transaction sees it (to index what it is
        about to publish)."""
        return cls(path, [], conn)

    def meta(self, key: str) -> str | None:
        rows = self._rows("SELECT v FROM meta WHERE k = ?", (key,))
        return rows[0][0] if rows else None

    def entity_exists(self, entity_id: str) -> bool:
        known = self._exists.get(entity_id)
        if known is None:
            known = self._exists[entity_id] = bool(self._rows("SELECT 1 FROM entity WHERE id = ?", (entity_id,)))
        return known

    def close(self) -> None:
        if self._own_conn:
            with self._lock, contextlib.suppress(sqlite3.Error):
                self.conn.close()
            with self._bulk_lock, contextlib.suppress(sqlite3.Error):
                if self._bulk is not None:
                    self._bulk.close()

    # -- articles ---------------------------------------------------------------------------

    def _make_article(self, row: Row) -> Article:
        n, aid, published, length, meta = row
        try:
            fields = codec.loads(meta)
            if not isinstance(fields, dict) or type(length) is not int or length < 0:
                raise BadRow("article fields")
            fields["id"] = aid
            fields["published"] = codec.parse_date(published or None)
            fields.setdefault("paragraphs", ())
            fields["paragraphs"] = codec.tuples(fields["paragraphs"])
            for name in ("path", "title"):
                if not isinstance(fields.get(name), str):
                    raise BadRow(f"article {name}")
            missing = [k for k in Article.__dataclass_fields__ if k != "text" and k not in fields]
            for k in missing:
                fields[k] = Article.__dataclass_fields__[k].default
            return LazyArticle.make(lambda: self._text(n, aid, length), **fields)
        except (BadRow, TypeError) as exc:
            self._suspect(aid, str(exc))
            return Article(aid, "", "", None, "(unreadable stored article; extracted again at the next open)")

    def _text(self, n: int, aid: str, length: int) -> str:
        rows = self._rows("SELECT text FROM article_text WHERE n = ?", (n,))
        text = rows[0][0] if rows else None
        if not isinstance(text, str) or len(text) != length:
            self._suspect(aid, "article text missing or of the wrong length")
            return text if isinstance(text, str) else ""
        return text

    def _articles_by_n(self, ns: list[int]) -> list[Article]:
        found = {}
        for row in self._rows(f"{_ARTICLE_SELECT} WHERE n IN ({','.join('?' * len(ns))})", ns):
            found[row[0]] = self._make_article(row)
        return [found[n] for n in ns if n in found]

    def article(self, article_id: str) -> Article | None:
        a = self._articles_cache.get(article_id)
        if a is None:
            rows = self._rows(f"{_ARTICLE_SELECT} WHERE id = ?", (article_id,))
            if not rows:
                return None
            a = self._make_article(rows[0])
            self._articles_cache.put(article_id, a)
        return a

    def articles_newest_first(self) -> Sequence[Article]:
        dated = LazyRows(
            lambda: self._order("SELECT n FROM article WHERE undated = 0 ORDER BY published DESC, id DESC"),
            self._articles_by_n,
        )
        undated = LazyRows(
            lambda: self._order("SELECT n FROM article WHERE undated = 1 ORDER BY id DESC"), self._articles_by_n
        )
        return Concat(dated, undated)

    # -- facts ------------------------------------------------------------------------------

    def _make_fact(self, row: Row) -> Fact | None:
        _n, fid, start, end, kind, text, data, aid, length = row
        try:
            codec.check_span(start, end, length)
            if not isinstance(text, str) or len(text) != end - start or not isinstance(kind, str):
                raise BadRow("fact text does not fit its offsets")
            f = codec.make(Fact, codec.loads(data), id=fid, kind=kind, article=aid, start=start, end=end, text=text)
            ents = f.entities
            if not isinstance(ents, list) or not all(isinstance(e, str) and self.entity_exists(e) for e in ents):
                raise BadRow("a fact points at no entity")
            s = f.sentence
            if not (
                isinstance(s, tuple) and len(s) == 2 and all(type(x) is int for x in s) and 0 <= s[0] <= s[1] <= length
            ):
                raise BadRow("fact sentence outside the text")
            return f
        except (BadRow, TypeError) as exc:
            self._suspect(aid, str(exc))
            return None

    def _facts_by_n(self, ns: list[int]) -> list[Fact]:
        found = {}
        for row in self._rows(f"{_FACT_SELECT} WHERE f.n IN ({','.join('?' * len(ns))})", ns):
            found[row[0]] = self._make_fact(row) or _unreadable_fact(row)
        return [found[n] for n in ns if n in found]

    def _stream_facts(self) -> Iterator[Fact]:
        for row in self._stream(f"{_FACT_SELECT} {_ARTICLE_ORDER}, f.start, f.end, f.kind"):
            f = self._make_fact(row)
            if f is not None:
                yield f

    def _fact_order(self) -> array[int]:
        return self._order(
            f"SELECT f.n FROM fact f JOIN article a ON a.n = f.article {_ARTICLE_ORDER}, f.start, f.end, f.kind"
        )

    def fact(self, fact_id: str) -> Fact | None:
        if fact_id in self._facts_cache:
            return self._facts_cache[fact_id]
        rows = self._rows(f"{_FACT_SELECT} WHERE f.id = ?", (fact_id,))
        f = self._make_fact(rows[0]) if rows else None
        self._facts_cache.put(fact_id, f)
        return f

    def facts_in(self, article_id: str) -> list[Fact]:
        """Facts of one article in text order."""
        got = self._facts_in_cache.get(article_id)
        if got is None:
            rows = self._rows(f"{_FACT_SELECT} WHERE a.id = ? ORDER BY f.start, f.end, f.kind", (article_id,))
            got = [f for f in map(self._make_fact, rows) if f is not None]
            self._facts_in_cache.put(article_id, got)
        return list(got)

    def facts_about(self, entity_id: str) -> Sequence[Fact]:
        return LazyRows(
            lambda: self._order(
                "SELECT f.n FROM fact_entity fe JOIN fact f ON f.n = fe.fact JOIN article a ON a.n = f.article "
                f"WHERE fe.entity = ? {_ARTICLE_ORDER}, f.start, f.end, f.kind",
                (entity_id,),
            ),
            self._facts_by_n,
        )

    # -- entities and mentions ---------------------------------------------------------------

    def _make_entity(self, row: Row) -> Entity:
        eid, etype, name, aliases, attributes, nmentions, narticles = row
        try:
            al = [] if aliases == "[]" else codec.loads(aliases)
            at = {} if attributes == "{}" else codec.loads(attributes)
            if not (isinstance(al, list) and isinstance(at, dict) and isinstance(name, str) and type(nmentions) is int):
                raise BadRow("entity fields")
        except BadRow:
            self.problems.append(LoadProblem("store", f"entity {eid}: stored row not trusted", skipped=False))
            al, at, name = [], {}, eid
        return LazyEntity.make(
            lambda: self._mentions_of(eid, nmentions),
            lambda: self._articles_of(eid, narticles),
            nmentions,
            id=eid,
            name=name,
            type=etype,
            aliases=al,
            attributes=at,
        )

    def entity_keys(self) -> Iterator[tuple[str, int, str, str]]:
        """(type, mentions, name, id) of every entity, in the order of ``entities``: what a list
        groups and sorts them by, without making each entity."""
        for etype, nmentions, name, eid in self._stream(
            "SELECT type, nmentions, name, id FROM entity ORDER BY type, fname, id", bulk=True
        ):
            ok = isinstance(name, str) and type(nmentions) is int
            yield (etype, nmentions, name, eid) if ok else (etype, 0, eid, eid)

    def _entities_by_rowid(self, rowids: list[int]) -> list[Entity]:
        q = (
            "SELECT rowid, id, type, name, aliases, attributes, nmentions, narticles FROM entity "
            f"WHERE rowid IN ({','.join('?' * len(rowids))})"
        )
        found = {r[0]: self._make_entity(r[1:]) for r in self._rows(q, rowids)}
        return [found[n] for n in rowids if n in found]

    def entity(self, entity_id: str) -> Entity | None:
        if entity_id in self._entities_cache:
            return self._entities_cache[entity_id]
        rows = self._rows(
            "SELECT id, type, name, aliases, attributes, nmentions, narticles FROM entity WHERE id = ?", (entity_id,)
        )
        e = self._make_entity(rows[0]) if rows else None
        self._entities_cache.put(entity_id, e)
        return e

    def _articles_of(self, entity_id: str, count: int) -> Sequence[str]:
        """The articles that mention an entity, in article order (counted at once)."""
        q = f"SELECT a.n FROM article a WHERE a.n IN (SELECT article FROM mention WHERE entity = ?) {_ARTICLE_ORDER}"
        return LazyRows(lambda: self._order(q, (entity_id,)), self._ids_of_articles, length=lambda: count)

    def _ids_of_articles(self, ns: list[int]) -> list[str]:
        found: dict[int, str] = dict(
            self._rows(f"SELECT n, id FROM article WHERE n IN ({','.join('?' * len(ns))})", ns)
        )
        return [found[n] for n in ns if n in found]

    def entity_counts_by_type(self) -> dict[str, int]:
        return dict(self._rows("SELECT type, COUNT(*) FROM entity GROUP BY type ORDER BY type"))


def _unreadable_fact(row: Row) -> Fact:
    _n, fid, _s, _e, kind, _t, _d, aid, _len = row
    return Fact(
        fid, str(kind), aid, 0, 0, "", (0, 0), summary="(unreadable stored fact; extracted again at the next open)"
    )
