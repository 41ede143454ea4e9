"""The browser's big lists read from the index's rows (entity_keys, timeline_dates,
published_dates) instead of making every entity, entry and article: the rows they give are
those made the slow way, on a corpus with undated articles, ties and publication rows."""

from __future__ import annotations

from array import array
from pathlib import Path

import pytest

from pktui.archive import open_archive
from pktui.knowledge.store.views import LazyRows, Patched
from pktui.tui.panes.entities import group_entities
from pktui.tui.panes.timeline import Published, merge_published
from tests.conftest import write_article

BODIES = [
    "Ghana deployed {n} soldiers to UNIFIL. Brigadier General Kwame Asante said on Monday they were ready.",
    "Việt Nam sent {n} engineers to UNISFA in Abyei in March 2021. Lt. Gen. Hoang Xuan Chien saw them off.",
    "The ministry said nothing.",  # no dated fact: a publication row of its own
]


class Plain:
    """The same knowledge base without the index's shortcuts: entities, entries, articles made one by one."""

    def __init__(self, kb) -> None:
        self.entities = getattr(kb, "entities", [])
        self.timeline, self.articles, self.article = kb.timeline, kb.articles, kb.article


@pytest.fixture
def stored(tmp_path, cache_home):
    folder = tmp_path / "corpus"
    for i in range(14):
        date = None if i % 5 == 4 else f"2022-0{i % 3 + 1}-1{i % 2}"
        write_article(folder, f"a{i:02d}.txt", BODIES[i % 3].format(n=10 + i), date=date)
    archive = open_archive([Path(folder)], with_search=False)
    yield archive.kb
    archive.close()


def test_the_entities_grouped_from_the_index_rows_are_those_grouped_one_by_one(stored):
    assert hasattr(stored, "entity_keys")
    fast, slow = group_entities(stored), group_entities(Plain(stored))
    assert len(fast) > 5
    assert list(fast.order) == list(slow.order) and fast.groups == slow.groups and fast.row_of == slow.row_of


def test_the_timeline_merged_from_the_index_rows_is_the_one_merged_one_by_one(stored):
    assert hasattr(stored, "publications_missing") and stored.publications_missing() == []
    fast, slow = merge_published(stored), merge_published(Plain(stored))
    assert len(fast) == len(slow)
    rows = [(fast[i], slow[i]) for i in range(len(fast))]
    assert len(rows) > 10
    for a, b in rows:
        if isinstance(a, Published):
            assert isinstance(b, Published) and a.article.id == b.article.id
        else:
            assert a == b


def test_publication_rows_merge_in_from_the_index_rows_as_from_the_articles():
    """An article whose publication date no entry of its own holds gets a row of its own, before
    the entries of its day (every extracted article has its "Published" entry: made up here)."""
    from datetime import date

    from pktui.model import Article, TimelineEntry

    arts = [Article(f"a{i}", f"a{i}.txt", "x", date(2022, 1, d), f"t{i}") for i, d in enumerate((3, 1, 3, 9))]
    entries = [
        TimelineEntry("2022-01-01", "day", "f1", "Published: t1", [], "a1"),
        TimelineEntry("2022-01-03", "day", "f2", "Published: t2", [], "a2"),
        TimelineEntry("2022-01-03/2022-01-05", "day", "f3", "a range", [], "a0"),
        TimelineEntry("2022-02", "month", "f4", "a month", [], "a3"),
    ]
    number = {a.id: n for n, a in enumerate(arts)}

    class Indexed:
        timeline, articles = entries, arts

        def article(self, aid):
            return next(a for a in arts if a.id == aid)

        def timeline_dates(self):
            return [(e.date, number[e.article]) for e in entries]

        def published_dates(self):
            return [(number[a.id], a.id, a.published_iso) for a in arts]

    class Counted(Indexed):
        """As the store answers: its timeline a stored list, the few rows to merge counted, each
        with the entries before it."""

        timeline = LazyRows(lambda: array("q", range(len(entries))), lambda keys: [entries[k] for k in keys])

        def publications_missing(self):
            from pktui.model import date_key

            dated = {(e.article, e.date) for e in entries}
            missing = sorted((a.published_iso, a.id) for a in arts if (a.id, a.published_iso) not in dated)
            return [(sum(e.date_key < date_key(d) for e in entries), aid, d) for d, aid in missing]

    def ids(merged) -> list[str]:
        return [x.article.id if isinstance(x, Published) else x.fact for x in (merged[i] for i in range(len(merged)))]

    want = ["f1", "a0", "f2", "f3", "a3", "f4"]
    assert ids(merge_published(Indexed())) == ids(merge_published(Plain(Indexed()))) == want
    assert isinstance(merge_published(Counted()), Patched) and ids(merge_published(Counted())) == want
    assert list(merge_published(Counted())) == [merge_published(Counted())[i] for i in range(6)]
    assert merge_published(Counted())[-1].fact == "f4" and merge_published(Counted())[-2].article.id == "a3"


def test_the_date_prefix_is_where_a_dates_entries_start_in_the_timeline_order():
    from pktui.knowledge.store.reader_timeline import date_prefix
    from pktui.knowledge.timeline import tkey
    from pktui.model import TimelineEntry

    def key(date: str, precision: str = "day") -> bytes:
        return tkey(TimelineEntry(date, precision, "f", "s", [], "a"))

    assert key("2022-01-03").startswith(date_prefix("2022-01-03"))
    assert key("2022-01-02") < date_prefix("2022-01-03") < key("2022-01-03/2022-01-09", "range") < key("2022-01-03")
    assert key("2022-01", "month") < date_prefix("2022-01-03") and key("2021", "year") < date_prefix("2022-01-03")
    assert date_prefix("2022-01-03") < key("2022-01-04") and date_prefix("2022-01-03") < key("2023", "year")


def test_an_entitys_mentions_to_step_through_from_the_index_are_those_sorted_one_by_one(stored):
    from pktui.tui.locations import mention_steps

    assert hasattr(stored, "mention_spans")
    many = [e for e in stored.entities if len({m.article for m in e.mentions}) > 2]
    assert many, "entities named in several articles, dated and undated"
    for entity in many:
        assert mention_steps(stored, entity) == mention_steps(Plain(stored), entity)
