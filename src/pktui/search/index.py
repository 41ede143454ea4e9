"""The search index: every fact and entity, found by folded words in a few milliseconds.

Design (see the package docstring for the ranking rules):

* **Documents** are the facts and the entities, numbered *newest first* (by the article's
  publication date), so that among equal scores the lowest number wins. Per document we
  keep only the object and a few compact arrays (kind, article, date span).
* **Postings**: for every folded token, the documents that contain it, twice: ``any``
  (anywhere: the fact's own words, its entities' names and aliases, or its sentence) and
  ``about`` (the fact's own words and its entities -- a fact *about* the thing, not a
  passing mention). Rare tokens keep an ``array('I')`` of document numbers; frequent
  ones a bitset (a Python int), which is smaller for them.
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
import re
import threading
from array import array
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import repeat

from rapidfuzz import process as rf_process
from rapidfuzz.distance import OSA

from pktui.knowledge.base import KnowledgeBase
from pktui.model import Entity, Fact
from pktui.search import rank
from pktui.search.query import Query, Term, parse_query
from pktui.search.spelling import Spellings, default_spellings, default_stopwords
from pktui.search.tokens import index_tokens, joined, prefix_end, span_tokens
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
_MAX_SPLITS = 3


def _prefix_limit(n: int) -> int:
    return 12 if n == 1 else 32 if n == 2 else 64


def _typo_budget(n: int) -> int:
    return 0 if n < 4 else 1 if n <= 6 else 2


@dataclass(slots=True)
class Hit:
    kind: str  # "fact" or "entity"
    id: str  # fact id or entity id
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
    out: list[tuple[int, int]] = []
    abbrev = _abbreviations()
    s = start
    for m in _SENT_END.finditer(text, start, end):
        if m.group() != "\n" and m.group().startswith("."):
            w = _LAST_WORD.search(text, max(start, m.start() - 24), m.start())
            word = w.group(1).lower().rstrip(".") if w else ""
            if len(word) == 1 or word in abbrev:
                continue
        out.append((s, m.end() if m.group() != "\n" else m.start()))
        s = m.end()
    out.append((s, end))
    spans = []
    for a, b in out:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b - a >= 3 and any(ch.isalnum() for ch in text[a:b]):
            spans.append((a, b))
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


class _LRU(OrderedDict):
    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def get_(self, key):
        v = self.get(key)
        if v is not None:
            self.move_to_end(key)
        return v

    def put(self, key, value) -> None:
        self[key] = value
        self.move_to_end(key)
        while len(self) > self.size:
            self.popitem(last=False)


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
        self.articles = list(kb.articles)
        self.n_docs = 0
        self._lock = threading.RLock()
        self._bitcache: _LRU = _LRU(512)
        self._expcache: _LRU = _LRU(256)
        self._prefixcache: _LRU = _LRU(512)
        self._filtercache: _LRU = _LRU(64)
        self._buckets: dict[tuple[str, int], list[str]] | None = None
        self._key_buckets: dict[tuple[str, int], list[str]] | None = None
        self._date_index: tuple | None = None
        self._all = 0
        self._entwords: dict[str, frozenset[str]] = {}

    # ------------------------------------------------------------------ building
    @classmethod
    def build(cls, kb: KnowledgeBase, progress: Callable[[int, int], None] | None = None) -> SearchIndex:
        """Index every fact and entity of ``kb``."""
        _tune_malloc()
        self = cls(kb)
        self._build(progress)
        return self

    def _tid(self, tok: str) -> int:
        tid = self.vocab.get(tok)
        if tid is None:
            tid = self.vocab[tok] = len(self.any_post)
            self.any_post.append(array("I"))
            self.about_post.append(array("I"))
        return tid

    def _ids(self, toks: list[str]) -> tuple[int, ...]:
        """Token ids (new tokens get one; stopwords are left out)."""
        ids = list(map(self.vocab.get, toks))
        if None in ids:
            tid = self._tid
            ids = [tid(t) for t in toks]
        out = dict.fromkeys(ids)
        out.pop(-1, None)
        return tuple(out)

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

        ent_tok_cache: dict[int, tuple[int, ...]] = {}
        ent_types = [e.type for e in kb.entities]

        def ent_toks(ei: int) -> tuple[int, ...]:
            t = ent_tok_cache.get(ei)
            if t is None:
                e = kb.entities[ei]
                toks = index_tokens(e.name)
                for a in e.aliases:
                    toks.extend(index_tokens(a))
                t = ent_tok_cache[ei] = self._ids(toks)
            return t

        str_cache: dict[object, tuple[int, ...]] = {}

        def date_toks(v: str) -> tuple[int, ...]:
            key = ("d", v)
            t = str_cache.get(key)
            if t is None:
                t = str_cache[key] = self._ids(_date_words(v))
            return t

        def value_toks(v: object) -> tuple[int, ...]:
            key = ("v", v)
            t = str_cache.get(key)
            if t is None:
                t = str_cache[key] = self._ids(_value_words(v))
            return t

        def str_toks(s: str) -> tuple[int, ...]:
            t = str_cache.get(s)
            if t is None:
                if len(str_cache) > 200_000:
                    str_cache.clear()
                t = str_cache[s] = self._ids(index_tokens(s))
            return t

        any_post, about_post = self.any_post, self.about_post
        kind_code: dict[str, int] = {ENTITY_KIND: 0}
        kind_docs: dict[int, array] = {0: array("I")}
        type_docs: dict[str, array] = {}
        ent_docs: dict[int, array] = {}
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
                _arr(type_docs, e.type).append(d)
                _arr(ent_docs, ei).append(d)
                self.entity_doc[e.id] = d
                d += 1
            # --- fact docs, a sentence at a time (its facts get consecutive numbers)
            text = arts[ai].text if ai >= 0 else ""
            n_text = len(text)
            mentions = kb.mentions_in(arts[ai].id) if ai >= 0 else []
            m_starts = [m.start for m in mentions]

            def mention_toks(s: int, e_: int, seen_e: set[str]) -> list[int]:
                i = bisect.bisect_left(m_starts, s)
                extra: list[int] = []
                while i < len(mentions) and mentions[i].start < e_:
                    eid = mentions[i].entity
                    if eid not in seen_e:
                        seen_e.add(eid)
                        ei = ent_index.get(eid)
                        if ei is not None:
                            extra.extend(ent_toks(ei))
                    i += 1
                return extra

            keyed = []
            for f in facts:
                sent = f.sentence
                if not (sent and len(sent) == 2 and 0 <= sent[0] <= f.start and f.end <= sent[1] <= n_text):
                    sent = (f.start, f.end)
                keyed.append((sent[0], sent[1], f.end - f.start, f.start, id(f), sent, f))
            keyed.sort(key=_first_four)
            covered: list[tuple[int, int]] = []
            n_keyed = len(keyed)
            i = 0
            while i < n_keyed:
                sent = keyed[i][5]
                j = i + 1
                while j < n_keyed and keyed[j][5] == sent:
                    j += 1
                s, e_ = sent
                covered.append(sent)
                seen_e: set[str] = set()
                stoks = self._ids(index_tokens(text[s:e_]))
                extra = mention_toks(s, e_, seen_e)
                sset = set(stoks)
                sset.update(extra)
                _add_range(any_post, sset, range(d, d + j - i))
                for k in range(i, j):
                    f = keyed[k][6]
                    own: set[int] = set(str_toks(f.text))
                    kind = f.kind
                    v = f.value
                    if kind == "date" or kind == "event":
                        if isinstance(v, str):
                            own.update(date_toks(v))
                    elif v is not None:
                        own.update(str_toks(v) if isinstance(v, str) else value_toks(v))
                    if f.unit:
                        own.update(str_toks(f.unit))
                    if f.summary:
                        own.update(str_toks(f.summary))
                    if f.detail and kind == "quantity":
                        own.update(str_toks(f.detail))
                    if f.date:
                        own.update(date_toks(f.date))
                    ftypes: set[str] = set()
                    for eid in f.entities:
                        ei = ent_index.get(eid)
                        if ei is not None:
                            own.update(ent_toks(ei))
                            ftypes.add(ent_types[ei])
                            _arr(ent_docs, ei).append(d)
                    _add_doc(about_post, own, d)
                    _add_doc(any_post, own.difference(sset), d)
                    code = code_of(kind)
                    for ty in ftypes:
                        _arr(type_docs, ty).append(d)
                    # effective date: the fact's own date when it has one, else the article's
                    dv = v if (kind == "date" or kind == "event") and isinstance(v, str) else f.date
                    lo, hi = _date_span(dv) if dv else (_NO_DATE_LO, _NO_DATE_HI)
                    if hi == _NO_DATE_HI:
                        lo, hi = lo0, hi0
                    doc_obj.append(f)
                    doc_kind.append(code)
                    doc_art.append(ai)
                    doc_lo.append(lo)
                    doc_hi.append(hi)
                    doc_mention.append(-1)
                    d += 1
                i = j
            # --- passages: sentences with no fact in them
            if ai < 0:
                continue
            for gs, ge in _uncovered(covered, n_text):
                for ps, pe in _gap_sentences(text, gs, ge):
                    seen: set[str] = set()
                    ids = set(self._ids(index_tokens(text[ps:pe])))
                    ids.update(mention_toks(ps, pe, seen))
                    if not ids:
                        continue
                    _add_doc(any_post, ids, d)
                    code = code_of(PASSAGE_KIND)
                    ptypes = set()
                    for eid in seen:
                        ei = ent_index.get(eid)
                        if ei is not None:
                            _arr(ent_docs, ei).append(d)
                            ptypes.add(ent_types[ei])
                    for ty in ptypes:
                        _arr(type_docs, ty).append(d)
                    doc_obj.append(Passage(arts[ai].id, ps, pe))
                    doc_kind.append(code)
                    doc_art.append(ai)
                    doc_lo.append(lo0)
                    doc_hi.append(hi0)
                    doc_mention.append(-1)
                    d += 1
        if progress is not None:
            progress(total, total)
        self.n_docs = d
        self._all = (1 << d) - 1

        # frequent tokens become bitsets
        dense = max(256, d >> 6)
        df = self.df
        for t in range(len(any_post)):
            p = any_post[t]
            df.append(len(p))
            if len(p) >= dense:
                any_post[t] = rank.bits_of(p)
            q = about_post[t]
            if len(q) >= dense:
                about_post[t] = rank.bits_of(q)
        self.kind_bits = {self.kind_names[c]: rank.bits_where(self.doc_kind, c) for c in kind_docs}
        self.type_bits = {ty: rank.bits_of(docs) for ty, docs in type_docs.items()}
        self.entity_docs = {kb.entities[ei].id: docs for ei, docs in ent_docs.items()}
        for w in self.stopwords:
            if self.vocab.get(w) == -1:
                del self.vocab[w]
        self.sorted_vocab = sorted(self.vocab)
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
            b = rank.bits_of(p)
            self._bitcache.put(key, b)
        return b

    def _or_bits(self, tids: list[int], about: bool) -> int:
        out = 0
        for t in tids:
            out |= self._bits(t, about)
        return out

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
        hit = self._expcache.get_(key)
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
        if prefix_ids:
            ex.p_any = self._or_bits(prefix_ids, False)
            ex.p_about = self._or_bits(prefix_ids, True)
        if fuzzy_ids:
            ex.f_any = self._or_bits(fuzzy_ids, False)
            ex.f_about = self._or_bits(fuzzy_ids, True)
        if far_ids:
            ex.g_any = self._or_bits(far_ids, False)
            ex.g_about = self._or_bits(far_ids, True)
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
        if not docs:
            sk = self.sorted_keys
            i = bisect.bisect_left(sk, key)
            while i < len(sk) and sk[i].startswith(key) and len(docs) < 200:
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
            docs = rank.iter_bits(b, 200)
        return docs

    def _entity_filter(self, value: str) -> int:
        ck = ("entity", value)
        hit = self._filtercache.get_(ck)
        if hit is not None:
            return hit
        b = 0
        for dd in self._matching_entities(value):
            e = self.doc_obj[dd]
            docs = self.entity_docs.get(e.id)
            if docs is not None:
                b |= rank.bits_of(docs)
        self._filtercache.put(ck, b)
        return b

    def _dates(self) -> tuple:
        if self._date_index is None:
            n = self.n_docs
            by_hi = sorted(range(n), key=self.doc_hi.__getitem__)
            by_lo = sorted(range(n), key=self.doc_lo.__getitem__)
            hi_keys = array("i", (self.doc_hi[i] for i in by_hi))
            lo_keys = array("i", (self.doc_lo[i] for i in by_lo))
            self._date_index = (array("I", by_hi), hi_keys, array("I", by_lo), lo_keys)
        return self._date_index

    def _date_ge_hi(self, x: int) -> int:
        """Docs whose date span ends on or after day ``x``."""
        ck = ("ge", x)
        hit = self._filtercache.get_(ck)
        if hit is not None:
            return hit
        by_hi, hi_keys, _, _ = self._dates()
        i = bisect.bisect_left(hi_keys, x)
        b = rank.bits_of(by_hi[i:])
        self._filtercache.put(ck, b)
        return b

    def _date_le_lo(self, x: int) -> int:
        """Docs whose date span starts on or before day ``x``."""
        ck = ("le", x)
        hit = self._filtercache.get_(ck)
        if hit is not None:
            return hit
        _, _, by_lo, lo_keys = self._dates()
        i = bisect.bisect_right(lo_keys, x)
        b = rank.bits_of(by_lo[:i])
        self._filtercache.put(ck, b)
        return b

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
        return [self._hit(d, scores.get(d, 0), exps) for d in docs]

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

    def _hit(self, d: int, score: int, exps: list[_Expansion]) -> Hit:
        o = self.doc_obj[d]
        art, start, end, ps, pe = self._passage(d)
        matches = self._matches(art, ps, pe, start, end, exps)
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

    def _matches(
        self, art: str, ps: int, pe: int, start: int, end: int, exps: list[_Expansion]
    ) -> list[tuple[int, int]]:
        a = self.kb.article(art)
        if a is None:
            return []
        text = a.text
        lo, hi = min(ps, start), max(pe, end)
        exact: set[str] = set()
        prefixes: set[str] = set()
        for ex in exps:
            exact |= ex.exact_words
            prefixes.update(ex.prefixes)
        spans: list[tuple[int, int]] = []
        for tok, s, e in span_tokens(text[lo:hi], lo):
            if tok in exact:
                spans.append((s, e))
            else:
                for p in prefixes:
                    if tok.startswith(p):
                        spans.append((s, prefix_end(text, s, e, len(p))))
                        break
        # an entity found through another of its names (acronym, full name): mark its mention
        if exact or prefixes:
            ms = self.kb.mentions_in(art)
            i = bisect.bisect_left(ms, lo, key=_mention_start)
            while i < len(ms) and ms[i].start < hi:
                m = ms[i]
                i += 1
                if m.end > hi or any(s < m.end and m.start < e for s, e in spans):
                    continue
                names = self._entity_words(m.entity)
                if names & exact or (prefixes and any(w.startswith(p) for w in names for p in prefixes)):
                    spans.append((m.start, m.end))
        return _merge(spans)

    def _entity_words(self, entity_id: str) -> frozenset[str]:
        w = self._entwords.get(entity_id)
        if w is None:
            ent = self.kb.entity(entity_id)
            toks: list[str] = []
            if ent is not None:
                for nm in (ent.name, *ent.aliases):
                    toks.extend(index_tokens(nm))
            w = self._entwords[entity_id] = frozenset(toks)
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


def _add_doc(posts: list, ids, d: int) -> None:
    """Append doc ``d`` to the postings of every token id in ``ids`` (at C speed)."""
    _consume(map(array.append, map(posts.__getitem__, ids), repeat(d)))


def _add_range(posts: list, ids, docs: range) -> None:
    _consume(map(array.extend, map(posts.__getitem__, ids), repeat(docs)))


def _arr(table: dict, key) -> array:
    a = table.get(key)
    if a is None:
        a = table[key] = array("I")
    return a


def _first_four(k: tuple) -> tuple:
    return k[:4]


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

