"""Sources for the index builder: a fact's field values and its entities' names, tokenized once.

A *source* is something many documents share: an entity's names, a value such as
``2024-06`` or ``personnel``. Each has its distinct tokens (a range of :attr:`Sources.toks`)
and, for a date, its first and last day; a document that has a source gets all of its
tokens. Source 0 has none.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Hashable, Iterable
from functools import lru_cache
from itertools import compress, repeat
from operator import attrgetter, is_
from typing import TypeVar

import numpy as np

from pktui.model import Fact
from pktui.search.docs import NO_DATE_HI, NO_DATE_LO
from pktui.search.tokenizer import JUNK
from pktui.search.tokens import index_tokens

KeyT = TypeVar("KeyT", bound=Hashable)
#: a fact's kind and its value (an unhashable value wrapped in a _ValueKey)
ValueKey = tuple[str, object]

_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_value = attrgetter("value")
_unit = attrgetter("unit")
_detail = attrgetter("detail")
_date = attrgetter("date")


class Sources:
    """Every source of a build: its tokens and its days (see the module doc)."""

    def __init__(self) -> None:
        self.toks = array("I")
        self.lo = np.zeros(1024, np.int64)  # source -> its range of toks
        self.hi = np.zeros(1024, np.int64)
        self.day_lo = np.full(1024, NO_DATE_LO, np.int64)
        self.day_hi = np.full(1024, NO_DATE_HI, np.int64)
        self.n = 1

    def new(self, days: tuple[int, int] | None = None) -> int:
        """A new source (its tokens to come, :meth:`set_tokens`)."""
        sid = self.n
        if sid == len(self.lo):
            grow = len(self.lo)
            self.lo = np.concatenate((self.lo, np.zeros(grow, np.int64)))
            self.hi = np.concatenate((self.hi, np.zeros(grow, np.int64)))
            self.day_lo = np.concatenate((self.day_lo, np.full(grow, NO_DATE_LO, np.int64)))
            self.day_hi = np.concatenate((self.day_hi, np.full(grow, NO_DATE_HI, np.int64)))
        if days is not None:
            self.day_lo[sid], self.day_hi[sid] = days
        self.n += 1
        return sid

    def set_tokens(self, sid: int, toks: Iterable[int]) -> None:
        self.lo[sid] = len(self.toks)
        self.toks.extend(toks)
        self.hi[sid] = len(self.toks)


class FieldSources:
    """The value, unit, detail and date of facts as sources, each distinct value once."""

    def __init__(self, src: Sources) -> None:
        self.src = src
        self.value_src: dict[ValueKey, int] = {}  # (kind, value) -> source
        self.str_src: dict[str | None, int] = {None: 0, "": 0}  # unit or detail -> source
        self.date_src: dict[str | None, int] = {None: 0, "": 0}  # a quantity's date -> source

    def of(
        self, kinds: list[str], facts: list[Fact]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, list[tuple[int, str]]]:
        """Each fact's value, unit, detail and date sources, and the sources new here with
        the text to tokenize for each (sorted by text: ids in the same order on every run)."""
        new: list[tuple[int, str]] = []
        src = self.src

        def value_source(key: ValueKey) -> int:
            kind, v = key
            v = v.value if isinstance(v, _ValueKey) else v
            if v is None:
                return 0
            if type(v) is not str:
                sid, text = src.new(), " ".join(_value_words(v))
            elif kind in ("date", "event"):
                sid, text = src.new(_date_span(v)), " ".join(_date_words(v))
            else:
                sid, text = src.new(), v
            new.append((sid, text))
            return sid

        def string_source(s: str | None) -> int:
            if not s:
                return 0
            sid = src.new()
            new.append((sid, s))
            return sid

        def date_source(s: str | None) -> int:
            if not s:
                return 0
            sid = src.new(_date_span(s))
            new.append((sid, " ".join(_date_words(s))))
            return sid

        values = list(map(_value, facts))
        try:
            value = _sources(self.value_src, zip(kinds, values), lambda i: (kinds[i], values[i]), value_source)
        except TypeError:  # an unhashable value: keyed by the object itself
            keyed: list[ValueKey] = [(k, _key_of(v)) for k, v in zip(kinds, values)]
            value = _sources(self.value_src, keyed, keyed.__getitem__, value_source)
        unit = _string_sources(list(map(_unit, facts)), self.str_src, string_source)
        detail = _string_sources(list(map(_detail, facts)), self.str_src, string_source)
        date = _string_sources(list(map(_date, facts)), self.date_src, date_source)
        new.sort(key=_text_of)
        return value, unit, detail, date, new


def distinct(ids: Iterable[int]) -> tuple[int, ...]:
    """The distinct ids of a slice of tokens, JUNK left out."""
    s = set(ids)
    s.discard(JUNK)
    return tuple(s)


def _sources(
    table: dict[KeyT, int], keys: Iterable[KeyT], key_at: Callable[[int], KeyT], make: Callable[[KeyT], int]
) -> np.ndarray:
    """The source of each of ``keys`` (``key_at(i)`` is the i-th): from ``table``, else
    made (once per key) and noted there."""
    sids: list[int | None] = list(map(table.get, keys))
    if None in sids:
        for i in compress(range(len(sids)), map(is_, sids, repeat(None))):
            key = key_at(i)
            sid = table.get(key)
            if sid is None:
                sid = table[key] = make(key)
            sids[i] = sid
    return np.array(sids, np.int64)


def _string_sources(
    strings: list[str | None], table: dict[str | None, int], make: Callable[[str | None], int]
) -> np.ndarray:
    return _sources(table, strings, strings.__getitem__, make)


class _ValueKey:
    """An unhashable field value, keyed by the object itself."""

    __slots__ = ("value",)

    def __init__(self, value: object) -> None:
        self.value = value

    def __hash__(self) -> int:
        return id(self.value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _ValueKey) and other.value is self.value


def _text_of(field: tuple[int, str]) -> str:
    return field[-1]


def _key_of(value: object) -> Hashable:
    try:
        hash(value)
    except TypeError:
        return _ValueKey(value)
    return value


@lru_cache(maxsize=65536)
def _date_span(value: str) -> tuple[int, int]:
    """Ordinals of the first and last day of ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` or ``A/B``."""
    from pktui.search.query import parse_date

    if "/" in value:
        a, _, b = value.partition("/")
        ra, rb = parse_date(a), parse_date(b)
        if ra and rb:
            return ra.lo, rb.hi
        r = ra or rb
        return (r.lo, r.hi) if r else (NO_DATE_LO, NO_DATE_HI)
    r = parse_date(value)
    return (r.lo, r.hi) if r else (NO_DATE_LO, NO_DATE_HI)


def _date_words(value: str) -> list[str]:
    out: list[str] = []
    for part in str(value).split("/"):
        bits = part.strip().split("-")
        if not bits or not bits[0].isdigit():
            out.extend(index_tokens(part))
            continue
        out.append(bits[0])
        if len(bits) > 1 and _small_number(bits[1]) and 1 <= int(bits[1]) <= 12:
            out.extend((bits[1], str(int(bits[1])), _MONTHS[int(bits[1]) - 1]))
        if len(bits) > 2 and _small_number(bits[2]):
            out.extend((bits[2], str(int(bits[2]))))
    return out


def _small_number(text: str) -> bool:
    """Two ASCII digits at most (``"²"`` is a digit to ``isdigit`` but no number to ``int``)."""
    return text.isascii() and text.isdigit() and len(text) <= 2


def _value_words(value: object) -> list[str]:
    if value is None or isinstance(value, bool):
        return []
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not value.is_integer():
            return index_tokens(f"{value:g}")
        v = int(value)
        return [str(v)] + (index_tokens(f"{v:,}") if abs(v) >= 1000 else [])
    return index_tokens(str(value))
