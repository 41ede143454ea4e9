"""What the source view shows (a :class:`Location`) and the back/forward history of them."""

from __future__ import annotations

from dataclasses import dataclass

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Steps:
    """Spans that ``n``/``N`` step through: an entity's mentions or a search hit's matches."""

    label: str
    spans: tuple[tuple[str, int, int], ...]  # (article id, start, end)

    def index_of(self, article: str, span: Span | None) -> int:
        for i, (a, s, e) in enumerate(self.spans):
            if a == article and span == (s, e):
                return i
        return -1

    def in_article(self, article: str) -> list[Span]:
        return [(s, e) for a, s, e in self.spans if a == article]


@dataclass(frozen=True, slots=True)
class Location:
    """An article, optionally with a highlighted span, the fact it belongs to and marks to step."""

    article: str
    highlight: Span | None = None
    fact: str | None = None
    steps: Steps | None = None
    label: str = ""


class History:
    """A browser-like history: ``push`` what was opened, ``back`` and ``forward`` through it."""

    def __init__(self, limit: int = 500) -> None:
        self._items: list[Location] = []
        self._pos = -1
        self._limit = limit

    @property
    def current(self) -> Location | None:
        return self._items[self._pos] if self._pos >= 0 else None

    def __len__(self) -> int:
        return len(self._items)

    def push(self, loc: Location) -> None:
        if self.current == loc:
            return
        del self._items[self._pos + 1 :]
        self._items.append(loc)
        if len(self._items) > self._limit:
            del self._items[0]
        self._pos = len(self._items) - 1

    def replace(self, old: Location, new: Location) -> None:
        """``old``, where the history holds it now, becomes ``new`` (it gained its steps)."""
        if self.current == old:
            self._items[self._pos] = new

    def can_forward(self) -> bool:
        return self._pos < len(self._items) - 1

    def back(self, shown: Location | None = None) -> Location | None:
        """The previous location; when ``shown`` strayed from the current one, the current one."""
        if self.current is not None and shown is not None and shown != self.current:
            return self.current
        if self._pos > 0:
            self._pos -= 1
            return self.current
        return None

    def forward(self) -> Location | None:
        if self.can_forward():
            self._pos += 1
            return self.current
        return None
