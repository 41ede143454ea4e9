"""The search index: segments on disk, searched together, in a few milliseconds a keystroke.

``SearchIndex.open(folders, kb, deleted_articles)`` maps a main segment and its deltas
(written by :func:`pktui.search.build.write_segment`, oldest first); ``SearchIndex.build(kb)``
makes one segment in memory. Design (see the package docstring for the ranking rules):

* **Documents** are the facts and passages of each segment, numbered after those of the
  segments before it, then one per entity (from the entity part of the last segment).
  Within a segment they go newest article first; entity documents go by their newest
  live article. A document of an article that was deleted, or that a later segment holds
  again (changed), is skipped at once (:attr:`_live`).
* **Bitsets.** Every set of documents is a Python int over all of them; a token's is the
  union of its postings in each segment, shifted to the segment's place
  (:mod:`pktui.search.reader`). The facts of one sentence are consecutive documents, a
  *unit*; its sentence's words are posted at its first document only and copied over the
  unit when read (:meth:`_spread`).
* **A query word** expands on the union of the segments' vocabularies
  (:mod:`pktui.search.expansion`, :mod:`pktui.search.vocabulary`); expansions and bitsets
  are cached, so each keystroke mostly reuses the previous one's work.
* **Ranking** is exact: each document's score is a small integer computed for all of them
  at once as bit-sliced integers (:mod:`pktui.search.rank`); the top k are read off the
  slices, ties going to the newest documents across segments
  (:mod:`pktui.search.layout`). Hits are
  made only for the documents returned (:mod:`pktui.search.hits`).

Exactness after updates: ranking equals that of one segment written from the same
knowledge base (an entity's changed names included: see :mod:`pktui.search.reader`),
except that a word's document count, which picks the completions of a short word being
typed and orders typos, still counts deleted documents until the segments are merged.
"""

from __future__ import annotations

import bisect
import os
import threading
from array import array
from collections.abc import Callable, Hashable, Iterable

import numpy as np

from pktui.knowledge.source import FactSource
from pktui.search import rank, segment
from pktui.search.cache import LRU, Fifo
from pktui.search.docs import ENTITY_KIND, PASSAGE_KIND, UNIT_MAX
from pktui.search.entity_parts import current_entities
from pktui.search.expansion import Expander, Expansion
from pktui.search.filters import Filters
from pktui.search.hits import DocRef, Hit, HitMaker, Marker
from pktui.search.layout import Layout, dead_articles
from pktui.search.query import Query, parse_query
from pktui.search.reader import EntityPart, FactSegment, RowCache, bits_of_docs, bits_of_mask
from pktui.search.segment import SegmentData, SegmentError
from pktui.search.spelling import Spellings, default_spellings, default_stopwords
from pktui.search.tokens import MAX_TOKEN
from pktui.search.vocabulary import Vocabulary
from pktui.text import prepare_folding

__all__ = ["Hit", "SearchIndex", "SegmentError"]

_ENTITY_BONUS = 2


class SearchIndex(Filters):
    """Search over the facts, passages and entities of a knowledge base. See the module doc."""

    def __init__(
        self,
        kb: FactSource,
        data: list[SegmentData],
        deleted_articles: Iterable[str] = frozenset(),
        entities: SegmentData | None = None,
    ) -> None:
        """``entities``: the entity part these segments make (kept from an earlier open of
        the same segments over the same ``kb``), or None to merge it from them."""
        if not data:
            raise SegmentError("no search segment to open")
        self.kb = kb
        self.spellings: Spellings = default_spellings()
        self.stopwords: frozenset[str] = default_stopwords()
        self._rows: RowCache = LRU(1 << 16, 32 << 20)  # bitset rows of frequent tokens, as ints
        self.segments = [FactSegment(d, self._rows) for d in data]
        deleted = frozenset(deleted_articles)
        dead = dead_articles(self.segments, deleted)
        if entities is None:
            entities = current_entities(data, self.segments, dead, deleted, kb, self.stopwords)
        self.ent = EntityPart(entities)
        self.layout = lay = Layout(self.segments, self.ent, dead)
        self.bases, self.ent_base, self.n_docs = lay.bases, lay.ent_base, lay.n_docs
        self.ent_pos, self.ent_at, self.ent_lo, self.ent_hi = lay.ent_pos, lay.ent_at, lay.ent_lo, lay.ent_hi
        self._live = self._all = lay.live
        self.vocab = Vocabulary([s.vocab for s in self.segments] + [self.ent.vocab], len(self.segments))
        self.helper_peak_mb = 0.0  # peak memory of a build's helper process, if any
        self.peak_with_helper_mb = 0.0
        self._lock = threading.RLock()
        self._bitcache: LRU[tuple[str, int], int] = LRU(4096, 8 << 20)  # (word, 0 any, 1 about, 2 spread)
        self._filtercache: LRU[Hashable, int | tuple[int, int]] = LRU(128, 16 << 20)
        self._keycache: Fifo[str, list[int]] = Fifo(16384)  # name keys -> entity documents
        self._name_words: Fifo[str, bool] = Fifo(16384)
        self._refcache: Fifo[int, DocRef] = Fifo(8192)  # document -> DocRef
        self._spread_masks: list[tuple[int, int]] | None = None
        self.expander = Expander(self.vocab, self.spellings, self._or_bits, self._bits)
        self.hits = HitMaker(kb, self.stopwords)
        prepare_folding()

    # ------------------------------------------------------------------ opening
    @classmethod
    def open(
        cls, folders: Iterable[str | os.PathLike[str]], kb: FactSource, deleted_articles: Iterable[str] = frozenset()
    ) -> SearchIndex:
        """Map the segments ``folders`` (main first, then deltas, oldest first) as one
        index over ``kb``. An article held by a later segment hides its documents in the
        earlier ones; those of ``deleted_articles`` are skipped everywhere. Entity
        documents come from the last segment. Raises :class:`SegmentError` for a folder
        that is missing, damaged or of another format (rebuild it)."""
        return cls(kb, [segment.read(f) for f in folders], deleted_articles)

    @classmethod
    def build(cls, kb: FactSource, progress: Callable[[int, int], None] | None = None) -> SearchIndex:
        """Index every fact, passage and entity of ``kb``, in memory."""
        from pktui.search.build import build_segment

        data = build_segment(kb, None, progress)
        index = cls(kb, [data])
        index.helper_peak_mb = data.helper_peak_mb
        index.peak_with_helper_mb = data.peak_with_helper_mb
        return index

    # ------------------------------------------------------------------ stats
    @property
    def n_facts(self) -> int:
        """Live fact documents (passages and entities aside)."""
        live = self._live
        return (live & ~self.kind_bits(PASSAGE_KIND) & ~self.kind_bits(ENTITY_KIND)).bit_count()

    # ------------------------------------------------------------------ bitsets of words
    def _raw_bits(self, word: str, about: bool) -> int:
        """Documents holding ``word`` (``about`` them, or anywhere before spreading)."""
        key = (word, about)
        b = self._bitcache.get_(key)
        if b is None:
            b = self._union([word], about)
            self._bitcache.put(key, b)
        return b

    def _union(self, words: list[str], about: bool) -> int:
        flavor = "about" if about else "any"
        where = [self.vocab.locate(w) for w in words]
        # the first segment (at 0) and the entity documents (numbered as they are here)
        # go into one union; a later segment's is shifted to its place
        first: list[int | array[int]] = []
        out = 0
        for p, (seg, base) in enumerate(zip(self.segments, self.bases)):
            raw = first if not base else []
            fixed = 0
            for w, locs in zip(words, where):
                tid = next((i for q, i in locs if q == p), -1)
                if w in seg.fixes:
                    fixed |= seg.bits(tid, w, about)
                elif tid >= 0:
                    raw.append(seg.postings[flavor].raw(tid))
            if base and (raw or fixed):
                out |= (rank.union_of(raw) | fixed) << base
            else:
                out |= fixed
        p = len(self.segments)
        for locs in where:
            first.extend(self._entity_row(i, about) for q, i in locs if q == p)
        return out | rank.union_of(first)

    def _entity_row(self, tid: int, about: bool) -> int | array[int]:
        """The entity documents of a token of the entity part: a long row as a bitset (kept
        with the frequent tokens' rows), a short one as numbers."""
        key = ("entities", tid, about)
        got = self._rows.get_(key)
        if got is None:
            docs = self.layout.entity_docs((self.ent.about if about else self.ent.any).row(tid))
            if len(docs) < 64:
                return array("I", docs.tolist())
            got = bits_of_docs(docs)
            self._rows.put(key, got)
        return got

    def _bits(self, word: str, about: bool) -> int:
        """The documents that hold ``word`` (``about`` them, or anywhere)."""
        if about:
            return self._raw_bits(word, True)
        key = (word, 2)
        b = self._bitcache.get_(key)
        if b is None:
            b = self._spread(self._raw_bits(word, False)) | self._raw_bits(word, True)
            self._bitcache.put(key, b)
        return b

    def _or_bits(self, words: list[str], about: bool) -> int:
        if not words:
            return 0
        if len(words) == 1:
            return self._bits(words[0], about)
        about_bits = self._union(words, True)
        if about:
            return about_bits
        return self._spread(self._union(words, False)) | about_bits

    def _spread(self, x: int) -> int:
        """ "Anywhere" bits of whole units from those of their first documents.

        The sentence's words are posted for the unit's first document only; each
        document knows its place in its unit (under ``UNIT_MAX``), so copying the first
        bit over the unit is a few shifts: after shifting by 1, 2, 4, 8 (each masked to
        the documents at least that far into their unit) every document holds its first's.
        """
        masks = self._spread_masks
        if masks is None:
            masks = self._spread_masks = []
            for shift in (1, 2, 4, 8):
                if shift < UNIT_MAX:
                    m = 0
                    for seg, base in zip(self.segments, self.bases):
                        m |= bits_of_mask(seg.unit >= shift) << base
                    if m:
                        masks.append((shift, m))
        for shift, mask in masks:
            x |= (x << shift) & mask
        return x

    # ------------------------------------------------------------------ documents
    def _ref(self, d: int) -> DocRef:
        return self._refs([d])[0]

    def _refs(self, docs: list[int]) -> list[DocRef]:
        """What each document is."""
        lay, ent_base, bases = self.layout, self.ent_base, self.bases
        cache = self._refcache
        out = []
        for d in docs:
            ref = cache.get(d)
            if ref is not None:
                out.append(ref)
                continue
            if d >= ent_base:
                pos = d - ent_base
                ref = DocRef(ENTITY_KIND, self.ent.id(self.ent_at.item(pos)), lay.home(pos))
            else:
                p = 0 if len(bases) == 1 else bisect.bisect_right(bases, d) - 1
                seg, local = self.segments[p], d - bases[p]
                kind = seg.kind_names[seg.kind.item(local)]
                if kind == PASSAGE_KIND:
                    ref = DocRef(PASSAGE_KIND, "", *seg.passage(local))
                else:
                    ref = DocRef(kind, bytes(seg.fact_ids[seg.ref.item(local)]).decode("utf-8"))
            out.append(ref)
            cache[d] = ref
        return out

    # ------------------------------------------------------------------ search
    def search(self, query: str, limit: int = 50) -> list[Hit]:
        """The best ``limit`` hits for what was typed. Never raises."""
        return self.search_counted(query, limit)[0]

    def search_counted(self, query: str, limit: int = 50) -> tuple[list[Hit], int]:
        """The best ``limit`` hits and how many documents matched in all (with a quoted
        phrase: how many hold its words, an upper bound). Never raises."""
        try:
            with self._lock:
                return self._search(parse_query(query), limit)
        except Exception:
            return [], 0

    def _search(self, q: Query, limit: int) -> tuple[list[Hit], int]:
        limit = int(limit)
        if limit <= 0 or q.is_empty or not self.n_docs:
            return [], 0
        docs, scores, exps, total = self._rank(q, limit)
        marker = Marker(exps, self.hits.entity_words, self._is_name_word)
        hits = [self.hits.hit(ref, scores.get(d, 0), marker) for d, ref in zip(docs, self._refs(docs))]
        return [h for h in hits if h is not None], total

    def _is_name_word(self, word: str) -> bool:
        """``word`` is a word of some entity's name (cached)."""
        got = self._name_words.get(word)
        if got is None:
            tid = self.ent.vocab.find(word)
            got = self._name_words[word] = tid >= 0 and len(self.ent.about.row(tid)) > 0
        return got

    def _rank(self, q: Query, limit: int) -> tuple[list[int], dict[int, int], list[Expansion], int]:
        stop = self.stopwords
        terms = [t for t in q.terms if t.prefix or t.text not in stop]
        if not q.terms and not q.has_filters:
            return [], {}, [], 0
        expand = self.expander.expand
        exps = [expand(t.text, t.prefix) for t in terms]
        # a word joined with the next one ("viet nam" -> "vietnam") matches both
        joins: list[tuple[int, int, int, int]] = [(0, 0, 0, 0)] * len(terms)
        join_exps: list[Expansion] = []
        for i in range(len(terms) - 1):
            a, b = terms[i], terms[i + 1]
            jx = expand(a.text + b.text, b.prefix, allow_fuzzy=False)
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
        bonus, credits = self._name_bonus(q.terms, terms, exps) if q.terms else (0, {})
        if not terms:  # no words, or only stopwords: a name made of them ("Tô An"), or the filters
            universe = bonus or (self._all if q.has_filters else 0)
        if bonus:
            total = rank.add(total, [0, bonus & universe])
        for n, (named, about) in credits.items():  # the stopwords of a name count as its words
            universe |= named  # (which no posting holds: "to an" finds Tô An)
            for _ in range(n):  # each an exact word: 8, + 1 "about"
                total = rank.add(total, [about, 0, 0, named])
                count = rank.increment(count, named)
        universe &= self._live
        filt = self._filter_bits(q)
        if filt is not None:
            universe &= filt
        for ws in q.excludes:
            ws = [w for w in ws if w not in stop]
            if not ws:
                continue
            x = self._all
            for w in ws:
                x &= expand(w, False, allow_fuzzy=False).e_any
            universe ^= universe & x
        for ph in q.phrases:
            ws = ph.split()
            for j, w in enumerate(ws):
                last = j == len(ws) - 1
                if w in stop and not last:
                    continue
                ex = expand(w, last, allow_fuzzy=False)
                universe &= ex.e_any | ex.p_any
        if not universe:
            return [], {}, exps + join_exps, 0
        matched_in_all = universe.bit_count()
        width = (9 * len(q.terms) + _ENTITY_BONUS).bit_length()
        slices = (total + [0] * width)[:width] + count
        docs = rank.top_k(slices, universe, limit, self.layout.newest)
        if q.phrases:
            for _ in range(16):
                bad = [d for d in docs if not self._has_phrases(d, q.phrases)]
                if not bad:
                    break
                universe ^= rank.bits_of(bad)
                docs = rank.top_k(slices, universe, limit, self.layout.newest)
            docs = [d for d in docs if self._has_phrases(d, q.phrases)]
        scores = rank.values(slices, docs)
        self.layout.sort(docs, scores)
        return docs, scores, exps + join_exps, matched_in_all

    def _has_phrases(self, d: int, phrases: list[str]) -> bool:
        from pktui.text import fold

        texts = [" " + fold(t) for t in self.hits.doc_texts(self._ref(d))]
        return all(any(f" {p}" in t for t in texts) for p in phrases)

    def passage(self, hit: Hit) -> tuple[int, int]:
        """The passage (sentence) to show for a hit: offsets into its article's text."""
        return self.hits.passage(hit)

    # ------------------------------------------------------------------ where words occur
    def articles_holding(self, words: list[str]) -> set[str] | None:
        """Ids of the live articles that hold each of ``words`` (folded words) somewhere: a
        superset of those where they occur as a name. Stopwords and single letters are not
        posted, so they do not narrow it; None when nothing else is left (read every article)."""
        words = [w[:MAX_TOKEN] for w in words if w not in self.stopwords and len(w) > 1]
        if not words:
            return None
        with self._lock:
            per_word = [self._articles_of_docs(self._bits(w, False) & self._live) for w in words]
        out: set[str] = set()
        for p, seg in enumerate(self.segments):  # an article's live documents are in one segment
            common = per_word[0][p]
            for arts in per_word[1:]:
                common = np.intersect1d(common, arts[p], assume_unique=True)
            out.update(seg.article_id(int(a)) for a in common.tolist())
        return out

    def _articles_of_docs(self, bits: int) -> list[np.ndarray]:
        """Per segment, the articles (numbers there) of the fact and passage documents of a
        bitset."""
        bits &= (1 << self.ent_base) - 1
        raw = np.frombuffer(bits.to_bytes((bits.bit_length() + 7) // 8, "little"), np.uint8)
        docs = np.flatnonzero(np.unpackbits(raw, bitorder="little"))
        out = []
        for seg, lo, hi in zip(self.segments, self.bases, [*self.bases[1:], self.ent_base]):
            local = docs[(docs >= lo) & (docs < hi)] - lo
            out.append(np.unique(np.asarray(seg.art)[local]))
        return out

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
            if text not in self.vocab and not (t and t.prefix and self.expander.completions(text)):
                best = self.expander.closest(text)
                if best and best != text:
                    w, changed = best, True
            out.append(w)
        return " ".join(out) if changed else None
