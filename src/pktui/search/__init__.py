"""Search: the right fact first, on every keystroke, at a million facts.

``pktui.search.build.write_segment(kb, folder, article_ids)`` writes the facts, passages
and entities of some articles as a segment folder on disk; ``SearchIndex.open(folders, kb,
deleted_articles)`` maps a main segment and its deltas and searches them as one;
``SearchIndex.build(kb)`` makes one in memory. ``index.search(text, limit)`` returns ranked
:class:`Hit` objects (``search_counted`` also how many documents matched in all);
``index.suggest(text)`` proposes a correction ("did you mean") when nothing matched. No
Textual in here. The builder (``build*``, ``postings``, ``tokenizer``) writes, the index
(``index``, ``reader``, ``layout``, ``vocabulary``, ``expansion``, ``filters``, ``hits``)
reads; they share only the format (``segment``), the tokens and the ranking data.

Ranking, best first:

1. more of the query's words matched (all words beat some words);
2. per word, an exact token beats a prefix (the word being typed) beats a typo, and a
   match in the fact itself or in one of its entities' names and aliases (a fact *about*
   the thing) beats a match elsewhere in its sentence (a passing mention); the entity
   itself comes first when the query is its name or alias;
3. ties: newest article first.

Matching folds case, diacritics (đ too), punctuation and hyphens (``hoang kim phung``
finds Hoàng Kim Phụng, ``level 2`` and ``level2`` find Level-2, ``1100`` finds 1,100),
joins or splits words (``viet nam`` / ``vietnam``), knows British and American spellings
(``spellings.yaml``), tolerates typos, and finds a fact through any name of its entities
(``unisfa`` finds "UN Interim Security Force for Abyei" and back). Filters in the same
box: see :mod:`pktui.search.query`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pktui.search.index import Hit, SearchIndex, SegmentError
    from pktui.search.query import Query, parse_query

__all__ = ["Hit", "Query", "SearchIndex", "SegmentError", "parse_query"]


def __getattr__(name: str) -> object:
    # imported when first used: the index builder's helper process needs only the tokenizer
    if name in ("Hit", "SearchIndex", "SegmentError"):
        from pktui.search import index

        return getattr(index, name)
    if name in ("Query", "parse_query"):
        from pktui.search import query

        return getattr(query, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
