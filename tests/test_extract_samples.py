"""Extraction of the two bundled articles against hand-checked facts.

Every entity, count, date and role a careful reader lists, and exact offsets for all.
"""

from __future__ import annotations

import pytest

from pktui.text import fold
from tests.conftest import CHIEN_2025, LACROIX_2022


def facts(kb, article, kind):
    return [f for f in kb.facts_in(article) if f.kind == kind]


def entity_named(kb, name):
    for e in kb.entities:
        if e.name == name:
            return e
    for e in kb.entities:
        if fold(e.name) == fold(name) or fold(name) in {fold(a) for a in e.aliases}:
            return e
    raise AssertionError(f"no entity {name!r}; have {[e.name for e in kb.entities]}")


# -- spans ---------------------------------------------------------------------------------


def test_every_span_is_exact(sample_kb):
    for f in sample_kb.facts:
        text = sample_kb.article(f.article).text
        assert text[f.start : f.end] == f.text, f
        s, e = f.sentence
        assert (s <= f.start and f.end <= e) or f.kind == "event"
    for ent in sample_kb.entities:
        for m in ent.mentions:
            assert sample_kb.article(m.article).text[m.start : m.end] == m.text


# -- entities ------------------------------------------------------------------------------

EXPECTED_ENTITIES = {
    LACROIX_2022: [
        ("person", "Jean-Pierre Lacroix", ["Jean-Pierre Lacroix", "Lacroix"]),
        ("person", "Hoàng Kim Phụng", ["Hoàng Kim Phụng", "Phụng"]),
        ("organization", "United Nations", ["UN"]),
        (
            "organization",
            "Việt Nam Department of Peacekeeping Operations",
            ["Việt Nam Department of Peacekeeping Operations", "VDPO"],
        ),
        ("organization", "Ministry of National Defence", ["Ministry of Defence"]),
        ("organization", "Vietnam People's Army", ["Việt Nam People's Army", "VPA"]),
        ("mission", "UNISFA", ["UN Interim Security Force for Abyei", "UNISFA"]),
        (
            "event",
            "International Conference on Women with the UN Peacekeeping Operations",
            ["International Conference on Women with the UN Peacekeeping Operations"],
        ),
        ("event", "Seoul UN Peacekeeping Ministerial Meeting", ["Seoul UN Peacekeeping Ministerial Meeting"]),
        ("programme", "Women, Peace and Security", ["WPS"]),
        ("unit", "Level-2 Field Hospital", ["Level-2 Field Hospitals"]),
        ("country", "Việt Nam", ["Việt Nam", "VIETNAM"]),
        ("location", "Hà Nội", ["HÀ NỘI"]),
        ("country", "South Sudan", ["South Sudan"]),
        ("country", "Republic of Korea", ["Republic of Korea"]),
    ],
    CHIEN_2025: [
        ("person", "Hoang Xuan Chien", ["Hoang Xuan Chien", "Chien"]),
        ("person", "Jean-Pierre Lacroix", ["Jean-Pierre Lacroix", "Lacroix"]),
        ("organization", "Ministry of National Defence", ["Ministry of National Defence"]),
        ("organization", "United Nations", ["UN"]),
        ("organization", "Vietnam People's Army", ["Vietnam People’s Army"]),
        ("programme", "Peacekeeping Capability Readiness System", ["Peacekeeping Capability Readiness System", "PCRS"]),
        ("programme", "Action for Peacekeeping", ["Action for Peacekeeping", "A4P"]),
        ("programme", "Action for Peacekeeping Plus", ["A4P+"]),
        ("mission", "UNMISS", ["UNMISS", "United Nations Mission in South Sudan"]),
        ("mission", "MINUSCA", ["MINUSCA"]),
        ("mission", "UNISFA", ["UNISFA", "UN Interim Security Force for Abyei"]),
        ("unit", "Level-2 Field Hospital", ["level-2 field hospitals"]),
        ("country", "Vietnam", ["Vietnam"]),
        ("location", "Hanoi", ["Hanoi"]),
        ("country", "South Sudan", ["South Sudan"]),
        ("country", "Central African Republic", ["Central African Republic"]),
        ("location", "Abyei", ["Abyei"]),
        ("location", "New York", ["New York"]),
    ],
}


@pytest.mark.parametrize("article", [LACROIX_2022, CHIEN_2025])
def test_entities_of_each_article(sample_kb, article):
    for etype, name, mentions in EXPECTED_ENTITIES[article]:
        ent = entity_named(sample_kb, name)
        assert ent.type == etype, (name, ent.type)
        here = {m.text for m in ent.mentions if m.article == article}
        for text in mentions:
            assert text in here, (name, text, here)


def test_no_entity_outside_what_a_reader_lists(sample_kb):
    """Demonyms, titles and vague words are not entities."""
    names = {fold(e.name) for e in sample_kb.entities} | {fold(a) for e in sample_kb.entities for a in e.aliases}
    for not_entity in (
        "Vietnamese",
        "Under-Secretary-General",
        "Deputy Minister",
        "UN peacekeeping",
        "Meeting",
        "Director",
    ):
        assert fold(not_entity) not in names


def test_people_carry_rank_and_role(sample_kb):
    phung = entity_named(sample_kb, "Hoàng Kim Phụng")
    assert phung.attributes["rank"] == "Major General"
    chien = entity_named(sample_kb, "Hoàng Xuân Chiến")
    assert chien.attributes["rank"] == "Senior Lieutenant General"
    assert "Chien" in chien.aliases
    # the rank is a fact about the person, not part of the name
    assert not any("Gen" in m.text for m in chien.mentions)


def test_one_entity_across_articles(sample_kb):
    lacroix = entity_named(sample_kb, "Lacroix")
    assert lacroix.id == "person/jean-pierre-lacroix"
    assert set(lacroix.articles) == {LACROIX_2022, CHIEN_2025}
    vn = entity_named(sample_kb, "Viet Nam")
    assert vn.id == "country/viet-nam" and vn.name == "Việt Nam"
    assert {m.text for m in vn.mentions} >= {"Việt Nam", "VIETNAM", "Vietnam"}
    unisfa = entity_named(sample_kb, "UNISFA")
    assert set(unisfa.articles) == {LACROIX_2022, CHIEN_2025}


def test_the_department_refers_to_the_vdpo(sample_kb):
    vdpo = entity_named(sample_kb, "VDPO")
    assert "department" in {m.text for m in vdpo.mentions}


# -- quantities ----------------------------------------------------------------------------

EXPECTED_QUANTITIES = {
    LACROIX_2022: [
        ("more than 500 officers and soldiers", 500, "more_than", "personnel", "country/viet-nam"),
        ("four hospitals", 4, "exact", "hospital", "country/viet-nam"),
        ("252 medical staff", 252, "exact", "medical personnel", "country/viet-nam"),
        ("184 officers and soldiers", 184, "exact", "personnel", "country/viet-nam"),
        ("more than 30 per cent", 30, "more_than", "percent", None),
        ("512 Vietnamese officers and soldiers", 512, "exact", "personnel", "country/viet-nam"),
        ("more than 70", 70, "more_than", "women", "country/viet-nam"),
    ],
    CHIEN_2025: [
        ("nearly 50 years", 50, "nearly", "year", None),
        ("nearly 1,100 personnel", 1100, "nearly", "personnel", None),
        ("approximately 153 officers", 153, "approximately", "personnel", "country/viet-nam"),
        ("six level-2 field hospitals", 6, "exact", "hospital", "country/viet-nam"),
        ("three engineering teams", 3, "exact", "unit", None),
        ("over 16%", 16, "over", "percent", "country/viet-nam"),
        ("over 20%", 20, "over", "percent", None),
        ("over 15%", 15, "over", "percent", None),
    ],
}


@pytest.mark.parametrize("article", [LACROIX_2022, CHIEN_2025])
def test_quantities(sample_kb, article):
    got = facts(sample_kb, article, "quantity")
    expected = EXPECTED_QUANTITIES[article]
    assert len(got) == len(expected), [f.text for f in got]
    for (quote, value, qualifier, unit, subject), f in zip(expected, got):
        assert f.text.startswith(quote), (quote, f.text)
        assert (f.value, f.qualifier, f.unit) == (value, qualifier, unit), f
        if subject:
            assert f.entities and f.entities[0] == subject, (quote, f.entities)


def test_level_2_and_years_are_not_counts(sample_kb):
    values = [f.value for f in sample_kb.facts if f.kind == "quantity"]
    assert 2 not in values and 2014 not in values and 2018 not in values


# -- dates ---------------------------------------------------------------------------------

EXPECTED_DATES = {
    LACROIX_2022: [
        ("November 27", "2022-11-27", "day"),
        ("on Saturday", "2022-11-26", "day"),  # the article is of Sunday 2022-11-27
        ("in 2014", "2014", "year"),
        ("in September 2018", "2018-09", "month"),
        ("In 2022", "2022", "year"),
        ("last year", "2021", "year"),
    ],
    CHIEN_2025: [
        ("on June 13", "2025-06-13", "day"),
        ("2021–2023 period", "2021/2023", "range"),
        ("Since June 2014", "2014-06", "month"),
        ("since October 2018", "2018-10", "month"),
        ("Since May 2022", "2022-05", "month"),
        ("2025–2030 period", "2025/2030", "range"),
    ],
}


@pytest.mark.parametrize("article", [LACROIX_2022, CHIEN_2025])
def test_dates(sample_kb, article):
    got = facts(sample_kb, article, "date")
    expected = EXPECTED_DATES[article]
    assert len(got) == len(expected), [f.text for f in got]
    for (quote, value, precision), f in zip(expected, got):
        assert quote in f.text, (quote, f.text)
        assert (f.value, f.precision) == (value, precision), f


def test_since_marks_a_start(sample_kb):
    since = [f for f in facts(sample_kb, CHIEN_2025, "date") if f.text.lower().startswith("since")]
    assert since and all(f.detail == "since" for f in since)


# -- roles and events ------------------------------------------------------------------------


def test_roles(sample_kb):
    roles = {(f.value, f.entities[0]) for f in sample_kb.facts if f.kind == "role"}
    assert ("UN Under-Secretary-General for Peace Operations", "person/jean-pierre-lacroix") in roles
    assert ("Deputy Minister of National Defence", "person/hoang-xuan-chien") in roles
    assert any(v.startswith("Director of the department") and p == "person/hoang-kim-phung" for v, p in roles)


def test_timeline_has_the_2018_agreement_and_publications(sample_kb):
    by_date = {}
    for t in sample_kb.timeline:
        by_date.setdefault(t.date, []).append(t)
    sept = by_date["2018-09"][0]
    assert sept.precision == "month"
    assert sept.summary.startswith("Việt Nam signed the first agreement with the UN")
    assert "Level-2 Field Hospitals to South Sudan" in sept.summary
    assert "country/viet-nam" in sept.entities
    assert any(t.summary.startswith("Published") for t in by_date["2022-11-27"])
    assert any(t.summary.startswith("Published") for t in by_date["2025-06-14"])
    visit = by_date["2022-11-26"][0]
    fact = sample_kb.fact(visit.fact)
    assert "Jean-Pierre Lacroix on Saturday visited" in fact.text
    keys = [t.sort_key for t in sample_kb.timeline]
    assert keys == sorted(keys)


def test_unisfa_timeline(sample_kb):
    entries = sample_kb.timeline_for("mission/unisfa")
    assert entries and all("mission/unisfa" in t.entities for t in entries)
    assert len(entries) < len(sample_kb.timeline)
