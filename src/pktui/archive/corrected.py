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
import shutil
from pathlib import Path
from typing import Any

from pktui.knowledge.ledger import LedgerError, read_ledger
from pktui.knowledge.store.corrected import CorrectedKnowledgeBase
from pktui.knowledge.store.overlay import OverlayUnsafe
from pktui.knowledge.store.overlay_cache import cached_correct
from pktui.model import LoadProblem
from pktui.text import fold

CORRECTIONS = "corrections"
#: the overlay kept beside the corrections' search segment
OVERLAY = "overlay.json"


def with_ledger(kb: Any, ledger: Path, open_plain_index: Any, folder: Path | None = None) -> Any:
    """``kb`` (a stored knowledge base) with the ledger at ``ledger`` applied: corrected, or
    ``kb`` itself with a problem when the ledger cannot be read (the corpus loads without it).
    ``open_plain_index()`` gives the index's search without corrections, or None. Under the
    index ``folder`` the overlay is kept (:mod:`pktui.knowledge.store.overlay_cache`)."""
    try:
        raw = Path(ledger).read_bytes() if Path(ledger).is_file() else b""
        entries = read_ledger(Path(ledger)).entries
    except LedgerError as exc:
        kb.problems.append(
            LoadProblem(exc.where or str(ledger), f"corrections not applied: {exc.detail}", skipped=False)
        )
        return kb
    except OSError as exc:
        kb.problems.append(LoadProblem(str(ledger), f"corrections not applied: {exc.strerror or exc}", False))
        return kb
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
        overlay, warning, how = cached_correct(kb, entries, find_articles, cache)
    except OverlayUnsafe as exc:
        return _in_memory(kb, ledger, str(exc))
    corrected = CorrectedKnowledgeBase(kb, overlay)
    if warning:
        corrected.problems.append(LoadProblem(str(cache), warning, skipped=False))
    corrected.problems.extend(overlay.outcome.problems(str(ledger)))
    corrected.overlay_from = how  # type: ignore[attr-defined]
    corrected.ledger_digest = hashlib.sha256(raw).hexdigest()[:20]  # type: ignore[attr-defined]
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


def corrections_segment(kb: Any, folder: Path, manifest: Any) -> tuple[list[Path], list[Any]]:
    """The search segment of a corrected knowledge base: ``([folder], [])`` kept on disk, or
    ``([], [data])`` built in memory where it cannot be written; ``([], [])`` when the ledger
    changes nothing search shows."""
    if not isinstance(kb, CorrectedKnowledgeBase):
        return [], []
    articles, entity_ids = search_changes(kb)
    if not articles and not entity_ids:
        return [], []
    from pktui.search import segment
    from pktui.search.build import build_segment, write_segment

    key = hashlib.sha256(
        "\0".join([getattr(kb, "ledger_digest", ""), kb.meta("generation") or "", manifest.dump()]).encode()
    ).hexdigest()[:20]
    home = folder / CORRECTIONS
    target = home / key
    try:
        if target.is_dir():
            with contextlib.suppress(segment.SegmentError):
                segment.read(target)
                return [target], []
            shutil.rmtree(target, ignore_errors=True)
        home.mkdir(exist_ok=True)
        _remove_others(home, key)
        write_segment(kb, target, articles, entity_ids=entity_ids)
        return [target], []
    except OSError:
        return [], [build_segment(kb, articles, entity_ids=entity_ids)]


def _remove_others(home: Path, key: str) -> None:
    """Segments of other ledgers or generations go (a reader that has one open keeps its map);
    the overlay kept (and one being written) stays."""
    for p in home.iterdir():
        if p.name != key and not p.name.startswith((OVERLAY, f".{OVERLAY}")):
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
