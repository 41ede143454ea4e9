"""A dict and a set read from a kept file a key at a time (:mod:`.overlay_kept`).

:class:`KeptDict` asks for one key with one query, and reads every row on the first walk over
it (or after :data:`WHOLE_AFTER` single lookups, when a list is being walked item by item).
Both note what is changed here (``changed``, ``added``), so that only those rows are written
back; an item read once is the same object on every later lookup.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from typing import Any, TypeVar

#: single lookups after which a table is read whole (a list walked item by item)
WHOLE_AFTER = 256

K = TypeVar("K")
V = TypeVar("V")
_ABSENT: Any = object()


class KeptDict(dict[K, V]):
    """A dict whose items are read when asked for (module doc)."""

    def __init__(
        self,
        one: Callable[[K], V | None],
        every: Callable[[], Iterable[tuple[K, V]]],
        length: int,
        known: dict[K, V] | None = None,
        has: Callable[[K], bool] | None = None,
    ) -> None:
        """``has``: whether a key is there, without reading its value (else it is read)."""
        super().__init__(known or {})
        self._one, self._every, self._length, self._has = one, every, length, has
        self._whole = False
        self._missing: set[K] = set()  # asked for and not there (or removed here)
        self._asked = 0
        #: keys set or removed here since the file was read
        self.changed: set[K] = set()

    def _read_whole(self) -> None:
        if not self._whole:
            for k, v in self._every():
                if k not in self.changed and not dict.__contains__(self, k):
                    dict.__setitem__(self, k, v)
            self._whole = True
            self._missing.clear()

    def _lookup(self, key: K) -> Any:
        """The value, or ``_ABSENT``."""
        if dict.__contains__(self, key):
            return dict.__getitem__(self, key)
        if self._whole or key in self._missing:
            return _ABSENT
        self._asked += 1
        if self._asked > WHOLE_AFTER:
            self._read_whole()
            return self._lookup(key)
        value = self._one(key)
        if value is None:
            self._missing.add(key)
            return _ABSENT
        dict.__setitem__(self, key, value)
        return value

    def __getitem__(self, key: K) -> V:
        value = self._lookup(key)
        if value is _ABSENT:
            raise KeyError(key)
        return value  # type: ignore[no-any-return]

    def get(self, key: K, default: Any = None) -> Any:
        value = self._lookup(key)
        return default if value is _ABSENT else value

    def __contains__(self, key: object) -> bool:
        if self._has is not None and not self._whole and not dict.__contains__(self, key) and key not in self._missing:
            return self._has(key)  # type: ignore[arg-type]
        return self._lookup(key) is not _ABSENT  # type: ignore[arg-type]

    def __len__(self) -> int:
        return dict.__len__(self) if self._whole else self._length

    def __bool__(self) -> bool:
        return len(self) > 0

    def __iter__(self) -> Iterator[K]:
        self._read_whole()
        return dict.__iter__(self)

    def keys(self) -> Any:
        self._read_whole()
        return dict.keys(self)

    def values(self) -> Any:
        self._read_whole()
        return dict.values(self)

    def items(self) -> Any:
        self._read_whole()
        return dict.items(self)

    def __eq__(self, other: object) -> bool:
        self._read_whole()
        return dict.__eq__(self, other)

    __hash__ = None

    # -- changes (noted, to be written back) ---------------------------------------------------

    def __setitem__(self, key: K, value: V) -> None:
        if self._lookup(key) is _ABSENT and not self._whole:
            self._length += 1
        dict.__setitem__(self, key, value)
        self._missing.discard(key)
        self.changed.add(key)

    def pop(self, key: K, *default: Any) -> Any:
        value = self._lookup(key)
        self.changed.add(key)
        if value is _ABSENT:
            if default:
                return default[0]
            raise KeyError(key)
        dict.pop(self, key)
        if not self._whole:
            self._missing.add(key)
            self._length -= 1
        return value

    def __delitem__(self, key: K) -> None:
        self.pop(key)

    def update(self, other: Any = (), **kwargs: V) -> None:
        pairs = other.items() if isinstance(other, Mapping) else other
        for k, v in [*pairs, *kwargs.items()]:
            self[k] = v

    def setdefault(self, key: K, default: Any = None) -> Any:
        value = self._lookup(key)
        if value is _ABSENT:
            self[key] = value = default
        return value

    def _unsupported(self, *args: object, **kwargs: object) -> Any:
        raise TypeError("not supported on a kept dict")

    popitem = clear = _unsupported


class KeptSet(AbstractSet[K]):
    """A set asked one member at a time, read whole when walked; members are only added."""

    def __init__(
        self, has: Callable[[K], bool], every: Callable[[], Iterable[K]], length: int | Callable[[], int]
    ) -> None:
        """``length``: how many members, or how to count them (when first asked)."""
        self._has, self._every, self._length_of = has, every, length
        self._members: set[K] | None = None
        self._asked = 0
        #: members added here since the file was read
        self.added: set[K] = set()

    def _whole(self) -> set[K]:
        if self._members is None:
            self._members = set(self._every()) | self.added
        return self._members

    def __contains__(self, item: object) -> bool:
        if item in self.added:
            return True
        if self._members is None:
            self._asked += 1
            if self._asked <= WHOLE_AFTER:
                return self._has(item)  # type: ignore[arg-type]
        return item in self._whole()

    @property
    def _length(self) -> int:
        if callable(self._length_of):
            self._length_of = self._length_of()
        return self._length_of

    @_length.setter
    def _length(self, value: int) -> None:
        self._length_of = value

    def __len__(self) -> int:
        return self._length if self._members is None else len(self._members)

    def __iter__(self) -> Iterator[K]:
        return iter(self._whole())

    @classmethod
    def _from_iterable(cls, it: Iterable[K]) -> set[K]:  # type: ignore[override]
        """What ``|``, ``&`` and ``-`` give: a plain set."""
        return set(it)

    def add(self, item: K) -> None:
        if item in self:
            return
        self.added.add(item)
        if self._members is None:
            self._length += 1
        else:
            self._members.add(item)

    def update(self, items: Iterable[K]) -> None:
        for item in items:
            self.add(item)
