"""New ledger entries applied on an overlay already made: what they touch is read (from the
overlay where it holds it, from the store otherwise), corrected by the one implementation
(:func:`~pktui.knowledge.corrections.apply_ledger`) and put back in the overlay.

It reads what :func:`~.overlay.correct` would read for these entries, but in the corrected
corpus: the owners of a mention are those of now, the facts about an entity are the overlay's
(as corrected, the rejected ones left out) where it holds them. The part is put in the order
a whole apply would have it in (store entities by their place in the store, then the ones the
ledger made, in the order it made them), so each entry meets what it would have met. Entries
that undo are never extended (:mod:`.overlay_cache` applies the whole ledger again).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from pktui.knowledge.base import KnowledgeBase
from pktui.knowledge.correction_values import Folded
from pktui.knowledge.corrections import apply_ledger
from pktui.knowledge.ledger import Entry
from pktui.knowledge.outcome import Outcome
from pktui.knowledge.store.overlay import (
    _ENTITY_ROW,
    _FACT_ROW,
    AliasReading,
    FindArticles,
    Overlay,
    OverlayUnsafe,
    _fact_key,
    _mention_places,
    _mention_select,
    touched_by,
)
from pktui.model import Entity, Fact, Mention, TimelineEntry

if TYPE_CHECKING:
    from pktui.knowledge.store.codec import Row
    from pktui.knowledge.store.reader import StoredKnowledgeBase


def extend(
    skb: StoredKnowledgeBase,
    base: Overlay,
    entries: Sequence[Entry],
    tail: Sequence[Entry],
    find_articles: FindArticles | None = None,
) -> Overlay:
    """``base`` (the overlay of ``entries`` without ``tail``) with ``tail`` applied on it, in
    place. Raises :class:`OverlayUnsafe` when the part read was not enough (never expected)."""
    if any(e.op == "undo" for e in tail):
        raise OverlayUnsafe("an undo is applied with the whole ledger")
    part = _Growth(skb, base)

    def owners_at(article: str, start: int, end: int) -> set[str]:
        return {m.entity for m in part.mentions_in(article) if (m.start, m.end) == (start, end)}

    names = touched_by(tail, part.whole, part.named_facts, owners_at)
    part.read_alias_articles(names, find_articles)
    kb = part.knowledge_base()
    before = _mention_places(kb)
    types = {e.id: e.type for e in kb.entities}
    outcome = apply_ledger(kb, tail, series=False)
    part.put_back(kb, outcome)
    moved = {place[0] for place in before ^ _mention_places(kb)}
    base.moved_mention_articles.update(moved)
    base.grown = part.search_changes(kb, {e.n for e in tail}, types, moved)
    base.forget()
    return base


class _Growth(AliasReading):
    """What the new entries touch, read from the overlay or the store, and put back."""

    def __init__(self, skb: StoredKnowledgeBase, base: Overlay) -> None:
        self.skb, self.base = skb, base
        self.whole: set[str] = set()
        self.named_facts: set[str] = set()
        self.articles: dict[str, object] = {}
        self.folded: dict[str, Folded] = {}
        self.read_entities: dict[str, tuple[str, str, str]] = {}  # store entities read now
        self.read_names: dict[str, str] = {}
        self.stand_ins: set[str] = set()
        self.fact_ids: list[str] = []
        self.new_fact_rows: dict[str, int] = {}
        self.new_fact_order: dict[str, tuple[int, str, str, int, int, str]] = {}
        self.new_timeline_rows: set[int] = set()

    # -- the corrected corpus as it stands -------------------------------------------------------

    def mentions_in(self, aid: str) -> list[Mention]:
        """An article's mentions as the overlay has them (the objects of its entities)."""
        base = self.base
        if aid not in base.mention_articles:
            return self.skb.mentions_in(aid)
        kept = [m for m in self.skb.mentions_in(aid) if m.entity not in base.replaced]
        return sorted([*kept, *base.mentions_of(aid)], key=lambda m: (m.start, m.end))

    def _rows(self, sql: str, values: Sequence[object]) -> list[Row]:
        out: list[Row] = []
        values = list(values)
        for i in range(0, len(values), 500):
            chunk = values[i : i + 500]
            out.extend(self.skb._rows(sql.replace("(?*)", f"({','.join('?' * len(chunk))})"), chunk))
        return out

    def knowledge_base(self) -> KnowledgeBase:
        base = self.base
        gone = base.gone()
        held: dict[str, list[Mention]] = {}
        for aid in self.articles:  # every owner of a mention there: whole if the overlay has it
            for m in self.mentions_in(aid):
                if m.entity in base.entities:
                    self.whole.add(m.entity)
                elif m.entity not in self.whole:
                    held.setdefault(m.entity, []).append(m)
        self.whole -= gone
        mine = {eid: base.entities[eid] for eid in self.whole if eid in base.entities}
        from_store = self._read_whole(self.whole - set(mine))
        self.stand_ins = set(held) - self.whole
        stand_ins = self._stand_ins({eid: held[eid] for eid in self.stand_ins})
        store_key = {**base.replaced, **self.read_entities}
        made = {eid: k for k, eid in enumerate(base.created)}
        entities = [*mine.values(), *from_store, *stand_ins]

        def order(e: Entity) -> tuple[object, ...]:
            key = store_key.get(e.id)
            return (0, *key) if key is not None else (1, made.get(e.id, len(made)), e.id)

        entities.sort(key=order)
        facts = self._facts({e.id for e in entities if e.id in self.whole})
        kb = KnowledgeBase(
            articles=list(self.articles.values()),  # type: ignore[arg-type]
            entities=entities,
            facts=facts,
            timeline=self._timeline(facts),
        )
        kb.folded_texts = self.folded  # type: ignore[attr-defined]
        return kb

    def _read_whole(self, ids: set[str]) -> list[Entity]:
        """Store entities the overlay does not hold (untouched so far), with their mentions."""
        rows = self._rows(f"{_ENTITY_ROW} WHERE id IN (?*)", sorted(ids))
        self.read_entities = {r[0]: (r[1], r[7], r[0]) for r in rows}
        self.read_names = {r[0]: r[2] for r in rows}
        mentions: dict[str, list[Mention]] = {eid: [] for eid in self.read_entities}
        order = "ORDER BY a.undated, a.published, a.id, m.start, m.end, m.key"
        for row in self._rows(f"{_mention_select()} WHERE m.entity IN (?*) {order}", list(self.read_entities)):
            m = self.skb._make_mention(row)
            if m is not None:
                mentions[m.entity].append(m)
        self.whole = (self.whole - ids) | set(self.read_entities)
        return [self._entity(r, mentions[r[0]]) for r in rows]

    def _entity(self, row: Row, mentions: list[Mention]) -> Entity:
        e = self.skb._make_entity(row[:7])
        return Entity(e.id, e.name, e.type, list(e.aliases), mentions, dict(e.attributes))

    def _stand_ins(self, held: dict[str, list[Mention]]) -> list[Entity]:
        rows = self._rows(f"{_ENTITY_ROW} WHERE id IN (?*)", sorted(held))
        for r in rows:
            self.read_entities.setdefault(r[0], (r[1], r[7], r[0]))
        out = []
        for r in rows:
            copies = [Mention(m.article, m.start, m.end, m.text, m.entity, m.why, m.corrected) for m in held[r[0]]]
            out.append(self._entity(r, copies))
        return out

    def _facts(self, whole: set[str]) -> list[Fact]:
        """Every fact about a whole entity and every fact named, as the overlay has them."""
        base = self.base
        got: dict[str, Fact] = {}
        held = {eid for eid in whole if eid in base.entities}
        for eid in sorted(held):
            got.update((f.id, base.facts.get(f.id, f)) for f in base.facts_naming(eid) or ())
        untouched = sorted(whole - held)
        q = f"{_FACT_ROW} WHERE f.n IN (SELECT fact FROM fact_entity WHERE entity IN (?*))"
        rows = self._rows(q, untouched)
        named = [fid for fid in self.named_facts if fid not in got]
        rows += self._rows(f"{_FACT_ROW} WHERE f.id IN (?*)", sorted(named))
        for r in rows:
            fid = r[1]
            if fid in got or fid in base.rejected:
                continue
            if fid in base.facts:
                got[fid] = base.facts[fid]
                continue
            made = self.skb._make_fact(r[:9])
            if made is not None:
                got[fid] = made
                self.new_fact_rows[fid] = r[0]
                self.new_fact_order[fid] = _fact_key(r)

        def place(f: Fact) -> tuple[object, ...]:
            if f.id in self.new_fact_order:
                return self.new_fact_order[f.id], self.new_fact_rows[f.id]
            return base.fact_place(f.id)

        facts = sorted(got.values(), key=place)
        self.fact_ids = [f.id for f in facts]
        return facts

    def _timeline(self, facts: list[Fact]) -> list[TimelineEntry]:
        base = self.base
        out = [base.timeline[f.id] for f in facts if f.id in base.timeline]
        q = (
            "SELECT t.fact, t.data, f.id, a.id FROM timeline t JOIN fact f ON f.n = t.fact "
            "JOIN article a ON a.n = t.article WHERE t.fact IN (?*) ORDER BY t.tkey"
        )
        rows = self._rows(q, list(self.new_fact_rows.values()))
        self.new_timeline_rows = {r[0] for r in rows}
        out.extend(t for t in map(self.skb._make_entry, rows) if t is not None)
        return out

    # -- back into the overlay -------------------------------------------------------------------

    def put_back(self, kb: KnowledgeBase, outcome: Outcome) -> None:
        base = self.base
        result = {e.id: e for e in kb.entities}
        for eid in self.stand_ins:
            e = result.get(eid)
            if e is not None and (e.corrected or any(m.corrected for m in e.mentions)):
                raise OverlayUnsafe(f"entity {eid} changed but was not read whole")
        for eid in self.whole:
            if eid in self.read_entities:
                base.replaced[eid] = self.read_entities[eid]
                base.names_before[eid] = self.read_names[eid]
            if eid not in result:
                base.entities.pop(eid, None)
        q = "SELECT DISTINCT a.id FROM mention m JOIN article a ON a.n = m.article WHERE m.entity IN (?*)"
        base.mention_articles.update(r[0] for r in self._rows(q, sorted(self.whole & set(self.read_entities))))
        for eid, e in result.items():
            if eid in self.stand_ins:
                continue
            base.entities[eid] = e
            base.mention_articles.update(m.article for m in e.mentions)
        self._put_back_made(outcome.made)
        self._put_back_facts(kb)
        out = base.outcome
        out.applied.extend(outcome.applied)
        out.stale.extend(outcome.stale)
        out.series_changed = out.series_changed or outcome.series_changed
        out.gone_entities.update(outcome.gone_entities)
        out.gone_facts.update(outcome.gone_facts)

    def search_changes(
        self, kb: KnowledgeBase, numbers: set[int], types: dict[str, str], moved: set[str]
    ) -> tuple[list[str], list[str]]:
        """What :func:`pktui.archive.corrected.search_changes` gives, for the new entries only:
        the articles of the facts they corrected or rejected, where mentions moved, of a
        retyped entity; the entities read whole or made."""
        articles = set(moved)
        kept = {f.id for f in kb.facts}
        for fid in self.fact_ids:
            f = self.base.facts.get(fid)
            if fid not in kept:
                gone = self.base.outcome.gone_facts.get(fid) or self.skb.fact(fid)
                if gone is not None:
                    articles.add(gone.article)
            elif f is not None and numbers.intersection(f.corrected):
                articles.add(f.article)
        for e in kb.entities:
            if e.id in self.stand_ins or types.get(e.id, e.type) == e.type:
                continue
            articles.update(e.articles)
            articles.update(f.article for f in kb.facts if e.id in f.entities)
        entities = (self.whole | {e.id for e in kb.entities}) - self.stand_ins
        return sorted(articles), sorted(entities)

    def _put_back_made(self, made: list[str]) -> None:
        base = self.base
        fresh = [eid for eid in made if eid not in base.replaced]
        created = [eid for eid in base.created if eid in base.entities and eid not in fresh]
        base.created = [*created, *(eid for eid in fresh if eid in base.entities)]
        base.new = sorted(base.created, key=base.type_and_folded_name)
        base.outcome.made = list(base.created)

    def _put_back_facts(self, kb: KnowledgeBase) -> None:
        base = self.base
        base.fact_rows.update(self.new_fact_rows)
        base.fact_order.update(self.new_fact_order)
        base.timeline_rows.update(self.new_timeline_rows)
        kept = {f.id: f for f in kb.facts}
        for fid in self.fact_ids:
            f = kept.get(fid)
            if f is None:
                old = base.facts.pop(fid, None) or self.skb.fact(fid)
                base.rejected.add(fid)
                base.timeline.pop(fid, None)
                if old is not None:
                    base.fact_articles.add(old.article)
                continue
            base.facts[fid] = f
            if f.corrected:
                base.fact_articles.add(f.article)
        for t in kb.timeline:
            base.timeline[t.fact] = t
