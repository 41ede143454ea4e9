"""Named entities of one article: find, type and resolve them within the article.

Three stages, each a module: ``candidates`` (numbered units, ranks and titles, capitalised
runs and known names), ``classify`` (the type of each run: gazetteer, head word, name lists,
rank, context) and ``resolve`` (designations, short references, acronyms defined in
brackets, shortened names). Every mention says which rule or list found it (``Found.why``).
"""

from __future__ import annotations

from pktui.extract.entities.acronyms import (
    acronym_definitions,
    alias_references,
    ambiguous_acronyms,
    bracketed_unit_names,
    cut_short_known_names,
)
from pktui.extract.entities.candidates import (
    contingent_names,
    described_units,
    find_runs,
    joined_agency_tags,
    mark_ranks_and_titles,
    numbered_units,
)
from pktui.extract.entities.classify import type_run
from pktui.extract.entities.countries import other_countries_bodies, possessive_services
from pktui.extract.entities.resolve import (
    coordinated_people,
    demonym_variants,
    designations,
    finalise,
    place_lists,
    place_short_names,
    short_references,
    spelled_acronyms,
    the_references,
)
from pktui.extract.entities.state import ArticleState, EntityResult, Found
from pktui.extract.entities.unitwords import (
    numbered_unit_references,
    numbered_unit_words,
    ordinal_unit_references,
    ordinal_units,
)
from pktui.extract.gazetteer import GazMatch
from pktui.extract.tokens import Token

__all__ = ["EntityResult", "Found", "find_entities"]


def find_entities(text: str, tokens: list[Token], sentence_starts: set[int]) -> EntityResult:
    art = ArticleState(text, tokens, sentence_starts)
    gaz_matches = other_countries_bodies(art, art.gaz.find(text, tokens))
    numbered_units(art)
    described_units(art, gaz_matches)
    ordinal_units(art)
    numbered_unit_words(art)
    contingent_names(art)
    joined_agency_tags(art)
    mark_ranks_and_titles(art, gaz_matches)
    gaz_at = {
        m.first: m for m in gaz_matches if not any(art.taken[m.first : m.last + 1]) and not _surname_after_rank(art, m)
    }
    art.gaz_at = gaz_at
    for run in find_runs(art, gaz_at):
        type_run(art, run, gaz_at)
    possessive_services(art)
    acronym_definitions(art)
    ambiguous_acronyms(art)
    designations(art)
    bracketed_unit_names(art)
    alias_references(art)
    short_references(art)
    place_lists(art)
    coordinated_people(art)
    spelled_acronyms(art)
    cut_short_known_names(art)
    the_references(art)
    ordinal_unit_references(art)
    numbered_unit_references(art)
    demonym_variants(art)
    place_short_names(art)
    mentions = finalise(art)
    return EntityResult(mentions, art.title_spans, art.ranks)


def _surname_after_rank(art: ArticleState, m: GazMatch) -> bool:
    """ "Colonel Cyrus Wagner": one known word (an organisation's short name) right after a rank and a
    given name is the person's surname."""
    i = m.first
    prev = art.tokens[i - 1] if i > 0 else None
    return (
        m.first == m.last
        and m.entry.type not in ("person", "country")
        and prev is not None
        and prev.is_word
        and prev.is_cap
        and (i - 1) in art.rank_before
        and prev.end + 1 == art.tokens[i].start
    )
