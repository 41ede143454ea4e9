"""What the layers above read of a knowledge base (search, corrections): the in-memory
``KnowledgeBase`` and the store on disk (``pktui.knowledge.store``) are both one."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from pktui.model import Article, Entity, Fact, Mention


class FactSource(Protocol):
    @property
    def articles(self) -> Sequence[Article]: ...

    @property
    def entities(self) -> Sequence[Entity]: ...

    @property
    def facts(self) -> Sequence[Fact]: ...

    def article(self, article_id: str, /) -> Article | None: ...

    def entity(self, entity_id: str, /) -> Entity | None: ...

    def fact(self, fact_id: str, /) -> Fact | None: ...

    def facts_in(self, article_id: str, /) -> Sequence[Fact]: ...

    def mentions_in(self, article_id: str, /) -> Sequence[Mention]: ...

    def mentions_of_in(self, entity_id: str, article_id: str, /) -> Sequence[Mention]:
        """An entity's mentions in one article, in text order."""
        ...

    def mention_owners(self, article_id: str, lo: int, hi: int, /) -> Sequence[tuple[int, int, str]]:
        """(start, end, entity id) of the mentions of an article that lie within ``[lo, hi)``,
        in text order."""
        ...


def mentions_of(mentions: Iterable[Mention], entity_id: str) -> list[Mention]:
    """The mentions of one entity among ``mentions`` (:meth:`FactSource.mentions_of_in`)."""
    return [m for m in mentions if m.entity == entity_id]


def owners_within(mentions: Iterable[Mention], lo: int, hi: int) -> list[tuple[int, int, str]]:
    """(start, end, entity id) of the ``mentions`` within ``[lo, hi)`` (:meth:`FactSource.mention_owners`)."""
    return [(m.start, m.end, m.entity) for m in mentions if lo <= m.start and m.end <= hi]
