"""Writing the knowledge store: extractions staged in batches, then published in one transaction.

:meth:`StoreWriter.stage` commits extraction results as they come (a kill keeps them: the next
run finds them staged and extracts nothing again). :meth:`StoreWriter.publish` then removes the
articles that are gone or changed, adds the new ones and brings everything that depends on
them up to date, in one transaction, so readers see the old knowledge base or the new one,
never half of each:

1. removed articles' rows go, and what they said of each entity key is subtracted;
2. new articles' rows and what they say of each key are added (local entities, variants);
3. each touched key's name is worked out again, then the people resolution over every person
   key (cheap: a few thousand names), giving the keys whose entity changed;
4. the entities of every touched or moved key are recomputed from their keys' variants;
5. new articles' mentions, facts (stable ids), timeline entries and series points are written
   with their entities resolved; older articles holding a moved key, or facts about an
   entity whose name changed, are brought up to date;
6. the series whose points changed are assembled again.

The result equals a knowledge base built at once from the same articles
(:func:`pktui.knowledge.build.build_knowledge`), whatever the order of the updates.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence

from pktui.knowledge import entities as ents
from pktui.knowledge.build import (
    DatedAttributes,
    article_order,
    sorted_facts,
    timeline_entry,
)
from pktui.knowledge.figures import SeriesKey, article_points, series_of
from pktui.knowledge.ids import span_ranks
from pktui.knowledge.store import codec
from pktui.knowledge.store.codec import Row
from pktui.knowledge.store.rows import (
    MENTION_COLUMNS,
    POINT_SKIP,
    TIMELINE_COLUMNS,
    DerivedRows,
    NameCache,
    Published,
    Staged,
    fact_data,
    fact_keys,
    stored_variants,
)
from pktui.model import Article, Fact, SeriesPoint
from pktui.text import fold

BATCH = 256  # articles per statement batch while publishing
STAGE = "st.stage"  # in a file of its own beside the store (KnowledgeStore.attach_stage)
BULK = 2000  # past this many keys, read a whole table once rather than key by key

_INSERT_FACT = (
    "INSERT INTO fact (id, article, start, end, kind, text, keys, entities, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


class StoreWriter:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    # -- staging --------------------------------------------------------------------------

    def stage(self, items: Iterable[Staged]) -> None:
        """Commit extraction results (their own transaction)."""
        with self.transaction():
            self.stage_within(items)

    def stage_within(self, items: Iterable[Staged]) -> None:
        rows = [
            (
                s.ekey,
                codec.dumps_any({"article": codec.article_fields(s.article), "file": s.file, "who": s.who}),
                codec.encode_extraction(s.extraction) if s.extraction is not None else None,
                s.error,
            )
            for s in items
        ]
        if rows:
            self.conn.executemany(f"INSERT OR REPLACE INTO {STAGE} VALUES (?, ?, ?, ?)", rows)

    def staged_keys(self) -> set[str]:
        return {k for (k,) in self.conn.execute(f"SELECT ekey FROM {STAGE}")}

    def read_staged(self, ekeys: Sequence[str], facts: bool = True) -> Iterator[Staged | tuple[str, str]]:
        """Staged articles (``facts``: with their facts); a row that cannot be trusted comes as
        ``(ekey, reason)``."""
        for i in range(0, len(ekeys), 500):
            chunk = ekeys[i : i + 500]
            q = f"SELECT ekey, article, extraction, error FROM {STAGE} WHERE ekey IN ({','.join('?' * len(chunk))})"
            for ekey, art_json, blob, error in self.conn.execute(q, chunk).fetchall():
                try:
                    doc = codec.loads(art_json)
                    article = codec.article_from_fields(doc["article"])
                    ex = codec.decode_extraction(blob, article, facts=facts) if blob is not None else None
                    yield Staged(ekey, article, ex, error, str(doc["file"]), dict(doc.get("who") or {}))
                except (codec.BadRow, KeyError, TypeError) as exc:
                    yield (ekey, str(exc))

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    # -- publishing -----------------------------------------------------------------------

    def publish(
        self,
        removed: Iterable[str],
        staged: Callable[[bool], Iterable[Staged]],
        progress: Callable[[int, int], None] | None = None,
        total: int = 0,
    ) -> Published:
        """Inside a transaction the caller holds: remove, add, resolve, bring up to date.
        ``staged(with_facts)`` gives the articles to add; it is read twice (entities first,
        then everything that needs them resolved), never held whole in memory."""
        out = Published()
        self._deltas: dict[str, dict[str, list[int]]] = defaultdict(dict)
        touched_series: set[tuple[str, str]] = set()
        for aid in removed:
            if self._remove(aid, touched_series):
                out.removed.append(aid)
        numbers = self._insert_articles(staged(False), progress, total)
        out.added = list(numbers)
        touched_keys = set(self._deltas)
        self._flush_variants()
        moved, old_entity = self._resolve(touched_keys)
        both = touched_keys | moved
        affected = {old_entity[k] for k in both if k in old_entity}
        affected.update(e for _k, e in self._select("entity", "keyinfo", "key", both))
        renamed = self._recompute_entities(affected)
        out.entities_changed = affected
        names = NameCache(self.conn, preload=len(numbers) > BULK // 4)
        self._insert_derived(staged(True), numbers, names, touched_series)
        new_rows = set(numbers.values())
        refresh = self._articles_holding(moved) - new_rows
        for n in sorted(refresh):
            self._refresh_article(n, names, touched_series, points_only=False)
        for n in sorted(self._articles_about(renamed) - refresh - new_rows):
            self._refresh_article(n, names, touched_series, points_only=True)
            refresh.add(n)
        out.refreshed = [self._article_id(n) for n in sorted(refresh)]
        self._assemble_series(touched_series)
        self._count()
        if progress:
            progress(total, total)
        return out

    # 1. removing -----------------------------------------------------------------------

    def _remove(self, aid: str, touched_series: set[tuple[str, str]]) -> bool:
        c = self.conn
        row = c.execute("SELECT n FROM article WHERE id = ?", (aid,)).fetchone()
        if row is None:
            return False
        n = row[0]
        for key, data in c.execute("SELECT key, data FROM local_entity WHERE article = ?", (n,)).fetchall():
            self._add_variants(key, stored_variants(data), -1)
        touched_series.update(c.execute("SELECT DISTINCT subject, measure FROM point WHERE article = ?", (n,)))
        c.execute("DELETE FROM fact_entity WHERE fact IN (SELECT n FROM fact WHERE article = ?)", (n,))
        for table in ("fact", "mention", "timeline", "point", "local_entity"):
            c.execute(f"DELETE FROM {table} WHERE article = ?", (n,))
        c.execute("DELETE FROM article_text WHERE n = ?", (n,))
        c.execute("DELETE FROM article WHERE n = ?", (n,))
        return True

    # 2. adding -------------------------------------------------------------------------

    def _insert_articles(
        self, staged: Iterable[Staged], progress: Callable[[int, int], None] | None, total: int
    ) -> dict[str, int]:
        """Articles, their texts and what they say of each key; returns id -> row number."""
        c = self.conn
        (n,) = c.execute("SELECT COALESCE(MAX(n), 0) FROM article").fetchone()
        numbers: dict[str, int] = {}
        articles, texts, locals_ = [], [], []
        for s in staged:
            n += 1
            a, ex = s.article, s.extraction
            numbers[a.id] = n
            undated, published, _ = article_order(a)
            meta = codec.article_meta(a)
            w = s.who
            articles.append(
                (n, a.id, s.file, w.get("place", 0), s.ekey, int(undated), published, len(a.text), meta, s.error)
                + (w.get("base_id", a.id), codec.dumps_any(w.get("identity", a.path)), w.get("url_key"))
                + (w.get("text_key", ""),)
            )
            texts.append((n, a.text))
            for contrib in ents.contributions(ex) if ex is not None else ():
                variants = contrib.variants()
                self._add_variants(contrib.key, variants, 1)
                attrs = codec.dumps(contrib.local.attributes) if contrib.local.attributes else None
                locals_.append((n, contrib.key, contrib.first, attrs, codec.dumps(variants)))
            if len(articles) >= BATCH:
                self._write_articles(articles, texts, locals_)
                if progress:
                    progress(len(numbers) // 2, total)
        self._write_articles(articles, texts, locals_)
        return numbers

    def _write_articles(self, articles: list[Row], texts: list[Row], locals_: list[Row]) -> None:
        c = self.conn
        c.executemany(
            "INSERT INTO article (n, id, file, place, ekey, undated, published, length, meta, problem, base_id, "
            "identity, url_key, text_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            articles,
        )
        c.executemany("INSERT INTO article_text (n, text) VALUES (?, ?)", texts)
        c.executemany("INSERT INTO local_entity VALUES (?, ?, ?, ?, ?)", locals_)
        articles.clear()
        texts.clear()
        locals_.clear()

    def _add_variants(self, key: str, variants: dict[str, list[int]], sign: int) -> None:
        have = self._deltas[key]
        for text, counts in variants.items():
            d = have.setdefault(text, [0, 0, 0])
            for i, v in enumerate(counts):
                d[i] += sign * v

    def _flush_variants(self) -> None:
        rows = [(k, t, *d) for k, texts in self._deltas.items() for t, d in texts.items() if any(d)]
        self.conn.executemany(
            "INSERT INTO key_variant VALUES (?, ?, ?, ?, ?) ON CONFLICT (key, text) DO UPDATE SET "
            "names = names + excluded.names, aliases = aliases + excluded.aliases, "
            "mentions = mentions + excluded.mentions",
            rows,
        )
        self.conn.executemany(
            "DELETE FROM key_variant WHERE key = ? AND names <= 0 AND aliases <= 0 AND mentions <= 0",
            [(k,) for k in self._deltas],
        )

    # 3. resolution ---------------------------------------------------------------------

    def _select(self, columns: str, table: str, key: str, keys: Iterable[str], where: str = "") -> list[Row]:
        """Rows whose ``key`` column is one of ``keys``: by index for a few, one pass for many."""
        keys = list(dict.fromkeys(keys))
        extra = f" AND {where}" if where else ""
        if len(keys) > BULK:
            wanted = set(keys)
            q = f"SELECT {key}, {columns} FROM {table} WHERE 1{extra}"
            return [r for r in self.conn.execute(q) if r[0] in wanted]
        out: list[Row] = []
        for i in range(0, len(keys), 500):
            chunk = keys[i : i + 500]
            q = f"SELECT {key}, {columns} FROM {table} WHERE {key} IN ({','.join('?' * len(chunk))}){extra}"
            out.extend(self.conn.execute(q, chunk))
        return out

    def _variants(self, keys: Iterable[str]) -> dict[str, ents.Variants]:
        out: dict[str, ents.Variants] = defaultdict(ents.Variants)
        for key, text, names, aliases, mentions in self._select(
            "text, names, aliases, mentions", "key_variant", "key", keys
        ):
            out[key].counts[text] = [names, aliases, mentions]
        return out

    def _resolve(self, touched_keys: set[str]) -> tuple[set[str], dict[str, str]]:
        """Names of the touched keys, then resolution: the keys whose entity changed, and
        the entity each touched or moved key had before."""
        c = self.conn
        old_entity: dict[str, str] = dict(self._select("entity", "keyinfo", "key", touched_keys))
        variants = self._variants(touched_keys)
        gone, named = [], []
        for key in touched_keys:
            v = variants.get(key)
            if v is None or v.mentions <= 0:
                gone.append((key,))
            else:
                named.append((key, ents.key_name(v, key), old_entity.get(key, key)))
        c.executemany("DELETE FROM keyinfo WHERE key = ?", gone)
        c.executemany(
            "INSERT INTO keyinfo VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET name = excluded.name", named
        )
        people = c.execute(
            "SELECT key, name, entity FROM keyinfo WHERE key >= 'person/' AND key < 'person0'"
        ).fetchall()
        remap = ents.resolve_people({k: name for k, name, _e in people})
        moved = set()
        for key, _name, entity in people:
            target = remap.get(key, key)
            if target != entity:
                old_entity.setdefault(key, entity)
                moved.add(key)
        c.executemany("UPDATE keyinfo SET entity = ? WHERE key = ?", [(remap.get(k, k), k) for k in moved])
        return moved, old_entity

    # 4. entities -----------------------------------------------------------------------

    def _recompute_entities(self, entity_ids: set[str]) -> set[str]:
        """Entities from their keys; returns those whose name changed (or that are gone)."""
        c = self.conn
        ids = sorted(entity_ids)
        members: dict[str, list[str]] = defaultdict(list)
        for gid, key in self._select("key", "keyinfo", "entity", ids):
            members[gid].append(key)
        keys = [k for ks in members.values() for k in ks]
        variants = self._variants(keys)
        attributes = self._attributes(keys)
        per_key = self._article_counts(keys)
        before: dict[str, str] = dict(self._select("name", "entity", "id", ids))
        rows, gone, renamed = [], [], set()
        for gid in ids:
            ks = members.get(gid, [])
            merged = ents.Variants()
            for k in ks:
                merged.add(variants[k].counts)
            if merged.mentions <= 0:
                gone.append((gid,))
                if gid in before:
                    renamed.add(gid)
                continue
            name = ents.entity_name(variants.get(gid), merged, gid)
            attrs = ents.latest_attributes(item for k in ks for item in attributes.get(k, ()))
            narticles = per_key.get(ks[0], 0) if len(ks) == 1 else self._article_count(ks)
            aliases = codec.dumps(ents.entity_aliases(merged, name))
            etype = gid.split("/", 1)[0]
            rows.append((gid, etype, fold(name), name, aliases, codec.dumps(attrs), merged.mentions, narticles))
            if gid in before and before[gid] != name:
                renamed.add(gid)
        c.executemany("DELETE FROM entity WHERE id = ?", gone)
        c.executemany("INSERT OR REPLACE INTO entity VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
        return renamed

    def _attributes(self, keys: list[str]) -> dict[str, list[DatedAttributes]]:
        rows = self._select(
            "a.undated, a.published, a.id, l.attrs",
            "local_entity l JOIN article a ON a.n = l.article",
            "l.key",
            keys,
            "l.attrs IS NOT NULL",
        )
        out: dict[str, list[DatedAttributes]] = defaultdict(list)
        for key, undated, published, aid, attrs in rows:
            out[key].append((ents.recency(None if undated else published, aid), codec.loads(attrs)))
        return out

    def _article_counts(self, keys: list[str]) -> dict[str, int]:
        """Articles that name each key."""
        if len(keys) > BULK:
            wanted = set(keys)
            q = "SELECT key, COUNT(*) FROM local_entity GROUP BY key"
            return {k: n for k, n in self.conn.execute(q) if k in wanted}
        return {
            k: self.conn.execute("SELECT COUNT(*) FROM local_entity WHERE key = ?", (k,)).fetchone()[0] for k in keys
        }

    def _article_count(self, keys: list[str]) -> int:
        q = f"SELECT COUNT(DISTINCT article) FROM local_entity WHERE key IN ({','.join('?' * len(keys))})"
        count: int = self.conn.execute(q, keys).fetchone()[0]
        return count

    # 5. derived rows ---------------------------------------------------------------------

    def _insert_derived(
        self, staged: Iterable[Staged], numbers: dict[str, int], names: NameCache, touched_series: set[SeriesKey]
    ) -> None:
        rows = DerivedRows()
        (fn,) = self.conn.execute("SELECT COALESCE(MAX(n), 0) FROM fact").fetchone()
        for s in staged:
            ex, a = s.extraction, s.article
            if ex is None:
                continue
            n = numbers[a.id]
            for m in ex.mentions:
                fields = codec.fields_of(m, MENTION_COLUMNS)
                extra = codec.dumps(fields) if fields else "{}"
                rows.mentions.append((n, m.start, m.end, m.entity, names.entity_of(m.entity), m.text, extra))
            facts = sorted_facts(ex, a)
            keys = [list(f.entities) for f in facts]
            for f, ks in zip(facts, keys):
                f.entities = names.resolved(ks)
            for f, ks, rank in zip(facts, keys, span_ranks((f.start, f.end, f.kind) for f in facts)):
                fn += 1
                rows.add_fact(fn, n, f, ks, rank, a)
            rows.points.extend(self._points(n, a, facts, names, touched_series))
            if len(rows) >= BATCH * 40:
                rows.write(self.conn)
        rows.write(self.conn)

    def _points(
        self, n: int, a: Article, facts: list[Fact], names: NameCache, touched_series: set[SeriesKey]
    ) -> list[Row]:
        out: list[Row] = []
        for (subject, measure), p in article_points(a, facts, names.name_of):
            touched_series.add((subject, measure))
            out.append((n, subject, measure, codec.dumps(codec.fields_of(p, POINT_SKIP))))
        return out

    def _articles_holding(self, keys: set[str]) -> set[int]:
        out: set[int] = set()
        for key in keys:
            out.update(n for (n,) in self.conn.execute("SELECT article FROM local_entity WHERE key = ?", (key,)))
        return out

    def _articles_about(self, entity_ids: set[str]) -> set[int]:
        out: set[int] = set()
        for gid in entity_ids:
            if gid.startswith("country/"):
                continue  # a country's name plays no part in its figures
            q = "SELECT DISTINCT f.article FROM fact_entity fe JOIN fact f ON f.n = fe.fact WHERE fe.entity = ?"
            out.update(n for (n,) in self.conn.execute(q, (gid,)))
        return out

    def _article_id(self, n: int) -> str:
        aid: str = self.conn.execute("SELECT id FROM article WHERE n = ?", (n,)).fetchone()[0]
        return aid

    def _refresh_article(
        self, n: int, names: NameCache, touched_series: set[tuple[str, str]], *, points_only: bool
    ) -> None:
        """An older article after a key it holds moved to another entity (or an entity it
        speaks of was renamed): its mentions, facts, timeline entries and points follow."""
        c = self.conn
        if not points_only:
            for key in [k for (k,) in c.execute("SELECT key FROM local_entity WHERE article = ?", (n,))]:
                c.execute("UPDATE mention SET entity = ? WHERE article = ? AND key = ?", (names.entity_of(key), n, key))
        facts = []
        for fn, fid, start, end, kind, text, data in c.execute(
            "SELECT n, id, start, end, kind, text, data FROM fact WHERE article = ? ORDER BY start, end, kind",
            (n,),
        ).fetchall():
            stored = codec.loads(data)
            keys = fact_keys(stored)
            entities = names.resolved(keys)
            f = codec.make(
                Fact, stored, id=fid, kind=kind, article="", start=start, end=end, text=text, entities=entities
            )
            facts.append(f)
            if points_only:
                continue
            c.execute("UPDATE fact SET data = ? WHERE n = ?", (fact_data(f, keys), fn))
            c.execute("DELETE FROM fact_entity WHERE fact = ?", (fn,))
            c.executemany("INSERT OR IGNORE INTO fact_entity VALUES (?, ?)", [(e, fn) for e in entities])
            entry = timeline_entry(f)
            if entry is not None:
                c.execute(
                    "UPDATE timeline SET data = ? WHERE fact = ?",
                    (codec.dumps(codec.fields_of(entry, TIMELINE_COLUMNS)), fn),
                )
        article = self._article(n)
        for f in facts:
            f.article = article.id
        touched_series.update(c.execute("SELECT DISTINCT subject, measure FROM point WHERE article = ?", (n,)))
        c.execute("DELETE FROM point WHERE article = ?", (n,))
        c.executemany("INSERT INTO point VALUES (?, ?, ?, ?)", self._points(n, article, facts, names, touched_series))

    def _article(self, n: int) -> Article:
        aid, published, meta = self.conn.execute("SELECT id, published, meta FROM article WHERE n = ?", (n,)).fetchone()
        (text,) = self.conn.execute("SELECT text FROM article_text WHERE n = ?", (n,)).fetchone()
        return codec.make(Article, codec.loads(meta), id=aid, text=text, published=codec.parse_date(published))

    # 6. series -------------------------------------------------------------------------

    def _assemble_series(self, keys: set[tuple[str, str]]) -> None:
        c = self.conn
        for subject, measure in sorted(keys):
            points = [
                (codec.make(SeriesPoint, codec.loads(data)), n)
                for n, data in c.execute(
                    "SELECT article, data FROM point WHERE subject = ? AND measure = ?", (subject, measure)
                )
            ]
            if not points:
                c.execute("DELETE FROM series WHERE subject = ? AND measure = ?", (subject, measure))
                continue
            s = series_of((subject, measure), points)
            c.execute(
                "INSERT OR REPLACE INTO series VALUES (?, ?, ?, ?, ?)",
                (subject, measure, s.unit, len(s.points), codec.dumps([codec.fields_of(p) for p in s.points])),
            )

    def _count(self) -> None:
        c = self.conn
        for name, table in (
            ("articles", "article"),
            ("facts", "fact"),
            ("entities", "entity"),
            ("timeline", "timeline"),
        ):
            (count,) = c.execute(f"SELECT COUNT(*) FROM {table}").fetchone()
            c.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (f"count.{name}", str(count)))
