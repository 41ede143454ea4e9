"""The index builder: tokenizing in a helper process gives the very same index, a helper
that fails is replaced by building in-process, and postings filed a window at a time
equal a naive filing."""

from __future__ import annotations

import random
from array import array

import pytest

from pktui.bench.synthetic import synthetic_kb
from pktui.search import build as build_module
from pktui.search.index import SearchIndex
from pktui.search.postings import (
    DENSE_MIN,
    DENSE_SHARE,
    Postings,
    array_of_bytes,
    bits_of_array,
)
from pktui.search.tokenizer import WorkerTokenizer

QUERIES = ["unmiss", "hopsital south sudan", "viet nam engineers", "level 2", "type:person"]


def _docs(p) -> set[int]:
    if isinstance(p, int):
        return {i for i in range(p.bit_length()) if p >> i & 1}
    return set(p)


def _build(kb, helper: bool) -> SearchIndex:
    ix = SearchIndex(kb)
    build_module.build_into(ix, helper=helper)
    return ix


def _same_index(a: SearchIndex, b: SearchIndex) -> None:
    assert a.words == b.words
    assert a.n_docs == b.n_docs
    assert [_docs(p) for p in a.any_post] == [_docs(p) for p in b.any_post]
    assert [_docs(p) for p in a.about_post] == [_docs(p) for p in b.about_post]
    assert list(a.df) == list(b.df)
    assert [a.doc_obj_of(d) for d in range(a.n_docs)] == [b.doc_obj_of(d) for d in range(b.n_docs)]
    for q in QUERIES:
        assert [(h.id, h.score) for h in a.search(q, 10)] == [(h.id, h.score) for h in b.search(q, 10)], q


@pytest.fixture(scope="module")
def kb():
    kb = synthetic_kb(3000)
    assert any(not a.text.isascii() for a in kb.articles)  # diacritics go through the pipe
    return kb


@pytest.fixture(scope="module")
def local(kb) -> SearchIndex:
    ix = _build(kb, helper=False)
    assert ix.helper_peak_mb == 0
    return ix


def test_a_helper_process_builds_the_same_index(kb, local):
    ix = _build(kb, helper=True)
    assert ix.helper_peak_mb > 0  # it did run, and said how much memory it took
    _same_index(ix, local)
    assert local.search("unmiss", 1)  # and the index finds things


def test_a_helper_that_dies_is_replaced_by_building_here(kb, local, monkeypatch):
    class Dying(WorkerTokenizer):
        def result(self):
            raise EOFError("the tokenizer process ended")

    monkeypatch.setattr(build_module, "WorkerTokenizer", Dying)
    _same_index(_build(kb, helper=True), local)


def test_no_helper_process_at_all_builds_here(kb, local, monkeypatch):
    def cannot_start(*_args):
        raise OSError("no processes here")

    monkeypatch.setattr(build_module, "WorkerTokenizer", cannot_start)
    _same_index(_build(kb, helper=True), local)


# ---------------------------------------------------------------------- postings
def _file(pairs: list[tuple[int, int]], n_docs: int, n_tokens: int, rng: random.Random, expect: int = 0) -> list:
    """File ``pairs`` (sorted by document) through Postings in windows of random sizes."""
    import numpy as np

    p = Postings(expect)
    end = 0
    i = 0
    while end < n_docs:
        end = min(n_docs, end + rng.randint(1, 700))
        j = i
        while j < len(pairs) and pairs[j][1] < end:
            j += 1
        chunk = pairs[i:j]
        rng.shuffle(chunk)  # order within a window does not matter
        if chunk:
            p.add(np.array([t for t, _ in chunk], np.uint32), np.array([d for _, d in chunk], np.uint32))
        p.flush(end, n_tokens)
        i = j
    return p.finish(n_docs)


@pytest.mark.parametrize("expect", [0, 40_000, 80_000, 10**7])
def test_postings_filed_by_window_equal_a_naive_filing(expect):
    """Whatever number of documents is expected (which decides when a token gets a bitset)."""
    rng = random.Random(5)
    n_docs, n_tokens = 6000, 40
    pairs = []
    for d in range(n_docs):
        pairs.append((1, d))  # everywhere: a bitset from the first window on
        if d >= 4000:
            pairs.append((2, d))  # frequent only late
        if d % 97 == 0:
            pairs.append((3, d))  # rare
        if d < 100:
            pairs.extend([(4, d)] * 3)  # frequent at first, counting repeats; rare overall
        for t in rng.sample(range(5, n_tokens), 3):
            pairs.append((t, d))
            if rng.random() < 0.1:
                pairs.append((t, d))  # a word twice in one span
    posts = _file(pairs, n_docs, n_tokens, rng, expect)
    naive: list[set[int]] = [set() for _ in range(n_tokens)]
    for t, d in pairs:
        naive[t].add(d)
    assert [_docs(p) for p in posts] == naive
    dense = max(DENSE_MIN, n_docs >> DENSE_SHARE)
    for t, p in enumerate(posts):
        # the frequent get a bitset, the others a sorted array without repeats
        assert isinstance(p, int) == (len(naive[t]) >= dense), t
        if isinstance(p, array):
            assert list(p) == sorted(naive[t])


def test_ranges_expand_to_pairs_without_stopwords():
    import numpy as np

    ids = np.array([7, 0, 8, 9, 0, 7], np.uint32)  # 0: a stopword
    lo = np.array([0, 3, 5, 4])
    hi = np.array([3, 6, 5, 2])  # an empty range, and one backwards: nothing
    toks, docs = build_module._expand(ids, lo, hi, np.array([10, 11, 12, 13]))
    assert list(zip(toks.tolist(), docs.tolist())) == [(7, 10), (8, 10), (9, 11), (7, 11)]


def test_bits_and_arrays_convert_both_ways():
    import numpy as np

    docs = array("I", [0, 3, 8, 63, 64, 1000])
    bits = bits_of_array(docs, 1001)
    assert bits == sum(1 << d for d in docs)
    raw = np.frombuffer(bits.to_bytes((bits.bit_length() + 7) >> 3, "little"), np.uint8)
    assert array_of_bytes(raw) == docs
    assert list(array_of_bytes(np.zeros(0, np.uint8))) == []


def test_facts_whose_article_is_missing_are_indexed_last(kb):
    """A fact that names no article of the corpus (a stale cache, say) is still found."""
    from pktui.knowledge.base import KnowledgeBase

    gone = kb.articles[0]
    partial = KnowledgeBase(kb.articles[1:], kb.entities, kb.facts)
    ix = _build(partial, helper=False)
    orphans = {f.id for f in kb.facts_in(gone.id)}
    assert orphans
    tail = [ix.doc_obj_of(d) for d in range(ix.n_docs - len(orphans), ix.n_docs)]
    assert {getattr(o, "id", None) for o in tail} == orphans
    f = kb.facts_in(gone.id)[0]
    assert f.id in {h.id for h in ix.search(f.text, 50)}
