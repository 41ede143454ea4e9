"""A country's possessive names the country, for every country and every spelling the domain
data lists, with a straight or a curly apostrophe ("Vietnam's" once failed while "Ghana's"
worked: a longer listed name starting with "Vietnam's" hid the shorter match)."""

from __future__ import annotations

from datetime import date

import pytest

from pktui.domain import load_domain
from pktui.extract import extract_article
from pktui.model import Article


def _spellings() -> list[tuple[str, str]]:
    out = []
    for entry in load_domain().entries:
        if entry.type != "country":
            continue
        for form in dict.fromkeys([entry.name, *entry.forms, *entry.acronyms]):
            if form[-1:].isalnum() and form[:1].isupper():
                out.append((entry.name, form))
    return out


SPELLINGS = _spellings()


def _countries_named(text: str) -> set[tuple[str, str]]:
    ex = extract_article(Article("a", "a.txt", text, date(2024, 5, 2), "t"))
    return {(m.text, m.entity) for m in ex.mentions if m.entity.startswith("country/")}


def test_every_country_is_checked():
    assert len({name for name, _ in SPELLINGS}) >= 190
    assert ("Việt Nam", "Vietnam") in SPELLINGS


@pytest.mark.parametrize("apostrophe", ["'", "\u2019"])
def test_the_possessive_of_every_spelling_of_every_country(apostrophe):
    missed = []
    for name, form in SPELLINGS:
        text = f"Officials praised {form}{apostrophe}s contribution to the mission."
        got = _countries_named(text)
        if not any(t == form for t, _key in got):
            missed.append((name, form, sorted(got)))
    assert not missed, f"{len(missed)} of {len(SPELLINGS)} missed: {missed[:20]}"


@pytest.mark.parametrize("apostrophe", ["'", "\u2019"])
def test_a_possessive_at_the_start_of_a_sentence_and_before_a_name(apostrophe):
    text = (
        f"Vietnam{apostrophe}s engineers arrived. Ghana{apostrophe}s battalion left. "
        f"Troops of the Philippines{apostrophe} navy and Viet Nam{apostrophe}s Ministry of National Defence agreed."
    )
    got = {t for t, _ in _countries_named(text)}
    assert {"Vietnam", "Ghana", "Philippines"} <= got
