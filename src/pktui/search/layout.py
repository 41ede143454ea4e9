"""How the segments of an index lie together: one numbering, which documents are live, newest first.

Documents are numbered segment after segment (each at its *base*), then the entity
documents. Each segment numbers its own newest article first; across segments, the
articles of all of them are put in one newest-first order (:attr:`Layout.art_rank`), so
that ties can go to the newest document wherever it is (:meth:`Layout.newest`).

* **Live documents.** A document of an article in ``deleted``, or of an article that a
  later segment holds again (it changed), is dead: masked out of every result.
* **Entity documents** come from the entity part (of the last segment). Each goes with
  its entity's newest live article (where its hit points, and its date): the entity
  documents are numbered in that order, and an entity no live article mentions has no
  live document.
* **Changed names.** Each segment is told which of its entities' names changed since it
  was written (:meth:`pktui.search.reader.FactSegment.set_names`).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from itertools import pairwise

import numpy as np

from pktui.search import rank
from pktui.search.docs import NO_DATE_HI, NO_DATE_LO
from pktui.search.reader import EntityPart, FactSegment, Table, bits_of_mask


class Layout:
    """The numbering of ``segments`` and the entity part ``ent``, with ``deleted`` articles."""

    def __init__(self, segments: list[FactSegment], ent: EntityPart, deleted: frozenset[str]) -> None:
        self.segments = segments
        self.ent = ent
        self.bases: list[int] = np.cumsum([0] + [s.n_docs for s in segments[:-1]]).tolist()
        self.ent_base = sum(s.n_docs for s in segments)
        self.n_docs = self.ent_base + ent.n
        self.dead_art = self._dead_articles(deleted)
        self.art_rank = _article_ranks(segments)
        sizes = [*zip(self.bases, (s.n_docs for s in segments)), (self.ent_base, ent.n)]
        self.ranges = [(base, size, (1 << size) - 1) for base, size in sizes if size]
        self._place_entities()
        live = 0
        for seg, base, dead in zip(segments, self.bases, self.dead_art):
            mask = bits_of_mask(~dead[np.asarray(seg.art)]) if dead.any() else (1 << seg.n_docs) - 1
            live |= mask << base
        self.live = live | (((1 << self.n_homed) - 1) << self.ent_base)
        for seg, local in zip(segments, self.ent_local):
            part_of = np.full(len(seg.ent_ids), -1, np.int64)
            have = local >= 0
            part_of[local[have]] = np.flatnonzero(have)
            seg.set_names(part_of, np.asarray(ent.hash), ent.name_words)
            seg.current_names = _names_now(ent, local)

    def _dead_articles(self, deleted: frozenset[str]) -> list[np.ndarray]:
        """Per segment, its articles that are deleted or held again by a later segment."""
        gone = set(deleted)
        out: list[np.ndarray] = []
        for p in range(len(self.segments) - 1, -1, -1):
            seg = self.segments[p]
            dead = np.zeros(len(seg.art_ids), np.bool_)
            if gone:
                dead[seg.articles_in(sorted(gone))] = True
            if p:  # what this segment holds, the earlier ones hold no more
                gone.update(seg.article_id(a) for a in range(len(seg.art_ids)))
            out.insert(0, dead)
        return out

    def _place_entities(self) -> None:
        """Each entity's document goes with its newest live article (none: not live)."""
        ent, n = self.ent, self.ent.n
        best = np.full(n, np.iinfo(np.int64).max, np.int64)
        home = np.full((n, 2), -1, np.int64)  # segment, article
        self.ent_local: list[np.ndarray] = []
        for p, seg in enumerate(self.segments):
            local = seg.entities_in(np.asarray(ent.ids))
            self.ent_local.append(local)
            first = _first_live(seg.ent_arts, self.dead_art[p])
            cand = np.where(local >= 0, first[np.maximum(local, 0)] if len(first) else -1, -1)
            ok = np.flatnonzero(cand >= 0)
            r = self.art_rank[p][cand[ok]]
            better = r < best[ok]
            best[ok[better]] = r[better]
            home[ok[better]] = np.stack((np.full(int(better.sum()), p), cand[ok][better]), axis=1)
        homed = home[:, 0] >= 0
        self.ent_at = np.lexsort((np.arange(n), best, ~homed))  # position -> entity
        self.ent_pos = np.empty(n, np.int64)  # entity -> position
        self.ent_pos[self.ent_at] = np.arange(n)
        self.n_homed = int(homed.sum())
        self.ent_rank = best[self.ent_at]
        self.ent_home = home[self.ent_at]
        day = np.zeros(n, np.int64)
        for p, seg in enumerate(self.segments):
            mine = self.ent_home[:, 0] == p
            day[mine] = np.asarray(seg.art_day)[self.ent_home[mine, 1]]
        self.ent_lo = np.where(day > 0, day, NO_DATE_LO)
        self.ent_hi = np.where(day > 0, day, NO_DATE_HI)

    # ------------------------------------------------------------------ documents
    def where(self, d: int) -> tuple[int, int]:
        """(segment, its document) of document ``d``; segment -1: an entity document."""
        if d >= self.ent_base:
            return -1, d - self.ent_base
        p = bisect.bisect_right(self.bases, d) - 1
        return p, d - self.bases[p]

    def home(self, position: int) -> str:
        """The article of an entity document (by its position among them), or ""."""
        p, art = self.ent_home[position].tolist()
        return self.segments[p].article_id(art) if p >= 0 else ""

    def order_key(self, d: int) -> tuple[int, int, int]:
        """Newest first across segments: the article's place among all, entities before
        the facts of their article, then the document's place."""
        p, local = self.where(d)
        if p < 0:
            return int(self.ent_rank[local]), 0, local
        return int(self.art_rank[p][self.segments[p].art[local]]), 1, local

    def newest(self, cand: int, need: int) -> list[int]:
        """The ``need`` newest documents of ``cand`` (tie-break of :func:`rank.top_k`)."""
        out: list[int] = []
        for base, _, mask in self.ranges:
            part = (cand >> base) & mask if base else cand & mask
            if part:
                out.extend(d + base for d in rank.lowest_bits(part, need))
        if len(out) > need:
            out.sort(key=self.order_key)
            del out[need:]
        return out

    def sort(self, docs: list[int], scores: dict[int, int]) -> None:
        """Best score first, then newest."""
        if not docs:
            return
        if self.where(min(docs))[0] == self.where(max(docs))[0]:  # all in one range
            docs.sort(key=lambda d: (-scores[d], d))
        else:
            key = self.order_key
            docs.sort(key=lambda d: (-scores[d], key(d)))


def _article_ranks(segs: list[FactSegment]) -> list[np.ndarray]:
    """Each segment's articles' places in the newest-first order of all of them."""
    if len(segs) == 1:
        return [np.arange(len(segs[0].art_ids), dtype=np.int64)]
    group = np.concatenate([np.asarray(s.art_group, np.int64) for s in segs])
    day = np.concatenate([np.asarray(s.art_day, np.int64) for s in segs])
    ids = np.concatenate([np.asarray(s.art_ids) for s in segs])
    order = np.lexsort((ids, -day, group))
    ranks = np.empty(len(order), np.int64)
    ranks[order] = np.arange(len(order))
    cuts = np.cumsum([0] + [len(s.art_ids) for s in segs])
    return [ranks[a:b] for a, b in pairwise(cuts.tolist())]


def _first_live(arts: Table, dead: np.ndarray) -> np.ndarray:
    """Each entity's first (newest) live article in a segment, or -1."""
    off = np.asarray(arts.off)
    flat = np.asarray(arts.values).astype(np.int64)
    ok = np.flatnonzero(~dead[flat]) if len(flat) else flat
    if not len(ok):
        return np.full(len(off) - 1, -1, np.int64)
    k = np.minimum(np.searchsorted(ok, off[:-1]), len(ok) - 1)
    first = ok[k]
    return np.where((first >= off[:-1]) & (first < off[1:]), flat[first], -1)


def _names_now(ent: EntityPart, local: np.ndarray) -> Callable[[str], list[int]]:
    """A segment's entities one of whose current names holds a word."""

    def names(word: str) -> list[int]:
        here = local[np.asarray(ent.with_name_word(word), np.int64)]
        return here[here >= 0].tolist()

    return names
