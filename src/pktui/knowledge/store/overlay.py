"""Corrections over the stored knowledge base: only what a ledger can change is read and corrected.

:func:`correct` works out from the active entries what they can touch: the entities they name
(and the ids a split may take), the owners of the mentions they reject and of the spans an
added alias takes over, the facts they name and every fact about an entity read. It reads
those from the store, whole, into a small in-memory :class:`KnowledgeBase` (with the articles
where an added alias occurs and their other mentions, under stand-in entities, so that the
alias leaves longer names alone exactly as it would over the whole corpus), runs
:func:`~pktui.knowledge.corrections.apply_ledger` on it (the one implementation) and keeps the
result as an :class:`Overlay`. :class:`~.corrected.CorrectedKnowledgeBase` answers from the
overlay for what it holds and from the store for the rest.

Where an added alias occurs is asked of ``find_articles(name)`` (the search index's postings,
from :mod:`pktui.archive`): a superset of the articles holding its words, or None to read every
article.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pktui.knowledge.base import KnowledgeBase
from pktui.knowledge.correction_values import Folded, name_pattern
from pktui.knowledge.ledger import Entry, mention_ref
from pktui.knowledge.outcome import Outcome
from pktui.knowledge.store.codec import Row
from pktui.model import ENTITY_TYPES, Entity, Fact, Mention, TimelineEntry
from pktui.text import fold, slug

if TYPE_CHECKING:
    from pktui.knowledge.store.reader import StoredKnowledgeBase

#: a fact's place in the store's order: (undated, published, article id, start, end, kind)
FactPlace = tuple[int, str, str, int, int, str]
#: articles that may hold a name (a superset), or None when that cannot be told
FindArticles = Callable[[str], "set[str] | None"]

_ENTITY_ROW = "SELECT id, type, name, aliases, attributes, nmentions, narticles, fname FROM entity"
_FACT_ROW = (
    "SELECT f.n, f.id, f.start, f.end, f.kind, f.text, f.data, a.id, a.length, a.undated, a.published "
    "FROM fact f JOIN article a ON a.n = f.article"
)


class OverlayUnsafe(Exception):
    """The part read was not enough to correct exactly (never expected): load in memory."""


@dataclass
class Overlay:
    """A ledger applied to the part of the store it touches (see the module doc)."""

    outcome: Outcome
    #: the corrected entities: those read whole from the store and still there, and new ones
    entities: dict[str, Entity] = field(default_factory=dict)
    #: store entity id -> its place in the store's order (type, folded name, id), for those read
    replaced: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    #: store entity id -> its name before correcting (for those read)
    names_before: dict[str, str] = field(default_factory=dict)
    #: new entities (a split's), in the order the corrected corpus lists them (by type and
    #: folded name, ties in the order they were made)
    new: list[str] = field(default_factory=list)
    #: the same, in the order they were made (what an incremental apply goes on from)
    created: list[str] = field(default_factory=list)
    #: the facts read, as corrected (rejected ones left out), and their store rows
    facts: dict[str, Fact] = field(default_factory=dict)
    fact_rows: dict[str, int] = field(default_factory=dict)
    fact_order: dict[str, FactPlace] = field(default_factory=dict)
    rejected: set[str] = field(default_factory=set)
    #: fact id -> its corrected timeline entry (facts read that have one)
    timeline: dict[str, TimelineEntry] = field(default_factory=dict)
    #: store rows of the timeline entries read
    timeline_rows: set[int] = field(default_factory=set)
    #: articles whose mentions changed hands (or were made or rejected)
    mention_articles: set[str] = field(default_factory=set)
    #: articles whose facts changed
    fact_articles: set[str] = field(default_factory=set)
    #: articles where a mention was made, rejected or changed entity
    moved_mention_articles: set[str] = field(default_factory=set)
    #: after :func:`~.extend.extend` (never kept on disk): the articles whose search documents
    #: the new entries changed and the entities whose entity document they changed, or None
    grown: tuple[list[str], list[str]] | None = None
    #: ... and how many entries the overlay it grew from had
    grown_after: int = 0

    @property
    def empty(self) -> bool:
        return not self.replaced and not self.new and not self.facts

    def gone(self) -> set[str]:
        """Store entities the ledger removed (merged away, all mentions rejected)."""
        return set(self.replaced) - set(self.entities)

    def touched_entities(self) -> set[str]:
        """Entity ids whose entity document changed: read, made or removed."""
        return set(self.replaced) | set(self.new)

    # -- what the corrected view asks (worked out once here; a kept overlay reads each from
    # -- its file, see :mod:`.overlay_kept`) --------------------------------------------------

    #: the answers below, worked out on first use (:meth:`forget` after the overlay changed)
    _views: dict[str, object] = field(default_factory=dict, repr=False, compare=False)

    def forget(self) -> None:
        self._views.clear()

    def _view(self, name: str, make: Callable[[], object]) -> object:
        if name not in self._views:
            self._views[name] = make()
        return self._views[name]

    def mentions_of(self, article: str) -> list[Mention]:
        """The mentions the overlay's entities have in one article."""

        def make() -> dict[str, list[Mention]]:
            out: dict[str, list[Mention]] = defaultdict(list)
            for e in self.entities.values():
                for m in e.mentions:
                    out[m.article].append(m)
            return out

        by_article: dict[str, list[Mention]] = self._view("mentions", make)  # type: ignore[assignment]
        return list(by_article.get(article, ()))

    def timeline_keyed(self) -> list[tuple[bytes, TimelineEntry]]:
        """The overlay's timeline entries in the timeline's order, with their sort keys."""
        from pktui.knowledge.timeline import tkey

        def make() -> list[tuple[bytes, TimelineEntry]]:
            return sorted(((tkey(t), t) for t in self.timeline.values()), key=lambda kt: kt[0])

        return self._view("timeline", make)  # type: ignore[return-value]

    def timeline_in_order(self) -> list[TimelineEntry]:
        return [t for _k, t in self.timeline_keyed()]

    # The timeline entries of facts no entry corrected are the store's as they were: they keep
    # their rows in the store's list; only the others are taken out and put in again.

    def timeline_same(self) -> AbstractSet[str]:
        """Facts whose timeline entry is the store's (no entry corrected the fact)."""
        return self._view("same", lambda: {fid for fid in self.timeline if not self.facts[fid].corrected})  # type: ignore[return-value]

    def timeline_moved_places(self) -> list[tuple[bytes, str, int]]:
        """The other timeline entries' sort keys, facts and their facts' rows, in order."""
        same = self.timeline_same()
        return [(k, t.fact, self.fact_rows[t.fact]) for k, t in self.timeline_keyed() if t.fact not in same]

    def timeline_moved_count(self) -> int:
        return len(self.timeline) - len(self.timeline_same())

    def timeline_dropped_rows(self) -> AbstractSet[int]:
        """The store rows of the timeline entries read that are not kept where they stand."""

        def make() -> set[int]:
            return set(self.timeline_rows) - {self.fact_rows[fid] for fid in self.timeline_same()}

        return self._view("dropped", make)  # type: ignore[return-value]

    def timeline_naming(self, entity_id: str) -> list[TimelineEntry]:
        return [t for t in self.timeline_in_order() if entity_id in t.entities]

    def listed(self, ids: Sequence[str]) -> list[Entity]:
        """The entities ``ids`` as a list shows them."""
        return [self.entities[eid] for eid in ids]

    def entity_sort_keys(self) -> dict[str, tuple[str, str]]:
        """Each entity of the overlay's type and folded name (where the entity list has it)."""
        return {eid: (e.type, fold(e.name)) for eid, e in self.entities.items()}

    def type_and_folded_name(self, entity_id: str) -> tuple[str, str]:
        """Where an entity of the overlay goes in the entity list (ties aside)."""
        e = self.entities[entity_id]
        return e.type, fold(e.name)

    def entity_type_counts(self) -> Counter[str]:
        return Counter(e.type for e in self.entities.values())

    def fact_place(self, fact_id: str) -> tuple[FactPlace, int]:
        """A fact's place in the store's order (ties: by its row)."""
        return self.fact_order[fact_id], self.fact_rows[fact_id]

    def facts_naming(self, entity_id: str) -> list[Fact] | None:
        """The facts read that name the entity now, in the store's order; None when none of
        them names it."""

        def make() -> dict[str, list[Fact]]:
            about: dict[str, list[Fact]] = defaultdict(list)
            for f in sorted(self.facts.values(), key=lambda f: self.fact_place(f.id)):
                for eid in dict.fromkeys(f.entities):
                    about[eid].append(f)
            return dict(about)

        about: dict[str, list[Fact]] = self._view("about", make)  # type: ignore[assignment]
        got = about.get(entity_id)
        return list(got) if got is not None else None


def touched_by(
    entries: Sequence[Entry],
    whole: set[str],
    named_facts: set[str],
    owners_at: Callable[[str, int, int], Iterable[str]],
) -> list[str]:
    """Note what ``entries`` can touch: the entities to read whole (``owners_at``: the entities of
    the mention at a place), the facts they name; returns the names of added aliases (whose
    articles are read next)."""
    names: list[str] = []
    for e in entries:
        t = e.targets
        if e.op in ("merge", "split", "rename", "retype", "alias"):
            whole.update(x for x in (t["entity"], t.get("into")) if x)
        if e.op == "split":
            whole.update(_split_ids(e))
        elif e.op == "alias":
            names.append(t["name"])
        elif e.op == "reject":
            ref = mention_ref(t["target"])
            if ref is None:
                named_facts.add(t["target"])
            else:
                whole.update(owners_at(*ref))
        elif e.op == "set":
            named_facts.add(t["fact"])
    return names


def correct(skb: StoredKnowledgeBase, entries: Sequence[Entry], find_articles: FindArticles | None = None) -> Overlay:
    """Apply ``entries`` to the part of ``skb`` they can touch (module doc)."""
    from pktui.knowledge.corrections import active_entries, apply_ledger

    active = active_entries(entries)
    part = _Part(skb)
    names = touched_by(active, part.whole, part.named_facts, part.owners_at)
    part.read_alias_articles(names, find_articles)
    kb = part.knowledge_base()
    kb.folded_texts = part.folded  # type: ignore[attr-defined]  # (the alias articles, folded once)
    before = _mention_places(kb)
    outcome = apply_ledger(kb, entries, series=False)
    overlay = part.overlay(kb, outcome)
    overlay.created = [eid for eid in outcome.made if eid not in overlay.replaced]
    overlay.moved_mention_articles = {place[0] for place in before ^ _mention_places(kb)}
    return overlay


def _mention_places(kb: KnowledgeBase) -> set[tuple[str, int, int, str]]:
    return {(m.article, m.start, m.end, m.entity) for e in kb.entities for m in e.mentions}


def _split_ids(e: Entry) -> set[str]:
    """Every id a split may give its new entity (an existing one of that id takes the mentions)."""
    t = e.targets
    name = " ".join((t.get("name") or t["alias"]).split())
    ids = {f"{etype}/{slug(name)}" for etype in ENTITY_TYPES}
    return ids | {f"{i}-{e.n}" for i in ids}


class AliasReading:
    """Where an added alias occurs (for the part read from the store and for a kept overlay
    that grows): the articles holding the name, and the owners of the mentions it would take
    over, read whole."""

    skb: StoredKnowledgeBase
    whole: set[str]
    articles: dict[str, object]
    folded: dict[str, Folded]

    def mentions_in(self, aid: str) -> list[Mention]:
        raise NotImplementedError

    def read_alias_articles(self, names: list[str], find_articles: FindArticles | None) -> None:
        for name in names:
            pattern = name_pattern(name)
            if pattern is None:
                continue
            found = find_articles(name) if find_articles is not None else None
            ids = sorted(found) if found is not None else [r[0] for r in self.skb._rows("SELECT id FROM article")]
            key = fold(name)
            for aid in ids:
                folded = self._folded(aid)
                if folded is None or key not in folded.words:
                    continue
                self.articles[aid] = self.skb.article(aid)
                spans = {(m.start(), m.end()) for m in pattern.finditer(folded.in_place)}
                if spans:
                    self.whole.update(m.entity for m in self.mentions_in(aid) if (m.start, m.end) in spans)

    def _folded(self, aid: str) -> Folded | None:
        """An article's text folded, once for all the aliases."""
        got = self.folded.get(aid)
        if got is None:
            a = self.skb.article(aid)
            if a is None:
                return None
            got = self.folded[aid] = Folded(a.text)
        return got


class _Part(AliasReading):
    """What is read from the store, and how it is put together as a small knowledge base."""

    def __init__(self, skb: StoredKnowledgeBase) -> None:
        self.skb = skb
        self.whole: set[str] = set()  # entity ids read whole
        self.named_facts: set[str] = set()
        self.articles: dict[str, object] = {}  # where an added alias occurs
        self.stand_ins: set[str] = set()
        self.folded: dict[str, Folded] = {}

    def _rows(self, sql: str, values: Iterable[object], params: Sequence[object] = ()) -> list[Row]:
        values = list(values)
        out: list[Row] = []
        for i in range(0, len(values), 500):
            chunk = values[i : i + 500]
            out.extend(self.skb._rows(sql.replace("(?*)", f"({','.join('?' * len(chunk))})"), [*params, *chunk]))
        return out

    def owners_at(self, article: str, start: int, end: int) -> set[str]:
        q = "SELECT m.entity FROM mention m JOIN article a ON a.n = m.article WHERE a.id = ? AND m.start = ? AND m.end = ?"
        return {r[0] for r in self.skb._rows(q, (article, start, end))}

    def mentions_in(self, aid: str) -> list[Mention]:
        return self.skb.mentions_in(aid)

    def knowledge_base(self) -> KnowledgeBase:
        """The part as a knowledge base: entities in the store's order (the order the ledger
        is applied in over the whole), their mentions and facts, the timeline of those facts."""
        skb = self.skb
        rows = sorted(self._rows(f"{_ENTITY_ROW} WHERE id IN (?*)", self.whole), key=lambda r: (r[1], r[7], r[0]))
        self.replaced = {r[0]: (r[1], r[7], r[0]) for r in rows}
        self.names_before = {r[0]: r[2] for r in rows}
        mentions: dict[str, list[Mention]] = {eid: [] for eid in self.replaced}
        order = "ORDER BY a.undated, a.published, a.id, m.start, m.end, m.key"
        for row in self._rows(f"{_mention_select()} WHERE m.entity IN (?*) {order}", self.replaced):
            m = skb._make_mention(row)
            if m is not None:
                mentions[m.entity].append(m)
        entities = [self._entity(r, mentions[r[0]]) for r in rows]
        entities.extend(self._stand_ins())
        entities.sort(key=lambda e: self.replaced.get(e.id) or (e.type, fold(e.name), e.id))
        facts = self._facts()
        return KnowledgeBase(
            articles=list(self.articles.values()),  # type: ignore[arg-type]
            entities=entities,
            facts=facts,
            timeline=self._timeline(),
        )

    def _entity(self, row: Row, mentions: list[Mention]) -> Entity:
        e = self.skb._make_entity(row[:7])
        return Entity(e.id, e.name, e.type, list(e.aliases), mentions, dict(e.attributes))

    def _stand_ins(self) -> list[Entity]:
        """The other mentions of the alias articles, each under a stand-in of its entity (an
        added alias never changes them: it only must not overlap them)."""
        held: dict[str, list[Mention]] = {}
        order = "ORDER BY a.id, m.start, m.end, m.key"
        for row in self._rows(f"{_mention_select()} WHERE a.id IN (?*) {order}", self.articles):
            m = self.skb._make_mention(row)
            if m is not None and m.entity not in self.replaced:
                held.setdefault(m.entity, []).append(m)
        self.stand_ins = set(held)
        out = []
        for row in self._rows(f"{_ENTITY_ROW} WHERE id IN (?*)", held):
            e = self.skb._make_entity(row[:7])
            out.append(Entity(e.id, e.name, e.type, list(e.aliases), held[e.id], dict(e.attributes)))
        return out

    def _facts(self) -> list[Fact]:
        about = f"{_FACT_ROW} WHERE f.n IN (SELECT fact FROM fact_entity WHERE entity IN (?*))"
        rows = {r[0]: r for r in self._rows(about, self.replaced)}
        rows.update((r[0], r) for r in self._rows(f"{_FACT_ROW} WHERE f.id IN (?*)", self.named_facts))
        ordered = sorted(rows.values(), key=lambda r: (_fact_key(r), r[0]))
        self.fact_rows, self.fact_order = {}, {}
        facts = []
        for r in ordered:
            f = self.skb._make_fact(r[:9])
            if f is not None:
                facts.append(f)
                self.fact_rows[f.id] = r[0]
                self.fact_order[f.id] = _fact_key(r)
        return facts

    def _timeline(self) -> list[TimelineEntry]:
        q = (
            "SELECT t.fact, t.data, f.id, a.id FROM timeline t JOIN fact f ON f.n = t.fact "
            "JOIN article a ON a.n = t.article WHERE t.fact IN (?*) ORDER BY t.tkey"
        )
        rows = self._rows(q, self.fact_rows.values())
        self.timeline_rows = {r[0] for r in rows}
        return [t for t in map(self.skb._make_entry, rows) if t is not None]

    def overlay(self, kb: KnowledgeBase, outcome: Outcome) -> Overlay:
        """The corrected part, checked: a stand-in changed means the part was not enough."""
        out = Overlay(outcome, replaced=self.replaced, fact_rows=self.fact_rows, fact_order=self.fact_order)
        out.names_before = self.names_before
        out.timeline_rows = self.timeline_rows
        for e in kb.entities:
            if e.id in self.stand_ins and e.id not in self.replaced:
                if e.corrected or any(m.corrected for m in e.mentions):
                    raise OverlayUnsafe(f"entity {e.id} changed but was not read whole")
                continue
            out.entities[e.id] = e
            if e.id not in self.replaced:
                out.new.append(e.id)
        for f in kb.facts:
            out.facts[f.id] = f
        out.rejected = set(self.fact_rows) - set(out.facts)
        out.timeline = {t.fact: t for t in kb.timeline}
        for f in kb.facts:
            if f.corrected:
                out.fact_articles.add(f.article)
        out.fact_articles.update(self.skb.fact(fid).article for fid in out.rejected if self.skb.fact(fid))  # type: ignore[union-attr]
        out.mention_articles = self._mention_articles(out)
        return out

    def _mention_articles(self, out: Overlay) -> set[str]:
        q = "SELECT DISTINCT a.id FROM mention m JOIN article a ON a.n = m.article WHERE m.entity IN (?*)"
        arts = {r[0] for r in self._rows(q, self.replaced)}
        for e in out.entities.values():
            arts.update(m.article for m in e.mentions)
        return arts


def _mention_select() -> str:
    from pktui.knowledge.store.reader import _MENTION_SELECT

    return _MENTION_SELECT


def _fact_key(row: Row) -> FactPlace:
    """A fact's place in the store's order: its article's, then its span and kind."""
    _n, _fid, start, end, kind, _t, _d, aid, _len, undated, published = row
    return (undated, published, aid, start, end, kind)
