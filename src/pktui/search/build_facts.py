"""Building the documents of a segment: a few microseconds per fact, a million facts in seconds.

What a segment holds is described in :mod:`pktui.search.build`; this module is how, fast:

* **Articles in batches, facts by columns.** The facts of a batch of articles are read
  once into numpy arrays (offsets, sentences, fields) and put in document order there:
  no Python loop runs per fact. Each article is cut at every bound of its facts and
  their sentences; the tokenizer (:mod:`pktui.search.tokenizer`) finds the factless
  sentences (passages) and tokenizes the pieces of the whole batch, the facts' summaries
  and the field values not seen before in one call, so the tokens of any span are one
  slice of one array. On a large corpus it runs in a helper process a few batches ahead.
* **Units.** The facts of one sentence get consecutive numbers, a *unit*; the sentence's
  words and the names of the entities it mentions ("anywhere" postings) are posted once,
  at the unit's first document, and the searcher copies them over the unit. Each fact
  posts its own words, fields and the names of its entities ("about").
* **Spans and sources, not words.** A document is given token *ranges* of the batch, and
  *sources* (a field value, an entity's names: tokenized once, :mod:`pktui.search.fields`);
  numpy expands both into (token, document) pairs (:func:`~pktui.search.arrays.expand`),
  stopwords (token ``JUNK``) left out, and :class:`~pktui.search.postings.Postings` files
  them a window of documents at a time.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from itertools import chain, islice, repeat
from operator import attrgetter

import numpy as np

from pktui.knowledge.source import FactSource
from pktui.model import Fact
from pktui.search.arrays import BIAS, MASK, SHIFT, distinct_sorted, expand, keys, offsets, pairs, run_starts
from pktui.search.batch import Batch, SegmentArticle
from pktui.search.docs import NO_DATE_HI, NO_DATE_LO, PASSAGE_KIND, UNIT_MAX
from pktui.search.fields import FieldSources, Sources, distinct
from pktui.search.malloc import release_free_memory
from pktui.search.postings import Postings
from pktui.search.segment import strings
from pktui.search.tokenizer import JUNK, Tokenizer, no_articles, unpacked
from pktui.search.tokens import SEP_WORD

_BATCH_CHARS = 1 << 16  # text tokenized in one call
_AHEAD = 12  # batches handed to a helper tokenizer before the first is taken back
_WINDOW = 1 << 14  # documents between two filings of postings
_NAMES_AT_ONCE = 4096  # entity names tokenized in one call

_kind = attrgetter("kind")
_start = attrgetter("start")
_end = attrgetter("end")
_sentence = attrgetter("sentence")
_summary = attrgetter("summary")
_entities = attrgetter("entities")
_mention_start = attrgetter("start")
_mention_entity = attrgetter("entity")


class FactBuilder:
    """The documents (facts, passages) of some articles, and what the segment stores of them.

    ``entities``: the ids of the entities these articles may name or mention (sorted);
    ``names``: for each, its name and aliases. A mention or a fact naming an entity not
    listed is left out.
    """

    def __init__(
        self,
        kb: FactSource,
        articles: list[SegmentArticle],
        entities: list[str],
        names: list[list[str]],
        tokenizer: Tokenizer,
        expect: int,
    ) -> None:
        self.kb = kb
        self.articles = articles
        self.tokenizer = tokenizer
        self.words: list[str] = [SEP_WORD]  # token id -> word (id 0: JUNK)
        self.any_post = Postings(expect)
        self.about_post = Postings(expect)
        # the same, of the documents' own words only, for the words of entity names (how a
        # segment stays right when an entity's names change: see pktui.search.reader)
        self.any_own = Postings(expect)
        self.about_own = Postings(expect)
        self.ent_ids = entities
        self.ent_index = {e: i for i, e in enumerate(entities)}
        self.ent_toks: list[tuple[int, ...]] = []
        self.kind_code: dict[str, int] = {}
        self.kind_names: list[str] = []
        self.src = Sources()  # entity i is source 1 + i
        self.fields = FieldSources(self.src)
        self.rel_about: list[np.ndarray] = []  # (entity, fact document) pairs
        self.rel_any: list[np.ndarray] = []  # (entity, unit or passage document) pairs
        self.ent_arts: list[np.ndarray] = []  # (entity, article) pairs
        self.fact_ids: list[np.ndarray] = []  # per batch, as byte strings (not a str per fact)
        self.n_facts = 0
        self.passages: list[np.ndarray] = []
        self.cols: dict[str, list[np.ndarray]] = {k: [] for k in ("kind", "art", "lo", "hi", "unit", "ref")}
        self.n_passages = 0
        self.facts_seen = 0
        self.d = 0
        self._entity_tokens(names)
        self.is_name = np.zeros(len(self.words), np.bool_)
        for toks in self.ent_toks:
            self.is_name[list(toks)] = True
        self.is_name[JUNK] = False

    def code_of(self, kind: str) -> int:
        code = self.kind_code.get(kind)
        if code is None:
            code = self.kind_code[kind] = len(self.kind_names)
            self.kind_names.append(kind)
        return code

    # ------------------------------------------------------------------ the build
    def run(
        self, progress: Callable[[int, int], None] | None, more: Callable[[], list[SegmentArticle]] | None = None
    ) -> None:
        """Build every article's documents; then those of ``more()``'s, if any (they go last)."""
        kb, arts = self.kb, self.articles
        total = len(arts)
        waiting: deque[Batch] = deque()
        next_flush = _WINDOW
        done = reported = 0
        i = 0
        while i < total or waiting or more is not None:
            if i >= total and more is not None:
                arts.extend(more())
                total, more = len(arts), None
            if i < total:
                groups: list[tuple[int, str, list[Fact]]] = []
                chars = 0
                while i < total and (not groups or chars < _BATCH_CHARS):
                    a = arts[i]
                    article = None if a.missing else kb.article(a.id)
                    text = article.text if article is not None else ""
                    facts = list(kb.facts_in(a.id))
                    self.facts_seen += len(facts)
                    groups.append((i, text, facts))
                    chars += len(text)
                    i += 1
                waiting.append(self._prepare(groups))
                if len(waiting) < _AHEAD and i < total:
                    continue
            if not waiting:
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

    def _flush(self) -> None:
        n = len(self.words)
        for p in (self.any_post, self.about_post, self.any_own, self.about_own):
            p.flush(self.d, n)

    def _entity_tokens(self, names: list[list[str]]) -> None:
        """Token ids of every entity's name and aliases: the first sources."""
        texts: list[str] = []
        firsts = []
        for forms in names:
            firsts.append(len(texts))
            texts.extend(forms)
        firsts.append(len(texts))
        ids: list[int] = []
        starts = [0]
        # in parts, so that the tokenizer's working memory stays that of a batch
        for k in range(0, len(texts), _NAMES_AT_ONCE):
            self.tokenizer.submit(no_articles(), texts[k : k + _NAMES_AT_ONCE])
        for _ in range(0, len(texts), _NAMES_AT_ONCE):
            got, at, new, _ = self.tokenizer.result()
            self.words.extend(new)
            starts.extend([s + len(ids) for s in islice(unpacked(at), 1, None)])
            ids.extend(np.frombuffer(got, np.uint32).tolist())
        src = self.src
        for a, z in zip(firsts, islice(firsts, 1, None)):
            toks = distinct(ids[starts[a] : starts[z]])
            self.ent_toks.append(toks)
            src.set_tokens(src.new(), toks)

    # ------------------------------------------------------------------ a batch
    def _prepare(self, groups: list[tuple[int, str, list[Fact]]]) -> Batch:
        """Put the batch's facts in document order, find their sources and hand the
        articles (their place in the segment, text and facts) to the tokenizer."""
        arts = self.articles
        b = Batch()
        b.groups = [ai for ai, _, _ in groups]
        texts = [text for _, text, _ in groups]
        counts = list(map(len, (facts for _, _, facts in groups)))
        facts = list(chain.from_iterable(facts for _, _, facts in groups))
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
        first = run_starts(g[by_sent], s0[by_sent], s1[by_sent])
        sent_first = np.empty(n, np.int64)  # each fact: the first fact of its sentence
        sent_first[by_sent] = by_sent[first][np.cumsum(first) - 1]
        order = np.lexsort((idx, end - start, sent_first))
        run = run_starts(sent_first[order])
        b.unit_off = (idx - np.maximum.accumulate(np.where(run, idx, 0))) % UNIT_MAX
        b.counts = np.array(counts, np.int64)
        b.fact_g = fg = g[order]
        b.k_start = keys(fg, start[order])
        b.k_end = keys(fg, end[order])
        b.k_s0 = keys(fg, s0[order])
        b.k_s1 = keys(fg, s1[order])
        b.facts = list(map(facts.__getitem__, order.tolist()))
        b.kinds = list(map(_kind, b.facts))

        # what the tokenizer gets: each article with its cuts and its sentences, then the
        # summaries and the field values not seen before
        # (a missing article has no text to find passages in)
        sent_g = g[by_sent][first]
        in_text = np.array([not arts[ai].missing for ai in b.groups], np.bool_)[sent_g]
        sents = np.stack((s0[by_sent][first][in_text], s1[by_sent][first][in_text]), axis=1)
        cuts = distinct_sorted(np.concatenate((
            b.k_start, b.k_end, b.k_s0, b.k_s1,
            keys(np.arange(n_g, dtype=np.int64), np.zeros(n_g, np.int64)),
            keys(np.arange(n_g, dtype=np.int64), n_text),
        )))  # fmt: skip
        articles = (
            texts,
            ((cuts & MASK) - BIAS).tobytes(),
            np.bincount(cuts >> SHIFT, minlength=n_g).astype(np.int64).tobytes(),
            sents.astype(np.int64).tobytes(),
            (np.bincount(sent_g[in_text], minlength=n_g) * 2).astype(np.int64).tobytes(),
        )
        summaries = list(map(_summary, facts))  # tokenized in the facts' own order
        has = np.fromiter(map(bool, summaries), np.bool_, n)
        b.summary = np.where(has, np.cumsum(has) - 1, -1)[order]
        extras = [s for s, h in zip(summaries, has.tolist()) if h]
        b.value, b.unit, b.detail, b.date, new = self.fields.of(b.kinds, b.facts)
        b.fields_at = len(extras)
        b.fields = [sid for sid, _ in new]
        extras.extend([text for _, text in new])
        self._mentions(b)
        self.tokenizer.submit(articles, extras)
        return b

    def _mentions(self, b: Batch) -> None:
        """The batch's entity mentions (sorted positions, entity) and the entities each
        fact names; notes which articles mention which entities."""
        arts, kb, get = self.articles, self.kb, self.ent_index.get
        per_article = [kb.mentions_in(arts[ai].id) for ai in b.groups]
        ms = list(chain.from_iterable(per_article))
        m_g = np.repeat(np.arange(len(per_article)), list(map(len, per_article)))
        key = keys(m_g, np.fromiter(map(_mention_start, ms), np.int64, len(ms)))
        m_ent = np.fromiter(map(get, map(_mention_entity, ms), repeat(-1)), np.int64, len(ms))
        if len(key) > 1 and (key[1:] < key[:-1]).any():
            o = np.argsort(key, kind="stable")
            key, m_ent, m_g = key[o], m_ent[o], m_g[o]
        b.m_key, b.m_ent = key, m_ent
        known = m_ent >= 0
        self.ent_arts.append(pairs(m_ent[known], np.array(b.groups, np.int64)[m_g[known]]))
        named = list(map(_entities, b.facts))
        flat = list(chain.from_iterable(named))
        ei = np.fromiter(map(get, flat, repeat(-1)), np.int64, len(flat))
        pos = np.repeat(np.arange(len(named)), np.fromiter(map(len, named), np.int64, len(named)))
        keep = ei >= 0
        b.fe_ent, b.fe_pos = ei[keep], pos[keep]

    def _process(self, b: Batch) -> None:
        """The batch's documents and their postings, once its tokens are back."""
        src = self.src
        ids, starts, new, (cut_raw, n_cuts, pass_pos, found_raw) = self.tokenizer.result()
        self.words.extend(new)
        n_g = len(b.groups)
        ids_np = np.frombuffer(ids, np.uint32)
        starts_np = np.frombuffer(starts, np.int64)
        # token index of every cut (piece k of the batch starts at token starts[k])
        cut_pos = np.frombuffer(cut_raw, np.int64)
        extras_at = len(cut_pos)
        at = starts_np[extras_at + b.fields_at :].tolist()
        for k, sid in enumerate(b.fields):
            src.set_tokens(sid, distinct(ids_np[at[k] : at[k + 1]].tolist()))
        cut_key = keys(np.repeat(np.arange(n_g), np.frombuffer(n_cuts, np.int64)), cut_pos)

        def tok(k: np.ndarray) -> np.ndarray:
            return starts_np[np.searchsorted(cut_key, k)]

        # passages: sentences with no fact in them, and not only stopwords
        n_found = np.frombuffer(found_raw, np.int64)
        pg = np.repeat(np.arange(n_g), n_found)
        pp = np.frombuffer(pass_pos, np.int64).reshape(-1, 2)
        p_k0, p_k1 = keys(pg, pp[:, 0]), keys(pg, pp[:, 1])
        p_lo, p_hi = tok(p_k0), tok(p_k1)
        words_before = np.concatenate(([0], np.cumsum(ids_np != JUNK)))
        keep = words_before[p_hi] > words_before[p_lo]
        pg, pp, p_k0, p_k1, p_lo, p_hi = pg[keep], pp[keep], p_k0[keep], p_k1[keep], p_lo[keep], p_hi[keep]

        # document numbers: per article its facts, then its passages
        n_pass = np.bincount(pg, minlength=n_g)
        n_docs = b.counts + n_pass
        base = self.d + offsets(n_docs)[:-1]
        fact_doc = base[b.fact_g] + np.arange(len(b.facts)) - offsets(b.counts)[b.fact_g]
        pass_doc = base[pg] + b.counts[pg] + np.arange(len(pg)) - offsets(n_pass)[pg]
        total = int(n_docs.sum())

        # postings: token ranges of this batch, and sources
        units = b.unit_off == 0
        u_doc = fact_doc[units]
        any_own = [
            expand(ids_np, tok(b.k_s0[units]), tok(b.k_s1[units]), u_doc),
            expand(ids_np, p_lo, p_hi, pass_doc),
        ]
        has = b.summary >= 0
        s_at = extras_at + b.summary[has]
        about_own = [
            expand(ids_np, tok(b.k_start), tok(b.k_end), fact_doc),
            expand(ids_np, starts_np[s_at], starts_np[s_at + 1], fact_doc[has]),
        ]
        codes = self._kind_codes(b, n_found)
        quantity = codes == self.kind_code.get("quantity", -1)
        detail = np.where(quantity, b.detail, 0)
        unit_ents = self._mentioned(b, b.k_s0[units], b.k_s1[units], u_doc)
        pass_ents = self._mentioned(b, p_k0, p_k1, pass_doc)
        fe_doc = fact_doc[b.fe_pos]
        any_ent: list[tuple[np.ndarray, np.ndarray]] = []
        about_ent: list[tuple[np.ndarray, np.ndarray]] = []
        s_toks = np.frombuffer(src.toks, np.uint32)
        for sids, docs, sink in (
            (b.value, fact_doc, about_own),
            (b.unit, fact_doc, about_own),
            (detail, fact_doc, about_own),
            (b.date, fact_doc, about_own),
            (1 + b.fe_ent, fe_doc, about_ent),
            (1 + unit_ents[0], unit_ents[1], any_ent),
            (1 + pass_ents[0], pass_ents[1], any_ent),
        ):
            if len(sids):
                sink.append(expand(s_toks, src.lo[sids], src.hi[sids], docs))
        del s_toks  # src.toks may grow again
        for post, parts in ((self.any_post, any_own + any_ent), (self.about_post, about_own + about_ent)):
            for t, d in parts:
                post.add(t, d)
        for post, parts in ((self.any_own, any_own), (self.about_own, about_own)):
            for t, d in parts:
                named = self._names(t)
                post.add(t[named], d[named])
        self.rel_about.append(pairs(b.fe_ent, fe_doc))
        self.rel_any.append(pairs(*unit_ents))
        self.rel_any.append(pairs(*pass_ents))
        self._columns(b, codes, fact_doc, pass_doc, pg, pp, n_docs, total)

    def _names(self, toks: np.ndarray) -> np.ndarray:
        """Which of ``toks`` are words of an entity name (all got their id first)."""
        small = toks < len(self.is_name)
        out = np.zeros(len(toks), np.bool_)
        out[small] = self.is_name[toks[small]]
        return out

    def _columns(
        self,
        b: Batch,
        codes: np.ndarray,
        fact_doc: np.ndarray,
        pass_doc: np.ndarray,
        pg: np.ndarray,
        pp: np.ndarray,
        n_docs: np.ndarray,
        total: int,
    ) -> None:
        """Each document's kind, article, date span, place in its unit and reference."""
        src, d0 = self.src, self.d
        doc_g = np.repeat(np.arange(len(b.groups)), n_docs)
        art_day = np.array([self.articles[ai].day for ai in b.groups], np.int64)
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
        unit = np.zeros(total, np.uint8)
        unit[fact_doc - d0] = b.unit_off
        ref = np.zeros(total, np.int32)
        ref[fact_doc - d0] = np.arange(len(b.facts)) + self.n_facts
        if len(pass_doc):
            kind[pass_doc - d0] = self.kind_code[PASSAGE_KIND]
            ref[pass_doc - d0] = np.arange(len(pass_doc)) + self.n_passages
            self.passages.append(pp.astype(np.int64))
            self.n_passages += len(pass_doc)
        self.fact_ids.append(strings([f.id for f in b.facts]))
        self.n_facts += len(b.facts)
        cols = self.cols
        cols["kind"].append(kind)
        cols["lo"].append(lo.astype(np.int32))
        cols["hi"].append(hi.astype(np.int32))
        cols["unit"].append(unit)
        cols["ref"].append(ref)
        cols["art"].append(np.array(b.groups, np.int32)[doc_g])
        self.d += total

    def _kind_codes(self, b: Batch, n_passages: np.ndarray) -> np.ndarray:
        """The kind code of each fact; kinds new here get theirs in document order (an
        article's facts, then its passages if it has any)."""
        known = self.kind_code
        codes = list(map(known.get, b.kinds))
        if None in codes or (PASSAGE_KIND not in known and n_passages.any()):
            at = offsets(b.counts).tolist()
            for k, found in enumerate(n_passages.tolist()):
                for kind in b.kinds[at[k] : at[k + 1]]:
                    self.code_of(kind)
                if found:
                    self.code_of(PASSAGE_KIND)
            codes = list(map(known.get, b.kinds))
        return np.array(codes, np.uint8)

    def _mentioned(self, b: Batch, lo: np.ndarray, hi: np.ndarray, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(entities, documents): the entities mentioned in each span [lo, hi) (keys), once."""
        ents, d = expand(b.m_ent, np.searchsorted(b.m_key, lo), np.searchsorted(b.m_key, hi), docs, -1)
        if not len(ents):
            return ents, d.astype(np.int64)
        n = max(1, len(self.ent_ids))
        both = distinct_sorted(d.astype(np.int64) * n + ents)
        return both % n, both // n


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
        pairs_ = [s if s and len(s) == 2 else (-1, -1) for s in sents]
        s0 = np.array([p[0] for p in pairs_], np.int64)
        s1 = np.array([p[1] for p in pairs_], np.int64)
    bad = ~((s0 >= 0) & (s0 <= start) & (end <= s1) & (s1 <= n_text))
    return np.where(bad, start, s0), np.where(bad, end, s1)
