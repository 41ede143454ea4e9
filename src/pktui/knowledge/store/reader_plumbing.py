"""What each part of :class:`~pktui.knowledge.store.reader.StoredKnowledgeBase` reads through:
the reader's plumbing, declared once for the parts in modules of their own."""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from pktui.knowledge.store.codec import Row
from pktui.model import LoadProblem


class ReaderPart:
    problems: list[LoadProblem]

    if TYPE_CHECKING:

        def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[Row]: ...
        def _stream(
            self, sql: str, params: Sequence[Any] = (), size: int = 1024, *, bulk: bool = False
        ) -> Iterator[Row]: ...
        def _order(self, sql: str, params: Sequence[Any] = ()) -> array[int]: ...
        def _suspect(self, article: str, reason: str) -> None: ...
        def entity_exists(self, entity_id: str) -> bool: ...
