"""Classes of misses counted across every readable set (round nine), each checked as a class:
made-up sentences of several shapes, with negative examples that guard precision."""

from __future__ import annotations

from datetime import date

import pytest

from tests.extract_support import Probe

_probe = Probe(date(2023, 9, 15))
mentions = _probe.mentions
dates = _probe.dates


# -- a day written without its year, inside an episode narrated with its month and year ----------


@pytest.mark.parametrize(
    ("text", "quote", "value"),
    [
        (
            "In July 2003 the army said it would send a company to Bunia. The troops were inspected "
            "in Depok before their departure on July 28.",
            "on July 28",
            "2003-07-28",
        ),
        (
            "The first observers reached Cyprus on 2 March 2011. A second group followed on 19 March, with vehicles.",
            "on 19 March",
            "2011-03-19",
        ),
        (
            "In November 2015, the government approved a new battalion. Its advance party flew out on "
            "Nov. 20 and the rest a week later.",
            "on Nov. 20",
            "2015-11-20",
        ),
    ],
)
def test_a_yearless_day_takes_the_year_of_the_narrated_month(text, quote, value):
    got = dates(text)
    assert got.get(quote) == value, got


def test_an_anaphor_after_it_follows_the_episode_year():
    got = dates(
        "In July 2003 the army said it would deploy. The troops left on July 28, having finished "
        "their training the year before."
    )
    assert got.get("the year before") == "2002", got


@pytest.mark.parametrize(
    ("text", "quote", "value"),
    [
        # a state that began then, not an episode told: the day is this year's
        (
            "He has served as force commander since January 2018. On January 8, new officers joined.",
            "On January 8",
            "2019-01-08",
        ),
        # another month: the publication's year stands
        (
            "In July 2003 the army sent a company. The minister visited the camp on September 3.",
            "on September 3",
            "2023-09-03",
        ),
        # a relative year is no written episode
        (
            "The law took effect in March last year. The withdrawal was announced on March 10.",
            "on March 10",
            "2023-03-10",
        ),
    ],
)
def test_other_yearless_days_keep_the_publication_year(text, quote, value):
    probe = Probe(date(2019, 1, 10)) if "2018" in text else _probe
    got = probe.dates(text)
    assert got.get(quote) == value, got


# -- a body's short name used again on its own -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "full", "short"),
    [
        (
            "Sri Lankan Force Protection Unit (SLFPU) serving in Lebanon was honoured. Since the "
            "inception of SLFPU, the army has sent 12 contingents.",
            "Sri Lankan Force Protection Unit",
            "SLFPU",
        ),
        (
            "The Ghana Battalion (GHANBATT) 9 held its parade in Bentiu. Troops of UNMISS GHANBATT 9 earned the medal.",
            "Ghana Battalion (GHANBATT) 9",
            "GHANBATT 9",
        ),
        (
            "The Kenya Quick Reaction Company (KENQRC) reached Goma. Officers said KENQRC would patrol the road.",
            "Kenya Quick Reaction Company",
            "KENQRC",
        ),
    ],
)
def test_a_short_name_used_again_is_the_same_body(text, full, short):
    got = mentions(text)
    assert full in got and short in got, got
    assert got[full] == got[short], got


def test_a_numbered_units_bare_short_name_stays_the_contingent_at_large():
    got = mentions(
        "The Ghana Battalion (GHANBATT) 9 held its parade in Bentiu. Maj Gen Chowdhury praised GHANBATT "
        "for its patrols since 2006."
    )
    assert got.get("GHANBATT") != got.get("Ghana Battalion (GHANBATT) 9"), got
