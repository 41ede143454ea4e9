"""Building the search index: a few microseconds per fact, a million facts in seconds.

What is built is described in :mod:`pktui.search.index`; this module is how, fast:

* **Articles in batches.** Each article is cut at every bound of its fact sentences,
  facts and factless sentences (passages); the pieces of a batch of articles, the facts'
  summaries and the field values not seen before are tokenized in one call
  (:mod:`pktui.search.tokenizer`), so the tokens of any span are one slice of one array.
  On a large corpus the tokenizing runs in a helper process a few batches ahead.
* **Units.** The facts of one sentence get consecutive numbers, a *unit*; the sentence's
  words and the names of the entities it mentions ("anywhere" postings) are posted once,
  at the unit's first document, and the searcher copies them over the unit
  (``SearchIndex._spread``). Each fact posts its own words and fields ("about").
* **Spans, not words.** Per document the builder notes only token *ranges* (and the ids
  of its fields); numpy turns the ranges of a batch into (token, document) pairs, drops
  stopwords (token :data:`JUNK`), and :class:`~pktui.search.postings.Postings` files
  them a window of documents at a time.
"""

from __future__ import annotations

import bisect
from array import array
from collections import deque
from collections.abc import Callable
from functools import lru_cache
from itertools import chain, islice, repeat
from operator import attrgetter
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
    Passage,
)
from pktui.search.pieces import uncovered
from pktui.search.postings import Postings, add_sources
from pktui.search.tokenizer import JUNK, Article, LocalTokenizer, WorkerTokenizer
from pktui.search.tokens import SEP_WORD, index_tokens, joined

if TYPE_CHECKING:
    from pktui.search.index import SearchIndex

_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"]
_BATCH_CHARS = 1 << 16  # text tokenized in one call
_AHEAD = 3  # batches handed to a helper tokenizer before the first is taken back
_WINDOW = 1 << 15  # documents between two filings of postings
WORKER_MIN_CHARS = 4_000_000  # a corpus this large is tokenized in a helper process

_kind = attrgetter("kind")
_value = attrgetter("value")
_unit = attrgetter("unit")
_detail = attrgetter("detail")
_date = attrgetter("date")


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
    _Builder(index, LocalTokenizer(index.stopwords)).run(progress)


class _Batch:
    """A batch of articles cut into pieces, waiting for its tokens."""

    __slots__ = ("articles", "fields", "fields_at")

    def __init__(self, articles: list, fields: list, fields_at: int) -> None:
        self.articles = articles  # (ai, facts by sentence, first summary's extra, summaries)
        self.fields = fields  # (table, key, days or None) of each field value tokenized here
        self.fields_at = fields_at  # the piece of the first of them


class _Builder:
    def __init__(self, index: SearchIndex, tokenizer) -> None:
        self.ix = index
        kb = index.kb
        self.kb = kb
        self.tokenizer = tokenizer
        self.words: list[str] = [SEP_WORD]  # token id -> word (id 0: JUNK)
        self.any_post = Postings()
        self.about_post = Postings()
        self.ent_index = {e.id: i for i, e in enumerate(kb.entities)}
        self.ent_toks: list[tuple[int, ...]] = []
        self.ent_docs: list[array] = [array("I") for _ in kb.entities]
        self.placed: set[int] = set()  # entities whose document is made
        self.kind_code: dict[str, int] = {ENTITY_KIND: 0}
        # Fields are posted as *sources*: each distinct value (and each entity) keeps the
        # documents that have it, and its tokens get them all at the end
        # (postings.add_sources): one append per fact and field instead of one per token.
        # kind -> value -> (docs, first day, last day); unit/detail -> docs;
        # date -> (docs, first day, last day)
        self.value_docs: dict[str, dict] = {}
        self.str_docs: dict[str, array] = {}
        self.date_docs: dict[str, tuple] = {}
        self.about_sources: list[tuple[tuple[int, ...], array]] = []
        self.ent_about: list[array] = [array("I") for _ in kb.entities]  # facts naming it
        self.ent_any: list[array] = [array("I") for _ in kb.entities]  # units naming it
        self.type_toks: dict[str, tuple[int, ...]] = {}
        # (token range start, end, document) and (token, document) of a batch, per field
        self.any_ranges: list[int] = []
        self.about_ranges: list[int] = []
        self.any_t = array("I")
        self.any_d = array("I")
        self.about_t = array("I")
        self.about_d = array("I")
        self.d = 0

    def code_of(self, kind: str) -> int:
        code = self.kind_code.get(kind)
        if code is None:
            code = self.kind_code[kind] = len(self.kind_code)
            self.ix.kind_names.append(kind)
        return code

    def _learn(self, new_words: list[str]) -> None:
        self.words.extend(new_words)

    # ------------------------------------------------------------------ the build
    def run(self, progress: Callable[[int, int], None] | None) -> None:
        ix, kb = self.ix, self.kb
        arts = ix.articles
        pub = [a.published.toordinal() if a.published else 0 for a in arts]
        order = sorted(range(len(arts)), key=lambda i: (pub[i] == 0, -pub[i], arts[i].id))
        self._entity_tokens()
        art_ids = {a.id for a in arts}
        groups: list[tuple[int, list[Fact]]] = [(ai, kb.facts_in(arts[ai].id)) for ai in order]
        orphans = [f for f in kb.facts if f.article not in art_ids]  # they go last
        if orphans:
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
            self._process(batch, pub)
            done += len(batch.articles)
            if progress is not None and done - reported >= 512:
                reported = done
                progress(done, total)
            if self.d >= next_flush:
                next_flush = self.d + _WINDOW
                self._flush()
        if progress is not None:
            progress(total, total)
        self._flush()
        ix.n_docs = self.d
        ix._all = (1 << self.d) - 1
        ix.any_post = self.any_post.finish(self.d)
        ix.about_post = self.about_post.finish(self.d)
        add_sources(ix.any_post, zip(self.ent_toks, self.ent_any), self.d)
        self.about_sources.extend(zip(self.ent_toks, self.ent_about))
        add_sources(ix.about_post, self.about_sources, self.d)
        ix.df = array("I", [p.bit_count() if p.__class__ is int else len(p) for p in ix.any_post])
        self._finish()

    def _flush(self) -> None:
        n = len(self.words)
        self.any_post.flush(self.d, n)
        self.about_post.flush(self.d, n)

    def _entity_tokens(self) -> None:
        """Token ids of every entity's name and aliases, and of every entity type."""
        ents = self.kb.entities
        types = sorted({e.type for e in ents})
        texts: list[str] = list(types)
        firsts = []
        for e in ents:
            firsts.append(len(texts))
            texts.append(e.name)
            texts.extend(e.aliases)
        firsts.append(len(texts))
        if not texts:
            return
        self.tokenizer.submit([], texts)
        ids, starts, new, _ = self.tokenizer.result()
        self._learn(new)
        for k, ty in enumerate(types):
            self.type_toks[ty] = _distinct(ids[starts[k] : starts[k + 1]])
        self.ent_toks = [
            _distinct(ids[starts[a] : starts[b]]) for a, b in zip(firsts, islice(firsts, 1, None))
        ]

    # ------------------------------------------------------------------ a batch
    def _prepare(self, groups: list[tuple[int, list[Fact]]]) -> _Batch:
        """Group the batch's facts by sentence and hand the articles to the tokenizer."""
        arts = self.ix.articles
        plans = []
        sent: list[Article] = []
        extras: list[str] = []
        for ai, facts in groups:
            text = arts[ai].text if ai >= 0 else ""
            by_sent, bounds = _by_sentence(text, facts)
            gaps = uncovered(list(by_sent), len(text)) if ai >= 0 else []
            sent.append((text, bounds, gaps))
            summaries = [f for f in facts if f.summary]
            plans.append((ai, by_sent, len(extras), summaries))
            extras.extend([f.summary for f in summaries])
        fields = self._new_fields(list(chain.from_iterable(facts for _, facts in groups)))
        fields_at = len(extras)
        extras.extend([text for *_, text in fields])
        self.tokenizer.submit(sent, extras)
        return _Batch(plans, [field[:3] for field in fields], fields_at)

    def _new_fields(self, facts: list[Fact]) -> list[tuple[dict, object, tuple | None, str]]:
        """(table, key, days, text) of the field values of ``facts`` not seen before: the
        entry to fill once their tokens are known, the first and last day of a date (else
        None for a string, NO_DATE for a value) and the text to tokenize."""
        out: list[tuple[dict, object, tuple | None, str]] = []
        value_docs, str_docs, date_docs = self.value_docs, self.str_docs, self.date_docs
        no_days = (NO_DATE_LO, NO_DATE_HI)
        try:
            values = set(zip(map(_kind, facts), map(_value, facts)))
        except TypeError:  # an unhashable value: keyed by the object itself
            values = {(f.kind, _key_of(f.value)) for f in facts}
        for kind, key in values:
            table = value_docs.get(kind)
            if table is None:
                table = value_docs[kind] = {}
            if key is not None and key not in table:
                table[key] = None  # once per build
                v = key.value if key.__class__ is _ValueKey else key
                if v.__class__ is not str:
                    out.append((table, key, no_days, " ".join(_value_words(v))))
                elif kind in ("date", "event"):
                    out.append((table, key, _date_span(v), " ".join(_date_words(v))))
                else:
                    out.append((table, key, no_days, v))
        strings = set(map(_unit, facts))
        strings.update(map(_detail, facts))
        for s in strings:
            if s and s not in str_docs:
                str_docs[s] = None  # type: ignore[assignment]
                out.append((str_docs, s, None, s))
        for s in set(map(_date, facts)):
            if s and s not in date_docs:
                date_docs[s] = None
                out.append((date_docs, s, _date_span(s), " ".join(_date_words(s))))
        out.sort(key=_text_of)  # ids in the same order on every run
        return out

    def _process(self, batch: _Batch, pub) -> None:
        """The batch's documents and their postings, once its tokens are back."""
        ids, starts, new, layouts = self.tokenizer.result()
        self._learn(new)
        extras_at = sum(len(bounds) for bounds, _ in layouts)
        k = extras_at + batch.fields_at
        for table, key, days in batch.fields:
            toks = _distinct(ids[starts[k] : starts[k + 1]])
            k += 1
            docs = array("I")
            if toks:
                self.about_sources.append((toks, docs))
            table[key] = docs if days is None else (docs, *days)
        base = 0
        for (ai, by_sent, first_extra, summaries), (bounds, passages) in zip(batch.articles, layouts):
            # token index of each cut (piece k starts at token starts[base + k])
            at = dict(zip(bounds, starts[base : base + len(bounds)]))
            base += len(bounds)
            k = extras_at + first_extra
            summary_at = {id(f): (starts[j], starts[j + 1]) for j, f in enumerate(summaries, k)}
            self._article(ai, pub[ai] if ai >= 0 else 0, by_sent, passages, ids, at, summary_at)
        ids_np = np.frombuffer(ids, np.uint32)
        self._post(self.any_post, ids_np, self.any_ranges, self.any_t, self.any_d)
        self._post(self.about_post, ids_np, self.about_ranges, self.about_t, self.about_d)

    @staticmethod
    def _post(sink: Postings, ids: np.ndarray, ranges: list[int], toks: array, docs: array) -> None:
        """Hand the batch's pairs to ``sink``: the tokens of each range, and the fields."""
        if ranges:
            r = np.array(ranges, np.int64).reshape(-1, 3)
            lo, hi, doc = r[:, 0], r[:, 1], r[:, 2]
            lens = hi - lo
            total = int(lens.sum())
            # position of each range's tokens: lo + 0, lo + 1, ... for each range in turn
            pos = np.repeat(lo - (np.cumsum(lens) - lens), lens) + np.arange(total)
            t = ids[pos]
            d = np.repeat(doc, lens)
            keep = t != JUNK
            sink.add(t[keep], d[keep])
            ranges.clear()
        if toks:
            sink.add(np.frombuffer(toks, np.uint32).copy(), np.frombuffer(docs, np.uint32).copy())
            del toks[:]
            del docs[:]

    def _article(self, ai, art_ord, by_sent, passages, ids, at, summary_at) -> None:
        ix, kb = self.ix, self.kb
        lo0 = art_ord or NO_DATE_LO
        hi0 = art_ord or NO_DATE_HI
        d0 = d = self.d
        any_r, ab_r = self.any_ranges, self.about_ranges
        any_t, any_d, ab_t, ab_d = self.any_t, self.any_d, self.about_t, self.about_d
        doc_obj, doc_kind, doc_lo, doc_hi = ix.doc_obj, ix.doc_kind, ix.doc_lo, ix.doc_hi
        doc_unit, doc_mention = ix.doc_unit, ix.doc_mention
        ent_index, ent_docs, ent_toks = self.ent_index, self.ent_docs, self.ent_toks
        ent_about, ent_any = self.ent_about, self.ent_any
        value_docs, str_docs, date_docs = self.value_docs, self.str_docs, self.date_docs
        kind_code = self.kind_code
        mentions = kb.mentions_in(ix.articles[ai].id) if ai >= 0 else []
        m_starts = list(map(_mention_start, mentions))
        m_ents = list(map(ent_index.get, map(_mention_entity, mentions)))
        # --- the entities first named here (articles go newest first): their documents,
        # units of their own
        ents = set(m_ents)
        ents.discard(None)
        ents -= self.placed
        self.placed |= ents
        for ei in sorted(ents):
            e = kb.entities[ei]
            toks = ent_toks[ei]
            ab_t.extend(toks)
            ab_d.extend(repeat(d, len(toks)))
            n = len(any_t)
            any_t.extend(toks)
            any_t.extend(self.type_toks[e.type])
            any_d.extend(repeat(d, len(any_t) - n))
            doc_obj.append(e)
            doc_kind.append(0)
            doc_lo.append(lo0)
            doc_hi.append(hi0)
            doc_mention.append(_best_mention(e, mentions[0].article))
            doc_unit.append(0)
            ent_docs[ei].append(d)
            ix.entity_doc[e.id] = d
            d += 1

        def add_mentions(s: int, e_: int, doc: int) -> list[int]:
            """Post the names of the entities mentioned in ``[s, e_)`` as "anywhere" words."""
            k = bisect.bisect_left(m_starts, s)
            seen = dict.fromkeys(m_ents[k : bisect.bisect_left(m_starts, e_, k)])
            if not seen:
                return []
            seen.pop(None, None)
            for ei in seen:
                ent_any[ei].append(doc)
            return list(seen)

        # --- facts, a sentence (unit) at a time
        for (s0, s1), group in by_sent.items():
            if len(group) > 1:
                group.sort(key=_span_len)
            a, b = at[s0], at[s1]
            for j, f in enumerate(group):
                off = j % UNIT_MAX
                if not off:
                    any_r += (a, b, d)
                    add_mentions(s0, s1, d)
                kind = f.kind
                ab_r += (at[f.start], at[f.end], d)
                v = f.value
                lo = NO_DATE_LO
                if v is not None:
                    try:
                        docs, lo, hi = value_docs[kind][v]
                    except TypeError:
                        docs, lo, hi = value_docs[kind][_ValueKey(v)]
                    docs.append(d)
                if f.unit:
                    str_docs[f.unit].append(d)
                if f.detail and kind == "quantity":
                    str_docs[f.detail].append(d)
                if f.date:
                    docs, dlo, dhi = date_docs[f.date]
                    docs.append(d)
                    if lo == NO_DATE_LO:
                        lo, hi = dlo, dhi
                if f.summary:
                    ab_r += (*summary_at[id(f)], d)
                for eid in f.entities:
                    ei = ent_index.get(eid)
                    if ei is not None:
                        ent_about[ei].append(d)
                        ent_docs[ei].append(d)
                doc_obj.append(f)
                code = kind_code.get(kind)
                doc_kind.append(self.code_of(kind) if code is None else code)
                # effective date: the fact's own date when it has one, else the article's
                if lo == NO_DATE_LO:
                    doc_lo.append(lo0)
                    doc_hi.append(hi0)
                else:
                    doc_lo.append(lo)
                    doc_hi.append(hi)
                doc_unit.append(off)
                d += 1
        # --- passages: sentences with no fact in them, units of their own
        if passages:
            code = self.code_of(PASSAGE_KIND)
            art_id = ix.articles[ai].id
            for ps, pe in passages:
                a, b = at[ps], at[pe]
                if not any(ids[a:b]):  # nothing but stopwords
                    continue
                any_r += (a, b, d)
                for ei in add_mentions(ps, pe, d):
                    ent_docs[ei].append(d)
                doc_obj.append(Passage(art_id, ps, pe))
                doc_kind.append(code)
                doc_lo.append(lo0)
                doc_hi.append(hi0)
                doc_unit.append(0)
                d += 1
        doc_mention.extend(repeat(-1, d - d0 - len(ents)))
        ix.doc_art.extend(repeat(ai, d - d0))
        self.d = d

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
        # a type's documents: those of its entities (each entity doc, fact and passage is in
        # the documents of the entities it names)
        by_type: dict[str, list[array]] = {}
        for ei, docs in enumerate(self.ent_docs):
            if docs:
                by_type.setdefault(kb.entities[ei].type, []).append(docs)
        ix.type_bits = {ty: rank.union_of(posts) for ty, posts in by_type.items()}
        ix.entity_docs = {kb.entities[ei].id: docs for ei, docs in enumerate(self.ent_docs) if docs}
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


def _by_sentence(text: str, facts: list[Fact]) -> tuple[dict[tuple[int, int], list[Fact]], list[int]]:
    """Facts by sentence, and every bound of those sentences and facts (sorted)."""
    n_text = len(text)
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
        cuts.add(f.start)
        cuts.add(f.end)
    return by_sent, sorted(cuts)


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


def _span_len(f: Fact) -> int:
    return f.end - f.start


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





