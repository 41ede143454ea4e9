"""The entity documents an index searches: the entity parts of its segments, merged.

A segment written for all articles carries every entity (a *complete* entity part); a
delta carries only the entities its articles name or mention, as they were then. The index
takes the last complete part and, over it, each entity from the last segment that wrote
it again. An article deleted or replaced since may have taken a name (an alias) from the
entities it mentioned: those entities are read again from the knowledge base, or dropped if
it no longer has them. The result equals the entity part a segment written now would carry
(merged with numpy, in memory: a few tens of milliseconds for tens of thousands of
entities; nothing to merge when the last segment's part is complete and no article died).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from pktui.knowledge.source import FactSource
from pktui.search.arrays import csr, offsets, pairs
from pktui.search.build_entities import PREFIX, entity_arrays, posting_arrays, type_words
from pktui.search.reader import FactSegment
from pktui.search.segment import SegmentData, strings
from pktui.search.vocabulary import bucket_key, ordered_vocab_arrays, word_keys

#: stored words, their typo buckets and lengths
StoredWords = tuple[np.ndarray, np.ndarray, np.ndarray]


def current_entities(
    data: list[SegmentData],
    segments: list[FactSegment],
    dead: list[np.ndarray],
    deleted: frozenset[str],
    kb: FactSource,
    stopwords: Iterable[str],
) -> SegmentData:
    """The entity part of ``data`` (segments oldest first, with their ``dead`` articles, of
    which ``deleted`` were deleted and the others written again later)."""
    first = max((k for k, d in enumerate(data) if d.meta.get("entities_complete", True)), default=0)
    parts = data[first:]
    gone = _entities_of_dead_articles(data, segments, dead, deleted)
    fresh = [e for e in map(kb.entity, sorted(gone)) if e is not None] if gone else []
    removed = gone - {str(e.id) for e in fresh}
    if fresh:
        arrays, meta = entity_arrays(fresh, stopwords)
        parts = [*parts, SegmentData(arrays, meta)]
    if len(parts) == 1 and not removed:
        return parts[0]
    return _merged(parts, removed, stopwords)


def _entities_of_dead_articles(
    data: list[SegmentData], segments: list[FactSegment], dead: list[np.ndarray], deleted: frozenset[str]
) -> set[str]:
    """The entities mentioned in dead articles, which may have lost a name with them: all
    of those of a deleted article; of an article written again, those no later segment wrote
    again (the others were written as they were then)."""
    out: set[str] = set()
    later: set[str] = set()  # entities written by the segments after the one at hand
    for p in range(len(segments) - 1, -1, -1):
        seg, dead_here = segments[p], dead[p]
        if dead_here.any():
            removed = np.zeros(len(dead_here), np.bool_)
            if deleted:
                removed[seg.articles_in(sorted(deleted))] = True
            off, arts = np.asarray(seg.ent_arts.off), np.asarray(seg.ent_arts.values, np.int64)
            ents = np.repeat(np.arange(len(off) - 1), np.diff(off))
            for mask, keep_later in ((removed, False), (dead_here & ~removed, True)):
                hit = np.unique(ents[mask[arts]])
                found = {w.decode("utf-8") for w in np.asarray(seg.ent_ids)[hit].tolist()}
                out.update(found - later if keep_later else found)
        if p:  # (no segment comes before the first)
            later.update(w.decode("utf-8") for w in np.asarray(data[p][f"{PREFIX}ids"]).tolist())
    return out


def _column(parts: list[SegmentData], name: str) -> np.ndarray:
    """An array of every part, one after the other (byte strings widened to the widest)."""
    cols = [np.asarray(p[f"{PREFIX}{name}"]) for p in parts]
    if cols[0].dtype.kind == "S":
        width = max(c.dtype.itemsize for c in cols)
        cols = [c.astype(f"S{width}") for c in cols]
    return np.concatenate(cols)


def _rows(off: np.ndarray, values: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(row, value) for every value of the ``rows`` of a table (``off``, ``values``)."""
    lens = off[rows + 1] - off[rows]
    starts = np.repeat(off[rows] - (np.cumsum(lens) - lens), lens) + np.arange(int(lens.sum()))
    return np.repeat(rows, lens), values[starts]


def _merged(parts: list[SegmentData], removed: set[str], stopwords: Iterable[str]) -> SegmentData:
    """Each entity from the last of ``parts`` that has it, ``removed`` left out."""
    ids = _column(parts, "ids")
    part = np.repeat(np.arange(len(parts)), [len(p[f"{PREFIX}ids"]) for p in parts])
    local = np.concatenate([np.arange(len(p[f"{PREFIX}ids"])) for p in parts])
    order = np.lexsort((part, ids))
    last = np.ones(len(order), np.bool_)
    last[:-1] = ids[order][1:] != ids[order][:-1]
    keep = order[last]
    if removed:
        keep = keep[~np.isin(ids[keep], strings(sorted(removed)).astype(ids.dtype))]
    n = len(keep)
    # each kept entity's name words and keys (numbered over all parts) and type
    word_base = np.cumsum([0] + [len(p[f"{PREFIX}words"]) for p in parts])
    key_base = np.cumsum([0] + [len(p[f"{PREFIX}keys.words"]) for p in parts])
    words, keys, types_of = [], [], []
    for q, p in enumerate(parts):
        mine = np.flatnonzero(part[keep] == q)  # final numbers of the entities taken from p
        rows = local[keep[mine]]
        renumber = np.full(len(p[f"{PREFIX}ids"]), -1, np.int64)
        renumber[rows] = mine
        ent, tok = _rows(np.asarray(p[f"{PREFIX}names.off"]), np.asarray(p[f"{PREFIX}names.tok"], np.int64), rows)
        words.append((renumber[ent], tok + word_base[q]))
        k_off, k_ents = np.asarray(p[f"{PREFIX}keys.off"]), np.asarray(p[f"{PREFIX}keys.ents"], np.int64)
        key_of = np.repeat(np.arange(len(k_off) - 1), np.diff(k_off))
        taken = renumber[k_ents] >= 0
        keys.append((renumber[k_ents[taken]], key_of[taken] + key_base[q]))
        names = p.meta["entity_types"]
        types_of.append((mine, [names[t] for t in np.asarray(p[f"{PREFIX}type"])[rows].tolist()]))
    types = sorted({t for _, ts in types_of for t in ts})
    type_of = np.zeros(n, np.int64)
    for mine, ts in types_of:
        type_of[mine] = [types.index(t) for t in ts]
    arrays = _word_arrays(_joined(words), _stored(parts, "words"), types, type_of, stopwords, n)
    arrays[f"{PREFIX}ids"] = _narrowest(ids[keep])
    arrays[f"{PREFIX}hash"] = _column(parts, "hash")[keep]
    arrays.update(_key_arrays(_joined(keys), _stored(parts, "keys.words"), n))
    return SegmentData(arrays, {"entity_types": types, "entities": n, "entities_complete": True})


def _joined(pairs_: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    if not pairs_:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate([a for a, _ in pairs_]), np.concatenate([b for _, b in pairs_])


def _stored(parts: list[SegmentData], name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The words of a vocabulary of every part, one after the other, with each one's typo
    bucket and length (see :func:`pktui.search.vocabulary.word_keys`)."""
    got = [word_keys(p, f"{PREFIX}{name[: -len('words')]}") for p in parts]
    return _column(parts, name), np.concatenate([b for b, _ in got]), np.concatenate([n for _, n in got])


def _vocab(used: np.ndarray, stored: StoredWords) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The sorted distinct words of the stored ones ``used`` (numbers), their typo buckets
    and lengths, and each use's number among them."""
    words, bkeys, lens = stored
    vocab, first, inverse = np.unique(words[used], return_index=True, return_inverse=True)
    return vocab, bkeys[used][first], lens[used][first], inverse.reshape(-1)


def _word_arrays(
    pairs_: tuple[np.ndarray, np.ndarray],
    stored: StoredWords,
    types: list[str],
    type_of: np.ndarray,
    stopwords: Iterable[str],
    n: int,
) -> dict[str, np.ndarray]:
    """The vocabulary of the kept entities' names and types, their postings, their words."""
    ent, tok = pairs_
    words, bkeys, lens = stored
    extra = [w for ws in type_words(types, stopwords) for w in ws]
    if extra:
        more = strings(extra)
        width = max(words.dtype.itemsize, more.dtype.itemsize)
        words = np.concatenate([words.astype(f"S{width}"), more.astype(f"S{width}")])
    bkeys = np.concatenate([bkeys, np.array([bucket_key(w) for w in extra], np.int64)])
    lens = np.concatenate([lens, np.array([len(w) for w in extra], np.int64)])
    at = len(stored[0])
    per_type = [np.arange(at + k, at + k + len(ws)) for k, ws in _runs(type_words(types, stopwords))]
    type_tok = np.concatenate([per_type[t] for t in type_of.tolist()]) if n else np.zeros(0, np.int64)
    type_ent = np.repeat(np.arange(n), [len(per_type[t]) for t in type_of.tolist()])
    vocab, vb, vl, inverse = _vocab(np.concatenate([tok, type_tok]).astype(np.int64), (words, bkeys, lens))
    name_tok, type_tok = inverse[: len(tok)], inverse[len(tok) :]
    arrays, df = posting_arrays(pairs(name_tok, ent), pairs(type_tok, type_ent), len(vocab))
    arrays.update(ordered_vocab_arrays(_narrowest(vocab), df, vb, vl, PREFIX))
    arrays[f"{PREFIX}names.off"] = offsets(np.bincount(ent, minlength=n).astype(np.int64))
    arrays[f"{PREFIX}names.tok"] = name_tok[np.lexsort((name_tok, ent))].astype(np.int32)
    arrays[f"{PREFIX}type"] = type_of.astype(np.int32)
    return arrays


def _runs(lists: list[tuple[str, ...]]) -> list[tuple[int, tuple[str, ...]]]:
    """Each list with where it starts among all of them, one after the other."""
    out: list[tuple[int, tuple[str, ...]]] = []
    at = 0
    for ws in lists:
        out.append((at, ws))
        at += len(ws)
    return out


def _key_arrays(pairs_: tuple[np.ndarray, np.ndarray], stored: StoredWords, n: int) -> dict[str, np.ndarray]:
    """The kept entities' keys and the entities of each (as :func:`key_arrays` makes them)."""
    ent, key = pairs_
    vocab, vb, vl, inverse = _vocab(key, stored)
    off, docs = csr([pairs(inverse, ent)], len(vocab))
    out = {f"{PREFIX}keys.off": off, f"{PREFIX}keys.ents": docs}
    out.update(ordered_vocab_arrays(_narrowest(vocab), np.diff(off).astype(np.uint32), vb, vl, f"{PREFIX}keys."))
    return out


def _narrowest(words: np.ndarray) -> np.ndarray:
    """Byte strings as narrow as their longest (as a segment written now stores them)."""
    if not len(words):
        return np.zeros(0, "S1")
    return words.astype(f"S{max(1, int(np.char.str_len(words).max()))}")
