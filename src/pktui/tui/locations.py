"""Where things are: the :class:`Location` of a fact, an entity's mentions in reading order."""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from pktui.model import Entity, Fact
from pktui.text import one_line
from pktui.tui import format as fmt
from pktui.tui.history import Location, Steps

if TYPE_CHECKING:
    from pktui.knowledge.base import KnowledgeBase


def fact_location(fact: Fact, steps: Steps | None = None) -> Location:
    return Location(fact.article, (fact.start, fact.end), fact.id, steps)


#: an entity with more mentions than this has its steps read in a worker (a country may have a
#: hundred thousand: their order took the screen 0.1-0.5 s)
QUICK_STEPS = 1000


class _StepsRead:
    """Entities' mention steps made lately, for the knowledge base they were made from (the
    newest one: a correction makes another). Shared by every widget; filled from workers."""

    LIMIT = 32

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kb: weakref.ref[Any] | None = None
        self._steps: OrderedDict[str, Steps] = OrderedDict()

    def get(self, kb: Any, entity_id: str) -> Steps | None:
        with self._lock:
            if self._kb is None or self._kb() is not kb:
                return None
            steps = self._steps.get(entity_id)
            if steps is not None:
                self._steps.move_to_end(entity_id)
            return steps

    def put(self, kb: Any, entity_id: str, steps: Steps) -> None:
        with self._lock:
            if self._kb is None or self._kb() is not kb:
                self._kb, self._steps = weakref.ref(kb), OrderedDict()
            self._steps[entity_id] = steps
            if len(self._steps) > self.LIMIT:
                self._steps.popitem(last=False)


_steps_read = _StepsRead()


def ready_mention_steps(kb: KnowledgeBase, entity: Entity) -> Steps | None:
    """The entity's mentions to step through when they are to hand (read before, or few);
    None when they must be read first (:func:`read_mention_steps`, in a worker)."""
    steps = _steps_read.get(kb, entity.id)
    if steps is not None:
        return steps
    cached = getattr(kb, "cached_mention_spans", None)
    spans = cached(entity.id) if cached is not None else None
    if spans is not None:
        return Steps(f"mentions of {one_line(entity.name)}", tuple(spans))
    if len(entity.mentions) <= QUICK_STEPS:
        return read_mention_steps(kb, entity)
    return None


def read_mention_steps(kb: KnowledgeBase, entity: Entity) -> Steps:
    """:func:`mention_steps`, kept for :func:`ready_mention_steps` (called in workers)."""
    steps = mention_steps(kb, entity)
    _steps_read.put(kb, entity.id, steps)
    return steps


def mention_steps(kb: KnowledgeBase, entity: Entity) -> Steps:
    """The entity's mentions, newest article first (as the articles pane lists them), in text
    order: from the index in one query when it gives them (an entity of 30,000 mentions made
    one by one held the screen a second), else from each mention."""
    spans_of = getattr(kb, "mention_spans", None)
    if spans_of is not None:
        return Steps(f"mentions of {one_line(entity.name)}", tuple(spans_of(entity.id)))

    def key(m) -> tuple:
        article = kb.article(m.article)
        published = article.published if article else None
        return (published is not None, published.toordinal() if published else 0, m.article)

    by_article: dict[str, list] = {}
    for m in entity.mentions:
        by_article.setdefault(m.article, []).append(m)
    spans: list[tuple[str, int, int]] = []
    for aid in sorted(by_article, key=lambda a: key(by_article[a][0]), reverse=True):
        spans += sorted((aid, m.start, m.end) for m in by_article[aid])
    return Steps(f"mentions of {one_line(entity.name)}", tuple(spans))


def next_mark(steps: Steps, loc: Location, delta: int) -> Location:
    """The mention or match ``delta`` steps from what ``loc`` highlights (from its article when
    the highlight is none of them), wrapping around."""
    i = steps.index_of(loc.article, loc.highlight)
    if i < 0:
        here = [k for k, (a, _, _) in enumerate(steps.spans) if a == loc.article]
        i = (here[0] - 1 if delta > 0 else here[0]) if here else -1
    j = (i + delta) % len(steps.spans) if i >= 0 or delta < 0 else 0
    a, s, e = steps.spans[j]
    return Location(a, (s, e), None, steps)


def next_fact(facts: Sequence[Fact], loc: Location, delta: int) -> Fact:
    """The fact of the article ``delta`` steps from the one shown, or the next one after (or
    before) the highlight, wrapping around. ``facts`` are in text order and not empty."""
    for k, f in enumerate(facts):
        if f.id == loc.fact:
            return facts[(k + delta) % len(facts)]
    at = loc.highlight[0] if loc.highlight else (-1 if delta > 0 else 1 << 60)
    after = [k for k, f in enumerate(facts) if (f.start > at if delta > 0 else f.start < at)]
    j = (after[0] if delta > 0 else after[-1]) if after else (0 if delta > 0 else len(facts) - 1)
    return facts[j]


def citation(kb: KnowledgeBase, loc: Location, sentence_at: Callable) -> str | None:
    """The citation of what ``loc`` highlights: its whole sentence, with the article's metadata."""
    if loc.highlight is None:
        return None
    article = kb.article(loc.article)
    if article is None:
        return None
    fact = kb.fact(loc.fact) if loc.fact else None
    span = tuple(fact.sentence) if fact and fact.sentence else sentence_at(article, loc.highlight[0])
    start, end = span or loc.highlight
    return fmt.citation(article, start, end)


def why(kb: KnowledgeBase, loc: Location) -> tuple[str, str] | None:
    """What ``loc`` highlights (a fact, or the mention it falls in) and why it was extracted
    (``""`` when no reason was recorded)."""
    if loc.highlight is None:
        return None
    fact = kb.fact(loc.fact) if loc.fact else None
    if fact is not None:
        name = lambda e: fmt.entity_name(kb, e)
        return f"{fmt.KIND_TAGS.get(fact.kind, fact.kind).strip()} {fmt.fact_value(fact, name)}", fact.why or ""
    start, end = loc.highlight
    for m in kb.mentions_in(loc.article):
        if m.start <= start and end <= m.end:
            entity = kb.entity(m.entity)
            kind = fmt.TYPE_NAMES.get(entity.type, entity.type) if entity else "mention"
            return f"{kind} “{one_line(m.text)}”", m.why or ""
    return None
