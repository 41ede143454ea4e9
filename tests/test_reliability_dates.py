"""The timeline in date order, not string order (issue 20, row 4), in memory and read back from
the corpus index. Years are written with four digits, so only values whose strings sort
otherwise tell the two apart: a range starting in a year sorts with that year's start, before
its months ("2013/2015" before "2013-05"; as strings it comes after "2013-05-03")."""

from __future__ import annotations

from datetime import date

from pktui.archive import open_archive
from pktui.extract import extract_article
from pktui.knowledge.build import build_knowledge
from pktui.knowledge.timeline import timeline_order
from pktui.model import Article
from tests.conftest import write_article

TEXTS = {
    "a": ("The mission ran from 2013 to 2015. In May 2013 it grew. In 2014 it shrank.", date(2016, 1, 1)),
    "b": ("Between 2013 and 2016 the unit served. On 3 May 2013 it arrived.", date(2017, 1, 1)),
    "c": ("Next year the archive closes. Two years ago it opened.", date(9999, 6, 1)),
}


def _assert_in_date_order(timeline) -> None:
    dates = [t.date for t in timeline]
    assert {"2013/2015", "2013-05", "2013-05-03", "9997"} <= set(dates), dates
    assert list(timeline) == sorted(timeline, key=timeline_order)
    assert dates != sorted(dates)  # the data tells date order from string order
    assert dates.index("2013/2015") < dates.index("2013-05") < dates.index("2013-05-03") < dates.index("2014")
    assert dates[-2:] == ["9997", "9999-06-01"]  # next year from 9999-06-01 leaves the calendar: unresolved


def test_the_timeline_in_memory_is_in_date_order():
    articles = [Article(k, f"{k}.txt", t, p, k) for k, (t, p) in TEXTS.items()]
    kb = build_knowledge(articles, {a.id: extract_article(a) for a in articles})
    _assert_in_date_order(kb.timeline)


def test_the_timeline_read_from_the_index_is_in_date_order(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    for k, (text, published) in TEXTS.items():
        write_article(tmp_path / "corpus", f"{k}.txt", text, date=published.isoformat())
    archive = open_archive([tmp_path / "corpus"], with_search=False)
    try:
        _assert_in_date_order(list(archive.kb.timeline))
    finally:
        archive.close()
