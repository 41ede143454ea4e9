"""Postings filed a window of documents at a time, with numpy: the index builder's last step.

The builder hands over (token, document) pairs as numpy arrays; every so often
(:meth:`Postings.flush`) the pairs of the window of documents since the last flush are
filed at array speed:

* **Frequent tokens** (seen in at least 1/128 of the documents expected in all, or filed
  so far; once frequent, always) get a bitset: the window's bits are set in a boolean matrix (one row per
  frequent token), packed eight to a byte and appended to the token's ``bytearray``.
  No sorting, and no per-pair Python work.
* **The other tokens** keep a sorted ``array('I')`` of documents: the window's pairs are
  sorted as one 64-bit key (token, document), repeats dropped, and each token's run is
  appended to its array in one call.

:meth:`Postings.finish` turns the result into the arrays of a segment
(:mod:`pktui.search.segment`): a bitset row for the frequent tokens, a sorted run of
document numbers for the others.
"""

from __future__ import annotations

from array import array

import numpy as np

DENSE_MIN = 256  # a token in fewer documents than this never gets a bitset
# A token in 1/2**DENSE_SHARE of the documents gets a bitset: 1/128, where a bitset is
# at most 4x the size of the array; turning a longer array into bits for every query
# would cost milliseconds.
DENSE_SHARE = 7
_MATRIX_CELLS = 1 << 22  # booleans set at once when filing frequent tokens


class Postings:
    """The documents of every token, for one kind of posting (anywhere / about)."""

    def __init__(self, expect_docs: int = 0) -> None:
        # Only a token that will be frequent among the documents expected in all gets a
        # bitset while filing: one frequent only in the first windows would grow a full
        # bitset (memory, and time to turn it back into an array at the end).
        self.expect_docs = expect_docs
        self.posts: list[array[int]] = []
        self._bits: dict[int, bytearray] = {}  # frequent token -> its bitset so far
        self._row = np.full(0, -1, np.int32)  # token -> its row among the frequent, or -1
        self._frequent: list[int] = []
        self._seen = np.zeros(0, np.int64)  # pairs seen per token (repeats included)
        self._toks: list[np.ndarray] = []
        self._docs: list[np.ndarray] = []
        self.pending = 0  # pairs added since the last flush
        self._base = 0  # the window's first document

    def add(self, toks: np.ndarray, docs: np.ndarray) -> None:
        """Pairs ``(toks[i], docs[i])``: tokens (not JUNK) and documents of this window."""
        if len(toks):
            self._toks.append(toks)
            self._docs.append(docs)
            self.pending += len(toks)

    def flush(self, end: int, n_tokens: int) -> None:
        """File the pairs added so far, all for documents in [previous end, ``end``)."""
        base, self._base = self._base, end
        if len(self.posts) < n_tokens:
            self.posts.extend([array("I") for _ in range(n_tokens - len(self.posts))])
            grow = n_tokens - len(self._row)
            self._row = np.concatenate((self._row, np.full(grow, -1, np.int32)))
            self._seen = np.concatenate((self._seen, np.zeros(grow, np.int64)))
        if not self._toks:
            return
        toks = np.concatenate(self._toks)
        docs = np.concatenate(self._docs)
        self._toks.clear()
        self._docs.clear()
        self.pending = 0
        self._seen += np.bincount(toks, minlength=len(self._seen))
        dense = max(DENSE_MIN, max(end, self.expect_docs) >> DENSE_SHARE)
        for t in np.flatnonzero((self._seen >= dense) & (self._row < 0)).tolist():
            self._row[t] = len(self._frequent)
            self._frequent.append(t)
            self._bits[t] = bytearray()
        rows = self._row[toks]
        frequent = rows >= 0
        if frequent.any():
            self._file_bits(rows[frequent], docs[frequent], base, end)
            rare = ~frequent
            toks, docs = toks[rare], docs[rare]
        self._file_arrays(toks, docs)

    def _file_bits(self, rows: np.ndarray, docs: np.ndarray, base: int, end: int) -> None:
        lo = base & ~7  # whole bytes: the first may be shared with the previous window
        width = (end - lo + 7) & ~7
        off = lo >> 3
        n_rows = len(self._frequent)
        step = max(1, _MATRIX_CELLS // width)
        for r0 in range(0, n_rows, step):
            r1 = min(n_rows, r0 + step)
            if r0 == 0 and r1 == n_rows:
                rr, dd = rows, docs
            else:
                sel = (rows >= r0) & (rows < r1)
                rr, dd = rows[sel], docs[sel]
            if not len(rr):
                continue
            m = np.zeros((r1 - r0) * width, np.bool_)
            m[(rr - r0).astype(np.int64) * width + (dd - lo)] = True
            packed = np.packbits(m.reshape(r1 - r0, width), axis=1, bitorder="little")
            for r in np.flatnonzero(packed.any(axis=1)).tolist():
                seg = packed[r]
                ba = self._bits[self._frequent[r0 + r]]
                if len(ba) > off:  # the byte shared with the previous window
                    seg[0] |= ba[off]
                    del ba[off:]
                elif len(ba) < off:
                    ba.extend(bytes(off - len(ba)))
                ba += seg.tobytes()

    def _file_arrays(self, toks: np.ndarray, docs: np.ndarray) -> None:
        if not len(toks):
            return
        key = (toks.astype(np.uint64) << np.uint64(32)) | docs.astype(np.uint64)
        key.sort()
        if len(key) > 1:
            keep = np.empty(len(key), np.bool_)
            keep[0] = True
            np.not_equal(key[1:], key[:-1], out=keep[1:])
            key = key[keep]
        tok_of = key >> np.uint64(32)
        doc_of = key.astype(np.uint32)  # the low 32 bits
        cuts = (np.flatnonzero(tok_of[1:] != tok_of[:-1]) + 1).tolist()
        starts = [0, *cuts]
        ends = [*cuts, len(key)]
        raw = doc_of.view(np.uint8).data
        posts = self.posts
        for t, a, b in zip(tok_of[starts].tolist(), starts, ends):
            posts[t].frombytes(raw[a << 2 : b << 2])

    def finish(self, n_docs: int, order: np.ndarray) -> dict[str, np.ndarray]:
        """Every token's postings as the arrays a segment stores, tokens in ``order``
        (old ids, in the order of their new ids):

        * ``off``, ``docs``: each token's sorted documents, ``docs[off[t]:off[t + 1]]``
          (empty for a token with a bitset);
        * ``row``, ``bits``: the row of ``bits`` (little-endian, one bit per document)
          of a token with a bitset, else -1; ``df``: each token's number of documents.

        Tokens in 1/128 of all documents get a bitset; the few that had one early but are
        not that frequent overall go back to an array.
        """
        dense = max(DENSE_MIN, n_docs >> DENSE_SHARE)
        nbytes = (n_docs + 7) >> 3
        posts = self.posts
        self.posts = []
        while len(posts) < (int(order.max()) + 1 if len(order) else 0):
            posts.append(array("I"))
        rows: dict[int, bytes] = {}
        bits_so_far = self._bits
        self._bits = {}
        while bits_so_far:  # each bytearray let go of as soon as it is read
            t, ba = bits_so_far.popitem()
            p = posts[t]
            if p:  # its documents from before it had a bitset
                _or_into(ba, np.frombuffer(p, np.uint32))
            if int.from_bytes(ba, "little").bit_count() >= dense:
                rows[t] = bytes(ba)
                posts[t] = array("I")
            else:
                posts[t] = array_of_bytes(np.frombuffer(ba, np.uint8))
            del ba
        n = len(order)
        lens = np.zeros(n, np.int64)
        row = np.full(n, -1, np.int32)
        df = np.zeros(n, np.uint32)
        dense_new: list[int] = []
        for new, t in enumerate(order.tolist()):
            p = posts[t]
            if t in rows or len(p) >= dense:
                row[new] = len(dense_new)
                dense_new.append(new)
            else:
                lens[new] = len(p)
                df[new] = len(p)
        off = np.zeros(n + 1, np.int64)
        np.cumsum(lens, out=off[1:])
        docs = np.empty(int(off[-1]), np.uint32)
        bits = np.zeros((len(dense_new), nbytes), np.uint8)
        filed = array("I")  # what a token's postings become once copied (one empty array for all)
        for new, t in enumerate(order.tolist()):
            p = posts[t]
            r = row[new]
            if r >= 0:
                raw = rows.pop(t, None)
                if raw is None:
                    raw = np.packbits(_flags(p, n_docs), bitorder="little").tobytes()
                k = min(len(raw), nbytes)
                bits[r, :k] = np.frombuffer(raw, np.uint8, count=k)
                df[new] = int.from_bytes(raw, "little").bit_count()
            elif len(p):
                docs[off[new] : off[new + 1]] = np.frombuffer(p, np.uint32)
            posts[t] = filed
        return {"off": off, "docs": docs, "row": row, "bits": bits, "df": df}


def _flags(docs: array[int], n_docs: int) -> np.ndarray:
    m = np.zeros(n_docs, np.bool_)
    m[np.frombuffer(docs, np.uint32)] = True
    return m


def bits_of_array(docs: array[int], n_docs: int) -> int:
    """The bitset of an ``array('I')`` of document numbers below ``n_docs``."""
    m = np.zeros(n_docs, np.bool_)
    m[np.frombuffer(docs, np.uint32)] = True
    return int.from_bytes(np.packbits(m, bitorder="little").tobytes(), "little")


def array_of_bytes(raw: np.ndarray) -> array[int]:
    """The documents of a little-endian bitset's bytes (only the non-zero bytes unpacked)."""
    at = np.flatnonzero(raw)
    bits = np.unpackbits(raw[at, None], axis=1, bitorder="little").view(np.bool_)
    out = array("I")
    out.frombytes(((at[:, None] << 3) + np.arange(8))[bits].astype(np.uint32).tobytes())
    return out


def _or_into(ba: bytearray, docs: np.ndarray) -> None:
    """Set the bits of ``docs`` in the bitset ``ba`` (grown if need be)."""
    top = int(docs.max())
    if len(ba) <= top >> 3:
        ba.extend(bytes((top >> 3) + 1 - len(ba)))
    m = np.zeros(((top >> 3) + 1) << 3, np.bool_)
    m[docs] = True
    packed = np.packbits(m, bitorder="little")
    raw = np.frombuffer(ba, np.uint8, count=len(packed))
    raw |= packed
    del raw
