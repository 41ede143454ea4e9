"""Corrections from the browser: what a key asks for, written to the ledger off the UI thread,
and the ledger's entries as the corrections view shows them.

The writing goes through :mod:`pktui.archive.corrections` (checked against the corpus as it
stands, appended atomically); the corpus is then opened again as a *new* archive in the same
worker, and the app swaps it in on the UI thread, so the panes never read a knowledge base
that is being closed under them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from rich.text import Text

from pktui.knowledge.ledger import mention_ref
from pktui.model import ENTITY_TYPES, Entity, Fact
from pktui.text import fold, one_line
from pktui.tui import format as fmt


@dataclass(frozen=True, slots=True)
class Correction:
    """One correction asked for in the browser: the ledger operation and its targets, where
    the cursor goes once it is applied (``select``: an entity id) and what the status says."""

    op: str
    targets: dict[str, Any] = field(default_factory=dict)
    select: str | None = None
    doing: str = ""
    #: the entry's note (``;`` sets one for the next correction)
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Corrected:
    """What a worker hands back: the archive opened again with the ledger, its search index
    (or why there is none) and the line to show."""

    archive: Any
    index: Any
    index_error: str | None
    message: str
    select: str | None = None
    note: str | None = None


def apply_correction(archive: Any, correction: Correction) -> Corrected:
    """Write ``correction`` (an ``undo`` takes back ``targets['entry']``, or the newest) and
    open the corpus again. Runs in a worker. Raises ``CorrectionRefused`` / ``LedgerUnwritable``
    with a one-line reason; the archive in use is left as it was."""
    from pktui.archive.corrections import record, undo

    if correction.op == "undo":
        entry, target = undo(archive, correction.targets.get("entry"), correction.note, refresh=False)
        fact_id = target.targets.get("fact") or target.targets.get("target")
        original = extracted_facts(archive, [fact_id]).get(fact_id) if fact_id else None
        message = f"Entry {entry.n}: undid {target.n} ({describe(target, archive.kb, original)})"
    else:
        entry = record(archive, correction.op, correction.targets, correction.note, refresh=False)
        message = f"Entry {entry.n}: {describe(entry, archive.kb)}"  # by name: before the reopen
    fresh, index, error = reopen(archive)
    return Corrected(fresh, index, error, message, correction.select, correction.note)


def reopen(archive: Any, progress: Any = None) -> tuple[Any, Any, str | None]:
    """The corpus opened again as ``archive`` was (its ledger applied; its folder scanned, what
    changed extracted with ``progress``), with its search index."""
    from pktui.archive import open_archive, open_search

    fresh = open_archive(**{**archive.opened_with, "progress": progress})
    try:
        return fresh, open_search(fresh), None
    except ImportError as exc:
        return fresh, None, f"the search engine is not installed ({exc})"
    except Exception as exc:
        return fresh, None, f"{type(exc).__name__}: {exc}"


# -- what the pickers and forms offer ------------------------------------------------------------


def split_names(entity: Entity) -> list[tuple[str, int]]:
    """The other ways the entity is written in its mentions (each once, most used first): what
    can be split off. Its own name is left out."""
    own = fold(entity.name)
    counts: Counter[str] = Counter()
    written: dict[str, str] = {}
    for m in entity.mentions:
        key = fold(m.text)
        if key and key != own:
            counts[key] += 1
            written.setdefault(key, " ".join(m.text.split()))
    return [(written[k], n) for k, n in counts.most_common()]


def type_rows(current: str | None) -> tuple[list[tuple[Text, str]], int]:
    """The entity types as list rows, and the row of ``current``."""
    rows = [(Text(fmt.TYPE_NAMES.get(t, t)), t) for t in ENTITY_TYPES]
    row = ENTITY_TYPES.index(current) if current in ENTITY_TYPES else 0
    return rows, row


def entity_row(entity: Entity) -> Text:
    """A picker row: name, type and how often it is mentioned."""
    text = fmt.mark_corrected(Text(one_line(entity.name), "bold"), entity)
    text.append(f"  {fmt.TYPE_NAMES.get(entity.type, one_line(entity.type))}", "italic")
    text.append(f" · {fmt.counted(len(entity.mentions), 'mention')}", "dim")
    return text


class EntityMatcher:
    """The entities another can be merged into, ranked by a fuzzy match of what is typed
    against their names and aliases (rapidfuzz; call it off the UI thread)."""

    LIMIT = 200

    def __init__(self, entities: Sequence[Entity], exclude: str) -> None:
        self.source, self.exclude = entities, exclude
        self.entities: list[Entity] = []
        self.keys: list[str] | None = None

    def _prepare(self) -> list[str]:
        """Sorted and folded at the first search (in the worker: there may be 100,000)."""
        if self.keys is None:
            self.entities = sorted((e for e in self.source if e.id != self.exclude), key=lambda e: -len(e.mentions))
            self.keys = [fold(" ".join([e.name, *e.aliases])) for e in self.entities]
        return self.keys

    def __call__(self, query: str) -> list[Entity]:
        from rapidfuzz import fuzz, process

        keys = self._prepare()
        words = fold(query).strip()
        if not words:
            return self.entities[: self.LIMIT]
        found = process.extract(words, keys, scorer=fuzz.WRatio, processor=None, limit=self.LIMIT * 5, score_cutoff=60)
        typed = words.split()

        def rank(hit: tuple[str, float, int]) -> tuple[bool, float, int]:
            """Names whose words start with every word typed first, then by the fuzzy score."""
            key, score, i = hit
            names = key.split()
            starts = all(any(n.startswith(w) for n in names) for w in typed)
            return (not starts, -score, i)

        return [self.entities[i] for _key, _score, i in sorted(found, key=rank)[: self.LIMIT]]


# -- editing a fact's value ---------------------------------------------------------------------

_FIELD = re.compile(r"(?P<key>[a-z_]+)=(?P<value>.*?)(?=\s+[a-z_]+=|\s*\Z)", re.S)


def value_prefill(fact: Fact) -> str:
    """The fields the edit form starts with: ``value=500 qualifier=more_than unit=personnel``
    for a quantity, ``value=2023-05`` for a date."""
    if fact.kind in ("quantity", "ordinal"):
        parts = [f"value={fmt.fmt_number(fact.value).replace(',', '')}"]
        parts.append(f"qualifier={fact.qualifier or 'exact'}")
        if fact.unit:
            parts.append(f"unit={one_line(fact.unit)}")
        if fact.date:
            parts.append(f"date={one_line(fact.date)}")
        return " ".join(parts)
    return f"value={one_line(str(fact.value if fact.value is not None else fact.text))}"


def changed_fields(text: str, fact: Fact) -> dict[str, Any]:
    """The ``field=value`` pairs typed that differ from the fact as it is (numbers as numbers).
    Raises ``ValueError`` with a one-line reason when the text is not ``field=value ...``."""
    text = text.strip()
    fields: dict[str, Any] = {}
    pos = 0
    for m in _FIELD.finditer(text):
        if text[pos : m.start()].strip():
            break
        fields[m["key"]] = m["value"].strip()
        pos = m.end()
    if not fields or text[pos:].strip():
        raise ValueError("write the fields as field=value, e.g. value=1100 unit=personnel")
    changed: dict[str, Any] = {}
    for key, raw in fields.items():
        value: Any = _number(raw) if key == "value" and fact.kind in ("quantity", "ordinal") else raw
        current = fact.qualifier or "exact" if key == "qualifier" else getattr(fact, key, None)
        if key == "value" and isinstance(current, str | int | float) and str(value) == str(current):
            continue
        if value != current:
            changed[key] = value
    return changed


def _number(text: str) -> Any:
    plain = text.replace(",", "").strip()
    for kind in (int, float):
        try:
            return kind(plain)
        except ValueError:
            pass
    return text


# -- the corrections view ----------------------------------------------------------------------


def entity_label(kb: Any, entity_id: str | None) -> str:
    """An entity by name: the one it has, or the one it had when the ledger took it away
    (merged away, say); its id only when neither is known."""
    if not entity_id:
        return ""
    entity = kb.entity(entity_id) if kb is not None else None
    if entity is not None:
        return one_line(entity.name)
    gone = getattr(getattr(kb, "corrections", None), "gone_entities", None) or {}
    return one_line(gone[entity_id]) if entity_id in gone else one_line(entity_id)


def gone_facts(kb: Any) -> dict[str, Fact]:
    """The facts the ledger rejected, as they were (kept by the corrections applied)."""
    return dict(getattr(getattr(kb, "corrections", None), "gone_facts", None) or {})


def fact_label(kb: Any, fact_id: str, original: Any = None) -> str:
    """A fact by its value and article (``original``: the fact as extracted, when the corpus no
    longer holds it: rejected)."""
    fact = (kb.fact(fact_id) if kb is not None else None) or original or gone_facts(kb).get(fact_id)
    if fact is None:
        return f"fact {one_line(fact_id)}"
    article = kb.article(fact.article) if kb is not None else None
    where = f" in “{fmt.clip(article.title, 40)}”" if article is not None else ""
    return f"{fmt.clip(fmt.fact_value(fact, lambda e: fmt.entity_name(kb, e)), 50)}{where}"


def describe(entry: Any, kb: Any, original_fact: Any = None) -> str:
    """What an entry did, with its targets by name (one line)."""
    t = entry.targets
    op = entry.op
    if op == "merge":
        return f"merge {entity_label(kb, t['entity'])} into {entity_label(kb, t['into'])}"
    if op == "split":
        extra = "".join(f", {k} {one_line(str(t[k]))}" for k in ("name", "type") if t.get(k))
        return f"split “{one_line(t['alias'])}” off {entity_label(kb, t['entity'])}{extra}"
    if op == "rename":
        return f"rename {one_line(t['entity'])} to “{one_line(t['name'])}”"
    if op == "retype":
        return f"retype {entity_label(kb, t['entity'])} as {fmt.TYPE_NAMES.get(t['type'], one_line(t['type']))}"
    if op == "alias":
        return f"alias “{one_line(t['name'])}” for {entity_label(kb, t['entity'])}"
    if op == "reject":
        target = t["target"]
        if mention_ref(target) is not None:
            return f"reject the mention {one_line(target)}"
        return f"reject {fact_label(kb, target, original_fact)}"
    if op == "set":
        fields = " ".join(f"{k}={one_line(str(v))}" for k, v in t["fields"].items())
        return f"set {fields} on {fact_label(kb, t['fact'], original_fact)}"
    return f"undo entry {t['entry']}"


def entry_line(entry: Any, kb: Any, state: str, why: str = "", original_fact: Any = None, width: int = 80) -> Text:
    """A corrections view row: number, its state when not in effect (stale: why), what it did
    with its targets by name, the note; the time on the right."""
    text = Text(f"{entry.n:>4} ", "bold")
    if state == "stale":
        text.append(f"[stale: {one_line(why)}]", "bold reverse")
        text.append(" ")
    elif state != "in effect":
        text.append(f"[{state}]", "bold")
        text.append(" ")
    text.append(describe(entry, kb, original_fact), "dim strike" if state.startswith("undone") else "")
    if entry.note:
        text.append(" — ", "dim")
        text.append(one_line(entry.note), "italic")
    when = one_line(entry.at[:16].replace("T", " "))
    return fmt.right_aligned(text, Text(when, "dim"), width) if when else text


def extracted_facts(archive: Any, fact_ids: Sequence[str]) -> dict[str, Fact]:
    """The facts with these ids as extraction found them (read from the corpus index, which
    the ledger never changes): what the corrections view names and opens for a rejected fact.
    Empty when the corpus has no index (read in memory)."""
    if archive is None or not fact_ids or not archive.opened_with.get("use_store", True):
        return {}
    try:
        from pktui.archive import corpus_folder
        from pktui.knowledge.store import STORE_NAME, KnowledgeStore

        path = corpus_folder(archive.opened_with.get("paths"), archive.opened_with.get("options"))
        if not (path / STORE_NAME).exists():
            return {}
        kb = KnowledgeStore.open_reader(path, [])
    except Exception:
        return {}
    try:
        return {f.id: f for f in (kb.fact(i) for i in fact_ids) if f is not None}
    except Exception:
        return {}
    finally:
        kb.close()
