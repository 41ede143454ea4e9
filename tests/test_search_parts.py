"""Search building blocks: tokens (folding, compounds, offsets), query parsing, bitset ranking."""

from __future__ import annotations

import random
from datetime import date

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from pktui.search import parse_query, rank
from pktui.search.spelling import default_spellings, default_stopwords
from pktui.search.tokens import (
    SEP_WORD,
    index_tokens,
    joined,
    piece_tokens,
    prefix_end,
    span_tokens,
    words,
)
from pktui.text import fold

# ---------------------------------------------------------------- tokens


def test_fast_fold_is_fold_for_every_latin_character():
    """The fast path must give exactly ``fold``'s words, character by character."""
    bad = []
    for cp in [*range(0x250), *range(0x1E00, 0x1F00), *range(0x2010, 0x2060)]:
        ch = chr(cp)
        for s in (ch, f"a{ch}b", f"1{ch}2", ch + ch, f"É{ch}", f"x’{ch} y"):
            if words(s) != fold(s).split():
                bad.append((hex(cp), s))
                break
    assert not bad


def test_every_character_that_folds_to_a_capital_sigma_is_folded_in_context():
    import sys
    import unicodedata

    from pktui.search.tokens import _CONTEXT_CASED

    sigmas = {
        chr(cp)
        for cp in range(sys.maxunicode + 1)
        if not 0xD800 <= cp <= 0xDFFF and "\u03a3" in unicodedata.normalize("NFKD", chr(cp))
    }
    assert sigmas == set(_CONTEXT_CASED)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40))
@example("\U0001d7a2\x80")  # a mathematical capital sigma: lowercased by its context
@example("x\u03f9 \U0001d6ba")
def test_words_equal_fold_split(text):
    assert words(text) == fold(text).split()


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="aAéĐđ1 2-’',.Ǣx", max_size=30))
def test_index_tokens_are_words_plus_compounds(text):
    toks = index_tokens(text)
    ws = fold(text).split()
    assert toks[: len(ws)] == ws
    for c in toks[len(ws) :]:
        assert c.isalnum() and c in "".join(ws)


@pytest.mark.parametrize(
    "text, expect",
    [
        ("Level-2 Field Hospital", {"level", "2", "field", "hospital", "level2"}),
        ("nearly 1,100 personnel", {"nearly", "1", "100", "1100", "personnel"}),
        ("Under-Secretary-General", {"under", "secretary", "general", "undersecretarygeneral"}),
        ("Việt Nam’s army", {"viet", "nam", "s", "army"}),  # a possessive is no compound
        ("O'Brien's Côte d’Ivoire", {"o", "brien", "s", "obrien", "cote", "d", "ivoire", "divoire"}),
        ("Hoàng Kim Phụng, Đà Nẵng", {"hoang", "kim", "phung", "da", "nang"}),
        ("A4P+ (2021–2023)", {"a4p", "2021", "2023"}),
    ],
)
def test_index_tokens(text, expect):
    assert set(index_tokens(text)) == expect


def test_span_tokens_offsets():
    text = "Maj. Gen. Hoàng Kim Phụng sent Level-2 units; 1,100 in all."
    for tok, s, e in span_tokens(text, 100):
        assert "".join(fold(text[s - 100 : e - 100]).split()) == tok
    toks = {t for t, _, _ in span_tokens(text)}
    assert {"hoang", "phung", "level2", "1100"} <= toks


def test_prefix_end():
    text = "Việt Nam"
    assert prefix_end(text, 0, 4, 3) == 3
    assert text[: prefix_end(text, 0, 4, 2)] == "Vi"


def test_joined():
    assert joined("Việt Nam") == "vietnam"
    assert joined("Jean-Pierre Lacroix") == "jeanpierrelacroix"


# ---------------------------------------------------------------- spellings, stopwords
def test_spelling_variants():
    sp = default_spellings()
    assert "defence" in sp.variants("defense", lambda w: False)  # listed pair
    assert "programmes" in sp.variants("programs", lambda w: False)  # plural of a pair
    assert sp.variants("organize", lambda w: w == "organise") == ["organise"]
    assert sp.variants("mechanised", lambda w: True) == ["mechanized"]
    assert sp.variants("labour", lambda w: w == "labor") == ["labor"]
    assert sp.variants("for", lambda w: True) == []  # too short for the -or/-our rule
    assert sp.variants("organize", lambda w: False) == []  # rules need the corpus spelling
    assert "mechanis" in sp.prefix_variants("mechaniz")
    assert "defenc" in sp.prefix_variants("defens")


def test_stopwords():
    sw = default_stopwords()
    assert {"the", "of", "and"} <= sw
    assert not {"un", "us", "may", "over", "more"} & sw


# ---------------------------------------------------------------- queries
def test_parse_words_and_prefix():
    q = parse_query("Lacroix  visit")
    assert [(t.text, t.prefix) for t in q.terms] == [("lacroix", False), ("visit", True)]
    assert not parse_query("lacroix visit ").terms[-1].prefix


def test_parse_filters_phrases_excludes():
    q = parse_query(
        'type:Person kind:quantity,date entity:"UN Interim" after:2020 before:2023-06 in:2025-06-14 '
        '"field hospital" -vietnamese unisfa'
    )
    assert q.types == ["person"]
    assert q.kinds == ["quantity", "date"]
    assert q.entities == ["un interim"]
    assert q.after[0].lo == date(2020, 1, 1).toordinal() and q.after[0].hi == date(2020, 12, 31).toordinal()
    assert q.before[0].lo == date(2023, 6, 1).toordinal() and q.before[0].hi == date(2023, 6, 30).toordinal()
    assert q.within[0].lo == q.within[0].hi == date(2025, 6, 14).toordinal()
    assert q.phrases == ["field hospital"]
    assert q.excludes == [["vietnamese"]]
    assert [t.text for t in q.terms] == ["field", "hospital", "unisfa"]
    assert q.terms[-1].prefix


def test_parse_oddities():
    assert [t.text for t in parse_query("foo:bar").terms] == ["foo", "bar"]  # unknown key: words
    q = parse_query("after:20")
    assert not q.after and q.problems  # not a date (yet): ignored, noted
    assert parse_query("in:2023-02-30").problems
    q = parse_query('"unclosed phrase')
    assert not q.phrases and [t.text for t in q.terms] == ["unclosed", "phrase"]
    assert [t.text for t in parse_query("Việt Nam's army").terms] == ["viet", "nam", "army"]
    assert parse_query("").is_empty and parse_query("   ").is_empty
    assert not parse_query("kind:date").is_empty
    assert len(parse_query("w " * 40).terms) == 12


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_parse_never_raises(text):
    q = parse_query(text)
    assert all(t.text and " " not in t.text for t in q.terms)


# ---------------------------------------------------------------- bitset ranking
def test_bits_roundtrip():
    docs = [0, 3, 7, 8, 64, 1000, 4096, 100_000]
    b = rank.bits_of(docs)
    assert rank.iter_bits(b) == docs
    assert rank.iter_bits(b, 3) == docs[:3]
    assert rank.lowest_bits(b, 4) == docs[:4]
    assert rank.bits_of([]) == 0 and rank.iter_bits(0) == []


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.integers(0, 7), min_size=1, max_size=60),
    st.lists(st.integers(0, 3), min_size=1, max_size=60),
    st.integers(1, 20),
)
def test_bit_sliced_sum_and_top_k(a_vals, b_vals, k):
    n = min(len(a_vals), len(b_vals))
    a_vals, b_vals = a_vals[:n], b_vals[:n]

    def sliced(vals, width):
        return [rank.bits_of([d for d, v in enumerate(vals) if v >> i & 1]) for i in range(width)]

    total = rank.add(sliced(a_vals, 3), sliced(b_vals, 2))
    want = [x + y for x, y in zip(a_vals, b_vals)]
    got = rank.values(total, list(range(n)))
    assert [got[d] for d in range(n)] == want
    universe = rank.bits_of(range(n))
    top = rank.top_k(total, universe, k)
    expect = sorted(range(n), key=lambda d: (-want[d], d))[:k]
    assert sorted(top, key=lambda d: (-want[d], d)) == expect


def test_increment_counts():
    rng = random.Random(1)
    sets = [[d for d in range(50) if rng.random() < 0.5] for _ in range(5)]
    counter: list[int] = []
    for s in sets:
        counter = rank.increment(counter, rank.bits_of(s))
    got = rank.values(counter, list(range(50)))
    assert all(got[d] == sum(d in s for s in sets) for d in range(50))


def test_bits_where():
    from array import array

    codes = array("B", [0, 2, 1, 2, 2, 0])
    assert rank.iter_bits(rank.bits_where(codes, 2)) == [1, 3, 4]
    assert rank.bits_where(array("B"), 1) == 0


def test_words_of_other_scripts():
    for text in ("Ελλάδα ΟΔΟΣ", "Россия, Москва", "aΣ b", "İstanbul", "e\u0301te\u0301", "¼ ½", "Ǣ"):
        assert words(text) == fold(text).split(), text


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="aé Đ’-,.1 2ǢΣ\u0301", max_size=12), max_size=6))
def test_piece_tokens_are_index_tokens_of_each_then_a_separator(texts):
    toks, starts = piece_tokens(texts)
    assert len(starts) == len(texts) + 1 and starts[-1] == len(toks)
    for i, t in enumerate(texts):
        piece = toks[starts[i] : starts[i + 1]]
        assert piece[-1] == SEP_WORD
        assert sorted(piece[:-1]) == sorted(index_tokens(t)), t


def test_piece_tokens_of_a_text_holding_the_separator_word():
    toks, starts = piece_tokens(["a " + SEP_WORD + " b", "Level-2"])
    assert toks[starts[1] : starts[2]] == ["level", "2", "level2", SEP_WORD]
