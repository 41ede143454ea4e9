"""Vocabularies: each segment's sorted tokens on disk, and their union for the searcher.

A segment stores its tokens sorted, as a numpy byte-string array (UTF-8 sorts as the code
points do), so a token's id is its place and finding it is a binary search on the mapped
file: nothing is loaded when a segment is opened. Beside them: each token's document
count (``df``) and two orders for typo matching, by (first letter, length) and by length.

:class:`Vocabulary` is the union of the segments' vocabularies that query words expand
on: a word's places in each, its document count over all of them, the completions of a
word being typed (the most frequent first, exactly as over one merged vocabulary) and
the candidates for a typo.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from typing import Protocol

import numpy as np

from pktui.search.cache import Fifo
from pktui.search.segment import strings


def bucket_key(word: str) -> int:
    """The typo bucket of a word: its first letter and length; -1 for the words typos are
    never looked for among (shorter than three letters, or numbers)."""
    if len(word) < 3 or word.isdigit():
        return -1
    return (ord(word[0]) << 8) | min(len(word), 255)


def vocab_arrays(words: list[str], df: np.ndarray, prefix: str = "") -> dict[str, np.ndarray]:
    """The arrays a segment stores for its sorted ``words`` (see the module doc)."""
    bkeys = np.array([bucket_key(w) for w in words], np.int64)
    lens = np.array([len(w) for w in words], np.int64)
    return ordered_vocab_arrays(strings(words), df, bkeys, lens, prefix)


def ordered_vocab_arrays(
    words: np.ndarray, df: np.ndarray, bkeys: np.ndarray, lens: np.ndarray, prefix: str = ""
) -> dict[str, np.ndarray]:
    """:func:`vocab_arrays` of sorted byte-string ``words`` whose typo buckets and lengths
    (in letters) are known."""
    in_bucket = np.flatnonzero(bkeys >= 0)
    by_bucket = in_bucket[np.argsort(bkeys[in_bucket], kind="stable")]
    by_len = np.argsort(lens, kind="stable")
    return {
        f"{prefix}words": words,
        f"{prefix}df": np.asarray(df, np.uint32),
        f"{prefix}bucket_order": by_bucket.astype(np.int32),
        f"{prefix}bucket_key": bkeys[by_bucket],
        f"{prefix}len_order": by_len.astype(np.int32),
        f"{prefix}len_key": lens[by_len],
    }


class NamedArrays(Protocol):
    """Arrays by name: a segment (:class:`pktui.search.segment.SegmentData`) or a dict."""

    def __getitem__(self, name: str, /) -> np.ndarray: ...


def word_keys(data: NamedArrays, prefix: str = "") -> tuple[np.ndarray, np.ndarray]:
    """Each word's typo bucket (-1: none) and length, back from a stored vocabulary."""
    n = len(data[f"{prefix}words"])
    bkeys = np.full(n, -1, np.int64)
    bkeys[np.asarray(data[f"{prefix}bucket_order"])] = data[f"{prefix}bucket_key"]
    lens = np.zeros(n, np.int64)
    lens[np.asarray(data[f"{prefix}len_order"])] = data[f"{prefix}len_key"]
    return bkeys, lens


# A vocabulary of at most this many words is also read into a Python list and dict when
# first searched (a few MB, a few ms): lookups then cost what a dict costs; a larger one
# is only ever searched on the mapped array.
PYTHON_WORDS_MAX = 300_000


class SortedWords:
    """One segment's vocabulary (mapped arrays, see :func:`vocab_arrays`); ``python``: may
    be read into a list and a dict (the vocabularies every keystroke looks words up in)."""

    def __init__(self, data: NamedArrays, prefix: str = "", python: bool = True) -> None:
        self.words: np.ndarray = data[f"{prefix}words"]
        self.df: np.ndarray = data[f"{prefix}df"]
        self._bucket_order: np.ndarray = data[f"{prefix}bucket_order"]
        self._bucket_key: np.ndarray = data[f"{prefix}bucket_key"]
        self._len_order: np.ndarray = data[f"{prefix}len_order"]
        self._len_key: np.ndarray = data[f"{prefix}len_key"]
        self.width = self.words.dtype.itemsize
        self._dtype = self.words.dtype
        self._buckets: Fifo[tuple[str, int], tuple[str, ...]] = Fifo(4096)  # (first letter, length) -> words
        self._list: list[str] | None = None
        self._ids: dict[str, int] | None = None
        #: the id of a word, or -1 (looked up in a dict when the vocabulary is small enough)
        self.find: Callable[[str], int] = (
            self._find_in_dict if python and len(self.words) <= PYTHON_WORDS_MAX else self._find_in_array
        )

    def __len__(self) -> int:
        return len(self.words)

    def _python(self) -> tuple[list[str], dict[str, int]]:
        if self._list is None or self._ids is None:
            self._list = [w.decode("utf-8") for w in self.words.tolist()]
            self._ids = dict(zip(self._list, range(len(self._list))))
        return self._list, self._ids

    def _find_in_dict(self, word: str) -> int:
        ids = self._ids if self._ids is not None else self._python()[1]
        return ids.get(word, -1)

    def _find_in_array(self, word: str) -> int:
        """The id of ``word``, or -1 (a binary search of the mapped array)."""
        raw = word.encode("utf-8")
        words = self.words
        if not raw or len(raw) > self.width or not len(words):
            return -1
        i = int(words.searchsorted(np.array(raw, self._dtype)))
        return i if i < len(words) and words[i] == raw else -1

    def range(self, prefix: str) -> tuple[int, int]:
        """Ids ``[i, j)`` of the words that start with ``prefix`` and are longer."""
        if self._list is not None:
            i = bisect.bisect_right(self._list, prefix)
            return i, bisect.bisect_left(self._list, prefix + "\U0010ffff", i)
        raw = prefix.encode("utf-8")
        if len(raw) >= self.width or not len(self.words):
            return 0, 0
        words = self.words
        i = int(words.searchsorted(np.array(raw, self._dtype), "right"))
        # every UTF-8 byte is below 0xff: this bound follows every word with the prefix
        j = int(words.searchsorted(np.array(raw + b"\xff", self._dtype), "left"))
        return i, max(i, j)

    def word(self, i: int) -> str:
        if self._list is not None:
            return self._list[i]
        return bytes(self.words[i]).decode("utf-8")

    def words_of(self, ids: Iterable[int]) -> list[str]:
        if self._list is not None:
            return list(map(self._list.__getitem__, ids))
        words = self.words
        return [bytes(words[i]).decode("utf-8") for i in ids]

    def bucket_words(self, first: str, length: int) -> tuple[str, ...]:
        """The words of one typo bucket, decoded once (at most a few thousand buckets kept)."""
        key = (first, length)
        got = self._buckets.get(key)
        if got is None:
            got = self._buckets[key] = tuple(self.words_of(self.bucket(first, length, length).tolist()))
        return got

    def bucket(self, first: str, lo: int, hi: int) -> np.ndarray:
        """Ids of the words in the typo buckets of first letter ``first`` and lengths
        ``lo`` to ``hi``."""
        base = ord(first) << 8
        a = np.searchsorted(self._bucket_key, base | max(0, min(lo, 255)), "left")
        b = np.searchsorted(self._bucket_key, base | max(0, min(hi, 255)), "right")
        return self._bucket_order[a:b]

    def of_length(self, lo: int, hi: int) -> np.ndarray:
        a = np.searchsorted(self._len_key, lo, "left")
        b = np.searchsorted(self._len_key, hi, "right")
        return self._len_order[a:b]


class Vocabulary:
    """The union of some segments' vocabularies (``parts``), by word. The first
    ``counted`` parts are the segments' documents (the last is the entity part): a word's
    completions go by how many of their documents hold it."""

    def __init__(self, parts: list[SortedWords], counted: int | None = None) -> None:
        self.parts = parts
        self.counted = len(parts) if counted is None else counted
        self._where: Fifo[str, tuple[tuple[int, int], ...]] = Fifo(16384)  # word -> (part, id) of each part holding it

    def locate(self, word: str) -> tuple[tuple[int, int], ...]:
        """``(part, id)`` for each part that has ``word``."""
        got = self._where.get(word)
        if got is None:
            got = tuple((p, i) for p, part in enumerate(self.parts) if (i := part.find(word)) >= 0)
            self._where[word] = got
        return got

    def __contains__(self, word: str) -> bool:
        return bool(self.locate(word))

    def df(self, word: str, parts: int | None = None) -> int:
        """The documents holding ``word``, in all parts (or the first ``parts``)."""
        top = len(self.parts) if parts is None else parts
        return sum(int(self.parts[p].df[i]) for p, i in self.locate(word) if p < top)

    def __len__(self) -> int:
        """Tokens over all parts (a word in several counts once per part: an estimate)."""
        return sum(len(p) for p in self.parts)

    def completions(self, prefix: str, limit: int) -> list[str]:
        """Words that start with ``prefix`` (and are longer): all of them if at most
        ``limit``, else the ``limit`` that most documents hold (ties: alphabetical), as
        over one merged vocabulary; words only in entity names (not counted) after those."""
        counted = self.counted
        found = self._best(0, counted, prefix, limit)
        if len(found) < limit:
            names = self._best(counted, len(self.parts), prefix, limit)
            found += [w for w in names if w not in found][: limit - len(found)]
        return found

    def _best(self, lo: int, hi: int, prefix: str, limit: int) -> list[str]:
        """:meth:`completions` among the parts ``lo`` to ``hi - 1``, counted there."""
        ranges = [(p, *self.parts[p].range(prefix)) for p in range(lo, hi)]
        ranges = [(p, i, j) for p, i, j in ranges if j > i]
        if not ranges:
            return []
        if len(ranges) == 1 and ranges[0][2] - ranges[0][1] <= limit:
            p, i, j = ranges[0]
            return self.parts[p].words_of(range(i, j))
        # Candidates: the largest range's best ``limit`` and every word of the others. A
        # word of the largest only has ``limit`` words ahead of it, whatever the others add.
        ranges.sort(key=lambda r: r[2] - r[1], reverse=True)
        df: dict[str, int] = {}
        for n, (p, i, j) in enumerate(ranges):
            part = self.parts[p]
            ids = np.arange(i, j)
            if n == 0 and j - i > limit:
                counts = np.asarray(part.df[i:j], np.int64)
                ids = ids[np.argsort(-counts, kind="stable")[:limit]]
            df.update(zip(part.words_of(ids.tolist()), np.asarray(part.df)[ids].tolist()))
        if len(ranges) > 1:  # counted over every part
            df = {w: sum(int(self.parts[p].df[i]) for p, i in self.locate(w) if lo <= p < hi) for w in df}
        best = sorted(df, key=lambda w: (-df[w], w))
        return best[:limit] if len(best) > limit else sorted(best)

    def bucket_words(self, firsts: Iterable[str], lo: int, hi: int) -> list[str]:
        """Words in the typo buckets of the first letters ``firsts``, lengths ``lo`` to ``hi``."""
        out: list[str] = []
        for part in self.parts:
            for c in firsts:
                for length in range(lo, min(hi, 255) + 1):
                    out.extend(part.bucket_words(c, length))
        return list(dict.fromkeys(out)) if len(self.parts) > 1 else out

    def words_of_length(self, lo: int, hi: int) -> list[str]:
        out: set[str] = set()
        for part in self.parts:
            ids = part.of_length(lo, hi)
            if len(ids):
                out.update(part.words_of(ids.tolist()))
        return sorted(out)
