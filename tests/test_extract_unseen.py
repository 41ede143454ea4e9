"""Extraction on articles written for these tests, in other countries' words: the rules
must generalise beyond the two bundled articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from pktui.knowledge.loader import load_knowledge

HERE = Path(__file__).parent / "articles"
GHANA = "2024-03-05-ghana-battalion-unifil"
BANGLADESH = "2023-08-21-bangladesh-engineers-minusca"


@pytest.fixture(scope="module")
def kb():
    return load_knowledge([HERE], use_cache=False)


def ents(kb, article):
    return {(e.type, e.name) for e in kb.entities if article in e.articles}


def quantities(kb, article):
    return [(f.text, f.value, f.qualifier, f.unit) for f in kb.facts_in(article) if f.kind == "quantity"]


def dates(kb, article):
    return {f.text: f.value for f in kb.facts_in(article) if f.kind == "date"}


def test_entities_found_and_typed(kb):
    got = ents(kb, GHANA)
    for expected in [
        ("country", "Ghana"),
        ("location", "Accra"),
        ("mission", "UNIFIL"),
        ("organization", "Ghana Armed Forces"),
        ("person", "Kwame Mensah Asante"),
        ("location", "Naqoura"),
        ("location", "Burma Camp"),
        ("unit", "Ghanaian Battalion 96"),
    ]:
        assert expected in got, (expected, got)
    got = ents(kb, BANGLADESH)
    for expected in [
        ("country", "Bangladesh"),
        ("country", "Central African Republic"),
        ("mission", "MINUSCA"),
        ("location", "Bangui"),
        ("location", "Dhaka"),
        ("person", "Rashid Karim"),
    ]:
        assert expected in got, (expected, got)
    assert not any(name in ("Ghanaian", "Bangladeshi", "Brigadier General") for _t, name in got)


def test_short_names_and_ranks(kb):
    asante = kb.entity("person/kwame-mensah-asante")
    assert asante.attributes["rank"] == "Brigadier General"
    assert "Asante" in {m.text for m in asante.mentions}
    role = [f for f in kb.facts_in(GHANA) if f.kind == "role"]
    assert role and role[0].value == "Ghana Armed Forces chief of staff"


def test_quantities(kb):
    assert quantities(kb, GHANA) == [
        ("875 Ghanaian soldiers", 875, "exact", "personnel"),
        ("twelve months", 12, "exact", "month"),
        ("nearly 40 per cent", 40, "nearly", "percent"),
        ("112 women", 112, "exact", "women"),
    ]
    q = quantities(kb, BANGLADESH)
    assert ("about 200 engineers", 200, "about", "personnel") in q
    assert ("more than 1,500 kilometres", 1500, "more_than", "kilometre") in q
    assert ("for a year", 1, "exact", "year") in q
    assert not any(v in (96, 2014, 1979) for _t, v, _q, _u in q + quantities(kb, GHANA))


def test_dates_resolved_by_tense(kb):
    assert dates(kb, GHANA) == {
        "March 4": "2024-03-04",
        "on Monday": "2024-03-04",  # the article is of Tuesday 2024-03-05
        "in March last year": "2023-03",
        "since 1979": "1979",
        "in September": "2024-09",  # "the next rotation is due": ahead, not behind
    }
    d = dates(kb, BANGLADESH)
    assert d["next month"] == "2023-09"
    assert d["on Sunday"] == "2023-08-20"  # "said on Sunday": the day before a Monday article
    assert d["in early September"] == "2023-09"
    assert d["Since 2014"] == "2014"


def test_timeline_summaries(kb):
    summaries = {t.date: t.summary for t in kb.timeline}
    assert summaries["1979"].startswith("Ghana has contributed troops to UNIFIL")


def test_designations_money_and_honorifics(tmp_path):
    from tests.conftest import write_article

    write_article(
        tmp_path,
        "h.txt",
        "Việt Nam's Level-2 Field Hospital No. 6 arrived in Bentiu. Mr. Nicholas Haysom thanked its staff. "
        "The road cost about $1.2 million under Resolution 2729.",
        date="2024-06-01",
    )
    kb = load_knowledge([tmp_path], use_cache=False)
    names = {(e.type, e.name) for e in kb.entities}
    assert ("unit", "Level-2 Field Hospital No. 6") in names
    haysom = kb.entity("person/nicholas-haysom")
    assert haysom is not None and "rank" not in haysom.attributes  # "Mr." is not a rank
    q = [(f.text, f.value, f.qualifier, f.unit) for f in kb.facts if f.kind == "quantity"]
    assert q == [("about $1.2 million", 1200000, "about", "money")]


def test_rwanda_article(kb):
    art = "2021-02-10-rwanda-troops-minusca"
    got = ents(kb, art)
    for expected in [
        ("organization", "Rwanda Defence Force"),
        ("organization", "The New Times"),
        ("mission", "MINUSCA"),
        ("person", "Ronald Rwivanga"),
        ("person", "Paul Kagame"),
        ("location", "Bossangoa"),
        ("location", "Kigali"),
    ]:
        assert expected in got, (expected, got)
    assert quantities(kb, art) == [
        ("350 troops", 350, "exact", "personnel"),
        ("twelve months", 12, "exact", "month"),
        ("About 1,700 Rwandan soldiers and police", 1700, "about", "personnel"),
    ]
    assert dates(kb, art) == {"on Monday": "2021-02-08", "Last December": "2020-12"}
    roles = {(f.value, f.entities[0]) for f in kb.facts_in(art) if f.kind == "role"}
    assert ("President", "person/paul-kagame") in roles


def test_engineering_rotation_article(kb):
    art = "2024-04-16-engineering-unit-rotation-2"
    got = ents(kb, art)
    for expected in [
        ("unit", "Engineering Unit Rotation 2"),
        ("unit", "Level-2 Field Hospital Rotation 6"),
        ("mission", "UNISFA"),
        ("person", "Phạm Mạnh Thắng"),
        ("organization", "Vietnam News Agency"),
        ("location", "Nội Bài International Airport"),
    ]:
        assert expected in got, (expected, got)
    assert not any(name.startswith("Members") for _t, name in got)
    thang = kb.entity("person/pham-manh-thang")
    assert thang.attributes["rank"] == "Senior Colonel" and "Thắng" in {m.text for m in thang.mentions}
    assert quantities(kb, art) == [
        ("184 officers", 184, "exact", "personnel"),
        ("29 women", 29, "exact", "women"),
        ("six months", 6, "exact", "month"),
    ]
    assert dates(kb, art) == {"on Monday": "2024-04-15", "since June 2022": "2022-06", "later this year": "2024"}


def test_two_people_sharing_a_name_and_known_names_keep_their_identity(kb):
    art = "2023-05-30-defence-minister-receives-khare"
    got = ents(kb, art)
    for expected in [
        ("person", "Phan Van Giang"),
        ("person", "Dang Hoang Giang"),
        ("person", "Atul Khare"),
        ("organization", "United Nations"),
        ("organization", "Permanent Mission of Việt Nam to the United Nations"),
        ("unit", "Level-2 Field Hospital No. 5"),
    ]:
        assert expected in got, (expected, got)
    un = kb.entity("organization/united-nations")
    assert "UN" in {m.text for m in un.mentions if m.article == art}
    giang = kb.entity("person/phan-van-giang")
    assert giang.attributes["rank"] == "General"
    assert "Giang" in {m.text for m in giang.mentions}  # "Giang said": the minister named just before
    assert quantities(kb, art) == [
        ("more than 700 officers and soldiers", 700, "more_than", "personnel"),
        ("60 female officers", 60, "exact", "women"),
    ]  # "the two sides" is no count
    assert dates(kb, art)["from May 28 to June 1"] == "2023-05-28/2023-06-01"


@pytest.mark.parametrize(
    "text,expected",
    [
        ("The talks ran from May 28 to June 1.", ("from May 28 to June 1", "2023-05-28/2023-06-01")),
        ("The exercise was held from March to May 2024.", ("from March to May 2024", "2024-03/2024-05")),
        ("It met on June 13-15, 2024 in Hanoi.", ("June 13-15, 2024", "2024-06-13/2024-06-15")),
        ("Troops served there between 2019 and 2021.", ("between 2019 and 2021", "2019/2021")),
        ("It was founded in the 1990s.", ("the 1990s", "1990/1999")),
    ],
)
def test_date_ranges(text, expected):
    from datetime import date

    from pktui.extract.dates import find_dates

    got = [(text[d.start : d.end], d.value) for d in find_dates(text, date(2023, 5, 30), [(0, len(text))])]
    assert got == [expected]
