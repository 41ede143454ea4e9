"""Extraction time grows linearly with the text, whatever the text.

Each adversarial text is extracted at two sizes, n and 4n (both under the piece size, so a step
quadratic inside one piece shows fully); the larger may take at most 10 times as long (4 for
linear growth, room for a noisy shared machine; quadratic growth is 16). A run of 16,000
periods took 9.5 s against 0.56 s for 4,000 before the sentence splitter's end pattern started
only at the first mark of a run; dates every few words were quadratic through the event
clauses, names and numbers through per-fact scans of every mention.
"""

from __future__ import annotations

import time
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pktui.extract import PIECE_CHARS, extract_article
from pktui.extract.tokens import tokenize
from pktui.model import Article
from pktui.textsplit import sentence_spans

SMALL = 2_000
LARGE = 4 * SMALL
assert LARGE < PIECE_CHARS
GROWTH = 10  # allowed time ratio for 4x the text


def _extract(text: str) -> None:
    extract_article(Article("a", "a.txt", text, date(2022, 11, 27), "t"))


def _tokenize(text: str) -> None:
    tokenize(text)
    sentence_spans(text)


def _best_time(work, text: str, runs: int = 3) -> float:
    """Best of ``runs`` in CPU time (preemption on a busy machine is not counted)."""
    best = float("inf")
    for _ in range(runs):
        t = time.process_time()
        work(text)
        best = min(best, time.process_time() - t)
    return best


def _assert_linear(work, unit: str, small: int = SMALL, large: int = LARGE) -> None:
    def text(n: int) -> str:
        return (unit * (n // max(1, len(unit)) + 1))[:n]

    work(text(small))  # warm caches (domain data, compiled patterns)
    t_small = _best_time(work, text(small))
    t_large = _best_time(work, text(large))
    assert t_large <= GROWTH * t_small + 0.05, (unit[:40], t_small, t_large)


ADVERSARIAL = {
    "a long word": "a",
    "a long capitalised word": "Ab",
    "a run of periods": ".",
    "a run of mixed punctuation": "-'’.,;:!?()[]\"“”",
    "a long line of capitals": "A ",
    "all-capital words": "ABC ",
    "capitalised words": "Alpha Bravo Charlie Delta ",
    "a name run with connectors": "Alpha of the ",
    "units and their references": "Alpha Battalion the battalion ",
    "numbers": "12 ",
    "number words": "twenty-five hundred ",
    "designations": "Engineering Unit Rotation 2 unit IV ",
    "acronyms defined": "Alpha Beta Company (ABC) ABC ",
    "dates and clock times": "on Monday at 9am 12 March 2020 ",
    "ranks": "Gen. Lt. Col. ",
    "digit groups": "1,",
    "initials": "a.",
    "speakers": "Ana Bel said ",
    "since and years": "since 2014 in 2015 ",
    "paragraphs": "a\n\n",
    "titles and people": "Director of the Department Col. Ana Bel, the Minister, ",
    "counts and places": "Ghana sent 40 troops to Mali and 30 police to Juba, ",
}


@pytest.mark.parametrize("unit", list(ADVERSARIAL.values()), ids=list(ADVERSARIAL))
def test_extraction_is_linear_on_adversarial_text(unit):
    _assert_linear(_extract, unit)


@pytest.mark.parametrize("unit", ["a", ".", "A ", "-", "a.a", "(", "\n", "Ab'", "1,"])
def test_tokenizing_and_sentence_splitting_are_linear(unit):
    # these run on the whole text, not in pieces: larger sizes
    _assert_linear(_tokenize, unit, 10_000, 40_000)


_UNITS = st.lists(
    st.sampled_from(list("aAbZ .,-'’()\n1:9") + ["the ", "of ", "Mr ", "said ", "May ", "UN "]),
    min_size=1,
    max_size=12,
).map("".join)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(unit=_UNITS)
def test_extraction_is_linear_on_any_repeated_pattern(unit):
    _assert_linear(_extract, unit)
