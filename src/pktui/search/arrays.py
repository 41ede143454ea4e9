"""numpy helpers of the index builder: positions as sortable keys, runs, ranges, CSR tables."""

from __future__ import annotations

import numpy as np

from pktui.search.tokenizer import JUNK

# A position in an article of a batch as one sortable number: the article's place in the
# batch above SHIFT bits, the offset (biased: any offset within 2**39 of 0) below.
SHIFT = 40
BIAS = 1 << 39
MASK = (1 << SHIFT) - 1


def keys(g: np.ndarray, pos: np.ndarray) -> np.ndarray:
    out: np.ndarray = (g << SHIFT) + pos + BIAS
    return out


def distinct_sorted(a: np.ndarray) -> np.ndarray:
    """``np.unique(a)``, by sorting ``a`` in place (numpy 2's hashing ``unique`` is ten
    times slower here, and a sorted copy would double the memory of the largest)."""
    a.sort()
    out: np.ndarray = a[run_starts(a)]
    return out


def run_starts(*columns: np.ndarray) -> np.ndarray:
    """Where a run of equal rows starts in sorted ``columns`` (True for the first row)."""
    n = len(columns[0])
    out = np.ones(n, np.bool_)
    if n > 1:
        out[1:] = np.logical_or.reduce([c[1:] != c[:-1] for c in columns])
    return out


def offsets(counts: np.ndarray) -> np.ndarray:
    """Where each of consecutive runs of ``counts`` items starts, and the total last."""
    out = np.zeros(len(counts) + 1, np.int64)
    np.cumsum(counts, out=out[1:])
    return out


def expand(
    ids: np.ndarray, lo: np.ndarray, hi: np.ndarray, docs: np.ndarray, skip: int = JUNK
) -> tuple[np.ndarray, np.ndarray]:
    """(id, document) pairs: the ids ``ids[lo[i]:hi[i]]`` for document ``docs[i]``,
    ``skip`` (stopwords) left out."""
    lens = np.maximum(hi - lo, 0)
    total = int(lens.sum())
    # position of each range's tokens: lo + 0, lo + 1, ... for each range in turn
    pos = np.repeat(lo - (np.cumsum(lens) - lens), lens) + np.arange(total)
    t = ids[pos]
    d = np.repeat(docs.astype(np.uint32), lens)
    keep = t != skip
    return t[keep], d[keep]


def pairs(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(a, b) pairs as one number each (``a`` above 32 bits)."""
    return (a.astype(np.int64) << 32) | b.astype(np.int64)


def csr(pair_parts: list[np.ndarray], n_rows: int) -> tuple[np.ndarray, np.ndarray]:
    """A table of rows from :func:`pairs` ``(row, value)``: ``(offsets, values)`` with
    each row's distinct values sorted, ``values[offsets[r]:offsets[r + 1]]``."""
    both = distinct_sorted(np.concatenate(pair_parts) if pair_parts else np.zeros(0, np.int64))
    rows = both >> 32
    values = both.astype(np.uint32)  # the low 32 bits
    return offsets(np.bincount(rows, minlength=n_rows)[:n_rows]), values
