"""Small knowledge bases written by hand for tests: articles, entities, mentions and facts,
offsets found from the substrings they name."""

from __future__ import annotations

import re
from datetime import date

from pktui.knowledge.base import KnowledgeBase
from pktui.model import Article, Entity, Fact, Mention


def sentence_span(text: str, start: int, end: int) -> tuple[int, int]:
    s = start
    while s > 0:
        ch = text[s - 1]
        if ch == "\n" or (ch == " " and s >= 2 and text[s - 2] in ".!?"):
            break
        s -= 1
    e = end
    while e < len(text):
        ch = text[e]
        if ch == "\n":
            break
        e += 1
        if ch in ".!?" and (e >= len(text) or text[e] in " \n"):
            break
    return s, e


def paragraph_spans(text: str) -> tuple[tuple[int, int], ...]:
    return tuple((m.start(), m.end()) for m in re.finditer(r"[^\n]+(?:\n(?!\n)[^\n]+)*", text))


class KBBuilder:
    """Assemble a small knowledge base by hand: articles, entities, mentions and facts.

    Offsets are found from substrings, so tests read like the articles they describe::

        b = KBBuilder()
        a = b.article("2024-03-02-x", "2024-03-02", "Maj. Gen. An visited ...")
        b.entity("person/an", "An", "person", aliases=["General An"])   # mentions found
        b.fact(a, "date", "on Friday", value="2024-03-01", precision="day")
        kb = b.build()
    """

    def __init__(self) -> None:
        self.articles: list[Article] = []
        self.entities: dict[str, Entity] = {}
        self.facts: list[Fact] = []

    def article(self, aid: str, published: str | None, text: str, title: str | None = None) -> str:
        pub = date.fromisoformat(published) if published else None
        first = text.split("\n", 1)[0]
        self.articles.append(Article(aid, f"{aid}.txt", text, pub, title or first[:80], paragraph_spans(text)))
        return aid

    def _text(self, aid: str) -> str:
        for a in self.articles:
            if a.id == aid:
                return a.text
        raise KeyError(aid)

    def entity(self, eid: str, name: str, etype: str, aliases: list[str] | tuple = (), mentions: bool = True) -> Entity:
        e = Entity(eid, name, etype, list(aliases))
        self.entities[eid] = e
        if mentions:
            for a in self.articles:
                taken: list[tuple[int, int]] = []
                for form in sorted({name, *aliases}, key=len, reverse=True):
                    for m in re.finditer(r"(?<!\w)" + re.escape(form) + r"(?!\w)", a.text):
                        if any(m.start() < te and ts < m.end() for ts, te in taken):
                            continue
                        taken.append((m.start(), m.end()))
                        e.mentions.append(Mention(a.id, m.start(), m.end(), m.group(), eid))
            e.mentions.sort(key=lambda m: (m.article, m.start))
        return e

    def fact(self, aid: str, kind: str, text: str, occurrence: int = 0, **kw) -> Fact:
        body = self._text(aid)
        start = -1
        for _ in range(occurrence + 1):
            start = body.index(text, start + 1)
        end = start + len(text)
        sentence = kw.pop("sentence", None) or sentence_span(body, start, end)
        fid = kw.pop("id", None) or f"f-{len(self.facts) + 1:04d}"
        f = Fact(fid, kind, aid, start, end, text, tuple(sentence), **kw)
        self.facts.append(f)
        return f

    def build(self) -> KnowledgeBase:
        return KnowledgeBase(
            articles=list(self.articles), entities=list(self.entities.values()), facts=list(self.facts)
        )
