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


MONDAY = date(2025, 6, 16)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("In 2017 the unit grew; that August it moved.", [("In 2017", "2017"), ("that August", "2017-08")]),
        ("The mission began in 2015, and in June of that year it grew.",
         [("in 2015", "2015"), ("in June of that year", "2015-06")]),
        ("The base opened in March 2010. In November of the following year it closed.",
         [("in March 2010", "2010-03"), ("In November of the following year", "2011-11")]),
        ("The convoy left on 3 May 2022. Two days later it reached Bor, and on the same day it was attacked.",
         [("on 3 May 2022", "2022-05-03"), ("Two days later", "2022-05-05"), ("on the same day", "2022-05-05")]),
        ("The company deployed in 2014. The following year it was relieved; the year before, it had trained.",
         [("in 2014", "2014"), ("The following year", "2015"), ("the year before", "2014")]),
        ("Talks opened in November 2019; a week later the first group flew out.",
         [("in November 2019", "2019-11"), ("a week later", "2019-11")]),
        ("Earlier in the day, the minister met the troops.", [("Earlier in the day", "2022-11-27")]),
        ("The medal parade was on Friday. Later in the day the unit returned to base.",
         [("on Friday", "2022-11-25"), ("Later in the day", "2022-11-25")]),
        ("In 2016 the unit won a prize. The same summer it moved north.", [("In 2016", "2016"), ("The same summer", "2016")]),
    ],
)  # fmt: skip
def test_a_date_written_against_the_date_before_it(text, expected):
    assert dates(text, SUNDAY) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The same day is never named here.",  # nothing before it
        "He said that day and night patrols had been increased.",  # "that" is no determiner here
        "The vote came the day before the election.",  # the day before something else
    ],
)
def test_no_anaphoric_date_without_a_date_before_it_or_a_clause_of_its_own(text):
    assert dates(text, SUNDAY) == []


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("The troops were attacked yesterday. The blast came around 6.30 am, local time.", SUNDAY,
         [("yesterday", "2022-11-26"), ("around 6.30 am", "2022-11-26")]),
        ("On Thursday the patrol left Gao. It was ambushed at about 11:20 pm near the river.", SUNDAY,
         [("On Thursday", "2022-11-24"), ("at about 11:20 pm", "2022-11-24")]),
        # a day long before the news is not the day of a clock time
        ("The battalion was founded on 12 March 1995. The ceremony began at 10am.", SUNDAY,
         [("on 12 March 1995", "1995-03-12"), ("at 10am", "2022-11-27")]),
    ],
)  # fmt: skip
def test_a_clock_time_alone_is_on_the_day_of_the_news_before_it(text, published, expected):
    assert dates(text, published) == expected


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        # a day of the month without its year follows the tense of its clause
        ("France launched an offensive on Jan. 11 to oust them.", date(2013, 11, 1), [("on Jan. 11", "2013-01-11")]),
        ("The rotation will begin on 20 January, the army said.", date(2023, 11, 2), [("on 20 January", "2024-01-20")]),
        ("He said the advance party would deploy on April 15.", date(2009, 3, 16), [("on April 15", "2009-04-15")]),
        ("Parliament had approved an extension until April 15.", date(2017, 3, 21), [("until April 15", "2017-04-15")]),
        ("The admiral has commanded the fleet since February.", date(2011, 9, 29), [("since February", "2011-02")]),
        # a weekday of the publication's own weekday is that day, also in the future tense
        ("The group is expected to land on Monday afternoon.", MONDAY, [("on Monday afternoon", "2025-06-16")]),
        ("The group will land next Monday.", MONDAY, [("next Monday", "2025-06-23")]),
        ("On Monday, 59 members of the army returned home.", date(2023, 12, 19), [("On Monday", "2023-12-18")]),
        # written in figures
        ("Posted 14.12.2017 13.58 by the ministry.", SUNDAY, [("14.12.2017 13.58", "2017-12-14")]),
        ("2017-03-21 15:19:21 Montevideo, March 21", date(2017, 3, 21),
         [("2017-03-21 15:19:21", "2017-03-21"), ("March 21", "2017-03-21")]),
        ("The contingent left on 1/5/2016 from Callao.", date(2016, 1, 5), [("1/5/2016", "2016-01-05")]),
        ("The contingent left on 5/1/2016 from Callao.", date(2016, 1, 5), [("5/1/2016", "2016-01-05")]),
        # the end of a year is its December; its beginning stays the year
        ("The unit stays until the end of 2020.", SUNDAY, [("until the end of 2020", "2020-12")]),
        ("Talks resumed at the beginning of 2008.", SUNDAY, [("the beginning of 2008", "2008")]),
    ],
)  # fmt: skip
def test_days_follow_tense_and_figures_are_read_either_way(text, published, expected):
    assert dates(text, published) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The exercise ran from 12-14 March 2019 in Accra.", [("from 12-14 March 2019", "2019-03-12/2019-03-14")]),
        ("Drills ran 3 to 7 June near Gao.", [("3 to 7 June", "2022-06-03/2022-06-07")]),
        ("The deployment, from March 2018 to April 2019, was long.",
         [("from March 2018 to April 2019", "2018-03/2019-04")]),
        ("The teams met on November 21 and November 28, 2019.",
         [("on November 21", "2019-11-21"), ("November 28, 2019", "2019-11-28")]),
        ("In January and February 2019, the troops trained.", [("In January", "2019-01"), ("February 2019", "2019-02")]),
        ("Officers serve between April 19 and Nov. 30 in Sinai.", [("between April 19 and Nov. 30", "2023-04-19/2023-11-30")]),
        ("The troops left mid-May.", [("mid-May", "2022-05")]),
        ("The force grew in the 1990s and early 2000s.", [("the 1990s", "1990/1999"), ("2000s", "2000/2009")]),
    ],
)  # fmt: skip
def test_ranges_and_coordinated_dates(text, expected):
    assert dates(text, SUNDAY) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Last year's budget was larger than this year's.", [("Last year", "2021"), ("this year", "2022")]),
        ("The unit marked this year's Independence Day.", [("this year", "2022")]),
        ("Next month's rotation is set.", [("Next month", "2022-12")]),
    ],
)
def test_a_relative_year_or_month_in_the_possessive(text, expected):
    assert dates(text, SUNDAY) == expected
