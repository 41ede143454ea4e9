"""Reading one segment: its postings, document columns, articles and entities, as bitsets.

A bitset is a Python int, bit ``d`` for the segment's document ``d`` (the index shifts it
to the segment's place among all documents). Frequent tokens are stored as bitset rows
and read in one copy; the others as sorted document numbers, turned into a bitset when
asked for (:func:`pktui.search.rank.union_of`).

**When an entity's names change after a segment was written** (a new article adds an
alias, or deletions take one away), the segment's postings still hold its documents
under the old names. The segment kept, per entity, the words of its names when written
and its documents (``rel_about``: the facts naming it; ``rel_any``: the sentences and
passages mentioning it), and for the words of names the documents' own postings
(``*_own``). :meth:`FactSegment.set_names` compares the written words with the entity
part's current ones; for a word that some entities gained or lost, :meth:`FactSegment.bits`
then gives exactly what a segment written now would: the documents of the entities that
gained it added; those of the entities that lost it taken out, unless their own words or
another of their entities' current names still hold it.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable

import numpy as np

from pktui.search import rank
from pktui.search.cache import LRU
from pktui.search.segment import SegmentData
from pktui.search.vocabulary import SortedWords

#: the bitset rows of frequent tokens read last, as ints: (postings object id, row) -> bits,
#: and the index's long entity rows: ("entities", token, about) -> bits
RowCache = LRU[tuple[int, int] | tuple[str, int, bool], int]

POSTINGS = ("any", "about", "any_own", "about_own")


def bits_of_docs(docs: np.ndarray) -> int:
    """The bitset of sorted document numbers (an ``uint32`` array)."""
    if not len(docs):
        return 0
    a = array("I")
    a.frombytes(np.ascontiguousarray(docs, np.uint32).tobytes())
    return rank.union_of([a])


def bits_of_mask(mask: np.ndarray) -> int:
    """The bitset of a boolean array (``mask[d]``: document ``d`` is in)."""
    if not len(mask):
        return 0
    return int.from_bytes(np.packbits(mask, bitorder="little").tobytes(), "little")


class Table:
    """Rows of sorted numbers (``off``, values): ``values[off[r]:off[r + 1]]``."""

    def __init__(self, off: np.ndarray, values: np.ndarray) -> None:
        self.off, self.values = off, values
        self._item = off.item
        self._raw = np.ascontiguousarray(values, np.uint32).view(np.uint8).data if len(values) else None

    def __len__(self) -> int:
        return len(self.off) - 1

    def row(self, r: int) -> np.ndarray:
        return self.values[self._item(r) : self._item(r + 1)]

    def raw(self, r: int) -> array[int]:
        """A row as an ``array('I')`` (for :func:`pktui.search.rank.union_of`)."""
        a = array("I")
        if self._raw is not None:
            a.frombytes(self._raw[self._item(r) << 2 : self._item(r + 1) << 2])
        return a

    def bits(self, rows: Iterable[int]) -> int:
        """The union of some rows, as a bitset."""
        parts = [self.row(r) for r in rows]
        parts = [p for p in parts if len(p)]
        if not parts:
            return 0
        if len(parts) == 1:
            return bits_of_docs(parts[0])
        return bits_of_docs(np.unique(np.concatenate(parts)))


class Postings:
    """One kind of postings of a segment: a bitset row or a table row per token. The rows
    last read are kept as ints (``cache``: shared, bounded in bytes)."""

    def __init__(self, data: SegmentData, name: str, cache: RowCache) -> None:
        self.table = Table(data[f"{name}.off"], data[f"{name}.docs"])
        self.row = data[f"{name}.row"]
        self._read = data.row_reader(f"{name}.bits")
        self._cache = cache

    def bits(self, tid: int) -> int:
        if tid < 0:
            return 0
        r = int(self.row[tid])
        if r >= 0:
            return self._row(r)
        return bits_of_docs(self.table.row(tid))

    def _row(self, r: int) -> int:
        key = (id(self), r)
        got = self._cache.get_(key)
        if got is None:
            got = int.from_bytes(self._read(r), "little")
            self._cache.put(key, got)
        return got

    def raw(self, tid: int) -> int | array[int]:
        """A token's bitset, or its sorted documents (for :func:`pktui.search.rank.union_of`)."""
        r = self.row.item(tid)
        if r >= 0:
            return self._row(r)
        return self.table.raw(tid)


class FactSegment:
    """A segment's facts and passages (see :mod:`pktui.search.build`)."""

    def __init__(self, data: SegmentData, rows: RowCache) -> None:
        self.data = data
        meta = data.meta
        self.n_docs = int(meta["docs"])
        self.kind_names: list[str] = list(meta["kinds"])
        self.types: list[str] = list(meta["types"])
        self.vocab = SortedWords(data)
        self.postings = {name: Postings(data, name, rows) for name in POSTINGS}
        self.kind = data["doc_kind"]
        self.art = data["doc_art"]
        self.lo = data["doc_lo"]
        self.hi = data["doc_hi"]
        self.unit = data["doc_unit"]
        self.ref = data["doc_ref"]
        self.fact_ids = data["fact_ids"]
        self.passages = data["passages"]
        self.art_ids = data["art_ids"]
        self.art_id_order = data["art_id_order"]
        self.art_day = data["art_day"]
        self.art_group = data["art_group"]
        self.art_first = data["art_first"]  # each article's first document, and the end
        self.ent_ids = data["ent_ids"]
        self.ent_hash = data["ent_hash"]
        self.ent_names = Table(data["ent_names.off"], data["ent_names.tok"])
        self.rel = {"about": Table(data["rel_about.off"], data["rel_about.docs"])}
        self.rel["any"] = Table(data["rel_any.off"], data["rel_any.docs"])
        self.ent_arts = Table(data["ent_arts.off"], data["ent_arts.docs"])
        self.type_docs = Table(data["type_docs.off"], data["type_docs.docs"])
        self.fixes: dict[str, tuple[list[int], list[int]]] = {}
        self._kinds: dict[str, int] = {}
        self.current_names: Callable[[str], list[int]] = lambda word: []
        if not (len(self.kind) == len(self.art) == len(self.lo) == len(self.hi) == self.n_docs):
            raise ValueError(f"search segment {data.folder}: columns of unequal lengths (damaged: rebuild it)")

    # ------------------------------------------------------------------ tokens
    def bits(self, tid: int, word: str, about: bool) -> int:
        """The documents holding ``word`` (id ``tid`` here, or -1), ``about`` them or anywhere
        (not yet spread over units): exactly as if written now (see the module doc)."""
        flavor = "about" if about else "any"
        got = self.postings[flavor].bits(tid)
        fix = self.fixes.get(word)
        if fix is None:
            return got
        lost, gained = fix
        rel = self.rel[flavor]
        if lost and (out := rel.bits(lost)):
            own = self.postings[f"{flavor}_own"].bits(tid)
            still = rel.bits(self.current_names(word)) & out
            got = (got & ~out) | (own & out) | still
        return got | rel.bits(gained)

    def set_names(self, part_index: np.ndarray, part_hash: np.ndarray, part_words: Callable[[int], set[str]]) -> None:
        """Note the words of entity names that changed since this segment was written.

        ``part_index``: each of this segment's entities' index in the entity part (-1:
        gone); ``part_hash``: the digest of each part entity's name words; ``part_words``:
        a part entity's name words.
        """
        fixes: dict[str, tuple[list[int], list[int]]] = {}
        gone = part_index < 0
        known = np.where(gone, 0, part_index)
        stale = np.flatnonzero(gone | (part_hash[known] != self.ent_hash))
        for e in stale.tolist():
            then = set(self.vocab.words_of(self.ent_names.row(e).tolist()))
            now = part_words(int(part_index[e])) if part_index[e] >= 0 else set()
            for w in then - now:
                fixes.setdefault(w, ([], []))[0].append(e)
            for w in now - then:
                fixes.setdefault(w, ([], []))[1].append(e)
        self.fixes = fixes

    # ------------------------------------------------------------------ documents
    def kind_mask(self, name: str) -> int:
        """The documents of a kind (kept: a handful of kinds)."""
        got = self._kinds.get(name)
        if got is None:
            code = self.kind_names.index(name) if name in self.kind_names else -1
            got = self._kinds[name] = bits_of_mask(self.kind == code) if code >= 0 else 0
        return got

    def type_bits(self, name: str) -> int:
        if name not in self.types:
            return 0
        return bits_of_docs(self.type_docs.row(self.types.index(name)))

    def entity_bits(self, e: int, passages: int) -> int:
        """The facts naming entity ``e`` (here) and the passages mentioning it."""
        return self.rel["about"].bits([e]) | (self.rel["any"].bits([e]) & passages)

    def article_id(self, a: int) -> str:
        return bytes(self.art_ids[a]).decode("utf-8")

    def fact_id(self, d: int) -> str:
        return bytes(self.fact_ids[self.ref[d]]).decode("utf-8")

    def passage(self, d: int) -> tuple[str, int, int]:
        s, e = self.passages[self.ref.item(d)].tolist()
        return self.article_id(self.art.item(d)), s, e

    def articles_in(self, ids: Iterable[str]) -> np.ndarray:
        """The places of the articles ``ids`` (those this segment has)."""
        raw = [i.encode("utf-8") for i in ids]
        width = self.art_ids.dtype.itemsize
        raw = [r for r in raw if len(r) <= width]
        if not raw or not len(self.art_ids):
            return np.zeros(0, np.int64)
        keys = np.array(raw, self.art_ids.dtype)
        at = np.searchsorted(self.art_ids, keys, sorter=self.art_id_order)
        at = np.minimum(at, len(self.art_ids) - 1)
        places = np.asarray(self.art_id_order)[at]
        found: np.ndarray = places[np.asarray(self.art_ids)[places] == keys].astype(np.int64)
        return found

    def entities_in(self, ids: np.ndarray) -> np.ndarray:
        """Each of the entity ids ``ids`` (a byte-string array): its index here, or -1."""
        mine = self.ent_ids
        if not len(mine) or not len(ids):
            return np.full(len(ids), -1, np.int64)
        if len(mine) == len(ids) and np.array_equal(mine, ids):  # the same entities (a whole build)
            return np.arange(len(ids), dtype=np.int64)
        keys = ids.astype(mine.dtype) if ids.dtype.itemsize <= mine.dtype.itemsize else ids
        at = np.minimum(np.searchsorted(mine, keys), len(mine) - 1)
        return np.where(np.asarray(mine)[at] == keys, at, -1).astype(np.int64)


class EntityPart:
    """The entity part of a segment (see :mod:`pktui.search.build_entities`)."""

    def __init__(self, data: SegmentData) -> None:
        p = "e."
        self.data = data
        self.ids = data[f"{p}ids"]
        self.n = len(self.ids)
        self.type = data[f"{p}type"]
        self.type_names: list[str] = list(data.meta["entity_types"])
        self.hash = data[f"{p}hash"]
        self.names = Table(data[f"{p}names.off"], data[f"{p}names.tok"])
        # looked up a word at a time and cached above: never read whole
        self.vocab = SortedWords(data, p, python=False)
        self.about = Table(data[f"{p}about.off"], data[f"{p}about.docs"])
        self.any = Table(data[f"{p}any.off"], data[f"{p}any.docs"])
        self.keys = SortedWords(data, f"{p}keys.", python=False)
        self.key_ents = Table(data[f"{p}keys.off"], data[f"{p}keys.ents"])

    def id(self, e: int) -> str:
        return bytes(self.ids[e]).decode("utf-8")

    def find(self, entity_id: str) -> int:
        raw = entity_id.encode("utf-8")
        if len(raw) > self.ids.dtype.itemsize or not self.n:
            return -1
        i = int(np.searchsorted(self.ids, np.array(raw, self.ids.dtype)))
        return i if i < self.n and self.ids[i] == raw else -1

    def name_words(self, e: int) -> set[str]:
        return set(self.vocab.words_of(self.names.row(e).tolist()))

    def with_name_word(self, word: str) -> np.ndarray:
        """The entities one of whose names holds ``word``."""
        tid = self.vocab.find(word)
        return self.about.row(tid) if tid >= 0 else np.zeros(0, np.uint32)
