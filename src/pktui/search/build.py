"""Building the search index: a few microseconds per fact, a million facts in seconds.

What is built is described in :mod:`pktui.search.index`; this module is how, fast:

* **Articles in batches.** Each article is cut at every bound of its fact sentences,
  facts and factless sentences (passages); the pieces of a batch of articles (and the
  facts' summaries) are tokenized in one call (:func:`piece_tokens`) and looked up in the
  vocabulary in one ``map``, so the tokens of any span are one slice of one list.
* **Units.** The facts of one sentence get consecutive numbers, a *unit*; the sentence's
  words and the names of the entities it mentions ("anywhere" postings) are posted once,
  at the unit's first document, and the searcher copies them over the unit
  (``SearchIndex._spread``). Each fact posts its own words and fields ("about").
* **No sets.** Stopwords and the separator between pieces are token :data:`JUNK`, whose
  postings are dropped at the end; a word twice in one span is posted twice, which
  changes no bitset. Postings are buffered as (token, doc) pairs and appended at C speed;
  long ones become bitsets a chunk at a time (:class:`_Flusher`).
"""

from __future__ import annotations

import bisect
import re
from array import array
from collections import deque
from collections.abc import Callable
from functools import lru_cache
from itertools import compress, islice, repeat
from operator import attrgetter, is_
from typing import TYPE_CHECKING

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
from pktui.search.tokens import _WORD_RE, SEP_WORD, index_tokens, joined, piece_tokens

if TYPE_CHECKING:
    from pktui.search.index import SearchIndex

JUNK = 0  # the token of stopwords and separators: indexed nowhere
_MONTHS = (
    "january february march april may june july august september october november december"
).split()
_BATCH_CHARS = 1 << 16  # text tokenized in one call
_FLUSH_EVERY = 1 << 15  # documents between two looks for long postings
_FLUSH_LEN = 1 << 14  # a posting this long is turned into (part of) a bitset
_BLOCK = 1 << 16  # documents gathered into bits at a time
_ZERO_BITS = bytes(_BLOCK >> 3)
_CACHE = 50_000  # entries of each small cache (values, strings)

_consume = deque(maxlen=0).extend


def build_into(index: SearchIndex, progress: Callable[[int, int], None] | None = None) -> None:
    """Fill the empty ``index`` with every fact, entity and passage of its knowledge base."""
    _Builder(index).run(progress)


class _Builder:
    def __init__(self, index: SearchIndex) -> None:
        self.ix = index
        kb = index.kb
        self.kb = kb
        self.vocab = index.vocab
        self.any_post = index.any_post
        self.about_post = index.about_post
        self._tid(SEP_WORD)  # the first token: JUNK
        for w in index.stopwords:
            self.vocab[w] = JUNK
        self.ent_index = {e.id: i for i, e in enumerate(kb.entities)}
        self._ent_toks: list[tuple[int, ...] | None] = [None] * len(kb.entities)
        self.ent_docs: list[array] = [array("I") for _ in kb.entities]
        self.kind_code: dict[str, int] = {ENTITY_KIND: 0}
        self._str_ids: dict[str, tuple[int, ...]] = {}
        self._value_ids: dict[tuple, tuple] = {}
        self._date_ids: dict[str, tuple] = {}

    # ------------------------------------------------------------------ vocabulary
    def _tid(self, tok: str) -> int:
        tid = self.vocab.get(tok)
        if tid is None:
            tid = self.vocab[tok] = len(self.any_post)
            self.any_post.append(array("I"))
            self.about_post.append(array("I"))
        return tid

    def ids(self, toks: list[str]) -> tuple[int, ...]:
        """Distinct token ids of ``toks`` (new tokens get one), JUNK left out."""
        ids = set(map(self._tid, toks))
        ids.discard(JUNK)
        return tuple(ids)

    def str_ids(self, s: str) -> tuple[int, ...]:
        t = self._str_ids.get(s)
        if t is None:
            if len(self._str_ids) > _CACHE:
                self._str_ids.clear()
            t = self._str_ids[s] = self.ids(index_tokens(s))
        return t

    def ent_toks(self, ei: int) -> tuple[int, ...]:
        """Token ids of an entity's name and aliases."""
        t = self._ent_toks[ei]
        if t is None:
            e = self.kb.entities[ei]
            toks = index_tokens(e.name)
            for a in e.aliases:
                toks.extend(index_tokens(a))
            t = self._ent_toks[ei] = self.ids(toks)
        return t

    def code_of(self, kind: str) -> int:
        code = self.kind_code.get(kind)
        if code is None:
            code = self.kind_code[kind] = len(self.kind_code)
            self.ix.kind_names.append(kind)
        return code

    def date_ids(self, value: str) -> tuple:
        """``(token ids, first day, last day)`` of a date value (``2018-09``, ``2019/2023``)."""
        got = self._date_ids.get(value)
        if got is None:
            if len(self._date_ids) > _CACHE:
                self._date_ids.clear()
            got = self._date_ids[value] = (self.ids(_date_words(value)), *_date_span(value))
        return got

    def value_ids(self, kind: str, v) -> tuple:
        """``(token ids, first day, last day)`` of a fact's value (days: of a date value)."""
        if v.__class__ is str:
            if kind == "date" or kind == "event":
                return self.date_ids(v)
            return self.str_ids(v), NO_DATE_LO, NO_DATE_HI
        key = (v.__class__, v)
        try:
            got = self._value_ids.get(key)
        except TypeError:  # an unhashable value
            return self.ids(_value_words(v)), NO_DATE_LO, NO_DATE_HI
        if got is None:
            if len(self._value_ids) > _CACHE:
                self._value_ids.clear()
            got = self._value_ids[key] = (self.ids(_value_words(v)), NO_DATE_LO, NO_DATE_HI)
        return got

    # ------------------------------------------------------------------ the build
    def run(self, progress: Callable[[int, int], None] | None) -> None:
        ix, kb = self.ix, self.kb
        arts = ix.articles
        pub = [a.published.toordinal() if a.published else 0 for a in arts]
        order = sorted(range(len(arts)), key=lambda i: (pub[i] == 0, -pub[i], arts[i].id))
        ents_at, best_mention = self._entity_places(order)
        art_ids = {a.id for a in arts}
        groups: list[tuple[int, list[Fact]]] = [(ai, kb.facts_in(arts[ai].id)) for ai in order]
        orphans = [f for f in kb.facts if f.article not in art_ids]  # they go last
        if orphans:
            groups.append((-1, orphans))

        self.any_t: list[int] = []
        self.any_d: list[int] = []
        self.ab_t: list[int] = []
        self.ab_d: list[int] = []
        self.d = 0
        flusher = _Flusher(self.any_post, self.about_post)
        next_flush = _FLUSH_EVERY
        total = len(groups)
        done = 0
        i = 0
        while i < total:
            # a batch of articles, tokenized together
            j, chars = i, 0
            while j < total and (j == i or chars < _BATCH_CHARS):
                ai = groups[j][0]
                chars += len(arts[ai].text) if ai >= 0 else 0
                j += 1
            self._batch(groups[i:j], pub, ents_at, best_mention)
            i = j
            if progress is not None and i - done >= 512:
                done = i
                progress(i, total)
            if self.d >= next_flush:
                next_flush = self.d + _FLUSH_EVERY
                flusher.flush()
        if progress is not None:
            progress(total, total)
        ix.n_docs = self.d
        ix._all = (1 << self.d) - 1
        flusher.finish(ix.df, max(256, self.d >> 6))
        self._finish()

    def _entity_places(self, order: list[int]) -> tuple[dict[int, list[int]], list[int]]:
        """Where each entity's document goes: at its best mention's article (the newest;
        the full name if written so there), and that mention's index."""
        arts = self.ix.articles
        art_pos = {arts[i].id: p for p, i in enumerate(order)}
        ents_at: dict[int, list[int]] = {}
        best_mention: list[int] = []
        get_article = attrgetter("article")
        for ei, e in enumerate(self.kb.entities):
            ms = e.mentions
            best_pos = min(map(art_pos.get, map(get_article, ms), repeat(1 << 62)), default=1 << 62)
            best = -1
            if best_pos < 1 << 62:
                # in that article: the first mention, or the first written in full
                best_art = arts[order[best_pos]].id
                for mi, m in enumerate(ms):
                    if m.article == best_art:
                        if best < 0:
                            best = mi
                        if m.text == e.name:
                            best = mi
                            break
                ents_at.setdefault(order[best_pos], []).append(ei)
            best_mention.append(best)
        return ents_at, best_mention

    def _batch(self, groups, pub, ents_at, best_mention) -> None:
        arts = self.ix.articles
        plans = []
        texts: list[str] = []
        for ai, facts in groups:
            text = arts[ai].text if ai >= 0 else ""
            by_sent, passages, bounds = _cut(text, facts, ai >= 0)
            base = len(texts)
            texts.extend(map(text.__getitem__, map(slice, bounds, islice(bounds, 1, None))))
            texts.append("")  # the end of the last piece
            summaries = [f for f in facts if f.summary]
            texts.extend([f.summary for f in summaries])
            plans.append((ai, by_sent, passages, bounds, base, summaries))
        words_, starts = piece_tokens(texts)
        vocab_get = self.vocab.get
        ids = list(map(vocab_get, words_))
        if None in ids:
            tid = self._tid
            for k in compress(range(len(ids)), map(is_, ids, repeat(None))):
                ids[k] = tid(words_[k])
        for ai, by_sent, passages, bounds, base, summaries in plans:
            # word index of each cut (piece k starts at word starts[base + k])
            at = dict(zip(bounds, starts[base : base + len(bounds)]))
            summary_at = {id(f): (starts[k], starts[k + 1]) for k, f in enumerate(summaries, base + len(bounds))}
            art_ord = pub[ai] if ai >= 0 else 0
            self._article(ai, art_ord, ents_at.get(ai, ()) if ai >= 0 else (), best_mention,
                          by_sent, passages, ids, at, starts, summary_at)

    def _article(self, ai, art_ord, ents, best_mention, by_sent, passages, ids, at, starts, summary_at) -> None:
        ix, kb = self.ix, self.kb
        lo0 = art_ord or NO_DATE_LO
        hi0 = art_ord or NO_DATE_HI
        d0 = d = self.d
        any_t, any_d, ab_t, ab_d = self.any_t, self.any_d, self.ab_t, self.ab_d
        doc_obj, doc_kind, doc_lo, doc_hi = ix.doc_obj, ix.doc_kind, ix.doc_lo, ix.doc_hi
        doc_unit, doc_mention = ix.doc_unit, ix.doc_mention
        ent_index, ent_docs, ent_toks = self.ent_index, self.ent_docs, self.ent_toks
        # --- entity docs placed at this article: units of their own
        for ei in ents:
            e = kb.entities[ei]
            toks = ent_toks(ei)
            ab_t.extend(toks)
            ab_d.extend(repeat(d, len(toks)))
            n = len(any_t)
            any_t.extend(toks)
            any_t.extend(self.str_ids(e.type))
            any_d.extend(repeat(d, len(any_t) - n))
            doc_obj.append(e)
            doc_kind.append(0)
            doc_lo.append(lo0)
            doc_hi.append(hi0)
            doc_mention.append(best_mention[ei])
            doc_unit.append(0)
            ent_docs[ei].append(d)
            ix.entity_doc[e.id] = d
            d += 1
        mentions = kb.mentions_in(ix.articles[ai].id) if ai >= 0 else []
        n_mentions = len(mentions)

        def add_mentions(s: int, e_: int) -> list[int]:
            """Post the names of the entities mentioned in ``[s, e_)`` as "anywhere" words."""
            k = bisect.bisect_left(mentions, s, key=_mention_start)
            seen: list[int] = []
            while k < n_mentions and mentions[k].start < e_:
                ei = ent_index.get(mentions[k].entity)
                if ei is not None and ei not in seen:
                    seen.append(ei)
                    any_t.extend(ent_toks(ei))
                k += 1
            return seen

        # --- facts, a sentence (unit) at a time
        for (s0, s1), group in by_sent.items():
            if len(group) > 1:
                group.sort(key=_span_len)
            a, b = at[s0], at[s1]
            for j, f in enumerate(group):
                off = j % UNIT_MAX
                if not off:
                    n = len(any_t)
                    any_t.extend(filter(None, ids[a:b]))
                    add_mentions(s0, s1)
                    any_d.extend(repeat(d, len(any_t) - n))
                kind = f.kind
                n = len(ab_t)
                ab_t.extend(filter(None, ids[at[f.start] : at[f.end]]))
                v = f.value
                lo = NO_DATE_LO
                if v is not None:
                    vt, lo, hi = self.value_ids(kind, v)
                    ab_t.extend(vt)
                if f.unit:
                    ab_t.extend(self.str_ids(f.unit))
                if f.detail and kind == "quantity":
                    ab_t.extend(self.str_ids(f.detail))
                if f.date:
                    dt, dlo, dhi = self.date_ids(f.date)
                    ab_t.extend(dt)
                    if lo == NO_DATE_LO:
                        lo, hi = dlo, dhi
                if f.summary:
                    ab_t.extend(filter(None, ids[slice(*summary_at[id(f)])]))
                for eid in f.entities:
                    ei = ent_index.get(eid)
                    if ei is not None:
                        ab_t.extend(ent_toks(ei))
                        ent_docs[ei].append(d)
                ab_d.extend(repeat(d, len(ab_t) - n))
                doc_obj.append(f)
                doc_kind.append(self.code_of(kind))
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
                n = len(any_t)
                any_t.extend(filter(None, ids[at[ps] : at[pe]]))
                seen = add_mentions(ps, pe)
                if len(any_t) == n:  # nothing but stopwords
                    continue
                any_d.extend(repeat(d, len(any_t) - n))
                for ei in seen:
                    ent_docs[ei].append(d)
                doc_obj.append(Passage(art_id, ps, pe))
                doc_kind.append(code)
                doc_lo.append(lo0)
                doc_hi.append(hi0)
                doc_unit.append(0)
                d += 1
        n_new = d - d0 - len(ents)
        doc_mention.extend(repeat(-1, n_new))
        ix.doc_art.extend(repeat(ai, d - d0))
        self.d = d
        any_post, about_post = self.any_post, self.about_post
        _consume(map(array.append, map(any_post.__getitem__, any_t), any_d))
        _consume(map(array.append, map(about_post.__getitem__, ab_t), ab_d))
        any_t.clear()
        any_d.clear()
        ab_t.clear()
        ab_d.clear()

    def _finish(self) -> None:
        """Kinds, types, entity names, vocabulary: what the searcher reads besides postings."""
        ix, kb = self.ix, self.kb
        self.any_post[JUNK] = array("I")
        self.about_post[JUNK] = array("I")
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
        vocab = self.vocab
        for w in [w for w, t in vocab.items() if t == JUNK]:
            del vocab[w]
        ix.sorted_vocab = sorted(vocab)
        ix.words = [""] * len(self.any_post)
        for w, t in vocab.items():
            ix.words[t] = w
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
        words = ix.words
        ix._entity_word_set = frozenset(
            words[t] for toks in self._ent_toks if toks is not None for t in toks
        )


def _cut(text: str, facts: list[Fact], real: bool):
    """Facts by sentence, the passages between them, and every bound (sorted)."""
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
    passages: list[tuple[int, int]] = []
    if real:
        for gs, ge in _uncovered(list(by_sent), n_text):
            passages.extend(_gap_sentences(text, gs, ge))
        for span in passages:
            cuts.update(span)
    return by_sent, passages, sorted(cuts)


def _mention_start(m) -> int:
    return m.start


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


# ---------------------------------------------------------------------- passages
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


# ---------------------------------------------------------------------- long postings
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
