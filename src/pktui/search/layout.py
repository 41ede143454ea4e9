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

    def __init__(self, segments: list[FactSegment], ent: EntityPart, dead: list[np.ndarray]) -> None:
        self.segments = segments
        self.ent = ent
        self.bases: list[int] = np.cumsum([0] + [s.n_docs for s in segments[:-1]]).tolist()
        self.ent_base = sum(s.n_docs for s in segments)
        self.n_docs = self.ent_base + ent.n
        self.dead_art = dead
        self.art_rank = _article_ranks(segments)
        sizes = [*zip(self.bases, (s.n_docs for s in segments)), (self.ent_base, ent.n)]
        self.ranges = [(base, size, (1 << size) - 1) for base, size in sizes if size]
        self._place_entities()
        live = 0
        for seg, base, gone in zip(segments, self.bases, self.dead_art):
            mask = bits_of_mask(~gone[np.asarray(seg.art)]) if gone.any() else (1 << seg.n_docs) - 1
            live |= mask << base
        self.live = live | (((1 << self.n_homed) - 1) << self.ent_base)
        for seg, local in zip(segments, self.ent_local):
            part_of = np.full(len(seg.ent_ids), -1, np.int64)
            have = local >= 0
            part_of[local[have]] = np.flatnonzero(have)
            seg.set_names(part_of, np.asarray(ent.hash), ent.name_words)
            seg.current_names = _names_now(ent, local)

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
        # with one segment, an entity document goes just before the first document of its
        # article: ties are then a matter of numbers (see key)
        self.ent_before: list[int] | None = None
        if len(self.segments) == 1:
            first = np.asarray(self.segments[0].art_first)[np.maximum(self.ent_home[:, 1], 0)]
            self.ent_before = np.where(self.ent_home[:, 0] >= 0, first, np.iinfo(np.int64).max).tolist()

    def entity_docs(self, ents: np.ndarray) -> np.ndarray:
        """The documents of some entities of the entity part (by their index there), sorted."""
        return np.sort(self.ent_pos[np.asarray(ents, np.int64)]) + self.ent_base

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

    def by_range(self, docs: np.ndarray) -> list[tuple[int, np.ndarray]]:
        """Where ``docs`` are, by segment (-1: entity documents): ``(segment, mask)``."""
        out = []
        ent = docs >= self.ent_base
        if ent.any():
            out.append((-1, ent))
        if len(self.bases) == 1:
            if not ent.all():
                out.append((0, ~ent))
            return out
        seg = np.where(ent, -1, np.searchsorted(self.bases, docs, "right") - 1)
        out.extend((p, seg == p) for p in np.unique(seg[~ent]).tolist())
        return out

    def newest_first(self, docs: list[int], scores: dict[int, int] | None = None) -> list[int]:
        """``docs`` best score first (if ``scores``), then newest across segments: the
        article's place among all, an entity before the facts of its article, then the
        document's place."""
        arr = np.asarray(docs, np.int64)
        rank_, group, local = np.zeros(len(arr), np.int64), np.zeros(len(arr), np.int64), arr.copy()
        for p, mask in self.by_range(arr):
            if p < 0:
                local[mask] = arr[mask] - self.ent_base
                rank_[mask] = self.ent_rank[local[mask]]
            else:
                local[mask] = arr[mask] - self.bases[p]
                rank_[mask] = self.art_rank[p][self.segments[p].art[local[mask]]]
                group[mask] = 1
        keys = [local, group, rank_]
        if scores is not None:
            keys.append(-np.array([scores[d] for d in docs], np.int64))
        ordered: list[int] = arr[np.lexsort(keys)].tolist()
        return ordered

    def key(self, d: int) -> tuple[int, int, int]:
        """With one segment: the newest-first order of document ``d`` (see newest_first)."""
        if d < self.ent_base:
            return d, 1, d
        if self.ent_before is None:
            raise ValueError("a document's order by key() needs one segment")
        return self.ent_before[d - self.ent_base], 0, d

    def newest(self, cand: int, need: int) -> list[int]:
        """The ``need`` newest documents of ``cand`` (tie-break of :func:`rank.top_k`)."""
        out: list[int] = []
        found = 0
        for base, _, mask in self.ranges:
            part = (cand >> base) & mask if base else cand & mask
            if part:
                found += 1
                out.extend(d + base for d in rank.lowest_bits(part, need))
        if found > 1:
            if self.ent_before is not None:
                out = self._merge_entities(out, need)
            else:
                out = self.newest_first(out)[:need]
        return out

    def _merge_entities(self, docs: list[int], need: int) -> list[int]:
        """With one segment: its documents and the entity documents of ``docs`` (each in
        order), merged newest first, the first ``need``."""
        base, before = self.ent_base, self.ent_before
        assert before is not None
        facts = [d for d in docs if d < base]
        ents = [d for d in docs if d >= base]
        out: list[int] = []
        i = j = 0
        while len(out) < need and (i < len(facts) or j < len(ents)):
            if j < len(ents) and (i >= len(facts) or before[ents[j] - base] <= facts[i]):
                out.append(ents[j])
                j += 1
            else:
                out.append(facts[i])
                i += 1
        return out

    def sort(self, docs: list[int], scores: dict[int, int]) -> None:
        """Best score first, then newest."""
        if not docs:
            return
        if self.where(min(docs))[0] == self.where(max(docs))[0]:  # all in one range
            docs.sort(key=lambda d: (-scores[d], d))
        elif self.ent_before is not None:
            key = self.key
            keyed = sorted((-scores[d], *key(d)) for d in docs)
            docs[:] = [k[3] for k in keyed]
        else:
            docs[:] = self.newest_first(docs, scores)


def dead_articles(segments: list[FactSegment], deleted: frozenset[str]) -> list[np.ndarray]:
    """Per segment, which of its articles are deleted or held again by a later segment."""
    gone = set(deleted)
    out: list[np.ndarray] = []
    for p in range(len(segments) - 1, -1, -1):
        seg = segments[p]
        dead = np.zeros(len(seg.art_ids), np.bool_)
        if gone:
            dead[seg.articles_in(sorted(gone))] = True
        if p:  # what this segment holds, the earlier ones hold no more
            gone.update(w.decode("utf-8") for w in np.asarray(seg.art_ids).tolist())  # (as article_id reads one)
        out.insert(0, dead)
    return out


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
        found: list[int] = here[here >= 0].tolist()
        return found

    return names
