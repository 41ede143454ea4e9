"""Classes of misses left after round five (round six), each checked as a class: made-up
sentences of several shapes, with negative examples that guard precision."""

from __future__ import annotations

from datetime import date

import pytest

from tests.extract_support import Probe

_probe = Probe(date(2023, 9, 12))
extract, mentions, dates, counts = _probe.extract, _probe.mentions, _probe.dates, _probe.quantities


# -- ranges joined by "and" or "to" ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "low_quote", "low", "high"),
    [
        ("Between two and five Navy servicemen will serve there.", "two", 2, 5),
        ("An advance party of between 100 to 115 soldiers would leave.", "100", 100, 115),
        ("The unit will grow to between 200 and 300 troops next year.", "200", 200, 300),
        ("Between 40 and 60 per cent of the staff are women.", "40", 40, 60),
        ("The mission costs SEK 800 and 900 million a year.", "SEK 800", 800_000_000, 900_000_000),
    ],
)
def test_the_first_number_of_a_range_joined_by_and_or_to_counts_what_the_second_counts(text, low_quote, low, high):
    got = counts(text)
    assert got.get(low_quote) == low, got
    assert high in got.values(), got


@pytest.mark.parametrize(
    "text",
    [
        "Between 2010 and 2015 the force grew.",  # years
        "They met between 10 and 11 am on Monday.",  # clock times
        "She paid $5 and $6 for the meals.",  # two amounts, each its own
    ],
)
def test_years_clock_times_and_separate_amounts_are_no_range(text):
    got = counts(text)
    assert 2010 not in got.values() and 10 not in got.values(), got
    if "$5" in text:
        assert got.get("$5") == 5 and got.get("$6") == 6, got


# -- occurrences: "three times" ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Peacekeepers there have been taken hostage three times.", 3),
        ("The camp was attacked four times since 2012.", 4),
        ("The mandate has been renewed six times, most recently in May.", 6),
        ("The base was shelled 2 times during the night.", 2),
    ],
)
def test_times_at_the_end_of_its_clause_counts_occurrences(text, value):
    assert value in counts(text).values(), counts(text)


@pytest.mark.parametrize(
    "text",
    [
        "The force is three times larger than in 2010.",
        "The new camp is five times the size of the old one.",
        "Prices went up 3 times more than expected.",
    ],
)
def test_times_before_a_comparison_is_a_multiplier_not_a_count(text):
    assert counts(text) == {}


# -- the Security Council in a resolution reference ---------------------------------------------


@pytest.mark.parametrize(
    ("text", "council"),
    [
        (
            "The contingent operates under the UN Security Council Resolution 1701 and is led by Italy.",
            "UN Security Council",
        ),
        (
            "Women serve, as affirmed by United Nations Security Council Resolution (UNSCR) 1325.",
            "United Nations Security Council",
        ),
        ("The mandate comes from UN Security Council Resolution No. 2100, adopted in April.", "UN Security Council"),
        ("Under Security Council Resolution 2149 (2014) the mission was set up.", "Security Council"),
    ],
)
def test_the_council_in_a_resolution_reference_is_the_organisation(text, council):
    got = mentions(text)
    assert got.get(council) == "organization/united-nations-security-council", got


@pytest.mark.parametrize(
    "text",
    [
        "Women serve, as affirmed by United Nations Security Council Resolution (UNSCR) 1325.",
        "The Security Council Resolution (UNSCR) 2250 was adopted in 2015.",
    ],
)
def test_a_resolutions_bracketed_acronym_is_no_body(text):
    assert "UNSCR" not in mentions(text)


def test_a_bracketed_acronym_after_a_body_still_defines_it():
    got = mentions("He joined the Department of Peace Operations (DPO) in 2019.")
    assert got.get("DPO") == got.get("Department of Peace Operations") is not None, got


# -- a place named by the place word after it, also past an adjective ------------------------------


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("The troops flew out after a ceremony at Yerevan's Zvartnots airport on Wednesday night.", "Zvartnots"),
        ("On Monday, July 20, Shamaa military base was the venue of a handover ceremony.", "Shamaa"),
        ("The helicopters moved from Kavumu air base to the east.", "Kavumu"),
        ("Soldiers from Kilbride barracks paraded through the town.", "Kilbride"),
    ],
)
def test_a_name_before_a_place_word_is_a_place(text, place):
    assert mentions(text).get(place, "").startswith("location/"), mentions(text)


@pytest.mark.parametrize(
    "text",
    ["The United Nations military base was shelled.", "The Irish army camp was quiet at night."],
)
def test_a_body_or_a_demonym_before_a_place_word_stays_what_it_is(text):
    got = mentions(text)
    assert not any(v.startswith("location/") for v in got.values()), got


# -- contingent short names: platoons, contingents, squadrons; a number joined by a hyphen -------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("ESTPLA-25, the next contingent of peacekeepers, arrived on Wednesday.", "ESTPLA-25"),
        ("The platoon ESTPLA-23 is based at a post near the line.", "ESTPLA-23"),
        ("Infantry company Estcoy-1 served there in 1996.", "Estcoy-1"),
        ("The 135-member BANCON-8 left Chittagong on Tuesday.", "BANCON-8"),
        ("The HUNCON rotation arrived in Famagusta.", "HUNCON"),
    ],
)
def test_contingent_short_names_with_platoon_contingent_endings_are_units(text, name):
    assert mentions(text).get(name, "").startswith("unit/"), mentions(text)


@pytest.mark.parametrize(
    "text",
    ["The Falcon 9 rocket flew from the coast.", "The RECON team left early.", "A new icon-1 badge was issued."],
)
def test_words_that_only_end_like_a_contingent_are_no_units(text):
    assert not any(v.startswith("unit/") for v in mentions(text).values()), mentions(text)


# -- dates: plans reported with "would", weekends, "October of this year" -------------------------


@pytest.mark.parametrize(
    ("text", "quote", "value"),
    [
        ("He told reporters on Thursday that an advance party would leave on Saturday.", "on Saturday", "2004-01-17"),
        ("The minister said the troops would arrive on Monday.", "on Monday", "2004-01-19"),
        ("The contingent was to fly out on Sunday, officials said.", "on Sunday", "2004-01-18"),
        ("The ceremony was held on Monday.", "on Monday", "2004-01-12"),  # no plan: the last one
        ("He said on Tuesday he would step down.", "on Tuesday", "2004-01-13"),  # the saying is past
    ],
)
def test_a_weekday_in_a_plan_reported_with_would_looks_ahead(text, quote, value):
    assert dates(text, date(2004, 1, 15)).get(quote) == value  # a Thursday


@pytest.mark.parametrize(
    ("text", "published", "quote", "value"),
    [
        (
            "An advance unit will be deployed at the weekend.",
            date(2004, 1, 15),
            "at the weekend",
            "2004-01-17/2004-01-18",
        ),
        ("The troops left at the weekend.", date(2004, 1, 15), "at the weekend", "2004-01-10/2004-01-11"),
        ("Fighting broke out last weekend.", date(2004, 1, 15), "last weekend", "2004-01-10/2004-01-11"),
        ("Clashes over the weekend killed four.", date(2004, 1, 19), "over the weekend", "2004-01-17/2004-01-18"),
        ("The rally is planned for next weekend.", date(2004, 1, 17), "next weekend", "2004-01-24/2004-01-25"),
        ("They will leave this weekend.", date(2004, 1, 15), "this weekend", "2004-01-17/2004-01-18"),
    ],
)
def test_a_weekend_is_its_saturday_and_sunday(text, published, quote, value):
    assert dates(text, published).get(quote) == value


def test_a_weekend_word_in_a_compound_is_no_date():
    assert dates("A weekend-long visit ended.") == {}


@pytest.mark.parametrize(
    ("text", "quote", "value"),
    [
        ("He will lead the force until October of this year.", "until October of this year", "2018-10"),
        ("In March of last year the camp was attacked.", "In March of last year", "2017-03"),
        ("The next rotation is due in January of next year.", "in January of next year", "2019-01"),
    ],
)
def test_a_month_of_this_last_or_next_year_is_one_date(text, quote, value):
    got = dates(text, date(2018, 5, 2))
    assert got.get(quote) == value and len(got) == 1, got


# -- a person's surname that a town list also holds ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "surname", "person"),
    [
        (
            "Deputy Mauricio Oliva said the vote was unanimous. They will stay a year in Haiti, Oliva, deputy of the party said.",
            "Oliva",
            "person/mauricio-oliva",
        ),
        (
            "Colonel Pedro Gandia led the convoy. It reached Juba, Gandia, its commander, told reporters.",
            "Gandia",
            "person/pedro-gandia",
        ),
    ],
)
def test_a_surname_after_a_place_list_is_the_person_not_a_town(text, surname, person):
    assert mentions(text).get(surname) == person, mentions(text)


def test_a_town_after_a_place_word_stays_a_town_even_when_someone_bears_its_name():
    result = extract("Colonel Ama Tema spoke first. Troops in Tema and Accra were briefed.")
    assert [m.entity for m in result.mentions if m.text == "Tema"] == ["location/tema"]


# -- ranks joined by a hyphen; numbered parts of an area -------------------------------------------


@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("He took over the contingent from Lt.-Col. Péter Lukács in May.", "Péter Lukács"),
        ("They met Maj.-Gen. John Mensah at the base.", "John Mensah"),
        ("The guests included Brig.-Gen. Ama Owusu.", "Ama Owusu"),
    ],
)
def test_two_rank_abbreviations_joined_by_a_hyphen_are_one_rank(text, person):
    got = mentions(text)
    assert got.get(person, "").startswith("person/") and set(got) == {person}, got


@pytest.mark.parametrize(
    "text",
    [
        "The ambassadors of the nations serving in Sector 4 attended.",
        "The platoon is at Position 2-45 near the line.",
        "They stayed in Zone 3 for a week.",
    ],
)
def test_a_numbered_part_of_an_area_is_no_place_name(text):
    assert mentions(text) == {}


def test_a_named_sector_and_a_town_before_a_number_stay_places():
    got = mentions("The team in Sector West near Tyre moved to Bunia 2 days ago.")
    assert {"Sector West", "Tyre", "Bunia"} <= set(got), got


# -- a demonym + unit head named by its bracketed short name; long names with particles ---------


@pytest.mark.parametrize(
    ("text", "unit", "short"),
    [
        ("Indian Battalion (INDBATT) troops in Malakal received the medal.", "Indian Battalion", "INDBATT"),
        ("The Nepalese Battalion (NEPBATT 2) took over the sector.", "Nepalese Battalion", "NEPBATT 2"),
        ("The Rwandan Battalion (RWANBATT-3) patrolled the town.", "Rwandan Battalion", "RWANBATT-3"),
    ],
)
def test_a_demonym_unit_with_its_short_name_in_brackets_is_that_unit(text, unit, short):
    got = mentions(text)
    assert got.get(unit, "").startswith("unit/") and got.get(short) == got.get(unit), got


def test_a_demonym_unit_alone_stays_a_description():
    assert mentions("The Rwandan Battalion patrolled the town.") == {}


@pytest.mark.parametrize(
    "name",
    ["Marcos de Sa Affonso da Costa", "Carlos Alberto dos Santos Cruz", "Muhammad bin Abdullah"],
)
def test_a_ranked_name_with_particles_is_one_person(name):
    got = mentions(f"The Force Commander, Lieutenant General {name}, decorated the troops.")
    assert got.get(name, "").startswith("person/"), got


def test_particles_do_not_join_two_places():
    got = mentions("Troops from Rio de Janeiro and Santos left on Monday.")
    assert got.get("Rio de Janeiro", "").startswith("location/") and got.get("Santos", "").startswith("location/"), got


# -- ordinal units: a mission's acronym inside; a shorter reference to the fuller name ------------


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        (
            "In September the 32nd UNFICYP Hungarian contingent arrived on the island.",
            "32nd UNFICYP Hungarian contingent",
        ),
        ("The 12th MINUSCA Rwandan battalion left Kigali on Monday.", "12th MINUSCA Rwandan battalion"),
    ],
)
def test_an_ordinal_unit_may_carry_its_missions_acronym(text, unit):
    assert mentions(text).get(unit, "").startswith("unit/"), mentions(text)


def test_an_ordinal_unit_without_its_demonym_is_the_fuller_one_named_in_the_article():
    got = mentions(
        "Cameroon sent its 7th contingent of 280 officers. They are the 7th Cameroonian contingent to serve."
    )
    assert got["7th contingent"] == got["7th Cameroonian contingent"], got


def test_an_ordinal_unit_stays_apart_when_two_fuller_ones_share_its_ordinal():
    got = mentions("The 7th Nepalese contingent and the 7th Indian contingent met. The 7th contingent left.")
    assert len({got["7th contingent"], got["7th Nepalese contingent"], got["7th Indian contingent"]}) == 3, got


# -- counts in a list whose noun is left out -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "quote", "value"),
    [
        ("Up to three servicemen will serve in Lebanon, up to five in the Western Sahara.", "up to five", 5),
        ("Up to three servicemen serve in Lebanon and up to nine in India.", "up to nine", 9),
        ("About twenty officers went to Goma, and nearly forty from Beni stayed.", "nearly forty", 40),
    ],
)
def test_a_qualified_number_word_in_a_list_counts_with_its_noun_left_out(text, quote, value):
    assert counts(text).get(quote) == value, counts(text)


def test_a_qualified_number_word_alone_is_no_count():
    assert counts("He woke at about two in the morning.") == {}


# -- year ranges after a preposition; clock times after a date line; "the 5th of this month" -------


@pytest.mark.parametrize(
    ("text", "quote", "value"),
    [
        ("He was appointed in 2019-20.", "in 2019-20", "2019/2020"),
        ("The force grew during 2019-2020.", "during 2019-2020", "2019/2020"),
        ("The unit has served since 2015-2016.", "since 2015-2016", "2015/2016"),
        ("In the 2015/16 season they served.", "In the 2015/16", "2015/2016"),
        ("The plan holds in 2023 and 2024.", "in 2023 and 2024", "2023/2024"),
    ],
)
def test_a_year_range_after_a_preposition_is_one_range(text, quote, value):
    assert dates(text).get(quote) == value, dates(text)


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("They served in 2010 and 2012 rotations.", {"2010", "2012"}),
        ("The 2010 and 2012 elections were calm.", {"2010", "2012"}),
        ("The report 2019/06 was filed.", {"2019"}),
    ],
)
def test_two_years_that_are_no_range_stay_apart(text, years):
    assert set(dates(text).values()) == years, dates(text)


@pytest.mark.parametrize(
    "text",
    ["Updated: October 7, 2021 / 09:12 PM IST", "October 7, 2021 - 09:04 UTC", "October 7, 2021 | 9:12 pm"],
)
def test_a_clock_time_after_a_date_line_separator_is_that_day(text):
    got = dates(text, date(2021, 10, 8))
    assert list(got.values()) == ["2021-10-07"], got


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The ceremony on the 5th of this month was colourful.", "2021-10-05"),
        ("On the 28th of last month, the unit left.", "2021-09-28"),
        ("They will leave on the 2nd of next month.", "2021-11-02"),
    ],
)
def test_a_day_of_this_last_or_next_month(text, value):
    got = dates(text, date(2021, 10, 7))
    assert list(got.values()) == [value], got


# -- a currency code before an amount is no body ----------------------------------------------------


@pytest.mark.parametrize("text", ["The unit costs SEK 800 million a year.", "A grant of USD 5 million was made."])
def test_a_currency_code_before_an_amount_is_no_organisation(text):
    assert mentions(text) == {}


def test_acronyms_of_bodies_stay_bodies():
    got = mentions("The UNDP and UNICEF signed the plan.")
    assert got.get("UNDP", "").startswith("organization/") and got.get("UNICEF", "").startswith("organization/"), got


# -- "at the" before a named body; a country's mission to the UN -----------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Signing of the Letter of Intent at the Norwegian Mission to the UN.", "Norwegian Mission to the UN"),
        ("The Code of Conduct at the Ghana Armed Forces Staff College is strict.", "Ghana Armed Forces Staff College"),
        ("The Language Lab at the Air Force Officers Training School opened.", "Air Force Officers Training School"),
    ],
)
def test_at_the_cuts_a_phrase_from_the_named_body_after_it(text, name):
    got = mentions(text)
    assert name in got and not any(" at the " in m for m in got), got


@pytest.mark.parametrize(
    "text",
    [
        "Signing of the Letter of Intent at the Norwegian Mission to the UN.",
        "The Permanent Mission of Ghana to the United Nations hosted the event.",
    ],
)
def test_a_countrys_mission_to_the_un_is_one_body(text):
    got = mentions(text)
    assert [v for v in got.values() if v.startswith("organization/")] and not any(
        v.startswith("mission/") for v in got.values()
    ), got


def test_a_unit_to_a_peacekeeping_mission_is_still_cut():
    got = mentions("The Ethiopian Infantry Battalion to UNAMID arrived.")
    assert got.get("UNAMID") == "mission/unamid" and "Ethiopian Infantry Battalion" in got, got


# -- "residents of X", "people of X": a place ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Residents of Mikenge welcomed the peacekeepers.", "Mikenge"),
        ("People of Nyamilima gathered at the base.", "Nyamilima"),
        ("They met the inhabitants of Kalehe on Monday.", "Kalehe"),
    ],
)
def test_a_name_after_residents_of_is_a_place(text, place):
    assert mentions(text).get(place, "").startswith("location/"), mentions(text)


def test_members_of_a_body_are_no_place():
    assert not any(v.startswith("location/") for v in mentions("Members of Parliament spoke.").values())


@pytest.mark.parametrize(
    ("text", "quote", "value"),
    [
        ("The troops have been in the area since the start of the year.", "since the start of the year", "2021-01"),
        ("At the start of this month the unit moved.", "At the start of this month", "2021-10"),
    ],
)
def test_the_start_of_a_year_or_month_is_its_beginning(text, quote, value):
    assert dates(text, date(2021, 10, 7)).get(quote) == value


def test_a_weekend_named_by_its_days_is_those_days():
    got = dates("Over the weekend of 2-3 October, the troops were deployed.", date(2021, 10, 7))
    assert got == {"2-3 October": "2021-10-02/2021-10-03"}, got


# -- a service after a country's possessive is that country's ---------------------------------------


@pytest.mark.parametrize(
    ("text", "service", "key"),
    [
        ("The ceremony was presided over by Niger's Army boss, Gen. Seyni Garba.", "Army", "organization/niger-army"),
        ("Kenya's Navy sent two ships.", "Navy", "organization/kenya-navy"),
        ("Peru's Air Force flew them out.", "Air Force", "organization/peru-air-force"),
    ],
)
def test_a_service_after_a_countrys_possessive_is_that_countrys(text, service, key):
    assert mentions(text).get(service) == key, mentions(text)


def test_two_countries_air_forces_are_two_bodies():
    got = mentions("Peru's Air Force and Chile's Air Force flew together.")
    assert [
        m.entity
        for m in extract("Peru's Air Force and Chile's Air Force flew together.").mentions
        if m.text == "Air Force"
    ] == [
        "organization/peru-air-force",
        "organization/chile-air-force",
    ], got


# -- a capital "The" after a dateline opens the sentence, it is no part of a name ---------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Nov 17, 2017 – The Nepali Formed Police Unit serving in Juba has been awarded.", "Nepali Formed Police Unit"),
        ("JUBA, 5 May (Xinhua): The Kenya Defence Forces sent troops.", "Kenya Defence Forces"),
    ],
)
def test_the_after_a_dateline_opens_the_sentence(text, name):
    got = mentions(text)
    assert name in got and not any(m.startswith("The ") for m in got), got


@pytest.mark.parametrize(
    "text", ["Editor's note: The New Times reported the story.", "He told The New Times on Monday."]
)
def test_a_capital_the_inside_a_papers_name_stays(text):
    assert "The New Times" in mentions(text)


# -- people: a title after the name and a comma; ranks before coordinated names of a body ------------


@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("At the send-off, Ke Kim Yan, Commander-in-Chief of the Royal Armed Forces, spoke.", "Ke Kim Yan"),
        ("Sok Dara Lim, Deputy Defence Minister, attended the ceremony.", "Sok Dara Lim"),
    ],
)
def test_a_name_before_a_title_after_a_comma_is_a_person(text, person):
    assert mentions(text).get(person, "").startswith("person/"), mentions(text)


def test_a_place_before_a_title_after_a_comma_stays_a_place():
    got = mentions("Bor Town, Head of the Office, spoke.")
    assert not any(v.startswith("person/") for v in got.values()), got


def test_a_plural_rank_before_two_names_of_a_body():
    got = mentions("They honoured Constables Motaher Hosen and Rafiq Islam of Bangladesh Police.")
    assert got.get("Motaher Hosen", "").startswith("person/") and got.get("Rafiq Islam", "").startswith("person/"), got
    assert got.get("Bangladesh Police", "").startswith("organization/"), got


def test_wa_is_a_name_particle():
    got = mentions("Colonel Kamau wa Njoroge spoke at the parade.")
    assert got.get("Kamau wa Njoroge", "").startswith("person/"), got
