"""The entity mentions of a stored knowledge base (one part of
:class:`~pktui.knowledge.store.reader.StoredKnowledgeBase`; its plumbing in :mod:`.reader_plumbing`)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from pktui.knowledge.source import mentions_of, owners_within
from pktui.knowledge.store import codec
from pktui.knowledge.store.codec import BadRow, Row
from pktui.knowledge.store.reader_plumbing import ReaderPart
from pktui.knowledge.store.reader_timeline import ARTICLE_ORDER
from pktui.knowledge.store.views import LazyRows, Recent
from pktui.model import LoadProblem, Mention

MENTION_SELECT = "SELECT m.start, m.end, m.entity, m.text, m.data, a.id, a.length, m.n FROM mention m JOIN article a ON a.n = m.article"


class MentionReads(ReaderPart):
    _mentions_in_cache: Recent[list[Mention]]
    _spans_cache: Recent[list[tuple[str, int, int]]]

    def _make_mention(self, row: Row) -> Mention | None:
        start, end, entity, text, data, aid, length, _n = row
        try:
            codec.check_span(start, end, length)
            if not isinstance(text, str) or len(text) != end - start:
                raise BadRow("mention text does not fit its offsets")
            if not self.entity_exists(entity):
                raise BadRow("a mention points at no entity")
            if data == "{}":  # nothing beyond the columns (most mentions)
                return Mention(aid, start, end, text, entity)
            return codec.make(Mention, codec.loads(data), article=aid, start=start, end=end, text=text, entity=entity)
        except (BadRow, TypeError) as exc:
            self._suspect(aid, str(exc))
            return None

    def mentions_in(self, article_id: str) -> list[Mention]:
        """Entity mentions of one article in text order (``Mention.entity`` is the id)."""
        got = self._mentions_in_cache.get(article_id)
        if got is None:
            rows = self._rows(f"{MENTION_SELECT} WHERE a.id = ? ORDER BY m.start, m.end, m.key", (article_id,))
            got = [m for m in map(self._make_mention, rows) if m is not None]
            self._mentions_in_cache.put(article_id, got)
        return list(got)

    def mentions_of_in(self, entity_id: str, article_id: str) -> list[Mention]:
        """An entity's mentions in one article, in text order (an entity's search hit shows one)."""
        got = self._mentions_in_cache.get(article_id)
        if got is not None:
            return mentions_of(got, entity_id)
        rows = self._rows(
            f"{MENTION_SELECT} WHERE a.id = ? AND m.entity = ? ORDER BY m.start, m.end, m.key", (article_id, entity_id)
        )
        return [m for m in map(self._make_mention, rows) if m is not None]

    def mention_owners(self, article_id: str, lo: int, hi: int) -> list[tuple[int, int, str]]:
        """(start, end, entity id) of an article's mentions that lie within ``[lo, hi)``: three
        columns of the few rows in the range (a search marks them in each hit's passage)."""
        got = self._mentions_in_cache.get(article_id)
        if got is not None:
            return owners_within(got, lo, hi)
        rows = self._rows(
            "SELECT m.start, m.end, m.entity FROM mention m JOIN article a ON a.n = m.article "
            "WHERE a.id = ? AND m.start >= ? AND m.end <= ? ORDER BY m.start, m.end, m.key",
            (article_id, lo, hi),
        )
        return [(s, e, ent) for s, e, ent in rows if self.entity_exists(ent)]

    def _mentions_of(self, entity_id: str, count: int) -> Sequence[Mention]:
        """An entity's mentions in article order: counted at once, listed when asked."""
        order = f"{ARTICLE_ORDER}, m.start, m.end, m.key"
        return LazyRows(
            lambda: self._order(
                f"SELECT m.n FROM mention m JOIN article a ON a.n = m.article WHERE m.entity = ? {order}", (entity_id,)
            ),
            self._mentions_by_n,
            length=lambda: count,
            stream=lambda: self._stream_mentions_of(entity_id, count, order),
        )

    def cached_mention_spans(self, entity_id: str) -> list[tuple[str, int, int]] | None:
        """:meth:`mention_spans` when they were read lately, else None (nothing is read)."""
        return self._spans_cache.get(entity_id)

    def mention_spans(self, entity_id: str) -> list[tuple[str, int, int]]:
        """(article id, start, end) of the entity's mentions, newest article first and in text
        order within each (the order the browser steps through them), read as three fields."""
        spans = self._spans_cache.get(entity_id)
        if spans is None:  # (a search previews the same entity at every key typed)
            # on the second connection: a country's hundred thousand never hold up the UI's reads
            spans = list(
                self._stream(
                    "SELECT a.id, m.start, m.end FROM mention m JOIN article a ON a.n = m.article WHERE m.entity = ? "
                    "ORDER BY a.undated, a.published DESC, a.id DESC, m.start, m.end",
                    (entity_id,),
                    bulk=True,
                )
            )
            self._spans_cache.put(entity_id, spans)
        return spans

    def _stream_mentions_of(self, entity_id: str, count: int, order: str) -> Iterator[Mention]:
        seen = 0
        for row in self._stream(f"{MENTION_SELECT} WHERE m.entity = ? {order}", (entity_id,)):
            seen += 1
            m = self._make_mention(row)
            if m is not None:
                yield m
        if seen != count:
            self._mentions_astray(entity_id, count, seen)

    def _mentions_astray(self, entity_id: str, count: int, seen: int) -> None:
        """An entity's mention rows are not the ones it counts: find the mentions that point at
        no entity (read by no entity, they would be left out without a word)."""
        orphans = self._rows(
            "SELECT DISTINCT a.id FROM mention m JOIN article a ON a.n = m.article "
            "WHERE NOT EXISTS (SELECT 1 FROM entity e WHERE e.id = m.entity)"
        )
        for (aid,) in orphans:
            self._suspect(aid, "a mention points at no entity")
        if not orphans:
            self.problems.append(
                LoadProblem("store", f"entity {entity_id}: {count} mentions counted, {seen} stored", skipped=False)
            )

    def _mentions_by_n(self, ns: list[int]) -> list[Mention]:
        found = {}
        for row in self._rows(f"{MENTION_SELECT} WHERE m.n IN ({','.join('?' * len(ns))})", ns):
            found[row[-1]] = self._make_mention(row) or Mention(row[5], 0, 0, "", row[2])
        return [found[n] for n in ns if n in found]
