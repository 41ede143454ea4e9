"""The timeline and the series of a stored knowledge base (one part of
:class:`~pktui.knowledge.store.reader.StoredKnowledgeBase`; its plumbing in :mod:`.reader_plumbing`)."""

from __future__ import annotations

from collections.abc import Sequence

from pktui.knowledge.store import codec
from pktui.knowledge.store.codec import BadRow, Row
from pktui.knowledge.store.reader_plumbing import ReaderPart
from pktui.knowledge.store.views import LazyRows
from pktui.model import LoadProblem, Series, SeriesPoint, TimelineEntry, date_key

ARTICLE_ORDER = "ORDER BY a.undated, a.published, a.id"
#: past this many articles without a timeline entry at their publication date, the browser
#: merges them in from every entry's date (one count a row would cost more)
FEW_MISSING = 200


def date_prefix(date: str) -> bytes:
    """The start of the timeline key (:func:`pktui.knowledge.timeline.tkey`) of every entry at
    ``date``: below it, the entries of earlier dates."""
    return b"\1".join((n + (1 << 62)).to_bytes(8, "big") for n in date_key(date))


class TimelineReads(ReaderPart):
    timeline: Sequence[TimelineEntry]

    def _make_entry(self, row: Row) -> TimelineEntry | None:
        _fact_n, data, fid, aid = row
        try:
            entry = codec.make(TimelineEntry, codec.loads(data), fact=fid, article=aid)
            if not isinstance(entry.date, str) or not all(self.entity_exists(e) for e in entry.entities):
                raise BadRow("timeline entry")
            return entry
        except (BadRow, TypeError) as exc:
            self._suspect(aid, str(exc))
            return None

    def _timeline_by_fact(self, ns: list[int]) -> list[TimelineEntry]:
        q = (
            "SELECT t.fact, t.data, f.id, a.id FROM timeline t JOIN fact f ON f.n = t.fact JOIN article a ON "
            f"a.n = t.article WHERE t.fact IN ({','.join('?' * len(ns))})"
        )
        found = {}
        for row in self._rows(q, ns):
            found[row[0]] = self._make_entry(row) or TimelineEntry(
                "", "day", row[2], "(unreadable stored entry)", [], row[3]
            )
        return [found[n] for n in ns if n in found]

    def timeline_dates(self) -> list[tuple[str, int]]:
        """(date, article number) of every timeline entry, in the order of ``timeline``: what the
        browser merges the publication dates into, without making each entry."""
        rows = self._stream(
            "SELECT json_extract(data, '$.date'), article FROM timeline ORDER BY tkey", size=8192, bulk=True
        )
        return [(d if isinstance(d, str) else "", n) for d, n in rows]

    def published_dates(self) -> list[tuple[int, str, str]]:
        """(article number, id, publication date) of every dated article, in the order of ``articles``."""
        return list(
            self._stream(f"SELECT a.n, a.id, a.published FROM article a WHERE a.undated = 0 {ARTICLE_ORDER}", bulk=True)
        )

    def publications_missing(self) -> list[tuple[int, str, str]] | None:
        """(entries before it, article id, date) of each dated article whose publication date no
        timeline entry of its own holds, oldest first: the few rows the browser merges into the
        timeline (every extracted article has its "Published" entry). None when there are many."""
        # on the second connection: these reads take seconds at 100,000 articles
        rows = list(
            self._stream(
                "SELECT a.id, a.published FROM article a WHERE a.undated = 0 AND NOT EXISTS (SELECT 1 FROM timeline t "
                f"WHERE t.article = a.n AND json_extract(t.data, '$.date') = a.published) {ARTICLE_ORDER} "
                f"LIMIT {FEW_MISSING + 1}",
                bulk=True,
            )
        )
        if len(rows) > FEW_MISSING:
            return None
        out = []
        for aid, published in sorted(rows, key=lambda r: str(r[1])):
            before = list(
                self._stream("SELECT count(*) FROM timeline WHERE tkey < ?", (date_prefix(str(published)),), bulk=True)
            )
            out.append((int(before[0][0]) if before else 0, str(aid), str(published)))
        return out

    def timeline_for(self, entity_id: str | None) -> Sequence[TimelineEntry]:
        if entity_id is None:
            return self.timeline
        return LazyRows(
            lambda: self._order(
                "SELECT t.fact FROM fact_entity fe JOIN timeline t ON t.fact = fe.fact WHERE fe.entity = ? ORDER BY t.tkey",
                (entity_id,),
            ),
            self._timeline_by_fact,
        )

    def _series_by_rowid(self, rowids: list[int]) -> list[Series]:
        q = f"SELECT rowid, subject, measure, unit, points FROM series WHERE rowid IN ({','.join('?' * len(rowids))})"
        found = {}
        for rowid, subject, measure, unit, points in self._rows(q, rowids):
            try:
                pts = [codec.make(SeriesPoint, p) for p in codec.loads(points)]
            except (BadRow, TypeError):
                self.problems.append(LoadProblem("store", f"series {subject} {measure}: stored row not trusted", False))
                pts = []
            found[rowid] = Series(subject, measure, unit, pts)
        return [found[n] for n in rowids if n in found]
