"""The search index: every fact and entity, found by folded words in a few milliseconds.

Design (see the package docstring for the ranking rules):

* **Documents** are the facts, the entities (their hit points to their best mention: the
  full name in the newest article) and the *passages*: sentences that hold no fact, so
  that every word of the corpus can be found. They are numbered *newest first* (by the
  article's publication date), so that among equal scores the lowest number wins. Per
  document we keep only the object and a few compact arrays (kind, article, date span).
* **Postings**: for every folded token, the documents that contain it, twice: ``any``
  (anywhere: the fact's own words, its entities' names and aliases, or its sentence) and
  ``about`` (the fact's own words and its entities -- a fact *about* the thing, not a
  passing mention). Rare tokens keep an ``array('I')`` of document numbers; frequent
  ones a bitset (a Python int), which is smaller for them. Stopwords (``stopwords.yaml``)
  are not indexed.
* **A query word** expands on the token *vocabulary*, never on the documents: the exact
  token and its spelling variants, the word split in two (``vietnam`` -> ``viet nam``)
  or joined with its neighbour (``viet nam`` -> ``vietnam``), longer tokens when the word
  is being typed (sorted vocabulary + bisect), and, only when nothing matches exactly,
  typos (rapidfuzz on the small vocabulary bucket of the same first letter and about the
  same length). Expansions and the bitsets of rare tokens are cached, so each keystroke
  mostly reuses the previous one's work.
* **Ranking** is exact, not approximate: each document's score is a small integer
  (words matched, then per word exact > prefix > typo and about > passing mention, plus
  a bonus for the entity itself when the query is its name), computed for *all* documents
  at once as bit-sliced integers (``pktui.search.rank``); the top k are then read off
  the bit slices, ties going to the newest documents. Match spans are computed only
  for the hits returned.
"""

from __future__ import annotations

import bisect
import gc
import re
import sys
import threading
from array import array
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from itertools import repeat

from rapidfuzz import process as rf_process
from rapidfuzz.distance import OSA

from pktui.knowledge.base import KnowledgeBase
from pktui.model import Entity, Fact
from pktui.search import rank
from pktui.search.query import Query, Term, parse_query
from pktui.search.spelling import Spellings, default_spellings, default_stopwords
from pktui.search.tokens import _WORD_RE, SEP_WORD, batch_tokens, index_tokens, joined, prefix_end, span_tokens
from pktui.text import fold, one_line

ENTITY_KIND = "entity"
PASSAGE_KIND = "passage"
_MONTHS = (
    "january february march april may june july august september october november december"
).split()
_NO_DATE_HI = 0
_NO_DATE_LO = 10**8
_ENTITY_BONUS = 2
_FUZZY_LIMIT = 12
_FLUSH_EVERY = 1 << 15  # documents between two looks for long postings
_FLUSH_LEN = 1 << 14  # a posting this long is turned into (part of) a bitset
_PIECE_CACHE = 10_000  # distinct pieces of text kept tokenized while building
_EXTRA_CACHE = 10_000
_BLOCK = 1 << 16  # documents gathered into bits at a time
_ZERO_BITS = bytes(_BLOCK >> 3)
_MAX_SPLITS = 3


def _prefix_limit(n: int) -> int:
    """How many completions of a word being typed count (the most frequent ones)."""
    return 6 if n == 1 else 12 if n == 2 else 24 if n == 3 else 48


def _typo_budget(n: int) -> int:
    return 0 if n < 4 else 1 if n <= 6 else 2


@dataclass(slots=True)
class Hit:
    """One search result. ``kind`` is ``"fact"``, ``"entity"`` or ``"passage"`` (a sentence
    with no fact in it; its ``id`` is ``"<article>@<start>-<end>"``)."""

    kind: str  # "fact", "entity" or "passage"
    id: str  # fact id, entity id, or passage id
    score: float
    article: str  # article of the passage to open
    start: int  # span to highlight: the fact, or the entity's best mention
    end: int
    matches: list[tuple[int, int]] = field(default_factory=list)  # absolute offsets, sorted
    label: str = ""  # one line, safe to display


@dataclass(frozen=True, slots=True)
class Passage:
    """A sentence that holds no fact: still searchable, as a hit of kind "passage"."""

    article: str
    start: int
    end: int

    @property
    def id(self) -> str:
        return f"{self.article}@{self.start}-{self.end}"


@dataclass(slots=True)
class _Expansion:
    """What one query word matches in the vocabulary, and the documents that gives."""

    exact: list[int]  # token ids
    prefix: list[int]
    fuzzy: list[int]
    splits: list[tuple[int, int]]  # pairs of token ids that must both occur
    exact_words: set[str]  # for marking matches in passages
    prefixes: list[str]
    marks: dict[str, int] = field(default_factory=dict)  # token -> 0 (whole) or letters typed
    e_any: int = 0
    e_about: int = 0
    p_any: int = 0
    p_about: int = 0
    f_any: int = 0  # one typo away
    f_about: int = 0
    g_any: int = 0  # two typos away
    g_about: int = 0


@lru_cache(maxsize=65536)
def _date_span(value: str) -> tuple[int, int]:
    """Ordinals of the first and last day of ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` or ``A/B``."""
    from pktui.search.query import parse_date

    if "/" in value:
        a, _, b = value.partition("/")
        ra, rb = parse_date(a), parse_date(b)
        if ra and rb:
            return ra.lo, rb.hi
        r = ra or rb
        return (r.lo, r.hi) if r else (_NO_DATE_LO, _NO_DATE_HI)
    r = parse_date(value)
    return (r.lo, r.hi) if r else (_NO_DATE_LO, _NO_DATE_HI)


def _date_words(value: str) -> list[str]:
    out: list[str] = []
    for part in str(value).split("/"):
        bits = part.strip().split("-")
        if not bits or not bits[0].isdigit():
            out.extend(index_tokens(part))
            continue
        out.append(bits[0])
        if len(bits) > 1 and bits[1].isdigit() and 1 <= int(bits[1]) <= 12:
            out.extend((bits[1], str(int(bits[1])), _MONTHS[int(bits[1]) - 1]))
        if len(bits) > 2 and bits[2].isdigit():
            out.extend((bits[2], str(int(bits[2]))))
    return out


def _value_words(value: object) -> list[str]:
    if value is None or isinstance(value, bool):
        return []
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not value.is_integer():
            return index_tokens(f"{value:g}")
        v = int(value)
        return [str(v)] + (index_tokens(f"{v:,}") if abs(v) >= 1000 else [])
    return index_tokens(str(value))


_SENT_END = re.compile(r"[.!?]+[\"'\u201d\u2019)\]]*(?=\s)|\n")
_LAST_WORD = re.compile(r"([\w.'\u2019-]+)$")


@lru_cache(maxsize=1)
def _abbreviations() -> frozenset[str]:
    try:
        from pktui.domain import load_domain

        return frozenset(str(a).lower().rstrip(".") for a in load_domain().abbreviations)
    except Exception:  # noqa: BLE001 - without the domain data, split at every period
        return frozenset()


def _gap_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentences of ``text[start:end]`` (text no fact covers): a light splitter."""
    seg = text[start:end]
    if len(seg) < 3 or seg.isspace():
        return []
    cuts: list[int] = []
    abbrev = _abbreviations()
    for m in _SENT_END.finditer(text, start, end):
        if m.group() != "\n" and m.group()[0] == ".":
            w = _LAST_WORD.search(text, max(start, m.start() - 24), m.start())
            word = w.group(1).lower().rstrip(".") if w else ""
            if len(word) == 1 or word in abbrev:
                continue
            cuts.append(m.end())
        else:
            cuts.append(m.end())
    spans = []
    a = start
    for b in (*cuts, end):
        piece = text[a:b]
        core = piece.strip()
        if len(core) >= 3 and _WORD_RE.search(core) is not None:
            s = a + len(piece) - len(piece.lstrip())
            spans.append((s, s + len(core)))
        a = b
    return spans


def _uncovered(spans: list[tuple[int, int]], n: int) -> list[tuple[int, int]]:
    """The parts of ``[0, n)`` that no span covers."""
    out = []
    pos = 0
    for a, b in sorted(spans):
        if a > pos:
            out.append((pos, a))
        pos = max(pos, b)
    if pos < n:
        out.append((pos, n))
    return out


def _tune_malloc() -> None:
    """Keep glibc from returning (and page-faulting back) the memory of large temporary ints.

    Bitset arithmetic allocates and frees many ~100 KB integers per query; with glibc's
    default dynamic thresholds each one may be a fresh mmap, which costs more than the
    arithmetic itself. Harmless elsewhere (the call simply fails).
    """
    try:
        import ctypes
        import ctypes.util

        libc = ctypes.CDLL(ctypes.util.find_library("c") or None)
        libc.mallopt(-1, 256 * 1024 * 1024)  # M_TRIM_THRESHOLD
        libc.mallopt(-3, 32 * 1024 * 1024)  # M_MMAP_THRESHOLD
    except Exception:  # noqa: BLE001 - best effort only
        pass


def _release_free_memory() -> None:
    """Give the pages freed while building (temporary arrays, caches) back to the system,
    so that the search caches that fill later do not stack on top of them (glibc only)."""
    try:
        import ctypes
        import ctypes.util

        ctypes.CDLL(ctypes.util.find_library("c") or None).malloc_trim(0)
    except Exception:  # noqa: BLE001 - best effort only
        pass


def _nbytes(value) -> int:
    if value.__class__ is int:
        return value.bit_length() >> 3
    if isinstance(value, _Expansion):
        return sum(b.bit_length() for b in (value.e_any, value.e_about, value.p_any, value.p_about,
                                            value.f_any, value.f_about, value.g_any, value.g_about)) >> 3
    return 64


class _LRU(OrderedDict):
    """Least recently used entries go first, past ``size`` entries or ``max_bytes``."""

    def __init__(self, size: int, max_bytes: int = 1 << 62) -> None:
        super().__init__()
        self.size = size
        self.max_bytes = max_bytes
        self.nbytes = 0
        self._sizes: dict = {}

    def get_(self, key):
        v = self.get(key)
        if v is not None:
            self.move_to_end(key)
        return v

    def put(self, key, value) -> None:
        if key in self:
            self.nbytes -= self._sizes.pop(key, 0)
        n = _nbytes(value) + 64
        self[key] = value
        self._sizes[key] = n
        self.nbytes += n
        self.move_to_end(key)
        while len(self) > 1 and (len(self) > self.size or self.nbytes > self.max_bytes):
            k, _ = self.popitem(last=False)
            self.nbytes -= self._sizes.pop(k, 0)


class SearchIndex:
    """Search over the facts and entities of a :class:`KnowledgeBase`. See the module doc."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.spellings: Spellings = default_spellings()
        self.stopwords: frozenset[str] = default_stopwords()
        self.vocab: dict[str, int] = {}
        self.any_post: list[array | int] = []
        self.about_post: list[array | int] = []
        self.df: array = array("I")
        self.doc_obj: list[Fact | Entity] = []
        self.doc_kind = array("B")
        self.doc_art = array("i")
        self.doc_lo = array("i")
        self.doc_hi = array("i")
        self.doc_mention = array("i")  # entity docs: index of the best mention
        self.kind_names: list[str] = [ENTITY_KIND]
        self.kind_bits: dict[str, int] = {}
        self.type_bits: dict[str, int] = {}
        self.entity_docs: dict[str, array] = {}  # entity id -> its doc and its facts' docs
        self.entity_doc: dict[str, int] = {}
        self.name_keys: dict[str, list[int]] = {}  # joined folded name/alias -> entity docs
        self.sorted_keys: list[str] = []
        self.sorted_vocab: list[str] = []
        self.words: list[str] = []  # token id -> token
        self.articles = list(kb.articles)
        self.n_docs = 0
        self._lock = threading.RLock()
        self._bitcache: _LRU = _LRU(4096, 16 << 20)
        self._expcache: _LRU = _LRU(512, 32 << 20)
        self._prefixcache: _LRU = _LRU(2048)
        self._filtercache: _LRU = _LRU(128, 24 << 20)
        self._pinned: dict[tuple, _Expansion] = {}
        self._spancache: dict[tuple[str, int, int], tuple] = {}
        self._entity_word_set: frozenset[str] = frozenset()
        self._buckets: dict[tuple[str, int], list[str]] | None = None
        self._key_buckets: dict[tuple[str, int], list[str]] | None = None
        self._date_index: tuple | None = None
        self._all = 0
        self._entwords: dict[str, list[frozenset[str]]] = {}

    # ------------------------------------------------------------------ building
    @classmethod
    def build(cls, kb: KnowledgeBase, progress: Callable[[int, int], None] | None = None) -> SearchIndex:
        """Index every fact and entity of ``kb``."""
        _tune_malloc()
        self = cls(kb)
        gc_was_on = gc.isenabled()
        gc.disable()  # millions of small objects, no cycles: collections would only cost time
        try:
            self._build(progress)
        finally:
            if gc_was_on:
                gc.enable()
        _release_free_memory()
        return self

    def _tid(self, tok: str) -> int:
        tid = self.vocab.get(tok)
        if tid is None:
            tid = self.vocab[tok] = len(self.any_post)
            self.any_post.append(array("I"))
            self.about_post.append(array("I"))
        return tid

    def _ids(self, toks: list[str]) -> frozenset[int]:
        """Token ids (new tokens get one; stopwords are left out)."""
        ids = set(map(self.vocab.get, toks))
        if None in ids:
            tid = self._tid
            ids = set(map(tid, toks))
        ids.discard(-1)
        return frozenset(ids)

    def _build(self, progress: Callable[[int, int], None] | None) -> None:
        kb = self.kb
        for w in self.stopwords:
            self.vocab[w] = -1
        arts = self.articles
        art_idx = {a.id: i for i, a in enumerate(arts)}
        pub = [a.published.toordinal() if a.published else 0 for a in arts]
        order = sorted(range(len(arts)), key=lambda i: (pub[i] == 0, -pub[i], arts[i].id))
        art_pos = {arts[i].id: p for p, i in enumerate(order)}

        # entities: best mention (newest article, the full name if written so, first)
        ents_at: dict[int, list[int]] = {}
        best_mention: list[int] = []
        ent_index: dict[str, int] = {}
        for ei, e in enumerate(kb.entities):
            ent_index[e.id] = ei
            best, best_pos, best_full = -1, 1 << 62, False
            for mi, m in enumerate(e.mentions):
                p = art_pos.get(m.article)
                if p is None:
                    continue
                full = m.text == e.name
                if p < best_pos or (p == best_pos and full and not best_full):
                    best, best_pos, best_full = mi, p, full
            best_mention.append(best)
            if best >= 0:
                ents_at.setdefault(order[best_pos], []).append(ei)

        ent_tok_cache: dict[int, frozenset[int]] = {}
        ent_types = [e.type for e in kb.entities]
        ent_tok_cache_all: set[int] = set()

        def ent_toks(ei: int) -> frozenset[int]:
            t = ent_tok_cache.get(ei)
            if t is None:
                e = kb.entities[ei]
                toks = index_tokens(e.name)
                for a in e.aliases:
                    toks.extend(index_tokens(a))
                t = ent_tok_cache[ei] = self._ids(toks)
                ent_tok_cache_all.update(t)
            return t

        vocab_get = self.vocab.get
        tid = self._tid
        self.vocab[SEP_WORD] = -1
        str_cache: dict[str, frozenset[int]] = {}
        date_cache: dict[str, frozenset[int]] = {}
        value_cache: dict[object, frozenset[int]] = {}
        ids_of = self._ids

        def str_toks(s: str) -> frozenset[int]:
            t = str_cache.get(s)
            if t is None:
                if len(str_cache) > 50_000:
                    str_cache.clear()
                t = str_cache[s] = ids_of(index_tokens(s))
            return t

        any_post, about_post = self.any_post, self.about_post
        kind_code: dict[str, int] = {ENTITY_KIND: 0}
        kind_docs: dict[int, array] = {0: array("I")}
        doc_obj, doc_kind, doc_art = self.doc_obj, self.doc_kind, self.doc_art
        doc_lo, doc_hi, doc_mention = self.doc_lo, self.doc_hi, self.doc_mention

        def code_of(kind: str) -> int:
            code = kind_code.get(kind)
            if code is None:
                code = kind_code[kind] = len(kind_code)
                self.kind_names.append(kind)
                kind_docs[code] = array("I")
            return code

        # facts whose article is unknown go last
        orphan_facts = [f for f in kb.facts if f.article not in art_idx]
        groups: list[tuple[int, list[Fact]]] = [(ai, kb.facts_in(arts[ai].id)) for ai in order]
        if orphan_facts:
            groups.append((-1, orphan_facts))
        total = len(groups)
        d = 0
        # the token ids of a piece of text (between two cuts) or of a summary: pieces repeat
        # from article to article ("on Monday", boilerplate sentences), so each distinct
        # one is tokenized once
        piece_cache: dict[str, frozenset[int]] = {}
        piece_get = piece_cache.get
        # what a fact adds beyond its own words (value, unit, detail, date, entities), by
        # those fields: they repeat from fact to fact
        extra_cache: dict[tuple, tuple] = {}
        empty: frozenset[int] = frozenset()
        ent_docs_l: list[array] = [array("I") for _ in kb.entities]
        bisect_left = bisect.bisect_left
        any_t: list[int] = []
        any_d: list[int] = []
        ab_t: list[int] = []
        ab_d: list[int] = []
        # postings of frequent tokens are turned into bitsets a chunk at a time, so that the
        # long arrays never all exist at once
        flusher = _Flusher(any_post, about_post)
        next_flush = _FLUSH_EVERY

        def extra_of(f: Fact, kind: str, v) -> tuple:
            parts: list[frozenset[int]] = []
            if kind == "date" or kind == "event":
                if v.__class__ is str:
                    x = date_cache.get(v)
                    if x is None:
                        x = date_cache[v] = ids_of(_date_words(v))
                    parts.append(x)
            elif v is not None:
                if v.__class__ is str:
                    parts.append(str_toks(v))
                else:
                    x = value_cache.get(v)
                    if x is None:
                        x = value_cache[v] = ids_of(_value_words(v))
                    parts.append(x)
            if f.unit:
                parts.append(str_toks(f.unit))
            if f.detail and kind == "quantity":
                parts.append(str_toks(f.detail))
            if f.date:
                x = date_cache.get(f.date)
                if x is None:
                    x = date_cache[f.date] = ids_of(_date_words(f.date))
                parts.append(x)
            eis = []
            for eid in f.entities:
                ei = ent_index.get(eid)
                if ei is not None:
                    parts.append(ent_toks(ei))
                    eis.append(ei)
            dv = v if (kind == "date" or kind == "event") and v.__class__ is str else f.date
            lo, hi = _date_span(dv) if dv else (_NO_DATE_LO, _NO_DATE_HI)
            return frozenset().union(*parts), tuple(eis), lo, hi, code_of(kind)

        for gi, (ai, facts) in enumerate(groups):
            if progress is not None and gi % 512 == 0:
                progress(gi, total)
            art_ord = pub[ai] if ai >= 0 else 0
            lo0 = art_ord or _NO_DATE_LO
            hi0 = art_ord or _NO_DATE_HI
            # --- entity docs placed at this article
            for ei in ents_at.get(ai, ()) if ai >= 0 else ():
                e = kb.entities[ei]
                toks = ent_toks(ei)
                _add_doc(about_post, toks, d)
                _add_doc(any_post, set(toks).union(str_toks(e.type)), d)
                doc_obj.append(e)
                doc_kind.append(0)
                doc_art.append(ai)
                doc_lo.append(lo0)
                doc_hi.append(hi0)
                doc_mention.append(best_mention[ei])
                ent_docs_l[ei].append(d)
                self.entity_doc[e.id] = d
                d += 1
            # --- fact docs, a sentence at a time (its facts get consecutive numbers), then
            # passages; the article is cut at every sentence and fact bound
            text = arts[ai].text if ai >= 0 else ""
            n_text = len(text)
            mentions = kb.mentions_in(arts[ai].id) if ai >= 0 else []
            m_starts = [m.start for m in mentions]
            n_mentions = len(mentions)

            by_sent: dict[tuple[int, int], list[Fact]] = {}
            cuts = {0, n_text}
            for f in facts:
                sent = f.sentence
                if not (sent and len(sent) == 2 and 0 <= sent[0] <= f.start and f.end <= sent[1] <= n_text):
                    sent = (f.start, f.end)
                group = by_sent.get(sent)
                if group is None:
                    by_sent[sent] = [f]
                    cuts.update(sent)
                else:
                    group.append(f)
                if 0 <= f.start <= f.end <= n_text:
                    cuts.add(f.start)
                    cuts.add(f.end)
            passages: list[tuple[int, int]] = []
            if ai >= 0:
                for gs, ge in _uncovered(list(by_sent), n_text):
                    for span in _gap_sentences(text, gs, ge):
                        passages.append(span)
                        cuts.update(span)
            bounds = sorted(cuts)
            texts = [text[bounds[i] : bounds[i + 1]] for i in range(len(bounds) - 1)]
            n_pieces = len(texts)
            summary_at: dict[int, int] = {}
            for f in facts:
                if f.summary:
                    summary_at[id(f)] = len(texts)
                    texts.append(f.summary)
            psets = list(map(piece_get, texts))
            if None in psets:
                miss = [i for i, p in enumerate(psets) if p is None]
                words_, ranges, comps = batch_tokens([texts[i] for i in miss])
                ids = list(map(vocab_get, words_))
                if None in ids:
                    ids = [i if i is not None else tid(w) for i, w in zip(ids, words_)]
                if len(piece_cache) > _PIECE_CACHE:
                    piece_cache.clear()
                for i, (a, b), cs in zip(miss, ranges, comps):
                    x = set(ids[a:b])
                    if cs:
                        x.update(map(tid, cs))
                    x.discard(-1)
                    psets[i] = piece_cache[texts[i]] = frozenset(x)

            def span_set(s: int, e_: int) -> frozenset[int]:
                k1 = bisect_left(bounds, s)
                k2 = bisect_left(bounds, e_)
                if k2 - k1 == 1:
                    return psets[k1]
                if k2 <= k1:
                    return empty
                return empty.union(*psets[k1:k2])

            def with_mentions(base: frozenset[int], s: int, e_: int, seen_e: set[int]) -> frozenset[int]:
                i = bisect_left(m_starts, s)
                extra = None
                while i < n_mentions and m_starts[i] < e_:
                    ei = ent_index.get(mentions[i].entity)
                    if ei is not None and ei not in seen_e:
                        seen_e.add(ei)
                        if extra is None:
                            extra = [ent_toks(ei)]
                        else:
                            extra.append(ent_toks(ei))
                    i += 1
                return base.union(*extra) if extra else base

            for sent, group in by_sent.items():
                if len(group) > 1:
                    group.sort(key=_span_len)
                sset = with_mentions(span_set(*sent), sent[0], sent[1], set())
                n_s = len(sset)
                for f in group:
                    kind = f.kind
                    v = f.value
                    key = (kind, v.__class__, v, f.unit, f.detail, f.date, *f.entities)
                    try:
                        ex = extra_cache.get(key)
                    except TypeError:  # an unhashable value
                        key, ex = None, None
                    if ex is None:
                        if len(extra_cache) > _EXTRA_CACHE:
                            extra_cache.clear()
                        ex = extra_of(f, kind, v)
                        if key is not None:
                            extra_cache[key] = ex
                    own = span_set(f.start, f.end).union(ex[0])
                    if f.summary:
                        own = own.union(psets[summary_at[id(f)]])
                    for ei in ex[1]:
                        ent_docs_l[ei].append(d)
                    # postings, buffered for the article: (token, doc) pairs in doc order
                    ab_t.extend(own)
                    ab_d.extend(repeat(d, len(own)))
                    extra_own = own.difference(sset)
                    any_t.extend(sset)
                    any_t.extend(extra_own)
                    any_d.extend(repeat(d, n_s + len(extra_own)))
                    # effective date: the fact's own date when it has one, else the article's
                    doc_obj.append(f)
                    doc_kind.append(ex[4])
                    doc_art.append(ai)
                    if ex[3] == _NO_DATE_HI:
                        doc_lo.append(lo0)
                        doc_hi.append(hi0)
                    else:
                        doc_lo.append(ex[2])
                        doc_hi.append(ex[3])
                    doc_mention.append(-1)
                    d += 1
            # --- passages: sentences with no fact in them
            for ps, pe in passages:
                seen: set[int] = set()
                pids = with_mentions(span_set(ps, pe), ps, pe, seen)
                if not pids:
                    continue
                any_t.extend(pids)
                any_d.extend(repeat(d, len(pids)))
                code = kind_code.get(PASSAGE_KIND)
                if code is None:
                    code = code_of(PASSAGE_KIND)
                for ei in seen:
                    ent_docs_l[ei].append(d)
                doc_obj.append(Passage(arts[ai].id, ps, pe))
                doc_kind.append(code)
                doc_art.append(ai)
                doc_lo.append(lo0)
                doc_hi.append(hi0)
                doc_mention.append(-1)
                d += 1
            _consume(map(array.append, map(any_post.__getitem__, any_t), any_d))
            _consume(map(array.append, map(about_post.__getitem__, ab_t), ab_d))
            any_t.clear()
            any_d.clear()
            ab_t.clear()
            ab_d.clear()
            if d >= next_flush:
                next_flush = d + _FLUSH_EVERY
                flusher.flush()
        if progress is not None:
            progress(total, total)
        self.n_docs = d
        self._all = (1 << d) - 1

        # frequent tokens become bitsets
        flusher.finish(self.df, max(256, d >> 6))
        self.kind_bits = {self.kind_names[c]: rank.bits_where(self.doc_kind, c) for c in kind_docs}
        # a type's documents: those of its entities (each entity doc, fact and passage is in
        # the documents of the entities it names)
        by_type: dict[str, list[array]] = {}
        for ei, docs in enumerate(ent_docs_l):
            if docs:
                by_type.setdefault(ent_types[ei], []).append(docs)
        self.type_bits = {ty: rank.union_of(posts) for ty, posts in by_type.items()}
        self.entity_docs = {kb.entities[ei].id: docs for ei, docs in enumerate(ent_docs_l) if docs}
        for w in (*self.stopwords, SEP_WORD):
            if self.vocab.get(w) == -1:
                del self.vocab[w]
        self.sorted_vocab = sorted(self.vocab)
        self.words = [""] * len(self.any_post)
        for w, t in self.vocab.items():
            self.words[t] = w
        # entity names and aliases, as joined keys
        for e in kb.entities:
            dd = self.entity_doc.get(e.id)
            if dd is None:
                continue
            for name in (e.name, *e.aliases):
                k = joined(name)
                if k:
                    lst = self.name_keys.setdefault(k, [])
                    if dd not in lst:
                        lst.append(dd)
        self.sorted_keys = sorted(self.name_keys)
        self._entity_word_set = frozenset(self.words[t] for t in ent_tok_cache_all if 0 <= t < len(self.words))
        self._bucket_index()
        self._bucket_index(keys=True)

    # ------------------------------------------------------------------ stats
    @property
    def n_facts(self) -> int:
        return self.n_docs - sum(
            self.kind_bits.get(k, 0).bit_count() for k in (ENTITY_KIND, PASSAGE_KIND)
        )

    # ------------------------------------------------------------------ bitsets of tokens
    def _bits(self, tid: int, about: bool) -> int:
        p = (self.about_post if about else self.any_post)[tid]
        if type(p) is int:
            return p
        if not p:
            return 0
        key = (tid << 1) | about
        b = self._bitcache.get_(key)
        if b is None:
            b = rank.union_of([p])
            self._bitcache.put(key, b)
        return b

    def _or_bits(self, tids: list[int], about: bool) -> int:
        if len(tids) == 1:
            return self._bits(tids[0], about)
        posts = self.about_post if about else self.any_post
        return rank.union_of([posts[t] for t in tids])

    # ------------------------------------------------------------------ vocabulary
    def _prefix_tokens(self, prefix: str) -> list[int]:
        """Token ids of the vocabulary words starting with ``prefix`` (not equal), best first."""
        hit = self._prefixcache.get_(prefix)
        if hit is not None:
            return hit
        sv = self.sorted_vocab
        i = bisect.bisect_right(sv, prefix)
        j = bisect.bisect_left(sv, prefix + "\U0010ffff", i)
        limit = _prefix_limit(len(prefix))
        vocab, df = self.vocab, self.df
        if j - i <= limit:
            ids = [vocab[w] for w in sv[i:j]]
        else:
            ids = sorted((vocab[w] for w in sv[i:j]), key=df.__getitem__, reverse=True)[:limit]
        self._prefixcache.put(prefix, ids)
        return ids

    def _bucket_index(self, keys: bool = False) -> dict[tuple[str, int], list[str]]:
        if keys:
            if self._key_buckets is None:
                self._key_buckets = self._make_buckets(self.sorted_keys)
            return self._key_buckets
        if self._buckets is None:
            self._buckets = self._make_buckets(self.sorted_vocab)
        return self._buckets

    @staticmethod
    def _make_buckets(vocab: list[str]) -> dict[tuple[str, int], list[str]]:
        out: dict[tuple[str, int], list[str]] = {}
        for w in vocab:
            if len(w) >= 3 and not w.isdigit():
                out.setdefault((w[0], len(w)), []).append(w)
        return out

    def _fuzzy_words(self, word: str, k: int, *, prefix: bool = False, keys: bool = False) -> list[str]:
        """Vocabulary words within ``k`` typos (OSA distance: transpositions count one)."""
        return [w for w, _ in self._fuzzy(word, k, prefix=prefix, keys=keys)]

    def _fuzzy(self, word: str, k: int, *, prefix: bool = False, keys: bool = False) -> list[tuple[str, int]]:
        """``(word, distance)`` for vocabulary words within ``k`` typos, closest first."""
        if k <= 0:
            return []
        buckets = self._bucket_index(keys)
        n = len(word)
        firsts = {word[0]}
        if n > 1:
            firsts.add(word[1])  # first two letters swapped
        cands: list[str] = []
        if prefix:
            for c in firsts:
                for ln in range(max(3, n - k), n + 25):
                    cands.extend(buckets.get((c, ln), ()))
        else:
            for c in firsts:
                for ln in range(max(3, n - k), n + k + 1):
                    cands.extend(buckets.get((c, ln), ()))
        if not cands:
            return []
        found: dict[str, int] = {}
        for m in rf_process.extract(word, cands, scorer=OSA.distance, score_cutoff=k, limit=None):
            found[m[0]] = m[1]
        if prefix:
            for ln in (n, n + 1):
                cut = [c[:ln] for c in cands]
                for m in rf_process.extract(word, cut, scorer=OSA.distance, score_cutoff=k, limit=None):
                    w = cands[m[2]]
                    if m[1] < found.get(w, 99):
                        found[w] = m[1]
        if keys:
            best = sorted(found, key=lambda w: found[w])[:_FUZZY_LIMIT]
        else:
            vocab, df = self.vocab, self.df
            best = sorted(found, key=lambda w: (found[w], -df[vocab[w]]))[:_FUZZY_LIMIT]
        return [(w, found[w]) for w in best]

    def _expand(self, word: str, is_prefix: bool, *, allow_fuzzy: bool = True) -> _Expansion:
        key = (word, is_prefix, allow_fuzzy)
        hit = self._pinned.get(key) if len(word) == 1 else self._expcache.get_(key)
        if hit is not None:
            return hit
        vocab = self.vocab
        exact: list[int] = []
        exact_words: set[str] = set()
        splits: list[tuple[int, int]] = []
        known = vocab.__contains__
        forms = [word, *self.spellings.variants(word, known)]
        for w in forms:
            if " " in w:  # a variant in two words ("per cent")
                a, _, b = w.partition(" ")
                if a in vocab and b in vocab:
                    splits.append((vocab[a], vocab[b]))
                    exact_words.update((a, b))
                continue
            t = vocab.get(w)
            if t is not None:
                exact.append(t)
                exact_words.add(w)
        # the word written in two ("vietnam" -> "viet nam")
        if len(word) >= 6 and not word.isdigit():
            for i in range(3, len(word) - 2):
                a, b = word[:i], word[i:]
                if a in vocab and b in vocab:
                    splits.append((vocab[a], vocab[b]))
                    exact_words.update((a, b))
                    if len(splits) >= _MAX_SPLITS:
                        break
        prefix_ids: list[int] = []
        prefixes: list[str] = []
        if is_prefix:
            for p in (word, *self.spellings.prefix_variants(word)):
                ids = self._prefix_tokens(p)
                if ids:
                    prefix_ids.extend(i for i in ids if i not in exact)
                    prefixes.append(p)
        fuzzy_ids: list[int] = []
        far_ids: list[int] = []
        if allow_fuzzy and not exact and not splits and not prefix_ids and not word.isdigit():
            k = _typo_budget(len(word))
            for w, dist in self._fuzzy(word, k, prefix=is_prefix):
                (fuzzy_ids if dist <= 1 else far_ids).append(vocab[w])
                exact_words.add(w)
        ex = _Expansion(exact, prefix_ids, fuzzy_ids + far_ids, splits, exact_words, prefixes)
        ex.e_any = self._or_bits(exact, False)
        ex.e_about = self._or_bits(exact, True)
        for a, b in splits:
            ex.e_any |= self._bits(a, False) & self._bits(b, False)
            ex.e_about |= self._bits(a, True) & self._bits(b, True)
        ex.marks = dict.fromkeys(exact_words, 0)
        if prefix_ids:
            ex.p_any = self._or_bits(prefix_ids, False)
            ex.p_about = self._or_bits(prefix_ids, True)
            words_ = self.words
            for t in prefix_ids:
                w = words_[t]
                if w not in ex.marks:
                    ex.marks[w] = max((len(p) for p in prefixes if w.startswith(p)), default=len(word))
        if fuzzy_ids:
            ex.f_any = self._or_bits(fuzzy_ids, False)
            ex.f_about = self._or_bits(fuzzy_ids, True)
        if far_ids:
            ex.g_any = self._or_bits(far_ids, False)
            ex.g_about = self._or_bits(far_ids, True)
        if len(word) == 1:
            self._pinned[key] = ex  # the first keystroke of every query: keep them all
        else:
            self._expcache.put(key, ex)
        return ex

    # ------------------------------------------------------------------ filters
    def _filter_bits(self, q: Query) -> int | None:
        """Documents allowed by the filters (None: no filter)."""
        out: int | None = None

        def narrow(b: int) -> None:
            nonlocal out
            out = b if out is None else out & b

        if q.kinds:
            b = 0
            for v in q.kinds:
                v = v[:-3] + "y" if v.endswith("ies") else v[:-1] if v.endswith("s") else v
                for name, bits in self.kind_bits.items():
                    if v and name.startswith(v):
                        b |= bits
            narrow(b)
        if q.types:
            b = 0
            for v in q.types:
                forms = {v, v.replace(" ", ""), *self.spellings.variants(v, lambda w: True)}
                for ty, bits in self.type_bits.items():
                    if any(ty.startswith(f) or f.startswith(ty) for f in forms if f):
                        b |= bits
            narrow(b)
        for v in q.entities:
            narrow(self._entity_filter(v))
        for r in q.after:
            narrow(self._date_ge_hi(r.hi + 1))
        for r in q.before:
            narrow(self._date_le_lo(r.lo - 1))
        for r in q.within:
            narrow(self._date_ge_hi(r.lo) & self._date_le_lo(r.hi))
        return out

    def _matching_entities(self, value: str) -> list[int]:
        """Entity docs whose name or an alias matches ``value`` (folded words)."""
        key = "".join(value.split())
        docs: list[int] = list(self.name_keys.get(key, ()))
        if not docs and len(key) >= 2:
            sk = self.sorted_keys
            i = bisect.bisect_left(sk, key)
            while i < len(sk) and sk[i].startswith(key) and len(docs) < 64:
                docs.extend(self.name_keys[sk[i]])
                i += 1
        if not docs:
            for k in self._fuzzy_words(key, _typo_budget(len(key)), keys=True):
                docs.extend(self.name_keys[k])
        if not docs:
            b = self.kind_bits.get(ENTITY_KIND, 0)
            ws = value.split()
            for j, w in enumerate(ws):
                ex = self._expand(w, j == len(ws) - 1, allow_fuzzy=True)
                b &= ex.e_about | ex.p_about | ex.f_about | ex.g_about
                if not b:
                    break
            docs = rank.iter_bits(b, 64)
        return docs

    def _entity_filter(self, value: str) -> int:
        ck = ("entity", value)
        hit = self._filtercache.get_(ck)
        if hit is not None:
            return hit
        posts = []
        for dd in self._matching_entities(value):
            docs = self.entity_docs.get(self.doc_obj[dd].id)
            if docs is not None:
                posts.append(docs)
        b = rank.union_of(posts)
        self._filtercache.put(ck, b)
        return b

    def _date_codes(self, which: str) -> tuple[list[int], bytes, bytes]:
        """For ``doc_hi`` or ``doc_lo``: the distinct days, and each doc's day rank as two
        byte strings (low and high byte), so that a date filter is a few byte translations."""
        if self._date_index is None:
            self._date_index = {}
        got = self._date_index.get(which)
        if got is None:
            values = self.doc_hi if which == "hi" else self.doc_lo
            days = sorted(set(values))
            if len(days) > 65536:  # 180 years of days: not real dates; approximate the rest
                days = days[:65536]
                rank_of = {o: i for i, o in enumerate(days)}
                ranks = array("H", (rank_of.get(o, 65535) for o in values))
            else:
                rank_of = {o: i for i, o in enumerate(days)}
                ranks = array("H", map(rank_of.__getitem__, values))
            raw = ranks.tobytes()
            if ranks.itemsize == 2 and sys.byteorder == "little":
                low, high = raw[0::2], raw[1::2]
            else:
                low = bytes(r & 255 for r in ranks)
                high = bytes(r >> 8 for r in ranks)
            got = self._date_index[which] = (days, low, high)
        return got

    def _rank_at_least(self, which: str, r: int) -> int:
        """Docs whose day rank (in ``which``) is at least ``r``."""
        days, low, high = self._date_codes(which)
        if r <= 0:
            return self._all
        if r > len(days) - 1:
            return 0
        hb, lb = r >> 8, r & 255
        out = rank.bytes_where(high, lambda v: v > hb)
        if lb:
            out |= rank.bytes_where(high, lambda v: v == hb) & rank.bytes_where(low, lambda v: v >= lb)
        else:
            out |= rank.bytes_where(high, lambda v: v == hb)
        return out

    def _date_ge_hi(self, x: int) -> int:
        """Docs whose date span ends on or after day ``x``."""
        ck = ("ge", x)
        hit = self._filtercache.get_(ck)
        if hit is None:
            days, _, _ = self._date_codes("hi")
            # (the unknown date, 0, ranks first: never on or after a real day)
            hit = self._rank_at_least("hi", bisect.bisect_left(days, x))
            self._filtercache.put(ck, hit)
        return hit

    def _date_le_lo(self, x: int) -> int:
        """Docs whose date span starts on or before day ``x``."""
        ck = ("le", x)
        hit = self._filtercache.get_(ck)
        if hit is None:
            days, _, _ = self._date_codes("lo")
            r = bisect.bisect_right(days, x)  # ranks < r have lo <= x
            hit = self._all ^ self._rank_at_least("lo", r) if r > 0 else 0
            self._filtercache.put(ck, hit)
        return hit

    # ------------------------------------------------------------------ search
    def search(self, query: str, limit: int = 50) -> list[Hit]:
        """The best ``limit`` hits for what was typed. Never raises."""
        try:
            with self._lock:
                return self._search(parse_query(query), limit)
        except Exception:  # noqa: BLE001 - a search box must not crash the app
            return []

    def _search(self, q: Query, limit: int) -> list[Hit]:
        limit = int(limit)
        if limit <= 0 or q.is_empty or not self.n_docs:
            return []
        docs, scores, exps = self._rank(q, limit)
        marker = _Marker(exps, self._entity_words, self._entity_word_set)
        return [self._hit(d, scores.get(d, 0), marker) for d in docs]

    def _rank(self, q: Query, limit: int) -> tuple[list[int], dict[int, int], list[_Expansion]]:
        stop = self.stopwords
        terms = [t for t in q.terms if t.prefix or t.text not in stop]
        if not terms and not q.has_filters:
            return [], {}, []
        exps = [self._expand(t.text, t.prefix) for t in terms]
        # a word joined with the next one ("viet nam" -> "vietnam") matches both
        joins: list[tuple[int, int, int, int]] = [(0, 0, 0, 0)] * len(terms)
        join_exps: list[_Expansion] = []
        for i in range(len(terms) - 1):
            a, b = terms[i], terms[i + 1]
            jx = self._expand(a.text + b.text, b.prefix, allow_fuzzy=False)
            if jx.e_any or jx.p_any:
                join_exps.append(jx)
                for j in (i, i + 1):
                    e_any, e_ab, p_any, p_ab = joins[j]
                    joins[j] = (e_any | jx.e_any, e_ab | jx.e_about, p_any | jx.p_any, p_ab | jx.p_about)
        total: list[int] = []
        count: list[int] = []
        universe = 0
        for ex, (je, jea, jp, jpa) in zip(exps, joins):
            # per word: quality q = 4 exact, 3 prefix, 2 one typo, 1 two typos (the best
            # way the doc matches it), value 2q + (1 if it matches "about" the doc)
            e = ex.e_any | je
            p = ex.p_any | jp
            f = ex.f_any
            g = ex.g_any
            about = ex.e_about | jea | ex.p_about | jpa | ex.f_about | ex.g_about
            matched = e | p | f | g
            if not matched:
                continue
            t1 = p | f
            g_only = g ^ (g & f)
            t0 = p | g_only
            total = rank.add(total, [about, t0 ^ (t0 & e), t1 ^ (t1 & e), e])
            count = rank.increment(count, matched)
            universe |= matched
        if terms:
            bonus = self._name_bonus(q.terms, exps)
            if bonus:
                total = rank.add(total, [0, bonus & universe])
        else:
            universe = self._all
        filt = self._filter_bits(q)
        if filt is not None:
            universe &= filt
        for ws in q.excludes:
            ws = [w for w in ws if w not in stop]
            if not ws:
                continue
            x = self._all
            for w in ws:
                ex = self._expand(w, False, allow_fuzzy=False)
                x &= ex.e_any
            universe ^= universe & x
        for ph in q.phrases:
            ws = ph.split()
            for j, w in enumerate(ws):
                last = j == len(ws) - 1
                if w in stop and not last:
                    continue
                ex = self._expand(w, last, allow_fuzzy=False)
                universe &= ex.e_any | ex.p_any
        if not universe:
            return [], {}, exps + join_exps
        width = (9 * len(terms) + _ENTITY_BONUS).bit_length()
        slices = (total + [0] * width)[:width] + count
        docs = rank.top_k(slices, universe, limit)
        if q.phrases:
            for _ in range(16):
                bad = [d for d in docs if not self._has_phrases(d, q.phrases)]
                if not bad:
                    break
                universe ^= rank.bits_of(bad)
                docs = rank.top_k(slices, universe, limit)
            docs = [d for d in docs if self._has_phrases(d, q.phrases)]
        scores = rank.values(slices, docs)
        docs.sort(key=lambda d: (-scores[d], d))
        return docs, scores, exps + join_exps

    def _name_bonus(self, terms: list[Term], exps: list[_Expansion]) -> int:
        """Entity docs whose whole name or alias is what was typed."""
        docs: set[int] = set()
        keys = self.name_keys
        n = len(terms)
        for i in range(n):
            for j in range(i + 1, n + 1):
                key = "".join(t.text for t in terms[i:j])
                if key in keys:
                    docs.update(keys[key])
                elif j == n and terms[-1].prefix and len(key) >= 3:
                    sk = self.sorted_keys
                    k = bisect.bisect_left(sk, key)
                    c = 0
                    while k < len(sk) and sk[k].startswith(key) and c < 32:
                        docs.update(keys[sk[k]])
                        k += 1
                        c += 1
        for ex in exps:
            for w in ex.exact_words:
                if w in keys:
                    docs.update(keys[w])
        if n > 1:
            whole = "".join(t.text for t in terms)
            if whole not in keys and len(whole) >= 6:
                for k in self._fuzzy_words(whole, _typo_budget(len(whole)), keys=True):
                    docs.update(keys[k])
        return rank.bits_of(docs) if docs else 0

    def _doc_texts(self, d: int) -> list[str]:
        o = self.doc_obj[d]
        if isinstance(o, Entity):
            return [o.name, *o.aliases]
        if isinstance(o, Passage):
            a = self.kb.article(o.article)
            return [a.text[o.start : o.end]] if a is not None else []
        out = [o.text]
        a = self.kb.article(o.article)
        if a is not None and o.sentence and len(o.sentence) == 2:
            out.append(a.text[o.sentence[0] : o.sentence[1]])
        if o.summary:
            out.append(o.summary)
        for eid in o.entities:
            e = self.kb.entity(eid)
            if e is not None:
                out.extend((e.name, *e.aliases))
        return out

    def _has_phrases(self, d: int, phrases: list[str]) -> bool:
        texts = [" " + fold(t) for t in self._doc_texts(d)]
        return all(any(f" {p}" in t for t in texts) for p in phrases)

    # ------------------------------------------------------------------ hits
    def _passage(self, d: int) -> tuple[str, int, int, int, int]:
        """(article id, start, end, passage start, passage end) of a document."""
        o = self.doc_obj[d]
        if isinstance(o, Entity):
            mi = self.doc_mention[d]
            m = o.mentions[mi]
            a = self.kb.article(m.article)
            text = a.text if a is not None else ""
            ps, pe = _sentence_around(text, m.start, m.end)
            return m.article, m.start, m.end, ps, pe
        if isinstance(o, Passage):
            return o.article, o.start, o.end, o.start, o.end
        a = self.kb.article(o.article)
        n = len(a.text) if a is not None else 0
        s, e = o.sentence if o.sentence and len(o.sentence) == 2 else (o.start, o.end)
        if not (0 <= s <= o.start and o.end <= e <= n):
            s, e = max(0, min(s, o.start)), min(n, max(e, o.end))
        return o.article, o.start, o.end, s, e

    def passage(self, hit: Hit) -> tuple[int, int]:
        """The passage (sentence) to show for a hit: offsets into its article's text."""
        a = self.kb.article(hit.article)
        text = a.text if a is not None else ""
        if hit.kind == PASSAGE_KIND:
            return hit.start, hit.end
        if hit.kind == "fact":
            f = self.kb.fact(hit.id)
            if f is not None and f.sentence and len(f.sentence) == 2:
                s, e = f.sentence
                if 0 <= s <= hit.start and hit.end <= e <= len(text):
                    return s, e
            return hit.start, hit.end
        return _sentence_around(text, hit.start, hit.end)

    def _hit(self, d: int, score: int, marker: _Marker) -> Hit:
        o = self.doc_obj[d]
        art, start, end, ps, pe = self._passage(d)
        matches = self._matches(art, ps, pe, start, end, marker)
        if isinstance(o, Entity):
            label = one_line(f"{o.type}: {o.name}")
            return Hit("entity", o.id, float(score), art, start, end, matches, label)
        if isinstance(o, Passage):
            a = self.kb.article(art)
            snippet = a.text[start:end] if a is not None else ""
            label = one_line(f"passage: {snippet}")
            if len(label) > 120:
                label = label[:119] + "\u2026"
            return Hit(PASSAGE_KIND, o.id, float(score), art, start, end, matches, label)
        return Hit("fact", o.id, float(score), art, start, end, matches, one_line(_fact_label(o, self.kb)))

    def _matches(self, art: str, ps: int, pe: int, start: int, end: int, marker: _Marker) -> list[tuple[int, int]]:
        marks = marker.marks
        if not marks:
            return []
        lo, hi = min(ps, start), max(pe, end)
        toks = self._passage_tokens(art, lo, hi)
        if toks is None:
            return []
        text = toks[0]
        spans: list[tuple[int, int]] = []
        get = marks.get
        for tok, s, e in toks[1]:
            n = get(tok)
            if n is not None:
                spans.append((s, e) if n == 0 else (s, prefix_end(text, s, e, n)))
        # an entity found through another of its names (acronym, full name): mark its mention
        if marker.entity_words:
            named = marker.named
            ms = self.kb.mentions_in(art)
            i = bisect.bisect_left(ms, lo, key=_mention_start)
            while i < len(ms) and ms[i].start < hi:
                m = ms[i]
                i += 1
                v = named.get(m.entity)
                if v is None:
                    v = marker.names_entity(m.entity)
                if v and m.end <= hi and not any(s < m.end and m.start < e for s, e in spans):
                    spans.append((m.start, m.end))
        return _merge(spans)

    def _passage_tokens(self, art: str, lo: int, hi: int):
        """``(article text, [(token, start, end), ...])`` for a passage, cached."""
        key = (art, lo, hi)
        got = self._spancache.get(key)
        if got is None:
            a = self.kb.article(art)
            if a is None:
                return None
            if len(self._spancache) > 8192:
                self._spancache.clear()
            got = self._spancache[key] = (a.text, span_tokens(a.text[lo:hi], lo))
        return got

    def _entity_words(self, entity_id: str) -> list[frozenset[str]]:
        """The words of each name and alias of an entity (stopwords left out)."""
        w = self._entwords.get(entity_id)
        if w is None:
            ent = self.kb.entity(entity_id)
            w = []
            if ent is not None:
                for nm in (ent.name, *ent.aliases):
                    ws = frozenset(index_tokens(nm)) - self.stopwords
                    if ws:
                        w.append(ws)
            self._entwords[entity_id] = w
        return w

    # ------------------------------------------------------------------ did you mean
    def suggest(self, query: str) -> str | None:
        """The query with each unknown word replaced by the closest vocabulary word, or None."""
        try:
            with self._lock:
                return self._suggest(parse_query(query))
        except Exception:  # noqa: BLE001
            return None

    def _suggest(self, q: Query) -> str | None:
        changed = False
        out: list[str] = []
        term_at = {t.text: t for t in q.terms}
        for kind, text in q.parts:
            if kind != "word":
                out.append(text)
                continue
            t = term_at.get(text)
            w = text
            if text not in self.vocab and not (t and t.prefix and self._prefix_tokens(text)):
                best = self._closest(text)
                if best and best != text:
                    w, changed = best, True
            out.append(w)
        return " ".join(out) if changed else None

    def _closest(self, word: str) -> str | None:
        if word.isdigit() or len(word) < 3:
            return None
        for k in (1, 2, 3):
            if k > max(1, len(word) // 3):
                break
            found = self._fuzzy_words(word, k)
            if found:
                return found[0]
        # anywhere in the vocabulary (first letter wrong too)
        cands = [w for w in self.sorted_vocab if abs(len(w) - len(word)) <= 2]
        m = rf_process.extractOne(word, cands, scorer=OSA.distance, score_cutoff=max(1, len(word) // 3))
        return m[0] if m else None


_consume = deque(maxlen=0).extend


class _Flusher:
    """Turns long postings into bitsets a chunk at a time while the index is built.

    Frequent tokens end up as bitsets anyway; converting them only at the end would first
    hold all of their documents as 4-byte numbers (hundreds of MB at a million facts).
    Every so often the postings longer than ``_FLUSH_LEN`` are ORed into a bitset and
    emptied. One flag byte per document is set at C speed in a buffer shared by all
    tokens, and only the window of documents the chunk spans is gathered into bits, so
    the total work is what one conversion at the end would cost.
    """

    def __init__(self, any_post: list, about_post: list) -> None:
        self.posts = (any_post, about_post)
        self.bits: tuple[dict[int, int], dict[int, int]] = ({}, {})
        self.counts: tuple[dict[int, int], dict[int, int]] = ({}, {})
        self.flags = bytearray()

    def bits_of(self, p: array) -> int:
        """The bitset of a sorted, non-empty ``array('I')`` of documents."""
        lo = p[0] & -_BLOCK
        hi = (p[-1] | (_BLOCK - 1)) + 1
        flags = self.flags
        if len(flags) < hi:
            flags.extend(bytes(hi - len(flags)))
        _consume(map(flags.__setitem__, p, repeat(1)))
        # gathered a block at a time: one size of masks, and no number larger than the result
        m1, m2, m3 = rank._gather_masks(_BLOCK)
        zeros = _ZERO_BITS
        parts = []
        find = flags.find
        for b in range(lo, hi, _BLOCK):
            if find(1, b, b + _BLOCK) < 0:
                parts.append(zeros)
                continue
            x = int.from_bytes(flags[b : b + _BLOCK], "little")
            x = (x | (x >> 7)) & m1
            x = (x | (x >> 14)) & m2
            x = (x | (x >> 28)) & m3
            parts.append(x.to_bytes(_BLOCK, "little")[::8])
        flags[lo:hi] = bytes(hi - lo)
        return int.from_bytes(b"".join(parts), "little") << lo

    def flush(self) -> None:
        for posts, bits, counts in zip(self.posts, self.bits, self.counts):
            for t in [t for t, n in enumerate(map(len, posts)) if n >= _FLUSH_LEN]:
                p = posts[t]
                bits[t] = bits.get(t, 0) | self.bits_of(p)
                counts[t] = counts.get(t, 0) + len(p)
                posts[t] = array("I")

    def finish(self, df: array, dense: int) -> None:
        """Document frequencies into ``df``; tokens in ``dense`` documents or more (and those
        already flushed) become bitsets, the others keep their array."""
        for which, posts in enumerate(self.posts):
            bits, counts = self.bits[which], self.counts[which]
            for t in range(len(posts)):
                p = posts[t]
                n = len(p) + counts.get(t, 0)
                if which == 0:
                    df.append(n)
                b = bits.get(t)
                if b is not None:
                    posts[t] = b | self.bits_of(p) if p else b
                elif n >= dense:
                    posts[t] = self.bits_of(p)
        self.flags = bytearray()


def _add_doc(posts: list, ids, d: int) -> None:
    """Append doc ``d`` to the postings of every token id in ``ids`` (at C speed)."""
    _consume(map(array.append, map(posts.__getitem__, ids), repeat(d)))


def _arr(table: dict, key) -> array:
    a = table.get(key)
    if a is None:
        a = table[key] = array("I")
    return a


def _span_len(f: Fact) -> int:
    return f.end - f.start


class _Marker:
    """What to mark in the passages of one query's hits."""

    __slots__ = ("marks", "_entity_words", "named", "entity_words")

    def __init__(
        self,
        exps: list[_Expansion],
        entity_words: Callable[[str], list[frozenset[str]]],
        all_entity_words: frozenset[str] = frozenset(),
    ) -> None:
        self.marks: dict[str, int] = {}
        for ex in exps:
            for w, n in ex.marks.items():
                old = self.marks.get(w)
                self.marks[w] = n if old is None else (0 if old == 0 or n == 0 else max(old, n))
        self._entity_words = entity_words
        self.named: dict[str, bool] = {}
        # whether any marked word is a word of some entity's name at all
        self.entity_words = not all_entity_words.isdisjoint(self.marks)

    def names_entity(self, entity_id: str) -> bool:
        """The query names this entity: all the words of one of its names are marked."""
        hit = self.named.get(entity_id)
        if hit is None:
            marks = self.marks.keys()
            hit = self.named[entity_id] = any(ws <= marks for ws in self._entity_words(entity_id))
        return hit


def _mention_start(m) -> int:
    return m.start


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if e <= s:
            continue
        if out and s <= out[-1][1]:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def _sentence_around(text: str, start: int, end: int, limit: int = 400) -> tuple[int, int]:
    """A sentence-like passage around ``text[start:end]``."""
    lo = max(0, start - limit)
    s = start
    while s > lo:
        ch = text[s - 1]
        if ch == "\n" or (ch in " \u00a0" and s >= 2 and text[s - 2] in ".!?"):
            break
        s -= 1
    hi = min(len(text), end + limit)
    e = end
    while e < hi:
        ch = text[e]
        if ch == "\n":
            break
        e += 1
        if ch in ".!?" and (e >= len(text) or text[e].isspace()):
            break
    while s < start and text[s].isspace():
        s += 1
    return s, e


def _fact_label(f: Fact, kb: KnowledgeBase) -> str:
    text = f.text
    if f.kind == "quantity":
        v = f.value
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        extra = " ".join(str(x) for x in (v, f.unit) if x not in (None, ""))
        return f"quantity: {text}" + (f" = {extra}" if extra and str(v) not in text else "")
    if f.kind == "date":
        return f"date: {text}" + (f" = {f.value}" if f.value and str(f.value) != text else "")
    if f.kind == "role":
        who = kb.entity(f.entities[0]).name if f.entities and kb.entity(f.entities[0]) else ""
        return f"role: {who}, {f.value or text}" if who else f"role: {f.value or text}"
    if f.kind == "event":
        when = f" ({f.value})" if f.value else ""
        return f"event: {f.summary or text}{when}"
    return f"{f.kind}: {text}"

