"""Classes of misses left after round six (round seven), each checked as a class: made-up
sentences of several shapes, with negative examples that guard precision."""

from __future__ import annotations

from datetime import date

import pytest

from tests.extract_support import Probe

_probe = Probe(date(2023, 9, 15))
extract, mentions, dates, counts = _probe.extract, _probe.mentions, _probe.dates, _probe.quantities


# -- units named by a lower-case unit word and a number or an ordinal ------------------------------


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("The new group, dubbed battle group 21, replaces battle group 18 in Mogadishu.", "battle group 18"),
        ("The new group, dubbed battle group 21, replaces battle group 18 in Mogadishu.", "battle group 21"),
        ("Five officers from contingent 14 returned home on Friday.", "contingent 14"),
        ("Members of contingent 7 and contingent 9 met in Harare.", "contingent 9"),
        ("The 12th contingent of the Armed Forces arrived in Beirut.", "12th contingent"),
        ("Soldiers of the 20th contingent of the National Army began their mandate.", "20th contingent"),
        ("The 30th Swisscoy contingent took over in Prizren.", "30th Swisscoy contingent"),
        ("Today the 8th Estcoy rotation hands over to its successor.", "8th Estcoy rotation"),
    ],
)
def test_a_lower_case_unit_word_with_a_number_or_an_ordinal_names_a_unit(text, unit):
    got = mentions(text)
    assert got.get(unit, "").startswith("unit/"), got


@pytest.mark.parametrize(
    "text",
    [
        "A contingent 200 strong left on Monday.",
        "The battalion 300 kilometres away was alerted.",
        "Each contingent 40 soldiers short was reinforced.",
    ],
)
def test_a_unit_word_before_a_count_is_no_designation(text):
    assert not any(k.startswith("unit/") for k in mentions(text).values()), mentions(text)
    assert counts(text), counts(text)


def test_a_numbered_unit_is_no_count():
    got = counts("Battle group 19 replaced battle group 16, and five others from contingent 22 came home.")
    assert 16 not in got.values() and 22 not in got.values(), got


def test_a_battalion_of_a_named_regiment_is_left_to_the_regiment():
    got = mentions("The 3rd battalion of the 3rd Gurkha Rifles left for Goma.")
    assert "3rd battalion" not in got, got
    got = mentions("The 1st battalion of the Royal Irish Regiment left for Goma.")
    assert "1st battalion" not in got, got


def test_a_numbered_unit_word_refers_to_the_ordinal_unit_of_the_article():
    got = mentions("The 9th rotation of the Ukrainian contingent ended. For months, rotation 9 flew tasks.")
    assert got["rotation 9"] == got["9th rotation"], got


@pytest.mark.parametrize(
    ("text", "full", "short"),
    [
        (
            "The second detachment of Malaysian Battalion 850-11 (Malbatt 850-11) left.",
            "Malaysian Battalion 850-11",
            "Malbatt 850-11",
        ),
        (
            "The troops joined Indonesian Battalion 650-3 (Indobatt 650-3) in the sector.",
            "Indonesian Battalion 650-3",
            "Indobatt 650-3",
        ),
    ],
)
def test_a_hyphenated_designation_stays_whole_and_its_bracketed_short_name_is_the_same_unit(text, full, short):
    got = mentions(text)
    assert got.get(full, "").startswith("unit/"), got
    assert got.get(short) == got[full], got


# -- "this <weekday>" told past or future by the rest of the sentence ------------------------------


@pytest.mark.parametrize(
    ("text", "quote", "value"),
    [
        # published Friday 2023-09-15
        ("Speaking in Lusaka this Thursday, the minister praised the troops.", "this Thursday", "2023-09-14"),
        ("This Tuesday, the chief inspected the camp at Wau.", "This Tuesday", "2023-09-12"),
        ("At a parade this Wednesday the officers were given their medals.", "this Wednesday", "2023-09-13"),
        ("Speaking in Lusaka this Thursday, the minister will praise the troops.", "this Thursday", "2023-09-21"),
        ("The contingent leaves this Monday for Juba.", "this Monday", "2023-09-18"),
        ("This Sunday the battalion marks its anniversary.", "This Sunday", "2023-09-17"),
    ],
)
def test_this_weekday_takes_the_tense_of_the_rest_of_its_sentence(text, quote, value):
    assert dates(text).get(quote) == value, dates(text)


# -- people after a rank: a known short name as surname, a body after "from the", speech verbs ------


@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("Under the command of Colonel Cyrus Wagner, the new contingent began its tour.", "Cyrus Wagner"),
        ("Captain Maria Hamas reported to the base at Naqoura.", "Maria Hamas"),
        ("Meanwhile, Captain Abdul Mujib Japar from the RBAF Religious Department also spoke.", "Abdul Mujib Japar"),
        ("Lieutenant Colonel Ahmed Musa of the Nigerian Army spoke at the parade.", "Ahmed Musa"),
        ("Colonel Jan Novak at the Ministry of Defence signed the order.", "Jan Novak"),
        ("The Police Commissioner-General, Godwin Matanga claimed that the officers excelled.", "Godwin Matanga"),
        ("The battalion commander, Tendai Moyo warned that the rains were coming.", "Tendai Moyo"),
    ],
)
def test_a_ranked_or_titled_name_is_one_person_and_stops_before_the_body_it_serves(text, person):
    got = mentions(text)
    assert got.get(person, "").startswith("person/"), got


@pytest.mark.parametrize(
    ("text", "body"),
    [
        (
            "Meanwhile, Captain Abdul Mujib Japar from the RBAF Religious Department also spoke.",
            "RBAF Religious Department",
        ),
        ("Lieutenant Colonel Ahmed Musa of the Nigerian Army spoke at the parade.", "Nigerian Army"),
    ],
)
def test_the_body_after_a_ranked_name_is_an_organisation_of_its_own(text, body):
    assert mentions(text).get(body, "").startswith("organization/"), mentions(text)


def test_a_known_organisation_is_still_one_when_no_rank_and_name_come_before_it():
    got = mentions("Fighters of the Wagner Group were seen near Bambari.")
    assert got.get("Wagner Group", "").startswith("organization/"), got
