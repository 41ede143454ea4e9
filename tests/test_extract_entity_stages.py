"""Entity finding stage by stage: candidates (runs), typing (classify), resolution (resolve),
each run alone on a prepared article state."""

from __future__ import annotations

from pktui.extract.entities import find_entities
from pktui.extract.entities.acronyms import acronym_definitions, initials_match
from pktui.extract.entities.candidates import find_runs, mark_ranks_and_titles, numbered_units, split_run
from pktui.extract.entities.classify import type_run
from pktui.extract.entities.cues import looks_like_person
from pktui.extract.entities.resolve import short_references
from pktui.extract.entities.state import ArticleState
from pktui.extract.tokens import tokenize
from pktui.textsplit import sentence_spans


def _state(text: str) -> tuple[ArticleState, dict]:
    tokens = tokenize(text)
    starts = set()
    for s, _e in sentence_spans(text):
        starts.add(next(i for i, t in enumerate(tokens) if t.start >= s))
    art = ArticleState(text, tokens, starts)
    matches = art.gaz.find(text, tokens)
    numbered_units(art)
    mark_ranks_and_titles(art, matches)
    gaz_at = {m.first: m for m in matches if not any(art.taken[m.first : m.last + 1])}
    art.gaz_at = gaz_at
    return art, gaz_at


def _texts(art: ArticleState, runs: list[list[int]]) -> list[str]:
    return [art.text[art.tokens[r[0]].start : art.tokens[r[-1]].end] for r in runs]


# -- candidates -----------------------------------------------------------------------------


def test_runs_are_capitalised_words_with_their_connectors():
    art, gaz_at = _state("Officials of the Ministry of National Defence met Amara Diallo in the morning.")
    runs = _texts(art, find_runs(art, gaz_at))
    assert runs[0].endswith("Ministry of National Defence")  # the sentence's opening words are trimmed when typed
    assert runs[1] == "Amara Diallo"


def test_a_run_of_two_names_is_cut_at_the_connector():
    art, gaz_at = _state("They met at Kofi Barracks in Tamale and left.")
    assert {"Kofi Barracks", "Tamale"} <= set(_texts(art, find_runs(art, gaz_at)))
    whole = [k for k, t in enumerate(art.tokens) if t.text in ("Kofi", "Barracks", "in", "Tamale")]
    assert _texts(art, split_run(art, whole, gaz_at)) == ["Kofi Barracks", "Tamale"]


def test_ranks_are_marked_and_not_part_of_runs():
    art, gaz_at = _state("Lt Col Amara Diallo spoke.")
    assert art.ranks and art.text[art.ranks[0][0] : art.ranks[0][1]] == "Lt Col"
    assert _texts(art, find_runs(art, gaz_at)) == ["Amara Diallo"]


def test_numbered_units_are_taken_before_runs():
    art, _ = _state("The 27th Mechanised Battalion left.")
    assert [(f.name, f.type) for f in art.found] == [("27th Mechanised Battalion", "unit")]


# -- typing -----------------------------------------------------------------------------------


def test_a_run_is_typed_by_its_head_word():
    art, gaz_at = _state("The Kilimanjaro Logistics Battalion moved.")
    for run in find_runs(art, gaz_at):
        type_run(art, run, gaz_at)
    assert [(f.name, f.type, f.why) for f in art.found] == [
        ("Kilimanjaro Logistics Battalion", "unit", "head word: Battalion")
    ]


def test_a_known_name_takes_the_gazetteer_type():
    art, gaz_at = _state("UNMISS troops patrolled.")
    for run in find_runs(art, gaz_at):
        type_run(art, run, gaz_at)
    assert [(f.type, f.why) for f in art.found] == [("mission", "gazetteer: missions")]


def test_a_person_is_recognised_with_its_reason():
    art, gaz_at = _state("Col. Amara Diallo arrived.")
    run = find_runs(art, gaz_at)[0]
    assert looks_like_person(art, run, ranked=True) == "rank before name"


# -- resolution --------------------------------------------------------------------------------


def test_a_short_reference_joins_the_full_name():
    art, gaz_at = _state("Col. Amara Diallo arrived. Diallo said the road was open.")
    for run in find_runs(art, gaz_at):
        type_run(art, run, gaz_at)
    short_references(art)
    diallo = [f for f in art.found if art.text[f.start : f.end] == "Diallo"]
    assert diallo and diallo[0].key == "person/amara-diallo"


def test_an_acronym_defined_in_brackets_joins_its_name():
    art, gaz_at = _state("The Regional Support Office (RSO) opened. The RSO grew.")
    for run in find_runs(art, gaz_at):
        type_run(art, run, gaz_at)
    acronym_definitions(art)
    keys = {art.text[f.start : f.end]: f.key for f in art.found}
    assert keys["RSO"] == keys["Regional Support Office"]
    assert initials_match("A4P", "Action for Peacekeeping")
    assert not initials_match("XYZ", "Action for Peacekeeping")


def test_the_entry_point_runs_every_stage():
    text = "Col. Amara Diallo of the 3rd Engineer Company (EC) met UNMISS staff. Diallo thanked the company."
    tokens = tokenize(text)
    result = find_entities(text, tokens, {0})
    got = {(text[m.start : m.end], m.key) for m in result.mentions}
    assert ("Diallo", "person/amara-diallo") in got
    assert ("3rd Engineer Company", "unit/3rd-engineer-company") in got
    assert all(m.why for m in result.mentions)
