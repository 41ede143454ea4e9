"""The merged knowledge base: articles, entities, facts, timeline and series, with lookups."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from pktui.knowledge.source import mentions_of, owners_within
from pktui.model import Article, Entity, Fact, LoadProblem, LoadSummary, Mention, Series, TimelineEntry


@dataclass
class KnowledgeBase:
    articles: list[Article] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    timeline: list[TimelineEntry] = field(default_factory=list)
    series: list[Series] = field(default_factory=list)
    problems: list[LoadProblem] = field(default_factory=list)
    #: what reading left out on purpose: duplicates, hidden files (see LoadSummary)
    summary: LoadSummary = field(default_factory=LoadSummary)
    #: what applying the corrections ledger did (a ``corrections.Outcome``), when one was applied
    corrections: Any = None

    def __post_init__(self) -> None:
        #: the ``pktui.archive.Archive`` that opened it, if one did (a layer above: not named here)
        self.archive: Any = None
        self.reindex()

    def reindex(self) -> None:
        """Rebuild the lookup tables after the lists changed."""
        self._articles = {a.id: a for a in self.articles}
        self._entities = {e.id: e for e in self.entities}
        self._facts = {f.id: f for f in self.facts}
        self._facts_by_article: dict[str, list[Fact]] = defaultdict(list)
        self._facts_by_entity: dict[str, list[Fact]] = defaultdict(list)
        for f in self.facts:
            self._facts_by_article[f.article].append(f)
            for eid in f.entities:
                self._facts_by_entity[eid].append(f)
        for facts in self._facts_by_article.values():
            facts.sort(key=lambda f: (f.start, f.end))
        self._mentions_by_article: dict[str, list[Mention]] = defaultdict(list)
        for e in self.entities:
            for m in e.mentions:
                self._mentions_by_article[m.article].append(m)
        for ms in self._mentions_by_article.values():
            ms.sort(key=lambda m: (m.start, m.end))

    def article(self, article_id: str) -> Article | None:
        return self._articles.get(article_id)

    def entity(self, entity_id: str) -> Entity | None:
        return self._entities.get(entity_id)

    def fact(self, fact_id: str) -> Fact | None:
        return self._facts.get(fact_id)

    def facts_in(self, article_id: str) -> list[Fact]:
        """Facts of one article in text order."""
        return self._facts_by_article.get(article_id, [])

    def facts_about(self, entity_id: str) -> list[Fact]:
        return self._facts_by_entity.get(entity_id, [])

    def mentions_in(self, article_id: str) -> list[Mention]:
        """Entity mentions of one article in text order (``Mention.entity`` is the id)."""
        return self._mentions_by_article.get(article_id, [])

    def mentions_of_in(self, entity_id: str, article_id: str) -> list[Mention]:
        """An entity's mentions in one article, in text order."""
        return mentions_of(self.mentions_in(article_id), entity_id)

    def mention_owners(self, article_id: str, lo: int, hi: int) -> list[tuple[int, int, str]]:
        """(start, end, entity id) of an article's mentions that lie within ``[lo, hi)``."""
        return owners_within(self.mentions_in(article_id), lo, hi)

    def timeline_for(self, entity_id: str | None) -> list[TimelineEntry]:
        if entity_id is None:
            return self.timeline
        return [t for t in self.timeline if entity_id in t.entities]

    def entity_counts_by_type(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for e in self.entities:
            counts[e.type] += 1
        return dict(sorted(counts.items()))

    def articles_newest_first(self) -> list[Article]:
        return sorted(
            self.articles,
            key=lambda a: (a.published is not None, a.published or "", a.id),
            reverse=True,
        )
