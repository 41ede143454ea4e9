"""The stored knowledge base read whole into memory (the corrections overlay's safety net, and
tests that compare it with the overlay)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pktui.knowledge.base import KnowledgeBase
from pktui.knowledge.store.reader import _ARTICLE_ORDER, _MENTION_SELECT  # (the same rows, in the same order)
from pktui.model import Article, Entity, Mention

if TYPE_CHECKING:
    from pktui.knowledge.store.reader import StoredKnowledgeBase


def in_memory(skb: StoredKnowledgeBase) -> KnowledgeBase:
    """The whole stored knowledge base read into memory: every article with its text, every
    entity with its mentions, every fact, the timeline and the series."""
    articles = []
    for n, aid, published, length, meta, text in skb._stream(
        "SELECT a.n, a.id, a.published, a.length, a.meta, t.text FROM article a JOIN article_text t ON t.n = a.n "
        f"{_ARTICLE_ORDER}"
    ):
        a = skb._make_article((n, aid, published, length, meta))
        if len(text) != length:
            skb._suspect(aid, "article text of the wrong length")
        articles.append(Article(**{k: getattr(a, k) for k in Article.__dataclass_fields__ if k != "text"}, text=text))
    mentions: dict[str, list[Mention]] = {}
    for row in skb._stream(f"{_MENTION_SELECT} {_ARTICLE_ORDER}, m.start, m.end, m.key"):
        m = skb._make_mention(row)
        if m is not None:
            mentions.setdefault(m.entity, []).append(m)
    entities = []
    for e in skb.entities:
        entities.append(Entity(e.id, e.name, e.type, list(e.aliases), mentions.get(e.id, []), dict(e.attributes)))
    return KnowledgeBase(
        articles=articles,
        entities=entities,
        facts=list(skb.facts),
        timeline=list(skb.timeline),
        series=list(skb.series),
        problems=list(skb.problems),
        summary=skb.summary,
    )
