"""The segment builder: tokenizing in a helper process gives the very same segment, a helper
that fails is replaced by building in-process, postings filed a window at a time equal a
naive filing, and facts of no article are still found."""

from __future__ import annotations

import random
from array import array

import numpy as np
import pytest

from pktui.bench.synthetic import synthetic_kb
from pktui.search import arrays as array_helpers
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


def _build(kb, helper: bool):
    return build_module.build_segment(kb, None, helper=helper)


def _same_segment(a, b) -> None:
    assert a.meta == b.meta
    assert sorted(a.arrays) == sorted(b.arrays)
    for name in a.arrays:
        assert a[name].dtype == b[name].dtype, name
        assert np.array_equal(a[name], b[name]), name


@pytest.fixture(scope="module")
def kb():
    kb = synthetic_kb(3000)
    assert any(not a.text.isascii() for a in kb.articles)  # diacritics go through the pipe
    return kb


@pytest.fixture(scope="module")
def local(kb):
    data = _build(kb, helper=False)
    assert data.helper_peak_mb == 0
    return data


def test_a_helper_process_builds_the_same_segment(kb, local):
    data = _build(kb, helper=True)
    assert data.helper_peak_mb > 0  # it did run, and said how much memory it took
    _same_segment(data, local)
    index = SearchIndex(kb, [local])
    assert index.search("unmiss", 1)  # and the index finds things
    for q in QUERIES:
        assert index.search(q, 10) == SearchIndex(kb, [data]).search(q, 10), q


def test_a_helper_that_dies_is_replaced_by_building_here(kb, local, monkeypatch):
    class Dying(WorkerTokenizer):
        def result(self):
            raise EOFError("the tokenizer process ended")

    monkeypatch.setattr(build_module, "WorkerTokenizer", Dying)
    _same_segment(_build(kb, helper=True), local)


def test_no_helper_process_at_all_builds_here(kb, local, monkeypatch):
    def cannot_start(*_args):
        raise OSError("no processes here")

    monkeypatch.setattr(build_module, "WorkerTokenizer", cannot_start)
    _same_segment(_build(kb, helper=True), local)


# ---------------------------------------------------------------------- postings
def _file(pairs: list[tuple[int, int]], n_docs: int, n_tokens: int, rng: random.Random, expect: int = 0) -> list:
    """File ``pairs`` (sorted by document) through Postings in windows of random sizes."""
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
    got = p.finish(n_docs, np.arange(n_tokens))
    out: list = []
    for t in range(n_tokens):
        r = got["row"][t]
        if r >= 0:
            out.append(int.from_bytes(got["bits"][r].tobytes(), "little"))
        else:
            out.append(array("I", got["docs"][got["off"][t] : got["off"][t + 1]].tolist()))
        assert got["df"][t] == len(_docs(out[-1]))
    return out


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
    ids = np.array([7, 0, 8, 9, 0, 7], np.uint32)  # 0: a stopword
    lo = np.array([0, 3, 5, 4])
    hi = np.array([3, 6, 5, 2])  # an empty range, and one backwards: nothing
    toks, docs = array_helpers.expand(ids, lo, hi, np.array([10, 11, 12, 13]))
    assert list(zip(toks.tolist(), docs.tolist())) == [(7, 10), (8, 10), (9, 11), (7, 11)]


def test_bits_and_arrays_convert_both_ways():
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
    data = _build(partial, helper=False)
    orphans = {f.id for f in kb.facts_in(gone.id)}
    assert orphans
    tail = [x.decode() for x in data["fact_ids"][-len(orphans) :].tolist()]
    assert set(tail) == orphans
    assert data["art_ids"][-1].decode() == gone.id and data["art_group"][-1] == 2
    f = kb.facts_in(gone.id)[0]
    assert f.id in {h.id for h in SearchIndex(partial, [data]).search(f.text, 50)}
