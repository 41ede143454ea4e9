"""A corpus index opened with a corrections ledger: the ledger as an overlay, search as a delta.

:func:`with_ledger` applies the ledger to the part of the stored knowledge base it touches
(:mod:`pktui.knowledge.store.overlay`; where an added alias occurs is asked of the search
postings) and hands back a :class:`~pktui.knowledge.store.corrected.CorrectedKnowledgeBase`.
:func:`corrections_segment` is the search side: the articles whose facts or mentions the ledger
changed, and the entities it renamed, retyped, made or removed, written as one more segment
after the index's own (the last copy of an article wins, as for an update), so a rejected fact
is never found, a merged entity's names find the one it went into and a set value is searched.
That segment is kept under the index folder, named by the ledger's content and the index's
generation, so a reopen with the same ledger reads it instead of writing it; any other is
removed. Where it cannot be written it is built in memory.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

from pktui.fileio import atomic_output
from pktui.knowledge.ledger import LedgerError, read_ledger
from pktui.knowledge.store.corrected import CorrectedKnowledgeBase
from pktui.knowledge.store.overlay import OverlayUnsafe
from pktui.knowledge.store.overlay_cache import cached_correct
from pktui.model import LoadProblem
from pktui.text import fold

CORRECTIONS = "corrections"
#: the overlay kept beside the corrections' search segment
OVERLAY = "overlay.sqlite"


def with_ledger(kb: Any, ledger: Path, open_plain_index: Any, folder: Path | None = None) -> Any:
    """``kb`` (a stored knowledge base) with the ledger at ``ledger`` applied: corrected, or
    ``kb`` itself with a problem when the ledger cannot be read (the corpus loads without it).
    ``open_plain_index()`` gives the index's search without corrections, or None. Under the
    index ``folder`` the overlay is kept (:mod:`pktui.knowledge.store.overlay_cache`)."""
    plain: list[Any] = []

    def find_articles(name: str) -> set[str] | None:
        if not plain:
            plain.append(open_plain_index())
        index = plain[0]
        if index is None or not hasattr(index, "articles_holding"):
            return None
        return index.articles_holding(fold(name).split())

    cache = folder / CORRECTIONS / OVERLAY if folder is not None else None
    try:
        raw = Path(ledger).read_bytes() if Path(ledger).is_file() else b""
        overlay, warning, how, digests = cached_correct(
            kb, raw, lambda: read_ledger(Path(ledger)).entries, find_articles, cache, str(ledger)
        )
    except LedgerError as exc:
        kb.problems.append(
            LoadProblem(exc.where or str(ledger), f"corrections not applied: {exc.detail}", skipped=False)
        )
        return kb
    except OSError as exc:
        kb.problems.append(LoadProblem(str(ledger), f"corrections not applied: {exc.strerror or exc}", False))
        return kb
    except OverlayUnsafe as exc:
        return _in_memory(kb, ledger, str(exc))
    corrected = CorrectedKnowledgeBase(kb, overlay)
    if warning:
        corrected.problems.append(LoadProblem(str(cache), warning, skipped=False))
    corrected.problems.extend(overlay.outcome.problems(str(ledger)))
    corrected.overlay_from = how  # type: ignore[attr-defined]
    corrected.ledger_digest = hashlib.sha256(raw).hexdigest()[:20]  # type: ignore[attr-defined]
    corrected.entry_digests = digests  # type: ignore[attr-defined]
    corrected.ledger_path = Path(ledger)  # type: ignore[attr-defined]
    return corrected


def _in_memory(kb: Any, ledger: Path, why: str) -> Any:
    """The whole knowledge base read into memory and the ledger applied there (a safety net
    the overlay is never expected to need)."""
    from pktui.knowledge.loader import apply_corrections
    from pktui.knowledge.store.memory import in_memory

    memory = in_memory(kb)
    kb.close()
    memory.problems.append(LoadProblem(str(ledger), f"corrections applied in memory ({why})", skipped=False))
    memory.problems.extend(apply_corrections(memory, ledger))
    return memory


#: how many segments the corrections' search may be in before they are written again as one
MAX_CHAIN = 8
CHAIN = "chain.json"


def corrections_segment(kb: Any, folder: Path, manifest: Any) -> tuple[list[Any], Path | None]:
    """The search segments of a corrected knowledge base, mapped from disk (or built in memory
    where they cannot be written; none when the ledger changes nothing search shows), and
    where the entity part they make with the index's segments is kept (None: not kept).

    They are kept as a chain (``chain.json``, under the key of the ledger's entries, the
    index's generation and segments): a ledger that only grew adds a segment of what its new
    entries changed (the last copy of an article wins) instead of writing all again. The
    entity part of the whole (the index's, with the chain's entities over it) is kept beside
    them under the same key (:func:`kept_entity_part`), so a reopen maps it instead of
    merging the parts again."""
    if not isinstance(kb, CorrectedKnowledgeBase):
        return [], None
    home = folder / CORRECTIONS
    digests = getattr(kb, "entry_digests", [])
    key = _chain_key(kb, manifest, digests)
    chain = _read_chain(home)
    entities = home / f"{key}{ENTITIES}"
    mapped = _mapped(home, chain.get("segments", [])) if chain.get("key") == key else None
    if mapped is not None:
        return mapped, entities
    from pktui.search.build import build_segment, write_segment

    ov = kb.overlay
    grown = ov.grown is not None and chain.get("key") == _chain_key(kb, manifest, digests[: ov.grown_after])
    if grown and len(chain["segments"]) < MAX_CHAIN and _mapped(home, chain["segments"]) is not None:
        articles, entity_ids = ov.grown  # type: ignore[misc]
        segments = list(chain["segments"])
    else:
        articles, entity_ids = search_changes(kb)
        segments = []
    if not articles and not entity_ids and not segments:
        return [], None
    try:
        home.mkdir(exist_ok=True)
        if articles or entity_ids:
            name = f"{key}-{len(segments)}"
            shutil.rmtree(home / name, ignore_errors=True)
            write_segment(kb, home / name, articles, entity_ids=entity_ids)
            segments.append(name)
        with atomic_output(home / CHAIN) as fh:
            fh.write(json.dumps({"key": key, "segments": segments}))
        _remove_others(home, {*segments, entities.name})
        mapped = _mapped(home, segments)
        if mapped is None:
            raise OSError("the corrections' search segments just written cannot be read")
        return mapped, entities
    except OSError:
        articles, entity_ids = search_changes(kb)
        return ([build_segment(kb, articles, entity_ids=entity_ids)] if articles or entity_ids else []), None


#: the name ending of the kept entity part
ENTITIES = "-entities"


def kept_entity_part(where: Path | None) -> Any:
    """The entity part kept at ``where``, mapped; None when there is none (or it cannot be
    read: it is merged again)."""
    if where is None:
        return None
    from pktui.search import segment

    try:
        return segment.read(where)
    except (segment.SegmentError, OSError):
        return None


def keep_entity_part(index: Any, data: list[Any], where: Path | None) -> None:
    """Keep the entity part ``index`` merged from its segments at ``where`` (nothing when it
    is one segment's own, or it cannot be written)."""
    part = index.ent.data
    if where is None or any(part is d for d in data):
        return
    from pktui.search import segment

    with contextlib.suppress(OSError):
        segment.write(part, where)


def _chain_key(kb: Any, manifest: Any, digests: list[str]) -> str:
    """The key of a ledger's entries (their digests) over an index's generation and segments."""
    parts = [kb.meta("generation") or "", manifest.dump(), *digests]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:20]


def _read_chain(home: Path) -> dict[str, Any]:
    """The chain kept under ``home``, or an empty one (none, or unreadable: written again)."""
    try:
        doc = json.loads((home / CHAIN).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(doc, dict) or not isinstance(doc.get("segments"), list):
        return {}
    if not all(isinstance(s, str) and s and "/" not in s and not s.startswith(".") for s in doc["segments"]):
        return {}
    return doc


def _mapped(home: Path, names: list[str]) -> list[Any] | None:
    """The segments ``names`` under ``home``, mapped; None when one cannot be read (or there
    are none)."""
    from pktui.search import segment

    try:
        return [segment.read(home / name) for name in names] or None
    except (segment.SegmentError, OSError):
        return None


def _remove_others(home: Path, keep: set[str]) -> None:
    """Segments of other ledgers or generations go (a reader that has one open keeps its map);
    the chain and the overlay kept (and one being written) stay."""
    for p in home.iterdir():
        if p.name not in keep and not p.name.startswith((OVERLAY, f".{OVERLAY}", CHAIN, f".{CHAIN}")):
            with contextlib.suppress(OSError):
                shutil.rmtree(p) if p.is_dir() else p.unlink()


def search_changes(kb: CorrectedKnowledgeBase) -> tuple[list[str], list[str]]:
    """The articles whose search documents the ledger changed (facts corrected or rejected,
    mentions that changed hands, the articles of a retyped entity) and the entities whose entity
    document it changed."""
    ov = kb.overlay
    articles = set(ov.fact_articles) | set(ov.moved_mention_articles)
    for eid, (old_type, _f, _i) in ov.replaced.items():
        now = ov.entities.get(eid)
        if now is not None and now.type != old_type:
            articles.update(now.articles)
            articles.update(f.article for f in kb.facts_about(eid))
    return sorted(articles), sorted(ov.touched_entities())


def open_segments(kb: Any, folder: Path, manifest: Any) -> Any:
    """The index's segments, and after them the corrections' when a ledger changed anything."""
    from pktui.archive.segments import Segments

    extra, entities = corrections_segment(kb, folder, manifest)
    if not extra:
        return Segments(folder).open(kb, manifest)
    from pktui.search import segment
    from pktui.search.index import SearchIndex

    data = [*(segment.read(folder / "search" / s) for s in manifest.segments), *extra]
    part = kept_entity_part(entities)
    index = SearchIndex(kb, data, deleted_articles=frozenset(manifest.deleted), entities=part)
    if part is None:
        keep_entity_part(index, data, entities)
    return index
