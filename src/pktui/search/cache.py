"""A bounded cache for the searcher: bitsets, expansions, filters (Python ints are large)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class LRU(OrderedDict[K, V], Generic[K, V]):
    """Least recently used entries go first, past ``size`` entries or ``max_bytes``."""

    def __init__(self, size: int, max_bytes: int = 1 << 62) -> None:
        super().__init__()
        self.size = size
        self.max_bytes = max_bytes
        self.nbytes = 0
        self._sizes: dict[K, int] = {}

    def get_(self, key: K) -> V | None:
        v = self.get(key)
        if v is not None:
            self.move_to_end(key)
        return v

    def put(self, key: K, value: V) -> None:
        if key in self:
            self.nbytes -= self._sizes.pop(key, 0)
        n = _nbytes(value) + 64
        self[key] = value
        self._sizes[key] = n
        self.nbytes += n
        self.move_to_end(key)
        while len(self) > 1 and (len(self) > self.size or self.nbytes > self.max_bytes):
            k, _ = self.popitem(last=False)
            self.nbytes -= self._sizes.pop(k, 0)


def _nbytes(value: object) -> int:
    if isinstance(value, int):
        return value.bit_length() >> 3
    nbytes = getattr(value, "nbytes", 64)
    return int(nbytes)


class Fifo(OrderedDict[K, V], Generic[K, V]):
    """A dict of at most ``maxlen`` entries: adding one past that drops the oldest (one at
    a time, so that no keystroke pays for freeing a whole cache)."""

    def __init__(self, maxlen: int) -> None:
        super().__init__()
        self.maxlen = maxlen

    def __setitem__(self, key: K, value: V) -> None:
        if len(self) >= self.maxlen and key not in self:
            self.popitem(last=False)
        super().__setitem__(key, value)
