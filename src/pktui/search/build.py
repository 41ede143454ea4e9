"""Building the search index: a few microseconds per fact, a million facts in seconds.

What is built is described in :mod:`pktui.search.index`; this module is how, fast:

* **Articles in batches, facts by columns.** The facts of a batch of articles are read
  once into numpy arrays (offsets, sentences, fields) and put in document order there:
  no Python loop runs per fact. Each article is cut at every bound of its facts and
  their sentences; the tokenizer (:mod:`pktui.search.tokenizer`) finds the factless
  sentences (passages) and tokenizes the pieces of the whole batch, the facts' summaries
  and the field values not seen before in one call, so the tokens of any span are one
  slice of one array. On a large corpus it runs in a helper process a few batches ahead.
* **Units.** The facts of one sentence get consecutive numbers, a *unit*; the sentence's
  words and the names of the entities it mentions ("anywhere" postings) are posted once,
  at the unit's first document, and the searcher copies them over the unit
  (``SearchIndex._spread``). Each fact posts its own words and fields ("about").
* **Spans and sources, not words.** A document is given token *ranges* of the batch, and
  *sources* (a field value, an entity's names: tokenized once, see :class:`_Sources`);
  numpy expands both into (token, document) pairs (:func:`_expand`), stopwords
  (token :data:`JUNK`) left out, and :class:`~pktui.search.postings.Postings` files
  them a window of documents at a time.
"""

from __future__ import annotations

from array import array
from collections import deque
from collections.abc import Callable
from functools import lru_cache
from itertools import chain, compress, islice, repeat
from operator import attrgetter, is_
from typing import TYPE_CHECKING

import numpy as np

from pktui.model import Fact
from pktui.search import rank
from pktui.search.docs import (
    ENTITY_KIND,
    NO_DATE_HI,
    NO_DATE_LO,
    PASSAGE_KIND,
    UNIT_MAX,
)
from pktui.search.malloc import release_free_memory
from pktui.search.postings import Postings, bits_of_array
from pktui.search.tokenizer import (
    JUNK,
    LocalTokenizer,
    WorkerTokenizer,
    no_articles,
    unpacked,
)
from pktui.search.tokens import SEP_WORD, index_tokens, joined

if TYPE_CHECKING:
    from pktui.search.index import SearchIndex

_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_BATCH_CHARS = 1 << 16  # text tokenized in one call
_AHEAD = 12  # batches handed to a helper tokenizer before the first is taken back
_WINDOW = 1 << 14  # documents between two filings of postings
_NAMES_AT_ONCE = 4096  # entity names tokenized in one call
WORKER_MIN_CHARS = 4_000_000  # a corpus this large is tokenized in a helper process

_kind = attrgetter("kind")
_value = attrgetter("value")
_unit = attrgetter("unit")
_detail = attrgetter("detail")
_date = attrgetter("date")
_start = attrgetter("start")
_end = attrgetter("end")
_sentence = attrgetter("sentence")
_summary = attrgetter("summary")
_entities = attrgetter("entities")


def build_into(
    index: SearchIndex,
    progress: Callable[[int, int], None] | None = None,
    *,
    helper: bool | None = None,
) -> None:
    """Fill the empty ``index`` with every fact, entity and passage of its knowledge base.

    ``helper``: tokenize in a helper process (default: when the corpus is large). If the
    helper fails, the index is built again in this process.
    """
    if helper is None:
        helper = sum(len(a.text) for a in index.articles) >= WORKER_MIN_CHARS
    if helper:
        try:
            tokenizer = WorkerTokenizer(index.stopwords)
        except (OSError, ValueError):  # no helper process here
            tokenizer = None
        if tokenizer is not None:
            try:
                _Builder(index, tokenizer).run(progress)
                return
            except (OSError, EOFError, ValueError):  # the helper died (or spoke garbage)
                index.__init__(index.kb)  # type: ignore[misc]
            finally:
                tokenizer.close()
                index.helper_peak_mb = tokenizer.peak_mb
                index.peak_with_helper_mb = tokenizer.parent_peak_mb + tokenizer.peak_mb
    _Builder(index, LocalTokenizer(index.stopwords)).run(progress)


class _Sources:
    """Sources: an entity's names, an entity type, a field value. Each has its distinct
    tokens (a range of :attr:`toks`) and, for a date, its first and last day; a document
    that has a source gets all of its tokens (:func:`_expand`). Source 0 has none."""

    def __init__(self) -> None:
        self.toks = array("I")
        self.lo = np.zeros(1024, np.int64)  # source -> its range of toks
        self.hi = np.zeros(1024, np.int64)
        self.day_lo = np.full(1024, NO_DATE_LO, np.int64)
        self.day_hi = np.full(1024, NO_DATE_HI, np.int64)
        self.n = 1

    def new(self, days: tuple[int, int] | None = None) -> int:
        """A new source (its tokens to come, :meth:`set_tokens`)."""
        sid = self.n
        if sid == len(self.lo):
            grow = len(self.lo)
            self.lo = np.concatenate((self.lo, np.zeros(grow, np.int64)))
            self.hi = np.concatenate((self.hi, np.zeros(grow, np.int64)))
            self.day_lo = np.concatenate((self.day_lo, np.full(grow, NO_DATE_LO, np.int64)))
            self.day_hi = np.concatenate((self.day_hi, np.full(grow, NO_DATE_HI, np.int64)))
        if days is not None:
            self.day_lo[sid], self.day_hi[sid] = days
        self.n += 1
        return sid

    def set_tokens(self, sid: int, toks) -> None:
        self.lo[sid] = len(self.toks)
        self.toks.extend(toks)
        self.hi[sid] = len(self.toks)


class _Batch:
    """A batch of articles, its facts in document order, waiting for its tokens.

    Per-fact data are numpy arrays in document order; positions are :func:`_keys`
    (the article's place in the batch and the offset in its text, as one number).
    """

    __slots__ = (
        "counts",
        "date",
        "detail",
        "fact_g",
        "facts",
        "fe_ent",
        "fe_pos",
        "fields",
        "fields_at",
        "groups",
        "k_end",
        "k_s0",
        "k_s1",
        "k_start",
        "kinds",
        "m_ent",
        "m_key",
        "new_ents",
        "new_g",
        "summary",
        "unit",
        "unit_off",
        "value",
    )  # fmt: skip


class _Builder:
    def __init__(self, index: SearchIndex, tokenizer) -> None:
        self.ix = index
        kb = index.kb
        self.kb = kb
        self.tokenizer = tokenizer
        self.words: list[str] = [SEP_WORD]  # token id -> word (id 0: JUNK)
        expect = len(kb.facts) + len(kb.entities)  # documents, passages aside
        self.any_post = Postings(expect)
        self.about_post = Postings(expect)
        self.ent_index = {e.id: i for i, e in enumerate(kb.entities)}
        self.ent_toks: list[tuple[int, ...]] = []
        self.placed = np.zeros(len(kb.entities), np.bool_)  # entities whose document is made
        self.kind_code: dict[str, int] = {ENTITY_KIND: 0}
        # Fields are sources (see _Sources): each distinct value is tokenized once, and a
        # fact gets its tokens by number. Entity i is source 1 + i; types follow.
        self.src = _Sources()
        self.type_src: dict[str, int] = {}  # entity type -> source
        self.ent_type = np.zeros(0, np.int64)  # entity -> its type's source
        self.value_src: dict[tuple, int] = {}  # (kind, value) -> source
        self.str_src: dict = {None: 0, "": 0}  # unit or detail -> source
        self.date_src: dict = {None: 0, "": 0}  # a quantity's date -> source
        # (entity, document) pairs: its own document, facts naming it, passages mentioning it
        self.ent_pairs: list[np.ndarray] = []
        self.d = 0

    def code_of(self, kind: str) -> int:
        code = self.kind_code.get(kind)
        if code is None:
            code = self.kind_code[kind] = len(self.kind_code)
            self.ix.kind_names.append(kind)
        return code

    # ------------------------------------------------------------------ the build
    def run(self, progress: Callable[[int, int], None] | None) -> None:
        ix, kb = self.ix, self.kb
        arts = ix.articles
        pub = [a.published.toordinal() if a.published else 0 for a in arts]
        order = sorted(range(len(arts)), key=lambda i: (pub[i] == 0, -pub[i], arts[i].id))
        self.pub = pub
        self._entity_tokens()
        groups: list[tuple[int, list[Fact]]] = [(ai, kb.facts_in(arts[ai].id)) for ai in order]
        if sum(len(facts) for _, facts in groups) < len(kb.facts):
            art_ids = {a.id for a in arts}
            orphans = [f for f in kb.facts if f.article not in art_ids]  # they go last
            groups.append((-1, orphans))

        total = len(groups)
        waiting: deque[_Batch] = deque()
        next_flush = _WINDOW
        done = reported = 0
        i = 0
        while i < total or waiting:
            if i < total:
                j, chars = i, 0
                while j < total and (j == i or chars < _BATCH_CHARS):
                    ai = groups[j][0]
                    chars += len(arts[ai].text) if ai >= 0 else 0
                    j += 1
                waiting.append(self._prepare(groups[i:j]))
                i = j
                if len(waiting) < _AHEAD and i < total:
                    continue
            batch = waiting.popleft()
            self._process(batch)
            done += len(batch.groups)
            if progress is not None and done - reported >= 512:
                reported = done
                progress(done, total)
            if self.d >= next_flush:
                next_flush = self.d + _WINDOW
                self._flush()
                release_free_memory()  # the window's temporary arrays: not to add up
        if progress is not None:
            progress(total, total)
        self.tokenizer.close()  # all tokenized: its process need not outlive the last steps
        self._flush()
        release_free_memory()
        ix.n_docs = self.d
        ix._all = (1 << self.d) - 1
        ix.any_post = self.any_post.finish(self.d)
        ix.about_post = self.about_post.finish(self.d)
        ix.df = array("I", [p.bit_count() if p.__class__ is int else len(p) for p in ix.any_post])
        release_free_memory()
        self._finish()

    def _flush(self) -> None:
        n = len(self.words)
        self.any_post.flush(self.d, n)
        self.about_post.flush(self.d, n)

    def _entity_tokens(self) -> None:
        """Token ids of every entity's name and aliases, and of every entity type: the
        first sources."""
        ents = self.kb.entities
        types = sorted({e.type for e in ents})
        texts: list[str] = list(types)
        firsts = []
        for e in ents:
            firsts.append(len(texts))
            texts.append(e.name)
            texts.extend(e.aliases)
        firsts.append(len(texts))
        ids = array("I")
        starts = [0]
        # in parts, so that the tokenizer's working memory stays that of a batch
        for k in range(0, len(texts), _NAMES_AT_ONCE):
            self.tokenizer.submit(no_articles(), texts[k : k + _NAMES_AT_ONCE])
        for _ in range(0, len(texts), _NAMES_AT_ONCE):
            got, at, new, _ = self.tokenizer.result()
            self.words.extend(new)
            starts.extend([s + len(ids) for s in islice(unpacked(at), 1, None)])
            ids.frombytes(got)
        src = self.src
        for a, z in zip(firsts, islice(firsts, 1, None)):
            toks = _distinct(ids[starts[a] : starts[z]])
            self.ent_toks.append(toks)
            src.set_tokens(src.new(), toks)
        for k, ty in enumerate(types):
            self.type_src[ty] = sid = src.new()
            src.set_tokens(sid, _distinct(ids[starts[k] : starts[k + 1]]))
        self.ent_type = np.array([self.type_src[e.type] for e in ents], np.int64)

    # ------------------------------------------------------------------ a batch
    def _prepare(self, groups: list[tuple[int, list[Fact]]]) -> _Batch:
        """Put the batch's facts in document order, find their sources and hand the
        articles to the tokenizer."""
        arts = self.ix.articles
        b = _Batch()
        b.groups = [ai for ai, _ in groups]
        texts = [arts[ai].text if ai >= 0 else "" for ai in b.groups]
        counts = list(map(len, (facts for _, facts in groups)))
        facts = list(chain.from_iterable(facts for _, facts in groups))
        n, n_g = len(facts), len(groups)
        g = np.repeat(np.arange(n_g, dtype=np.int64), counts)
        start = np.fromiter(map(_start, facts), np.int64, n)
        end = np.fromiter(map(_end, facts), np.int64, n)
        n_text = np.array(list(map(len, texts)), np.int64)
        s0, s1 = _sentences(facts, start, end, n_text[g])

        # document order: a sentence's facts together (sentences in the order of their
        # first fact), shortest first; the facts of a sentence are cut in units
        idx = np.arange(n)
        by_sent = np.lexsort((idx, s1, s0, g))
        first = _run_starts(g[by_sent], s0[by_sent], s1[by_sent])
        sent_first = np.empty(n, np.int64)  # each fact: the first fact of its sentence
        sent_first[by_sent] = by_sent[first][np.cumsum(first) - 1]
        order = np.lexsort((idx, end - start, sent_first))
        run = _run_starts(sent_first[order])
        b.unit_off = (idx - np.maximum.accumulate(np.where(run, idx, 0))) % UNIT_MAX
        b.counts = np.array(counts, np.int64)
        b.fact_g = fg = g[order]
        b.k_start = _keys(fg, start[order])
        b.k_end = _keys(fg, end[order])
        b.k_s0 = _keys(fg, s0[order])
        b.k_s1 = _keys(fg, s1[order])
        b.facts = list(map(facts.__getitem__, order.tolist()))
        b.kinds = list(map(_kind, b.facts))

        # what the tokenizer gets: each article with its cuts and its sentences, then the
        # summaries and the field values not seen before
        # (the facts of no article of the index have no text to find passages in)
        sent_g = g[by_sent][first]
        in_text = np.array(b.groups, np.int64)[sent_g] >= 0
        sents = np.stack((s0[by_sent][first][in_text], s1[by_sent][first][in_text]), axis=1)
        cuts = _distinct_sorted(np.concatenate((
            b.k_start, b.k_end, b.k_s0, b.k_s1,
            _keys(np.arange(n_g, dtype=np.int64), np.zeros(n_g, np.int64)),
            _keys(np.arange(n_g, dtype=np.int64), n_text),
        )))  # fmt: skip
        articles = (
            texts,
            ((cuts & _MASK) - _BIAS).tobytes(),
            np.bincount(cuts >> _SHIFT, minlength=n_g).astype(np.int64).tobytes(),
            sents.astype(np.int64).tobytes(),
            (np.bincount(sent_g[in_text], minlength=n_g) * 2).astype(np.int64).tobytes(),
        )
        summaries = list(map(_summary, facts))  # tokenized in the facts' own order
        has = np.fromiter(map(bool, summaries), np.bool_, n)
        b.summary = np.where(has, np.cumsum(has) - 1, -1)[order]
        extras = list(compress(summaries, has))
        fields = self._sources_of(b, b.facts)
        b.fields_at = len(extras)
        b.fields = [sid for sid, _ in fields]
        extras.extend([text for _, text in fields])
        self._mentions(b)
        self.tokenizer.submit(articles, extras)
        return b

    def _sources_of(self, b: _Batch, facts: list[Fact]) -> list[tuple[int, str]]:
        """Each fact's value, unit, detail and date as sources (``b.value``, ...); returns
        the sources new in this batch with the text to tokenize for each, by text."""
        new: list[tuple[int, str]] = []
        src = self.src

        def value_source(key: tuple) -> int:
            kind, v = key
            v = v.value if v.__class__ is _ValueKey else v
            if v is None:
                return 0
            if v.__class__ is not str:
                sid, text = src.new(), " ".join(_value_words(v))
            elif kind in ("date", "event"):
                sid, text = src.new(_date_span(v)), " ".join(_date_words(v))
            else:
                sid, text = src.new(), v
            new.append((sid, text))
            return sid

        def string_source(s) -> int:
            if not s:
                return 0
            sid = src.new()
            new.append((sid, s))
            return sid

        def date_source(s) -> int:
            if not s:
                return 0
            sid = src.new(_date_span(s))
            new.append((sid, " ".join(_date_words(s))))
            return sid

        kinds, values = b.kinds, list(map(_value, facts))
        try:
            b.value = _sources(self.value_src, zip(kinds, values), lambda i: (kinds[i], values[i]), value_source)
        except TypeError:  # an unhashable value: keyed by the object itself
            keys = [(k, _key_of(v)) for k, v in zip(kinds, values)]
            b.value = _sources(self.value_src, keys, keys.__getitem__, value_source)
        b.unit = _string_sources(list(map(_unit, facts)), self.str_src, string_source)
        b.detail = _string_sources(list(map(_detail, facts)), self.str_src, string_source)
        b.date = _string_sources(list(map(_date, facts)), self.date_src, date_source)
        new.sort(key=_text_of)  # ids in the same order on every run
        return new

    def _mentions(self, b: _Batch) -> None:
        """The batch's entity mentions (sorted positions, entity), the entities each fact
        names, and the entities first mentioned here (articles go newest first)."""
        arts, kb, get = self.ix.articles, self.kb, self.ent_index.get
        per_article = [kb.mentions_in(arts[ai].id) if ai >= 0 else () for ai in b.groups]
        ms = list(chain.from_iterable(per_article))
        m_g = np.repeat(np.arange(len(per_article)), list(map(len, per_article)))
        key = _keys(m_g, np.fromiter(map(_mention_start, ms), np.int64, len(ms)))
        m_ent = np.fromiter(map(get, map(_mention_entity, ms), repeat(-1)), np.int64, len(ms))
        if len(key) > 1 and (key[1:] < key[:-1]).any():
            o = np.argsort(key, kind="stable")
            key, m_ent, m_g = key[o], m_ent[o], m_g[o]
        b.m_key, b.m_ent = key, m_ent
        # the entities each fact names
        named = list(map(_entities, b.facts))
        flat = list(chain.from_iterable(named))
        ei = np.fromiter(map(get, flat, repeat(-1)), np.int64, len(flat))
        pos = np.repeat(np.arange(len(named)), np.fromiter(map(len, named), np.int64, len(named)))
        keep = ei >= 0
        b.fe_ent, b.fe_pos = ei[keep], pos[keep]
        # entities first mentioned in this batch: a document each, in the article that
        # first mentions it, before its facts
        cand = m_ent >= 0
        cand[cand] = ~self.placed[m_ent[cand]]
        ents_new, first = np.unique(m_ent[cand], return_index=True)
        g_new = m_g[cand][first]
        o = np.lexsort((ents_new, g_new))
        b.new_ents, b.new_g = ents_new[o], g_new[o]
        self.placed[ents_new] = True

    def _process(self, b: _Batch) -> None:
        """The batch's documents and their postings, once its tokens are back."""
        ix, kb, src = self.ix, self.kb, self.src
        ids, starts, new, (cut_pos, n_cuts, pass_pos, n_found) = self.tokenizer.result()
        self.words.extend(new)
        n_g = len(b.groups)
        ids_np = np.frombuffer(ids, np.uint32)
        starts_np = np.frombuffer(starts, np.int64)
        # token index of every cut (piece k of the batch starts at token starts[k])
        cut_pos = np.frombuffer(cut_pos, np.int64)
        extras_at = len(cut_pos)
        at = starts_np[extras_at + b.fields_at :].tolist()
        for k, sid in enumerate(b.fields):
            src.set_tokens(sid, _distinct(ids_np[at[k] : at[k + 1]].tolist()))
        cut_key = _keys(np.repeat(np.arange(n_g), np.frombuffer(n_cuts, np.int64)), cut_pos)

        def tok(keys: np.ndarray) -> np.ndarray:
            return starts_np[np.searchsorted(cut_key, keys)]

        # passages: sentences with no fact in them, and not only stopwords
        n_found = np.frombuffer(n_found, np.int64)
        pg = np.repeat(np.arange(n_g), n_found)
        pp = np.frombuffer(pass_pos, np.int64).reshape(-1, 2)
        p_k0, p_k1 = _keys(pg, pp[:, 0]), _keys(pg, pp[:, 1])
        p_lo, p_hi = tok(p_k0), tok(p_k1)
        words_before = np.concatenate(([0], np.cumsum(ids_np != JUNK)))
        keep = words_before[p_hi] > words_before[p_lo]
        pg, pp, p_k0, p_k1, p_lo, p_hi = pg[keep], pp[keep], p_k0[keep], p_k1[keep], p_lo[keep], p_hi[keep]

        # document numbers: per article its new entities, its facts, its passages
        n_ent = np.bincount(b.new_g, minlength=n_g)
        n_pass = np.bincount(pg, minlength=n_g)
        n_docs = n_ent + b.counts + n_pass
        base = self.d + _offsets(n_docs)[:-1]
        ent_doc = base[b.new_g] + np.arange(len(b.new_g)) - _offsets(n_ent)[b.new_g]
        fact_doc = base[b.fact_g] + n_ent[b.fact_g] + np.arange(len(b.facts)) - _offsets(b.counts)[b.fact_g]
        pass_doc = base[pg] + n_ent[pg] + b.counts[pg] + np.arange(len(pg)) - _offsets(n_pass)[pg]
        total = int(n_docs.sum())

        # postings: token ranges of this batch, and sources
        units = b.unit_off == 0
        u_doc = fact_doc[units]
        any_parts = [
            _expand(ids_np, tok(b.k_s0[units]), tok(b.k_s1[units]), u_doc),
            _expand(ids_np, p_lo, p_hi, pass_doc),
        ]
        has = b.summary >= 0
        s_at = extras_at + b.summary[has]
        about_parts = [
            _expand(ids_np, tok(b.k_start), tok(b.k_end), fact_doc),
            _expand(ids_np, starts_np[s_at], starts_np[s_at + 1], fact_doc[has]),
        ]
        codes = self._kind_codes(b, n_found)
        quantity = codes == self.kind_code.get("quantity", -1)
        detail = np.where(quantity, b.detail, 0)
        ent_src = 1 + b.new_ents
        unit_ents = self._mentioned(b, b.k_s0[units], b.k_s1[units], u_doc)
        pass_ents = self._mentioned(b, p_k0, p_k1, pass_doc)
        fe_doc = fact_doc[b.fe_pos]
        s_toks = np.frombuffer(src.toks, np.uint32)
        for sids, docs, sink in (
            (ent_src, ent_doc, about_parts),
            (ent_src, ent_doc, any_parts),
            (self.ent_type[b.new_ents], ent_doc, any_parts),
            (b.value, fact_doc, about_parts),
            (b.unit, fact_doc, about_parts),
            (detail, fact_doc, about_parts),
            (b.date, fact_doc, about_parts),
            (1 + b.fe_ent, fe_doc, about_parts),
            (1 + unit_ents[0], unit_ents[1], any_parts),
            (1 + pass_ents[0], pass_ents[1], any_parts),
        ):
            if len(sids):
                sink.append(_expand(s_toks, src.lo[sids], src.hi[sids], docs))
        del s_toks  # src.toks may grow again
        for sink, parts in ((self.any_post, any_parts), (self.about_post, about_parts)):
            for t, d in parts:
                sink.add(t, d)
        self.ent_pairs.append(_pairs(b.new_ents, ent_doc))
        self.ent_pairs.append(_pairs(b.fe_ent, fe_doc))
        self.ent_pairs.append(_pairs(*pass_ents))

        # the documents' columns
        d0 = self.d
        doc_g = np.repeat(np.arange(n_g), n_docs)
        pub = self.pub
        art_day = np.array([pub[ai] if ai >= 0 else 0 for ai in b.groups], np.int64)
        day_lo = np.where(art_day > 0, art_day, NO_DATE_LO)
        day_hi = np.where(art_day > 0, art_day, NO_DATE_HI)
        lo, hi = day_lo[doc_g], day_hi[doc_g]
        # a fact's date: its value's (a date), else the date its figure refers to, else the article's
        v_lo, d_lo = src.day_lo[b.value], src.day_lo[b.date]
        f_lo = np.where(v_lo != NO_DATE_LO, v_lo, d_lo)
        f_hi = np.where(v_lo != NO_DATE_LO, src.day_hi[b.value], src.day_hi[b.date])
        dated = f_lo != NO_DATE_LO
        lo[fact_doc[dated] - d0] = f_lo[dated]
        hi[fact_doc[dated] - d0] = f_hi[dated]
        kind = np.zeros(total, np.uint8)
        kind[fact_doc - d0] = codes
        if len(pass_doc):
            kind[pass_doc - d0] = self.kind_code[PASSAGE_KIND]
        unit = np.zeros(total, np.uint8)
        unit[fact_doc - d0] = b.unit_off
        ref = np.full(total, -1, np.int32)
        if len(pass_doc):
            ref[pass_doc - d0] = np.arange(len(pass_doc)) + (len(ix.passage_spans) >> 1)
            ix.passage_spans.frombytes(pp.astype(np.uint32).tobytes())
        ents = kb.entities
        arts = ix.articles
        for ei, g, d in zip(b.new_ents.tolist(), b.new_g.tolist(), ent_doc.tolist()):
            e = ents[ei]
            ref[d - d0] = _best_mention(e, arts[b.groups[g]].id)
            ix.entity_doc[e.id] = d
        ix.doc_kind.frombytes(kind.tobytes())
        ix.doc_lo.frombytes(lo.astype(np.int32).tobytes())
        ix.doc_hi.frombytes(hi.astype(np.int32).tobytes())
        ix.doc_unit.frombytes(unit.tobytes())
        ix.doc_ref.frombytes(ref.tobytes())
        ix.doc_art.frombytes(np.array(b.groups, np.int32)[doc_g].tobytes())
        # their objects: per article its entities, facts and passages (None: see doc_obj_of)
        ent_objs = list(map(ents.__getitem__, b.new_ents.tolist()))
        doc_obj = ix.doc_obj
        e_at, f_at = _offsets(n_ent).tolist(), _offsets(b.counts).tolist()
        for k, n in enumerate(n_pass.tolist()):
            doc_obj.extend(ent_objs[e_at[k] : e_at[k + 1]])
            doc_obj.extend(b.facts[f_at[k] : f_at[k + 1]])
            if n:
                doc_obj.extend(repeat(None, n))
        self.d += total

    def _kind_codes(self, b: _Batch, n_passages: np.ndarray) -> np.ndarray:
        """The kind code of each fact; kinds new here get theirs in document order (an
        article's facts, then its passages if it has any)."""
        known = self.kind_code
        codes = list(map(known.get, b.kinds))
        if None in codes or (PASSAGE_KIND not in known and n_passages.any()):
            at = _offsets(b.counts).tolist()
            for k, found in enumerate(n_passages.tolist()):
                for kind in b.kinds[at[k] : at[k + 1]]:
                    self.code_of(kind)
                if found:
                    self.code_of(PASSAGE_KIND)
            codes = list(map(known.get, b.kinds))
        return np.array(codes, np.uint8)

    def _mentioned(self, b: _Batch, lo: np.ndarray, hi: np.ndarray, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(entities, documents): the entities mentioned in each span [lo, hi) (keys), once."""
        ents, d = _expand(b.m_ent, np.searchsorted(b.m_key, lo), np.searchsorted(b.m_key, hi), docs, -1)
        if not len(ents):
            return ents, d.astype(np.int64)
        n = len(self.kb.entities)
        both = _distinct_sorted(d.astype(np.int64) * n + ents)
        return both % n, both // n

    def _finish(self) -> None:
        """Kinds, types, entity names, vocabulary: what the searcher reads besides postings."""
        ix, kb = self.ix, self.kb
        ix.kind_bits = {name: rank.bits_where(ix.doc_kind, c) for name, c in self.kind_code.items()}
        units = ix.doc_unit.tobytes()
        for shift in (1, 2, 4, 8):
            if shift < UNIT_MAX:
                mask = rank.bytes_where(units, lambda v, s=shift: v >= s)
                if mask:
                    ix._spread_masks.append((shift, mask))
        self._entity_docs()
        release_free_memory()  # the pairs sorted there
        words = self.words
        words[JUNK] = ""
        ix.words = words
        vocab = ix.vocab
        vocab.clear()
        vocab.update(zip(words, range(len(words))))
        vocab.pop("", None)
        ix.sorted_vocab = sorted(vocab)
        # entity names and aliases, as joined keys
        for e in kb.entities:
            dd = ix.entity_doc.get(e.id)
            if dd is None:
                continue
            for name in (e.name, *e.aliases):
                k = joined(name)
                if k:
                    lst = ix.name_keys.setdefault(k, [])
                    if dd not in lst:
                        lst.append(dd)
        ix.sorted_keys = sorted(ix.name_keys)
        ix._entity_word_set = frozenset(words[t] for toks in self.ent_toks for t in toks)

    def _entity_docs(self) -> None:
        """Each entity's documents (its own, the facts naming it, the passages mentioning
        it) and each type's (those of its entities), from the pairs noted while building."""
        ix, kb = self.ix, self.kb
        pairs = _distinct_sorted(np.concatenate(self.ent_pairs) if self.ent_pairs else np.zeros(0, np.int64))
        self.ent_pairs = []
        ent = (pairs >> 32).astype(np.int32)
        docs = pairs.astype(np.uint32)  # the low 32 bits
        del pairs
        type_of = self.ent_type[ent]
        for ty, sid in self.type_src.items():
            mine = docs[type_of == sid]
            if len(mine):
                ix.type_bits[ty] = bits_of_array(mine, self.d)
        del type_of
        cuts = np.flatnonzero(_run_starts(ent))
        ent_of = ent[cuts].tolist()
        del ent
        raw = memoryview(docs.view(np.uint8))
        cuts = [*cuts.tolist(), len(docs)]
        for ei, a, z in zip(ent_of, cuts, islice(cuts, 1, None)):
            got = array("I")
            got.frombytes(raw[a << 2 : z << 2])
            ix.entity_docs[kb.entities[ei].id] = got


# ---------------------------------------------------------------------- array helpers
# A position in an article of a batch as one sortable number: the article's place in the
# batch above _SHIFT bits, the offset (biased: any offset within 2**39 of 0) below.
_SHIFT = 40
_BIAS = 1 << 39
_MASK = (1 << _SHIFT) - 1


def _keys(g: np.ndarray, pos: np.ndarray) -> np.ndarray:
    return (g << _SHIFT) + pos + _BIAS


def _distinct_sorted(a: np.ndarray) -> np.ndarray:
    """``np.unique(a)``, by sorting ``a`` in place (numpy 2's hashing ``unique`` is ten
    times slower here, and a sorted copy would double the memory of the largest)."""
    a.sort()
    return a[_run_starts(a)]


def _run_starts(*columns: np.ndarray) -> np.ndarray:
    """Where a run of equal rows starts in sorted ``columns`` (True for the first row)."""
    n = len(columns[0])
    out = np.ones(n, np.bool_)
    if n > 1:
        out[1:] = np.logical_or.reduce([c[1:] != c[:-1] for c in columns])
    return out


def _offsets(counts: np.ndarray) -> np.ndarray:
    """Where each of consecutive runs of ``counts`` items starts, and the total last."""
    out = np.zeros(len(counts) + 1, np.int64)
    np.cumsum(counts, out=out[1:])
    return out


def _expand(
    ids: np.ndarray, lo: np.ndarray, hi: np.ndarray, docs: np.ndarray, skip=JUNK
) -> tuple[np.ndarray, np.ndarray]:
    """(id, document) pairs: the ids ``ids[lo[i]:hi[i]]`` for document ``docs[i]``,
    ``skip`` (stopwords) left out."""
    lens = np.maximum(hi - lo, 0)
    total = int(lens.sum())
    # position of each range's tokens: lo + 0, lo + 1, ... for each range in turn
    pos = np.repeat(lo - (np.cumsum(lens) - lens), lens) + np.arange(total)
    t = ids[pos]
    d = np.repeat(docs.astype(np.uint32), lens)
    keep = t != skip
    return t[keep], d[keep]


def _sources(table: dict, keys, key_at: Callable[[int], object], make: Callable[[object], int]) -> np.ndarray:
    """The source of each of ``keys`` (``key_at(i)`` is the i-th): from ``table``, else
    made (once per key) and noted there."""
    sids = list(map(table.get, keys))
    if None in sids:
        for i in compress(range(len(sids)), map(is_, sids, repeat(None))):
            key = key_at(i)
            sid = table.get(key)
            if sid is None:
                sid = table[key] = make(key)
            sids[i] = sid
    return np.array(sids, np.int64)


def _string_sources(strings: list, table: dict, make: Callable[[object], int]) -> np.ndarray:
    return _sources(table, strings, strings.__getitem__, make)


def _pairs(ents: np.ndarray, docs: np.ndarray) -> np.ndarray:
    """(entity, document) pairs as one number each (entity above 32 bits)."""
    return (ents.astype(np.int64) << 32) | docs.astype(np.int64)


def _sentences(
    facts: list[Fact], start: np.ndarray, end: np.ndarray, n_text: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Each fact's sentence (first and last offset); the fact's own span where its
    sentence is missing or does not hold it."""
    sents = list(map(_sentence, facts))
    try:
        if set(map(len, sents)) - {2}:
            raise TypeError
        flat = np.fromiter(chain.from_iterable(sents), np.int64, 2 * len(sents)).reshape(-1, 2)
        s0, s1 = flat[:, 0], flat[:, 1]
    except (TypeError, ValueError):  # a sentence that is not a pair of offsets
        pairs = [s if s and len(s) == 2 else (-1, -1) for s in sents]
        s0 = np.array([p[0] for p in pairs], np.int64)
        s1 = np.array([p[1] for p in pairs], np.int64)
    bad = ~((s0 >= 0) & (s0 <= start) & (end <= s1) & (s1 <= n_text))
    return np.where(bad, start, s0), np.where(bad, end, s1)


class _ValueKey:
    """An unhashable field value, keyed by the object itself."""

    __slots__ = ("value",)

    def __init__(self, value) -> None:
        self.value = value

    def __hash__(self) -> int:
        return id(self.value)

    def __eq__(self, other) -> bool:
        return other.__class__ is _ValueKey and other.value is self.value


def _text_of(field: tuple) -> str:
    return field[-1]


def _key_of(value):
    try:
        hash(value)
    except TypeError:
        return _ValueKey(value)
    return value


def _distinct(ids) -> tuple[int, ...]:
    """The distinct ids of a slice of tokens, JUNK left out."""
    s = set(ids)
    s.discard(JUNK)
    return tuple(s)


def _best_mention(e, article: str) -> int:
    """The index of the mention an entity's hit shows, in ``article``: the first that
    writes the full name, else the first."""
    first = -1
    for mi, m in enumerate(e.mentions):
        if m.article == article:
            if m.text == e.name:
                return mi
            if first < 0:
                first = mi
    return first


_mention_start = attrgetter("start")
_mention_entity = attrgetter("entity")


# ---------------------------------------------------------------------- words of fields
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
        return (r.lo, r.hi) if r else (NO_DATE_LO, NO_DATE_HI)
    r = parse_date(value)
    return (r.lo, r.hi) if r else (NO_DATE_LO, NO_DATE_HI)


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
