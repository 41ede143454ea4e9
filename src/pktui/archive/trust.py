"""Opening a corpus from its index before its folder is scanned, and the scan after.

The browser shows what the index holds at once and looks at the folder afterwards: at
100,000 articles the scan (a stat of every file) costs half a second, the list on screen a
tenth of that. :func:`ready_as_it_stands` says whether the index may be shown unscanned (it
holds articles of this extractor, with their search segments and nothing suspect, and a walk
of the same paths); :func:`folder_changed` is the scan, afterwards.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from pktui.archive.plan import plan_update
from pktui.archive.scan import memo_notes, scan
from pktui.knowledge.store import KnowledgeStore, StoreUnavailable
from pktui.knowledge.version import current_version
from pktui.model import LoadProblem, LoadSummary


def ready_as_it_stands(store: KnowledgeStore, paths: list[Any] | None) -> tuple[LoadSummary, list[LoadProblem]] | None:
    """The last walk's notes when ``store`` can be shown before the folder is scanned (None: scan first)."""
    if not paths or not int(store.meta("count.articles") or 0) or store.suspects():
        return None
    version, signature = current_version(store.meta("extractor"), store.meta("extractor.inputs"))
    if store.meta("extractor") != version or store.meta("extractor.inputs") != signature:
        return None
    return _last_walk_notes(store, paths)


def folder_changed(folder: Path, paths: list[Any] | None, options: Any = None) -> bool:
    """Whether the corpus folder holds anything its index does not show (a file added, changed
    or removed; a file it cannot read, a hidden one): then it is to be opened again, which
    updates the index. When it holds nothing new, what the scan learnt is remembered (the
    next open walks no more than it must)."""
    try:
        store = KnowledgeStore(folder)
    except (OSError, StoreUnavailable, sqlite3.Error):
        return True
    try:
        shown = _last_walk_notes(store, paths or [])
        found = scan(paths, store.files, options, memo=store.meta)
        if store.suspects() or shown is None or _notes(found.summary, found.problems) != _notes(*shown):
            return True
        if found.quiet:
            return False
        plan = plan_update(store, found, options)
        if not plan.empty or not plan.remembers(store):
            return True
        if found.walked or found.memo is not None:
            store.remember_walk(found.memo)
        return False
    finally:
        store.close()


def _last_walk_notes(store: KnowledgeStore, paths: list[Any]) -> tuple[LoadSummary, list[LoadProblem]] | None:
    """What the last walk counted and met (the small ``walk.notes`` memo, else the whole walk's)."""
    return memo_notes(store.meta("walk.notes") or store.meta("walk"), paths)


def _notes(summary: LoadSummary, problems: list[LoadProblem]) -> tuple[Any, ...]:
    counts = (summary.hidden, summary.other_files, summary.outside_links)
    return counts, sorted((str(p.path), p.reason, p.skipped) for p in problems)
