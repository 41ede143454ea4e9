"""Tokenizing is linear in the text: no pattern backtracks over a long word or a long run of
punctuation (a 19,000-letter word once made every search touching it take 46 s), and no
token is longer than MAX_TOKEN letters."""

from __future__ import annotations

import time

from hypothesis import example, given, settings
from hypothesis import strategies as st

from pktui.bench.kbbuilder import KBBuilder
from pktui.search import SearchIndex, parse_query
from pktui.search.pieces import gap_sentences, layout
from pktui.search.spelling import default_stopwords
from pktui.search.tokenizer import Vocabulary, packed
from pktui.search.tokens import MAX_TOKEN, index_tokens, piece_tokens, span_tokens, words

LONG_WORD = "x" * 20_000


def _tokenize_everything(text: str) -> None:
    """Every way the index and the search cut text into words."""
    index_tokens(text)
    span_tokens(text)
    piece_tokens([text, text[: len(text) // 2]])
    words(text)
    gap_sentences(text, 0, len(text))
    layout(text, [0, len(text)], [(0, len(text))])
    parse_query(text)
    Vocabulary(default_stopwords()).tokenize(([text], packed([0, len(text)]), packed([2]), b"", packed([0])), [text])


def _seconds(text: str) -> float:
    """The best of three runs, each on a new string (no cache answers), in CPU time: a busy
    machine that preempts this process does not make a linear step look quadratic."""
    best = float("inf")
    for k in range(3):
        fresh = f"{k}{text}"
        t0 = time.process_time()
        _tokenize_everything(fresh)
        best = min(best, time.process_time() - t0)
    return best


@settings(max_examples=15, deadline=None)
@given(st.text(alphabet="aé1-'’.,!?)\"đ \n_", min_size=1, max_size=5))
@example("x")  # one long word
@example("!")  # a long run of punctuation
@example(".)")
@example("a-")  # a long compound
@example("1,")
@example("đ’")
def test_tokenizing_time_grows_linearly_with_the_text(unit):
    """A unit repeated to 3,000 and to 24,000 characters: 8 times the text must not take
    anything like 64 times as long (quadratic); 30 leaves room for a noisy machine."""
    small = (unit * (3_000 // len(unit) + 1))[:3_000]
    large = (unit * (24_000 // len(unit) + 1))[:24_000]
    t_small = max(_seconds(small), 2e-4)
    t_large = _seconds(large)
    assert t_large < 30 * t_small, (unit, t_small, t_large)


def test_a_very_long_word_is_cut_and_still_found():
    assert [t for t, _, _ in span_tokens(f"a-{LONG_WORD}-b c")] == [
        "a",
        "x" * MAX_TOKEN,
        "b",
        "c",
        "a" + "x" * (MAX_TOKEN - 1),
    ]
    b = KBBuilder()
    b.article("hostile", "2024-01-01", f"The word {LONG_WORD} is long. Runs {'!' * 20_000} and {'.' * 20_000} too.")
    b.article("fine", "2024-01-02", "Engineers repaired the bridge near Bentiu.")
    index = SearchIndex.build(b.build())
    assert max(len(w) for w in index.segments[0].vocab.words_of(range(len(index.segments[0].vocab)))) <= MAX_TOKEN
    assert [h.article for h in index.search("xxxxxxxxxx", 5)] == ["hostile"]
    assert [h.article for h in index.search(LONG_WORD, 5)] == ["hostile"]
    assert [h.article for h in index.search("bridge", 5)] == ["fine"]


def test_long_runs_of_punctuation_and_joiners():
    for text in ("!" * 20_000, "." * 20_000 + "x", "a-" * 10_000, "1," * 10_000, "'s" * 10_000, "’" * 20_000):
        compounds = index_tokens(text)[len(words(text)) :]
        assert all(len(t) <= 2 * MAX_TOKEN for t in compounds)  # joining stops at MAX_TOKEN letters
        gap_sentences(text, 0, len(text))
        span_tokens(text)
