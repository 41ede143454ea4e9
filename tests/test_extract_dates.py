"""Dates: clock times and parts of the day, "currently", the calendar's edges, the timeline's order.

Sentences are made up for these tests; each rule is checked in several shapes.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pktui.extract import extract_article
from pktui.extract.dates import in_calendar
from pktui.knowledge.build import build_knowledge
from pktui.model import Article, date_key

SUNDAY = date(2022, 11, 27)
WEDNESDAY = date(2019, 3, 6)


def dates(text: str, published: date | None) -> list[tuple[str, str]]:
    ex = extract_article(Article("a", "a.txt", text, published, "t"))
    return [(f.text, f.value) for f in ex.facts if f.kind == "date"]


def counts(text: str, published: date | None) -> list[str]:
    ex = extract_article(Article("a", "a.txt", text, published, "t"))
    return [f.text for f in ex.facts if f.kind == "quantity"]


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("The convoy left at 9am on Tuesday, officials said.", SUNDAY, [("at 9am on Tuesday", "2022-11-22")]),
        ("On Monday at 10:30 hrs the engineers reached the bridge.", WEDNESDAY, [("On Monday at 10:30 hrs", "2019-03-04")]),
        ("Shots were heard at about 11:20 pm near the camp.", SUNDAY, [("at about 11:20 pm", "2022-11-27")]),
        ("The minister arrived this morning and left this afternoon.", WEDNESDAY,
         [("this morning", "2019-03-06"), ("this afternoon", "2019-03-06")]),
        ("The base was shelled last night and again yesterday evening.", SUNDAY,
         [("last night", "2022-11-26"), ("yesterday evening", "2022-11-26")]),
        ("The medals will be presented at 8 a.m. tomorrow.", WEDNESDAY, [("at 8 a.m. tomorrow", "2019-03-07")]),
        ("Talks resumed at noon on Friday in the capital.", SUNDAY, [("at noon on Friday", "2022-11-25")]),
    ],
)  # fmt: skip
def test_clock_times_and_parts_of_the_day(text, published, expected):
    assert dates(text, published) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The mission currently deploys 1,200 troops.",
        "Currently, the hospital treats 30 patients a day.",
        "The unit is currently based in the north.",
    ],
)
def test_currently_is_the_publication_date(text):
    assert [v for t, v in dates(text, WEDNESDAY) if t.lower() == "currently"] == ["2019-03-06"]


@pytest.mark.parametrize("published", [SUNDAY, None])
@pytest.mark.parametrize(
    "text",
    [
        "The patrol returned around 2pm.",
        "At about 10.30 a.m. the convoy left.",
        "By 14:30 hrs the rain had stopped.",
        "The trucks left at 6 pm sharp.",
    ],
)
def test_a_clock_time_is_never_a_count(text, published):
    assert counts(text, published) == []


def test_a_ratio_or_a_score_is_no_clock_time():
    assert dates("The ratio was 1:10 and the final score 3:2.", SUNDAY) == []


RELATIVE = (
    "Last year the force grew. Next year it shrinks. A year ago it was small. Two years ago it was "
    "smaller. Next month the unit rotates; last month it arrived. On Saturday it rested and on Monday "
    "it will move. Tomorrow a team leaves; yesterday one came back. Next week a review starts. On "
    "December 30 and January 2 there were parades. October last year and March next year saw visits. "
    "Early next month and late last year. The camp is currently full; this morning it rained."
)


@pytest.mark.parametrize("published", [date(1, 1, 1), date(1, 1, 6), date(9999, 12, 31), date(9999, 12, 27)])
def test_dates_at_the_edges_of_the_calendar_stay_in_it(published):
    ex = extract_article(Article("a", "a.txt", RELATIVE, published, "t"))
    values = [f.value for f in ex.facts if f.kind in ("date", "event")]
    assert values, "some relative dates still resolve"
    for v in values:
        assert in_calendar(v), v


@settings(max_examples=60, deadline=None)
@given(published=st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)))
def test_every_date_value_is_in_the_calendar_for_any_publication_date(published):
    ex = extract_article(Article("a", "a.txt", RELATIVE, published, "t"))
    for f in ex.facts:
        if f.kind in ("date", "event"):
            assert in_calendar(f.value), (published, f.text, f.value)


@pytest.mark.parametrize(
    ("value", "ok"),
    [("2014", True), ("0001-01", True), ("9999-12-31", True), ("2025/2030", True), ("10000", False),
     ("-002", False), ("0000-12", False), ("10000-01", False), ("2014/10000", False), ("", False)],
)  # fmt: skip
def test_in_calendar(value, ok):
    assert in_calendar(value) is ok


def test_date_keys_order_dates_not_strings():
    values = ["2014", "999", "2014-05", "2014-05-02", "0998-12", "2013/2015", "9999-12-31"]
    assert sorted(values, key=date_key) == [
        "0998-12",
        "999",
        "2013/2015",
        "2014",
        "2014-05",
        "2014-05-02",
        "9999-12-31",
    ]
    assert date_key("not a date") > date_key("9999-12-31")


def test_the_timeline_is_sorted_by_date():
    texts = {
        "late": ("Next year the archive closes. In 2014 the force was made.", date(9998, 1, 1)),
        "early": ("In 1999 the first unit deployed.", date(2000, 1, 1)),
        "mid": ("Last year the mission began. In March 2020 it grew.", date(2021, 6, 1)),
    }
    articles = [Article(k, f"{k}.txt", t, p, k) for k, (t, p) in texts.items()]
    kb = build_knowledge(articles, {a.id: extract_article(a) for a in articles})
    keys = [date_key(t.date) for t in kb.timeline]
    assert len(keys) >= 6
    assert keys == sorted(keys)
    assert (kb.timeline[0].date, kb.timeline[-1].date) == ("1999", "9999")


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("The base will close by the end of this year.", SUNDAY, [("by the end of this year", "2022-12")]),
        ("Troops arrived at the end of last year.", WEDNESDAY, [("at the end of last year", "2018-12")]),
        ("Rations last until the end of the month.", SUNDAY, [("until the end of the month", "2022-11")]),
        ("The unit has served since the end of May.", SUNDAY, [("since the end of May", "2022-05")]),
        ("They stay until May, officials said.", SUNDAY, [("until May", "2023-05")]),
        ("The convoy left on Wednesday last week.", SUNDAY, [("on Wednesday last week", "2022-11-16")]),
        ("They will be home for Christmas.", SUNDAY, [("Christmas", "2022-12-25")]),
        ("The flag was lowered on 22/07/2017 at the base.", SUNDAY, [("22/07/2017", "2017-07-22")]),
        ("The force was set up by resolution 1990 on June 27, 2011.", SUNDAY, [("on June 27, 2011", "2011-06-27")]),
    ],
)  # fmt: skip
def test_periods_holidays_and_numeric_dates(text, published, expected):
    assert dates(text, published) == expected


@pytest.mark.parametrize(
    "text",
    ["In 2017 the unit grew; that August it moved.", "The mission began in 2015, and in June of that year it grew."],
)
def test_a_month_of_a_year_named_elsewhere_is_left_unresolved(text):
    assert all(len(v) == 4 for _t, v in dates(text, SUNDAY))
