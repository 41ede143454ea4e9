"""Bitset arithmetic for ranking: one Python int per set of documents, bit ``d`` = doc ``d``.

Documents are numbered newest first, so "the lowest set bits" are "the most recent".
A score that is the same small integer function for every document is kept *bit-sliced*:
``slices[i]`` is the set of documents whose score has bit ``i`` set. Adding two such
numbers, or finding the k best documents, then costs a few dozen whole-set operations
(``&``, ``|``, ``^``), each of which CPython runs in C over all documents at once, in
microseconds even at a million documents.
"""

from __future__ import annotations

from array import array
from collections import deque
from collections.abc import Callable, Iterable, Sequence

import numpy as np

_NONZERO = bytes([0] + [1] * 255)


_consume: Callable[[Iterable[object]], None] = deque[object](maxlen=0).extend
_BINARY = bytes.maketrans(b"\x00\x01", b"01")


def _bits_of_arrays(arrays: list[array[int]], total: int, top: int) -> int:
    """The bitset of many document numbers, with numpy: a flag per document packed eight
    to a byte when they are dense, else bits or-ed into a byte buffer."""
    docs = (
        np.concatenate([np.frombuffer(a, np.uint32) for a in arrays])
        if len(arrays) > 1
        else np.frombuffer(arrays[0], np.uint32)
    )
    if total > top >> 6:
        flags = np.zeros(top + 1, np.bool_)
        flags[docs] = True
        raw = np.packbits(flags, bitorder="little")
    else:
        raw = np.zeros((top >> 3) + 1, np.uint8)
        np.bitwise_or.at(raw, docs >> 3, np.left_shift(1, docs & 7).astype(np.uint8))
    return int.from_bytes(raw.tobytes(), "little")


def union_of(postings: Sequence[int | array[int]]) -> int:
    """The union of postings: bitsets (ints) and sorted ``array('I')`` of document numbers.

    The arrays are turned into one number at once (a few numbers bit by bit, more with
    numpy), so a union of many rare words costs about as much as one of them.
    """
    out = 0
    arrays: list[array[int]] = []
    total = 0
    top = -1
    for p in postings:
        if isinstance(p, int):
            out |= p
        elif p:
            arrays.append(p)
            total += len(p)
            if p[-1] > top:
                top = p[-1]
    if not arrays:
        return out
    if total > 48:
        return out | _bits_of_arrays(arrays, total, top)
    ba = bytearray((top >> 3) + 1)
    for a in arrays:
        for d in a:
            ba[d >> 3] |= 1 << (d & 7)
    return out | int.from_bytes(ba, "little")


def _gather(flags: bytearray) -> int:
    """The bitset of one flag byte (0 or 1) per document: read as binary digits, which
    CPython converts in linear time (and with no cached masks as large as the index)."""
    return int(flags.translate(_BINARY)[::-1], 2) if flags else 0


def bits_of(docs: Iterable[int]) -> int:
    """The bitset of a collection of document numbers."""
    docs = docs if isinstance(docs, (array, list, tuple)) else list(docs)
    if not docs:
        return 0
    if len(docs) > 48:
        a = docs if isinstance(docs, array) and docs.typecode == "I" else array("I", docs)
        return _bits_of_arrays([a], len(a), max(a))
    ba = bytearray((max(docs) >> 3) + 1)
    for d in docs:
        ba[d >> 3] |= 1 << (d & 7)
    return int.from_bytes(ba, "little")


_TO01 = [bytes(49 if i == c else 48 for i in range(256)) for c in range(256)]


def bits_where(codes: array[int], code: int) -> int:
    """The documents ``d`` with ``codes[d] == code`` (``codes`` an ``array('B')``)."""
    if not codes:
        return 0
    s = bytearray(codes.tobytes().translate(_TO01[code]))
    s.reverse()
    return int(s, 2)


def bytes_where(codes: bytes, predicate: Callable[[int], bool]) -> int:
    """The documents ``d`` whose byte ``codes[d]`` satisfies ``predicate`` (C-level)."""
    if not codes:
        return 0
    table = bytes(49 if predicate(v) else 48 for v in range(256))
    s = bytearray(codes.translate(table))
    s.reverse()
    return int(s, 2)


def iter_bits(x: int, limit: int | None = None) -> list[int]:
    """The set bits of ``x`` in increasing order (at most ``limit`` of them)."""
    if x <= 0:
        return []
    bs = x.to_bytes((x.bit_length() + 7) >> 3, "little")
    flags = bs.translate(_NONZERO)
    out: list[int] = []
    i = flags.find(1)
    while i >= 0:
        v = bs[i]
        base = i << 3
        while v:
            low = v & -v
            out.append(base + low.bit_length() - 1)
            v ^= low
        if limit is not None and len(out) >= limit:
            return out[:limit]
        i = flags.find(1, i + 1)
    return out


def lowest_bits(x: int, n: int) -> list[int]:
    """The ``n`` lowest set bits of ``x`` (the ``n`` newest documents)."""
    if n <= 0 or x <= 0:
        return []
    # look at a growing window of low bits first: usually enough and much cheaper
    width = 4096
    total = x.bit_length()
    while width < total:
        part = x & ((1 << width) - 1)
        if part and (n == 1 or part.bit_count() >= n):
            return iter_bits(part, n)
        width <<= 3
    return iter_bits(x, n)


def add(acc: list[int], num: list[int]) -> list[int]:
    """Bit-sliced ``acc + num`` (little-endian lists of slices)."""
    out: list[int] = []
    carry = 0
    la, lb = len(acc), len(num)
    for i in range(max(la, lb)):
        a = acc[i] if i < la else 0
        b = num[i] if i < lb else 0
        if carry:
            axb = a ^ b
            out.append(axb ^ carry)
            carry = (a & b) | (carry & axb)
        else:
            out.append(a ^ b)
            carry = a & b
    if carry:
        out.append(carry)
    return out


def increment(counter: list[int], ones: int) -> list[int]:
    """Bit-sliced ``counter + 1`` for the documents in ``ones``."""
    out: list[int] = []
    carry = ones
    for c in counter:
        if carry:
            out.append(c ^ carry)
            carry = c & carry
        else:
            out.append(c)
    if carry:
        out.append(carry)
    return out


def top_k(slices: list[int], universe: int, k: int, newest: Callable[[int, int], list[int]] | None = None) -> list[int]:
    """The ``k`` documents of ``universe`` with the highest bit-sliced score.

    Ties go to the lowest document numbers (the newest), or to those ``newest(tied, n)``
    picks. The result is not sorted.
    """
    if k <= 0 or universe <= 0:
        return []
    selected = 0
    cand = universe
    need = k
    for s in reversed(slices):
        if not cand:
            break
        t = cand & s
        if not t:
            continue
        c = t.bit_count()
        if c > need:
            cand = t
        else:
            selected |= t
            need -= c
            cand ^= t
            if need == 0:
                cand = 0
                break
    docs = iter_bits(selected) if selected else []
    if need and cand:
        docs.extend(lowest_bits(cand, need) if newest is None else newest(cand, need))
    return docs


def values(slices: list[int], docs: list[int]) -> dict[int, int]:
    """The score of each of a few ``docs``.

    The docs are read in clusters of nearby numbers, each from a small window of every
    slice (cut from the low end or the high end, whichever is shorter), so that documents
    far apart (the newest facts, and entities numbered last) cost no full-width copy.
    """
    if not docs:
        return {}
    ordered = sorted(set(docs))
    clusters: list[list[int]] = [[ordered[0]]]
    for d in ordered[1:]:
        if d - clusters[-1][-1] > 1 << 16:
            clusters.append([d])
        else:
            clusters[-1].append(d)
    out = dict.fromkeys(ordered, 0)
    for group in clusters:
        lo, hi = group[0] & ~7, group[-1]
        width = hi - lo + 1
        nbytes = (width + 7) >> 3
        low_mask = (1 << (hi + 1)) - 1
        window_mask = (1 << width) - 1
        at = [(d, (d - lo) >> 3, 1 << ((d - lo) & 7)) for d in group]
        for i, s in enumerate(slices):
            if not s:
                continue
            n = s.bit_length()
            if lo >= n:
                continue
            if len(group) <= 4 and lo > n >> 1:  # a few near the top: a short shift each
                for d in group:
                    if (s >> d) & 1:
                        out[d] |= 1 << i
                continue
            window = (s & low_mask) >> lo if hi < n - lo else (s >> lo) & window_mask
            bs = window.to_bytes(nbytes, "little")
            bit = 1 << i
            for d, byte, mask in at:
                if bs[byte] & mask:
                    out[d] |= bit
    return out
