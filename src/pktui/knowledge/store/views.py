"""Sequences over stored rows, read when indexed, and model objects that read the rest when asked.

:class:`LazyRows` is a ``Sequence`` in a fixed order: its length comes from a count, the order
(row numbers, an ``array``) is read the first time an item is asked for by position, and items
are made from their rows when asked for; iterating streams the rows instead. A
:class:`LazyArticle` reads its text, a :class:`LazyEntity` its mentions, only when used.
"""

from __future__ import annotations

import dataclasses
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from typing import Any, Generic, TypeVar, overload

from pktui.model import Article, Entity, Mention

T = TypeVar("T")


class LazyRows(Sequence[T], Generic[T]):
    def __init__(
        self,
        order: Callable[[], array[int]],
        load: Callable[[list[int]], list[T]],
        *,
        length: Callable[[], int] | None = None,
        stream: Callable[[], Iterator[T]] | None = None,
    ) -> None:
        self._order_fn = order
        self._load = load
        self._length_fn = length
        self._stream = stream
        self._order: array[int] | None = None
        self._length: int | None = None

    def _keys(self) -> array[int]:
        if self._order is None:
            self._order = self._order_fn()
        return self._order

    def __len__(self) -> int:
        if self._length is None:
            self._length = self._length_fn() if self._length_fn is not None else len(self._keys())
        return self._length

    @overload
    def __getitem__(self, i: int) -> T: ...
    @overload
    def __getitem__(self, i: slice) -> list[T]: ...
    def __getitem__(self, i: int | slice) -> T | list[T]:
        keys = self._keys()
        if isinstance(i, slice):
            return self._load(list(keys[i]))
        key = keys[i]  # IndexError as for a list
        return self._load([key])[0]

    def __iter__(self) -> Iterator[T]:
        if self._stream is not None:
            yield from self._stream()
            return
        keys = self._keys()
        for i in range(0, len(keys), 512):
            yield from self._load(list(keys[i : i + 512]))

    def __bool__(self) -> bool:
        return len(self) > 0

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {len(self)}>"


class Concat(Sequence[T]):
    """Two sequences one after the other (newest dated articles, then the undated)."""

    def __init__(self, first: Sequence[T], second: Sequence[T]) -> None:
        self.first, self.second = first, second

    def __len__(self) -> int:
        return len(self.first) + len(self.second)

    @overload
    def __getitem__(self, i: int) -> T: ...
    @overload
    def __getitem__(self, i: slice) -> list[T]: ...
    def __getitem__(self, i: int | slice) -> T | list[T]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        n = len(self)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError(i)
        k = len(self.first)
        return self.first[i] if i < k else self.second[i - k]

    def __iter__(self) -> Iterator[T]:
        yield from self.first
        yield from self.second


_ARTICLE_SLOTS = {name: Article.__dict__[name] for name in Article.__dataclass_fields__}
_TEXT_SLOT = _ARTICLE_SLOTS["text"]


class LazyArticle(Article):
    """An article whose text is read from the store the first time it is used."""

    __slots__ = ("_read_text",)
    _read_text: Callable[[], str]

    @classmethod
    def make(cls, read_text: Callable[[], str], **fields: Any) -> LazyArticle:
        self = object.__new__(cls)
        object.__setattr__(self, "_read_text", read_text)
        for name, slot in _ARTICLE_SLOTS.items():
            if name != "text":
                slot.__set__(self, fields[name])
        return self

    @property
    def text(self) -> str:
        try:
            stored: str = _TEXT_SLOT.__get__(self, Article)
            return stored
        except AttributeError:
            text = self._read_text()
            _TEXT_SLOT.__set__(self, text)
            return text

    @text.setter
    def text(self, value: str) -> None:  # dataclasses.replace() makes one through __init__
        _TEXT_SLOT.__set__(self, value)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Article):
            return NotImplemented
        return all(getattr(self, n) == getattr(other, n) for n in _ARTICLE_SLOTS)

    def __hash__(self) -> int:
        return hash(self.id)

    def __reduce__(self) -> tuple[type[Article], tuple[object, ...]]:
        return (Article, tuple(getattr(self, n) for n in _ARTICLE_SLOTS))


_MENTIONS_SLOT = Entity.__dict__["mentions"]


class LazyEntity(Entity):
    """An entity whose mentions (and the articles they are in) are read when used."""

    __slots__ = ("_count", "_read_articles", "_read_mentions")
    _count: int
    _read_articles: Callable[[], Sequence[str]]
    _read_mentions: Callable[[], Sequence[Mention]]

    @classmethod
    def make(
        cls,
        read_mentions: Callable[[], Sequence[Mention]],
        read_articles: Callable[[], Sequence[str]],
        count: int,
        **fields: Any,
    ) -> LazyEntity:
        self = object.__new__(cls)
        for name, f in Entity.__dataclass_fields__.items():
            if name == "mentions":
                continue
            if name in fields:
                value = fields[name]
            elif f.default_factory is not dataclasses.MISSING:
                value = f.default_factory()
            else:
                value = f.default
            Entity.__dict__[name].__set__(self, value)
        object.__setattr__(self, "_count", count)
        object.__setattr__(self, "_read_mentions", read_mentions)
        object.__setattr__(self, "_read_articles", read_articles)
        return self

    # A stored entity's mentions are rows read when asked (a LazyRows), not the list an Entity
    # built in memory holds: read-only, so the override narrows what Entity promises.
    @property  # type: ignore[override]
    def mentions(self) -> Sequence[Mention]:
        try:
            stored: Sequence[Mention] = _MENTIONS_SLOT.__get__(self, Entity)
            return stored
        except AttributeError:
            ms = self._read_mentions()
            _MENTIONS_SLOT.__set__(self, ms)
            return ms

    @mentions.setter
    def mentions(self, value: Sequence[Mention]) -> None:
        _MENTIONS_SLOT.__set__(self, value)

    @property
    def mention_count(self) -> int:
        return self._count

    @property  # (rows read when asked, as for mentions above: read-only, narrower than Entity's list)
    def articles(self) -> Sequence[str]:  # type: ignore[override]
        return self._read_articles()

    def __reduce__(self) -> tuple[Callable[[dict[str, Any]], Entity], tuple[dict[str, Any]]]:
        fields = {n: getattr(self, n) for n in Entity.__dataclass_fields__}
        fields["mentions"] = list(self.mentions)
        return (_entity, (fields,))


def _entity(fields: dict[str, Any]) -> Entity:
    return Entity(**fields)


class LazySet(AbstractSet[T]):
    """A set worked out when first used."""

    def __init__(self, make: Callable[[], set[T]]) -> None:
        self._make: Callable[[], set[T]] | None = make
        self._items: set[T] = set()

    def _got(self) -> set[T]:
        if self._make is not None:
            self._items, self._make = self._make(), None
        return self._items

    def __contains__(self, item: object) -> bool:
        return item in self._got()

    def __len__(self) -> int:
        return len(self._got())

    def __iter__(self) -> Iterator[T]:
        return iter(self._got())


class Patched(Sequence[T]):
    """A stored sequence (:class:`LazyRows`) with some rows left out, some items swapped for
    others and some put in at given places: what corrections make of a stored list.

    ``drop_rows`` are the row keys left out and ``dropped`` tells such an item when streamed;
    ``swap`` gives an item's replacement; ``inserts`` are ``(place in the result, item)``,
    sorted by place."""

    def __init__(
        self,
        base: LazyRows[T],
        *,
        drop_rows: AbstractSet[int],
        dropped: Callable[[T], bool],
        swap: Callable[[T], T] = lambda item: item,
        inserts: Callable[[], list[tuple[int, T]]] | None = None,
        count: int = 0,
        length: Callable[[], int] | None = None,
    ) -> None:
        self.base = base
        self.drop_rows = drop_rows
        self.dropped = dropped
        self.swap = swap
        self._inserts_fn = inserts
        self._inserts: list[tuple[int, T]] | None = None if inserts else []
        self._places: list[int] = []
        self._count = count  # how many ``inserts`` gives (their places are worked out when used)
        self._length_fn = length
        self._kept: array[int] | None = None

    @property
    def inserts(self) -> list[tuple[int, T]]:
        if self._inserts is None:
            self._inserts = self._inserts_fn() if self._inserts_fn else []
            self._places = [p for p, _ in self._inserts]
        return self._inserts

    def _kept_rows(self) -> array[int]:
        if self._kept is None:
            keys = self.base._keys()
            drop = self.drop_rows
            self._kept = array("q", (k for k in keys if k not in drop)) if drop else keys
        return self._kept

    def __len__(self) -> int:
        if self._length_fn is not None:
            return self._length_fn()
        return len(self.base) - len(self.drop_rows) + self._count

    def _at(self, i: int) -> T:
        import bisect

        n = len(self)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError(i)
        inserts = self.inserts
        k = bisect.bisect_left(self._places, i)
        if k < len(self._places) and self._places[k] == i:
            return inserts[k][1]
        return self.swap(self.base._load([self._kept_rows()[i - k]])[0])

    @overload
    def __getitem__(self, i: int) -> T: ...
    @overload
    def __getitem__(self, i: slice) -> list[T]: ...
    def __getitem__(self, i: int | slice) -> T | list[T]:
        if isinstance(i, slice):
            return [self._at(k) for k in range(*i.indices(len(self)))]
        return self._at(i)

    def __iter__(self) -> Iterator[T]:
        inserts = iter(self.inserts)
        nxt = next(inserts, None)
        place = 0
        for item in self.base:
            if self.dropped(item):
                continue
            while nxt is not None and nxt[0] == place:
                yield nxt[1]
                place += 1
                nxt = next(inserts, None)
            yield self.swap(item)
            place += 1
        while nxt is not None:
            yield nxt[1]
            nxt = next(inserts, None)

    def __bool__(self) -> bool:
        return len(self) > 0

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {len(self)}>"


class Deferred(Sequence[T]):
    """A sequence made the first time it is used (figures corrected only when asked for)."""

    def __init__(self, make: Callable[[], Sequence[T]]) -> None:
        self._make: Callable[[], Sequence[T]] | None = make
        self._made: Sequence[T] | None = None

    @property
    def made(self) -> Sequence[T]:
        if self._made is None:
            assert self._make is not None
            self._made, self._make = self._make(), None
        return self._made

    def __len__(self) -> int:
        return len(self.made)

    @overload
    def __getitem__(self, i: int) -> T: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[T]: ...
    def __getitem__(self, i: int | slice) -> T | Sequence[T]:
        return self.made[i]

    def __iter__(self) -> Iterator[T]:
        return iter(self.made)

    def __bool__(self) -> bool:
        return len(self.made) > 0

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {'of ' + str(len(self._made)) if self._made is not None else 'not made'}>"


V = TypeVar("V")


class Recent(OrderedDict[str, V], Generic[V]):
    """The last ``size`` values put, by key (what the reader keeps of rows read lately)."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def put(self, key: str, value: V) -> None:
        self[key] = value
        self.move_to_end(key)
        if len(self) > self.size:
            self.popitem(last=False)
