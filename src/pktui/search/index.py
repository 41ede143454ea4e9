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
  are not indexed. The facts of one sentence are consecutive documents, a *unit*, and
  the sentence's words are posted in ``any`` for the unit's first document only:
  :meth:`SearchIndex._spread` copies them over the unit when a token's bits are read.
  How the index is built fast: :mod:`pktui.search.build`.
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
import sys
import threading
from array import array
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

from rapidfuzz import process as rf_process
from rapidfuzz.distance import OSA

from pktui.knowledge.base import KnowledgeBase
from pktui.model import Entity, Fact
from pktui.search import rank
from pktui.search.docs import ENTITY_KIND, PASSAGE_KIND, Passage
from pktui.search.malloc import keep_large_blocks, release_free_memory
from pktui.search.query import Query, Term, parse_query
from pktui.search.spelling import Spellings, default_spellings, default_stopwords
from pktui.search.tokens import index_tokens, prefix_end, span_tokens
from pktui.text import fold, one_line

_ENTITY_BONUS = 2
_FUZZY_LIMIT = 12
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


def _nbytes(value) -> int:
    if value.__class__ is int:
        return value.bit_length() >> 3
    if isinstance(value, _Expansion):
        return (
            sum(
                b.bit_length()
                for b in (
                    value.e_any,
                    value.e_about,
                    value.p_any,
                    value.p_about,
                    value.f_any,
                    value.f_about,
                    value.g_any,
                    value.g_about,
                )
            )
            >> 3
        )
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
        self.doc_obj: list[Fact | Entity | None] = []  # None: a passage (see doc_obj_of)
        self.doc_kind = array("B")
        self.doc_art = array("i")
        self.doc_lo = array("i")
        self.doc_hi = array("i")
        # entity docs: index of their best mention; passages: their number in passage_spans
        self.doc_ref = array("i")
        self.passage_spans = array("I")  # start, end of each passage (made when asked for)
        self.doc_unit = array("B")  # place of the doc in its unit (see _spread)
        self._spread_masks: list[tuple[int, int]] = []
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
        self.helper_peak_mb = 0.0  # peak memory of the build's helper process, if any
        self.peak_with_helper_mb = 0.0  # at most, while it ran: its peak and this one's then
        self._lock = threading.RLock()
        self._bitcache: _LRU = _LRU(4096, 8 << 20)
        self._expcache: _LRU = _LRU(512, 16 << 20)
        self._prefixcache: _LRU = _LRU(2048)
        self._filtercache: _LRU = _LRU(128, 24 << 20)
        self._pinned: dict[tuple, _Expansion] = {}
        self._spancache: dict[tuple[str, int, int], tuple] = {}
        self._entity_word_set: frozenset[str] = frozenset()
        self._buckets: dict[tuple[str, int], list[str]] | None = None
        self._key_buckets: dict[tuple[str, int], list[str]] | None = None
        self._date_index: tuple | None = None
        self._all = 0
        self._matched = 0  # documents the last query matched, for search_counted
        self._entwords: dict[str, list[frozenset[str]]] = {}

    # ------------------------------------------------------------------ building
    @classmethod
    def build(cls, kb: KnowledgeBase, progress: Callable[[int, int], None] | None = None) -> SearchIndex:
        """Index every fact and entity of ``kb``."""
        keep_large_blocks()
        self = cls(kb)
        gc_was_on = gc.isenabled()
        gc.disable()  # millions of small objects, no cycles: collections would only cost time
        try:
            from pktui.search.build import build_into

            build_into(self, progress)
        finally:
            if gc_was_on:
                gc.enable()
        release_free_memory()
        return self

    # ------------------------------------------------------------------ stats
    @property
    def n_facts(self) -> int:
        return self.n_docs - sum(self.kind_bits.get(k, 0).bit_count() for k in (ENTITY_KIND, PASSAGE_KIND))

    # ------------------------------------------------------------------ bitsets of tokens
    def _raw_bits(self, tid: int, about: bool) -> int:
        p = (self.about_post if about else self.any_post)[tid]
        if type(p) is int:
            return p
        if not p:
            return 0
        key = (tid << 2) | about
        b = self._bitcache.get_(key)
        if b is None:
            b = rank.union_of([p])
            self._bitcache.put(key, b)
        return b

    def _bits(self, tid: int, about: bool) -> int:
        """The documents that hold token ``tid`` (``about`` them, or anywhere)."""
        if about:
            return self._raw_bits(tid, True)
        key = (tid << 2) | 2
        b = self._bitcache.get_(key)
        if b is None:
            b = self._spread(self._raw_bits(tid, False)) | self._raw_bits(tid, True)
            self._bitcache.put(key, b)
        return b

    def _or_bits(self, tids: list[int], about: bool) -> int:
        if len(tids) == 1:
            return self._bits(tids[0], about)
        about_bits = rank.union_of([self.about_post[t] for t in tids])
        if about:
            return about_bits
        return self._spread(rank.union_of([self.any_post[t] for t in tids])) | about_bits

    def _spread(self, x: int) -> int:
        """ "Anywhere" bits of whole units from those of their first documents.

        The facts of one sentence are consecutive documents, a *unit*; the sentence's
        words are posted for the unit's first document only (that halves the postings and
        the build). Each document knows its place in its unit (under ``_UNIT_MAX``), so
        copying the first bit over the unit is a few shifts: after shifting by 1, 2, 4, 8
        (each masked to the documents at least that far into their unit) every document
        holds its first's bit.
        """
        for shift, mask in self._spread_masks:
            x |= (x << shift) & mask
        return x

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
        except Exception:
            return []

    def search_counted(self, query: str, limit: int = 50) -> tuple[list[Hit], int]:
        """The best ``limit`` hits and how many documents matched in all (with a quoted phrase:
        how many hold its words, an upper bound). Never raises."""
        try:
            with self._lock:
                hits = self._search(parse_query(query), limit)
                return hits, max(len(hits), self._matched)
        except Exception:
            return [], 0

    def _search(self, q: Query, limit: int) -> list[Hit]:
        self._matched = 0
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
        self._matched = universe.bit_count()
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

    def doc_obj_of(self, d: int) -> Fact | Entity | Passage:
        """The fact, entity or passage of document ``d``."""
        o = self.doc_obj[d]
        if o is None:  # passages are many and small: kept as two numbers each
            k = self.doc_ref[d] << 1
            spans = self.passage_spans
            return Passage(self.articles[self.doc_art[d]].id, spans[k], spans[k + 1])
        return o

    def _doc_texts(self, d: int) -> list[str]:
        o = self.doc_obj_of(d)
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
        o = self.doc_obj_of(d)
        if isinstance(o, Entity):
            mi = self.doc_ref[d]
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
        o = self.doc_obj_of(d)
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
            if len(self._spancache) > 512:
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
            if len(self._entwords) > 4096:
                self._entwords.clear()
            self._entwords[entity_id] = w
        return w

    # ------------------------------------------------------------------ did you mean
    def suggest(self, query: str) -> str | None:
        """The query with each unknown word replaced by the closest vocabulary word, or None."""
        try:
            with self._lock:
                return self._suggest(parse_query(query))
        except Exception:
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


class _Marker:
    """What to mark in the passages of one query's hits."""

    __slots__ = ("_entity_words", "entity_words", "marks", "named")

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
