"""The corpus index: open a corpus by its persistent index, bringing it up to date first.

:func:`open_archive` is what every command and the browser call: it finds the corpus's index
under ``$XDG_CACHE_HOME/pktui/corpora/`` (one per set of resolved paths and reading options),
scans the folder (size and time of each file; a hash when those changed), extracts only the
new and changed articles, publishes them in one transaction with their search segments, and
hands back ``Archive(kb, index, summary)``: a knowledge base read lazily from disk
(:class:`~pktui.knowledge.store.StoredKnowledgeBase`) and the search index mapped from its
segments. Opening an unchanged corpus costs the scan.

Safe on disk: writers take a lock (a second one waits, and says so); nothing replaces the
published index until an update is complete; extraction results are committed in batches; a
damaged or old-version index is set aside and rebuilt with a warning; where the cache cannot
be written (read-only, full) the corpus is loaded in memory, with a warning, as before.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pktui.archive.corrected import open_segments
from pktui.archive.lock import write_lock
from pktui.archive.plan import plan_update, quiet_plan
from pktui.archive.scan import scan
from pktui.archive.segments import Manifest, Segments, segments_supported
from pktui.archive.trust import folder_changed, ready_as_it_stands
from pktui.archive.update import run_update
from pktui.knowledge.cache import cache_dir
from pktui.knowledge.cancel import Cancel, Cancelled
from pktui.knowledge.store import KnowledgeStore, StoreUnavailable, is_full
from pktui.model import LoadProblem, LoadSummary

__all__ = ["Archive", "Cancelled", "Report", "corpus_folder", "open_archive", "open_search"]

Progress = Callable[[int, int], None]


@dataclass
class Report:
    """What opening the corpus found and did (for ``pktui index`` and the load line); what
    reading left out on purpose (duplicates, hidden files) is ``kb.summary``."""

    articles: int = 0
    facts: int = 0
    entities: int = 0
    extracted: int = 0  # articles extracted by this run
    unchanged: int = 0  # articles found in the index as they were
    removed: int = 0  # articles gone from the folder since the last index
    problems: int = 0
    seconds: float = 0.0
    #: the corpus index folder; None when the corpus was read in memory
    index: str | None = None
    #: how search was opened: "segments", "built in memory", or why it is not there
    search: str = ""
    warnings: list[str] = field(default_factory=list)


@dataclass
class Archive:
    kb: Any
    index: Any
    summary: Report
    search_error: str | None = None
    folder: Path | None = None  # the corpus index folder (None: in memory)
    #: how it was opened (the arguments of :func:`open_archive`), to open it again
    opened_with: dict[str, Any] = field(default_factory=dict)
    #: False when opened from the index before the folder was scanned (``trust_index``)
    checked: bool = True

    @property
    def ledger(self) -> Path | None:
        """The corrections ledger this corpus is read with (it may not exist yet)."""
        return self.opened_with.get("corrections")

    def reopen(self, **changes: Any) -> None:
        """Open the corpus again as before (after a correction, say), in place."""
        fresh = open_archive(**{**self.opened_with, **changes})
        self.close()
        self.kb, self.index, self.summary = fresh.kb, fresh.index, fresh.summary
        self.search_error, self.folder = fresh.search_error, fresh.folder
        self.kb.archive = self

    def check(self) -> bool:
        """Scan the folder of an archive opened with ``trust_index``: True when it changed
        since the index was written (open it again to see it, :meth:`reopen` or
        :func:`open_archive`); False when the index shows it as it is."""
        if self.checked or self.folder is None:
            return False
        self.checked = True
        return folder_changed(self.folder, self.opened_with.get("paths"), self.opened_with.get("options"))

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.kb.close()


def corpus_spec(paths: Iterable[str | os.PathLike[str]] | None, options: Any = None) -> dict:
    """What makes a corpus: the set of its resolved paths and how its files are read
    (:class:`pktui.corpus.ReadOptions`: record field names, following links)."""
    from pktui.corpus import ReadOptions

    resolved = sorted({os.fsencode(os.path.realpath(p)).decode("utf-8", "backslashreplace") for p in paths or ()})
    return {"paths": resolved or ["(bundled sample)"], "options": (options or ReadOptions()).key()}


def corpus_folder(paths: Iterable[str | os.PathLike[str]] | None, options: Any = None) -> Path:
    spec = json.dumps(corpus_spec(paths, options), sort_keys=True, ensure_ascii=False)
    digest = hashlib.sha256(spec.encode("utf-8", "surrogatepass")).hexdigest()[:20]
    return cache_dir() / "corpora" / digest


def open_archive(
    paths: Iterable[str | os.PathLike[str]] | None = None,
    *,
    options: Any = None,
    corrections: Path | None = None,
    use_store: bool = True,
    rebuild: bool = False,
    merge: bool = False,
    workers: int | None = None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    on_wait: Callable[[str], None] | None = None,
    with_search: bool = True,
    trust_index: bool = False,
) -> Archive:
    """The corpus under ``paths`` (the bundled sample when none), up to date: see
    :func:`_open_archive`; with ``trust_index``, as its index holds it when it may be shown
    before the folder is scanned (then ``archive.checked`` is False: see :meth:`Archive.check`)."""
    paths = list(paths) if paths else None
    archive = _open_archive(
        paths,
        options=options,
        corrections=corrections,
        use_store=use_store,
        rebuild=rebuild,
        merge=merge,
        workers=workers,
        progress=progress,
        cancel=cancel,
        on_wait=on_wait,
        with_search=with_search,
        trust_index=trust_index,
    )
    archive.opened_with = dict(
        paths=paths,
        options=options,
        corrections=corrections,
        use_store=use_store,
        workers=workers,
        progress=progress,
        cancel=cancel,
        on_wait=on_wait,
        with_search=with_search,
    )
    return archive


def _open_archive(
    paths: list[str | os.PathLike[str]] | None,
    *,
    options: Any,
    corrections: Path | None,
    use_store: bool,
    rebuild: bool,
    merge: bool,
    workers: int | None,
    progress: Progress | None,
    cancel: Cancel | None,
    on_wait: Callable[[str], None] | None,
    with_search: bool,
    trust_index: bool = False,
) -> Archive:
    """The corpus under ``paths`` (the bundled sample when none), up to date (module doc).

    ``options``: how its files are read (:class:`pktui.corpus.ReadOptions`); ``corrections``:
    the ledger to apply (when the file exists: as an overlay on the stored knowledge base, and
    a search segment of what it changed, :mod:`pktui.archive.corrected`); ``rebuild``: extract and index
    everything again; ``merge``: fold the search deltas into one segment; ``cancel``: a
    ``threading.Event`` (raises :class:`Cancelled`); ``on_wait``: told once when another
    process holds the index; ``with_search``: open the search index.
    """
    t0 = time.perf_counter()
    memory = dict(
        options=options,
        corrections=corrections,
        progress=progress,
        cancel=cancel,
        workers=workers,
        with_search=with_search,
    )
    if not use_store:
        return _in_memory(paths, [], t0, **memory)
    folder = corpus_folder(paths, options)
    warnings: list[str] = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _write_spec(folder, paths, options)
        if rebuild:
            _discard(folder)
        store = KnowledgeStore(folder)
    except OSError as exc:
        why = f"cannot write the index folder {folder}: {exc.strerror or exc}"
        return _in_memory(paths, [why], t0, **memory)
    except (StoreUnavailable, sqlite3.Error) as exc:
        return _in_memory(paths, [str(exc)], t0, **memory)
    warnings.extend(store.warnings)
    summary = Report(index=str(folder))
    trusted = None
    if trust_index and not (rebuild or merge or _search_needs_writing(store)):
        trusted = ready_as_it_stands(store, paths)
    try:
        if trusted is not None:
            outcome, read = list(trusted[1]), trusted[0]
            summary.unchanged = int(store.meta("count.articles") or 0)
        else:
            outcome, read = _bring_up_to_date(
                store, paths, options, summary, workers, progress, cancel, on_wait, merge, rebuild
            )
    except Cancelled:
        store.close()
        raise
    except (OSError, sqlite3.Error) as exc:
        store.close()
        why = f"the index {folder} could not be written ({_reason(exc)})"
        return _in_memory(paths, [*warnings, why], t0, **memory)
    problems = [*(LoadProblem("index", w, skipped=False) for w in warnings), *outcome]
    duplicates = store.duplicates()
    store.close()
    kb = KnowledgeStore.open_reader(folder, problems)
    kb.summary = _load_summary(read, duplicates)
    if corrections is not None and os.path.lexists(corrections):
        from pktui.knowledge.base import KnowledgeBase

        kb = _corrected(kb, corrections, folder)
        if isinstance(kb, KnowledgeBase):  # applied in memory (the overlay's safety net)
            return _memory_archive(kb, summary, t0, with_search)
    archive = Archive(kb, None, summary, folder=folder, checked=trusted is None)
    kb.archive = archive
    if with_search:
        _open_search(archive, folder)
    _finish(summary, kb, t0)
    return archive


def _load_summary(read: Any, duplicates: list[tuple[str, str]]) -> LoadSummary:
    """What reading left out on purpose: the walk's counts (``read``: the scan, or the last
    walk's summary) and the copies left out."""
    summary = read if isinstance(read, LoadSummary) else read.summary
    summary.duplicates = len(duplicates)
    summary.duplicate_paths = duplicates
    return summary


def _corrected(kb: Any, ledger: Path, folder: Path) -> Any:
    """With a corrections ledger: the ledger applied as an overlay on the stored knowledge
    base (:mod:`pktui.archive.corrected`); the index itself holds what extraction found."""
    from pktui.archive.corrected import with_ledger

    def plain_index() -> Any:
        manifest = Manifest.load(kb.meta("search"))
        if not manifest.segments or not segments_supported(writing=False):
            return None
        try:
            return Segments(folder).open(kb, manifest)
        except (OSError, ValueError, ImportError):
            return None

    return with_ledger(kb, ledger, plain_index, folder)


def _memory_archive(memory: Any, summary: Report, t0: float, with_search: bool) -> Archive:
    archive = Archive(memory, None, summary)
    memory.archive = archive
    if with_search:
        _build_in_memory(archive, "a corrections ledger applied in memory")
    _finish(summary, memory, t0)
    return archive


def open_search(archive: Archive) -> Any:
    """The search index of an archive opened without it (the browser opens it after showing
    the knowledge base)."""
    if archive.index is None and archive.search_error is None:
        if archive.folder is not None:
            _open_search(archive, archive.folder)
        else:
            _build_in_memory(archive, "no index")
    if archive.index is None and archive.search_error:
        raise ImportError(archive.search_error)
    return archive.index


def _bring_up_to_date(store, paths, options, summary, workers, progress, cancel, on_wait, merge, rebuild):
    """Scan; when anything changed (or the search side needs writing), update under the lock.
    Returns the problems met and the scan."""
    found = scan(paths, store.files, options, memo=store.meta)
    problems = list(found.problems)
    # rows found bad since the last update are extracted again even when no file moved
    plan = quiet_plan(store) if found.quiet and not store.suspects() else plan_update(store, found, options)
    needs_search = _search_needs_writing(store)
    if plan.empty and plan.remembers(store) and not needs_search and not merge and not store.suspects():
        summary.unchanged = int(store.meta("count.articles") or 0)
        if found.walked or found.memo is not None:  # a walk, or a memo brought up to date
            store.remember_walk(found.memo)
        return problems, found
    generation = store.meta("generation")
    with write_lock(store.folder / "lock", on_wait=on_wait, cancel=cancel):
        if store.meta("generation") != generation:  # another writer updated it meanwhile: look again
            found = scan(paths, store.files, options)
            problems = list(found.problems)
            plan = plan_update(store, found, options)
        outcome = run_update(
            store,
            found,
            plan,
            options=options,
            workers=workers,
            progress=progress,
            cancel=cancel,
            merge=merge or rebuild,
        )
    summary.extracted = outcome.extracted
    summary.removed = outcome.removed
    summary.unchanged = max(0, int(store.meta("count.articles") or 0) - outcome.added)
    return problems + outcome.problems, found


def _search_needs_writing(store: KnowledgeStore) -> bool:
    manifest = Manifest.load(store.meta("search"))
    if int(store.meta("count.articles") or 0) == 0 or not segments_supported(writing=False):
        return False
    if not manifest.segments or (store.folder / "search" / "REBUILD").exists():
        return True
    return any(not (store.folder / "search" / s).is_dir() for s in manifest.segments)


def _open_search(archive: Archive, folder: Path) -> None:
    kb = archive.kb
    from pktui.search.index import SearchIndex

    if not hasattr(SearchIndex, "open"):
        _build_in_memory(archive, "the search engine reads no segments")
        return
    rewritten = False
    for _attempt in range(3):
        manifest = Manifest.load(kb.meta("search"))
        if not manifest.segments:
            if kb.counts.get("articles", 0):
                _build_in_memory(archive, "no search segments")
            return
        try:
            archive.index = open_segments(kb, folder, manifest)
            archive.summary.search = "segments"
            return
        except FileNotFoundError:  # a writer replaced them meanwhile: read its manifest
            pass
        except (OSError, ValueError) as exc:
            # damaged, or written by another version of the engine: written again now
            if rewritten or not _rewrite_segments(folder, str(exc)):
                kb.problems.append(LoadProblem("index", f"search segments unreadable ({exc})", skipped=False))
                break
            kb.problems.append(
                LoadProblem("index", f"search segments unreadable ({exc}); written again", skipped=False)
            )
            rewritten = True
        problems, summary = kb.problems, kb.summary
        ledger = getattr(kb, "ledger_path", None)
        kb.close()
        kb = archive.kb = KnowledgeStore.open_reader(folder, problems)
        if ledger is not None:
            problems = list(problems)
            kb = archive.kb = _corrected(kb, ledger, folder)
            kb.problems[:] = problems
        kb.summary, kb.archive = summary, archive
    _build_in_memory(archive, "search segments unreadable")


def _rewrite_segments(folder: Path, why: str) -> bool:
    """Write the search segments again from the knowledge base (under the lock); False when
    the index cannot be written."""
    from pktui.knowledge.store import StoredKnowledgeBase

    try:
        store = KnowledgeStore(folder)
    except (OSError, StoreUnavailable, sqlite3.Error):
        return False
    try:
        segments = Segments(folder)
        (folder / "search").mkdir(exist_ok=True)
        (folder / "search" / "REBUILD").write_text(f"{why}\n", encoding="utf-8")
        with write_lock(folder / "lock"), store.writer().transaction():
            kb = StoredKnowledgeBase.over(store.conn, store.path)
            n = int(store.meta("count.articles") or 0)
            new = segments.update(kb, Manifest.load(store.meta("search")), [], [], n, merge=True)
            store.set_meta("search", new.dump())
        segments.remove_unlisted(new)
        return True
    except (OSError, ValueError, sqlite3.Error):
        store.release_failed_write()
        return False
    finally:
        store.close()


def _build_in_memory(archive: Archive, why: str) -> None:
    try:
        from pktui.search import SearchIndex

        archive.index = SearchIndex.build(archive.kb)
        archive.summary.search = f"built in memory ({why})"
    except ImportError as exc:
        archive.search_error = f"the search engine is not installed ({exc})"
        archive.summary.search = archive.search_error


def _in_memory(
    paths, warnings: list[str], t0: float, *, options, corrections, progress, cancel, workers, with_search
) -> Archive:
    """No index to write: read and extract the whole corpus in memory, as before the index."""
    from pktui.knowledge.loader import load_knowledge

    kb = load_knowledge(
        paths,
        use_cache=False,
        progress=progress,
        cancel=cancel,
        workers=workers,
        options=options,
        corrections=corrections,
    )
    kb.problems[:0] = [LoadProblem("index", f"{w}; working from memory", skipped=False) for w in warnings]
    summary = Report(extracted=len(kb.articles), warnings=list(warnings))
    archive = Archive(kb, None, summary)
    kb.archive = archive
    if with_search:
        _build_in_memory(archive, "no index")
        if archive.index is not None:
            summary.search = "built in memory"
    _finish(summary, kb, t0)
    return archive


def _finish(summary: Report, kb: Any, t0: float) -> None:
    counts = getattr(kb, "counts", None)
    if counts is not None:
        summary.articles, summary.facts = counts.get("articles", 0), counts.get("facts", 0)
        summary.entities = counts.get("entities", 0)
    else:
        summary.articles, summary.facts, summary.entities = len(kb.articles), len(kb.facts), len(kb.entities)
    summary.problems = len(kb.problems)
    summary.seconds = time.perf_counter() - t0


def _reason(exc: BaseException) -> str:
    if is_full(exc):
        return "the disk is full"
    return str(getattr(exc, "strerror", None) or exc)


def _write_spec(folder: Path, paths, options) -> None:
    spec = folder / "corpus.json"
    if not spec.exists():
        tmp = folder / f".corpus.json.{os.getpid()}"
        tmp.write_text(json.dumps(corpus_spec(paths, options), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        tmp.replace(spec)


def _discard(folder: Path) -> None:
    """``--no-cache`` / rebuild: the index is made again from nothing."""
    import shutil

    with write_lock(folder / "lock"):
        for name in ("knowledge.sqlite3", "knowledge.sqlite3-wal", "knowledge.sqlite3-shm"):
            with contextlib.suppress(FileNotFoundError):
                (folder / name).unlink()
        shutil.rmtree(folder / "search", ignore_errors=True)
