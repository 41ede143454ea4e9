"""Hits: what a search returns, made only for the documents shown.

The index hands over, per document, a :class:`DocRef` (its kind, its id, and the article
and span of a passage or of an entity's newest article); the fact, entity and article
objects are fetched from the knowledge base here, one hit at a time, and the characters
that the query matched are marked in the passage shown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

from pktui.knowledge.source import FactSource
from pktui.model import Entity, Fact, Mention
from pktui.search.cache import Fifo
from pktui.search.docs import ENTITY_KIND, PASSAGE_KIND
from pktui.search.expansion import Expansion
from pktui.search.tokens import index_tokens, prefix_end, span_tokens
from pktui.text import one_line

#: a passage's article text, and where each of its tokens is: token -> ((start, end), ...)


class Passage:
    """What marking a passage's matches reads: its article's text, where each token is, and
    (read the first time an entity's other names are marked) its mentions' owners."""

    __slots__ = ("owners", "text", "where")

    def __init__(self, text: str, where: dict[str, tuple[tuple[int, int], ...]]) -> None:
        self.text = text
        self.where = where
        self.owners: tuple[tuple[int, int, str], ...] | None = None


#: a hit less its score and matches: kind, id, article, start, end, passage start and end, label
HitBase = tuple[str, str, str, int, int, int, int, str]


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


class DocRef(NamedTuple):
    """A document, as the index knows it: ``id`` of the fact or entity; for a passage its
    article and span; for an entity the article its hit shows (its newest)."""

    kind: str
    id: str
    article: str = ""
    start: int = 0
    end: int = 0


class Marker:
    """What to mark in the passages of one query's hits."""

    __slots__ = ("_entity_words", "entity_words", "marks", "named")

    def __init__(
        self,
        exps: list[Expansion],
        entity_words: Callable[[str], list[frozenset[str]]],
        is_name_word: Callable[[str], bool],
    ) -> None:
        self.marks: dict[str, int] = {}
        for ex in exps:
            for w, n in ex.marks.items():
                old = self.marks.get(w)
                self.marks[w] = n if old is None else (0 if old == 0 or n == 0 else max(old, n))
        self._entity_words = entity_words
        self.named: dict[str, bool] = {}
        # whether any marked word is a word of some entity's name at all
        self.entity_words = any(map(is_name_word, self.marks))

    def names_entity(self, entity_id: str) -> bool:
        """The query names this entity: all the words of one of its names are marked."""
        hit = self.named.get(entity_id)
        if hit is None:
            marks = self.marks.keys()
            hit = self.named[entity_id] = any(ws <= marks for ws in self._entity_words(entity_id))
        return hit


class HitMaker:
    """Hits from document references, with the knowledge base's objects."""

    def __init__(self, kb: FactSource, stopwords: frozenset[str]) -> None:
        self.kb = kb
        self.stopwords = stopwords
        #: (article, start, end) -> what marking the passage's matches reads
        self._passages: Fifo[tuple[str, int, int], Passage] = Fifo(1024)
        self._entwords: Fifo[str, list[frozenset[str]]] = Fifo(4096)
        #: a document's hit without its matches (the same at every key typed), False: gone
        self._bases: Fifo[DocRef, HitBase | Literal[False]] = Fifo(4096)

    def hit(self, ref: DocRef, score: int, marker: Marker) -> Hit | None:
        """The hit of a document, or None when the knowledge base no longer has it."""
        base = self._bases.get(ref)
        if base is None:
            base = self._bases[ref] = self._base(ref)
        if base is False:
            return None
        kind, hid, art, start, end, ps, pe, label = base
        matches = self._matches(art, ps, pe, start, end, marker)
        return Hit(kind, hid, float(score), art, start, end, matches, label)

    def _base(self, ref: DocRef) -> HitBase | Literal[False]:
        """What a document's hit is whatever the query: where it is, what it reads."""
        kb = self.kb
        obj = None if ref.kind == PASSAGE_KIND else kb.entity(ref.id) if ref.kind == ENTITY_KIND else kb.fact(ref.id)
        spans = self.spans(ref, obj)
        if spans is None:
            return False
        art, start, end, ps, pe = spans
        if isinstance(obj, Entity):
            return ("entity", ref.id, art, start, end, ps, pe, one_line(f"{obj.type}: {obj.name}"))
        if ref.kind == PASSAGE_KIND:
            a = kb.article(art)
            label = one_line(f"passage: {a.text[start:end] if a is not None else ''}")
            if len(label) > 120:
                label = label[:119] + "\u2026"
            return (PASSAGE_KIND, f"{art}@{start}-{end}", art, start, end, ps, pe, label)
        if not isinstance(obj, Fact):
            return False  # (not reached: spans() is None for a document whose object is gone)
        return ("fact", ref.id, art, start, end, ps, pe, one_line(fact_label(obj, kb)))

    def spans(self, ref: DocRef, obj: Entity | Fact | None) -> tuple[str, int, int, int, int] | None:
        """(article id, start, end, passage start, passage end) of a document (its fact or
        entity ``obj``, None for a passage)."""
        kb = self.kb
        if ref.kind == PASSAGE_KIND:
            return ref.article, ref.start, ref.end, ref.start, ref.end
        if obj is None:
            return None
        if isinstance(obj, Entity):
            m = best_mention(kb, obj, ref.article)
            if m is None:
                return None
            a = kb.article(m.article)
            ps, pe = sentence_around(a.text if a is not None else "", m.start, m.end)
            return m.article, m.start, m.end, ps, pe
        f = obj
        a = kb.article(f.article)
        n = len(a.text) if a is not None else 0
        s, e = f.sentence if f.sentence and len(f.sentence) == 2 else (f.start, f.end)
        if not (0 <= s <= f.start and f.end <= e <= n):
            s, e = max(0, min(s, f.start)), min(n, max(e, f.end))
        return f.article, f.start, f.end, s, e

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
        return sentence_around(text, hit.start, hit.end)

    def doc_texts(self, ref: DocRef) -> list[str]:
        """The texts a document's words come from (to check a quoted phrase)."""
        kb = self.kb
        if ref.kind == ENTITY_KIND:
            e = kb.entity(ref.id)
            return [e.name, *e.aliases] if e is not None else []
        if ref.kind == PASSAGE_KIND:
            a = kb.article(ref.article)
            return [a.text[ref.start : ref.end]] if a is not None else []
        f = kb.fact(ref.id)
        if f is None:
            return []
        out = [f.text]
        a = kb.article(f.article)
        if a is not None and f.sentence and len(f.sentence) == 2:
            out.append(a.text[f.sentence[0] : f.sentence[1]])
        if f.summary:
            out.append(f.summary)
        for eid in f.entities:
            e = kb.entity(eid)
            if e is not None:
                out.extend((e.name, *e.aliases))
        return out

    def _matches(self, art: str, ps: int, pe: int, start: int, end: int, marker: Marker) -> list[tuple[int, int]]:
        marks = marker.marks
        if not marks:
            return []
        lo, hi = min(ps, start), max(pe, end)
        passage = self._passage(art, lo, hi)
        if passage is None:
            return []
        text, where = passage.text, passage.where
        spans: list[tuple[int, int]] = []
        for tok in marks.keys() & where.keys():
            n = marks[tok]
            if n == 0:
                spans.extend(where[tok])
            else:
                spans.extend((s, prefix_end(text, s, e, n)) for s, e in where[tok])
        # an entity found through another of its names (acronym, full name): mark its mention
        if marker.entity_words:
            named = marker.named
            if passage.owners is None:
                passage.owners = tuple(self.kb.mention_owners(art, lo, hi))
            for ms, me, entity in passage.owners:
                v = named.get(entity)
                if v is None:
                    v = marker.names_entity(entity)
                if v and not any(s < me and ms < e for s, e in spans):
                    spans.append((ms, me))
        return merge_spans(spans)

    def _passage(self, art: str, lo: int, hi: int) -> Passage | None:
        """The passage ``[lo, hi)`` of an article with its tokens' places, cached."""
        key = (art, lo, hi)
        got = self._passages.get(key)
        if got is None:
            a = self.kb.article(art)
            if a is None:
                return None
            where: dict[str, tuple[tuple[int, int], ...]] = {}
            for tok, s, e in span_tokens(a.text[lo:hi], lo):
                where[tok] = (*where.get(tok, ()), (s, e))  # tuples: no work for the collector
            got = self._passages[key] = Passage(a.text, where)
        return got

    def entity_words(self, entity_id: str) -> list[frozenset[str]]:
        """The words of each name and alias of an entity (stopwords left out)."""
        got = self._entwords.get(entity_id)
        if got is not None:
            return got
        ent = self.kb.entity(entity_id)
        w: list[frozenset[str]] = []
        if ent is not None:
            for nm in (ent.name, *ent.aliases):
                ws = frozenset(index_tokens(nm)) - self.stopwords
                if ws:
                    w.append(ws)
        self._entwords[entity_id] = w
        return w


def best_mention(kb: FactSource, entity: Entity, article: str) -> Mention | None:
    """The mention an entity's hit shows, in ``article``: the first that writes the full
    name, else the first; anywhere, if that article has none."""
    first = None
    for m in kb.mentions_of_in(entity.id, article):
        if m.text == entity.name:
            return m
        if first is None:
            first = m
    if first is None and entity.mentions:
        first = entity.mentions[0]
    return first


def merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
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


def sentence_around(text: str, start: int, end: int, limit: int = 400) -> tuple[int, int]:
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


def fact_label(f: Fact, kb: FactSource) -> str:
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
        person = kb.entity(f.entities[0]) if f.entities else None
        who = person.name if person else ""
        return f"role: {who}, {f.value or text}" if who else f"role: {f.value or text}"
    if f.kind == "event":
        when = f" ({f.value})" if f.value else ""
        return f"event: {f.summary or text}{when}"
    return f"{f.kind}: {text}"
