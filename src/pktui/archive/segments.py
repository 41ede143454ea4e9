"""The corpus index's search side: segment folders written by the search engine, and which ones
are current (a manifest kept in the store, so it changes in the same transaction as the
knowledge base).

A first index writes one main segment; an update writes a small delta of the added and
changed articles (with a fresh entity part), searched beside the main one, the last copy of an
article winning; deleted articles are listed so that they vanish from results at once. When
the deltas grow, they are merged: a new main segment is written from the
knowledge base. Folders no manifest names any more are removed after the commit.

Where the search engine cannot write segments (an older one), the index is built in memory
from the knowledge base each time: :func:`open_index` is the one place that decides.
"""

from __future__ import annotations

import contextlib
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: merge the deltas into a new main segment past this many delta articles (and this share), or
#: this many deltas
MERGE_MIN_ARTICLES = 2000
MERGE_SHARE = 0.2
MERGE_MAX_DELTAS = 32


def _write(write_segment, kb, folder: Path, articles: list[str], progress, entity_ids) -> None:
    """A delta: the articles' documents, and the entities they touch or that changed."""
    import inspect

    if entity_ids is not None and "entity_ids" in inspect.signature(write_segment).parameters:
        write_segment(kb, folder, articles, progress, entity_ids=entity_ids)
    else:
        write_segment(kb, folder, articles, progress)


def segments_supported(writing: bool = True) -> bool:
    """The search engine reads (and, ``writing``, writes) segments. Without ``writing`` this
    only looks for its segment module, importing nothing (the commands that do not search
    do not load the engine)."""
    if not writing:
        import importlib.util

        return importlib.util.find_spec("pktui.search.segment") is not None
    try:
        from pktui.search import build
        from pktui.search.index import SearchIndex
    except ImportError:
        return False
    return hasattr(build, "write_segment") and hasattr(SearchIndex, "open")


@dataclass
class Manifest:
    segments: list[str] = field(default_factory=list)  # folder names, oldest (main) first
    sizes: list[int] = field(default_factory=list)  # articles written into each
    deleted: list[str] = field(default_factory=list)  # articles gone since the main segment
    next: int = 1

    @classmethod
    def load(cls, text: str | None) -> Manifest:
        if not text:
            return cls()
        try:
            doc = json.loads(text)
            return cls(list(doc["segments"]), list(doc["sizes"]), list(doc["deleted"]), int(doc["next"]))
        except (ValueError, KeyError, TypeError):
            return cls()

    def dump(self) -> str:
        return json.dumps(
            {"segments": self.segments, "sizes": self.sizes, "deleted": self.deleted, "next": self.next},
            ensure_ascii=False,
        )


class Segments:
    def __init__(self, folder: Path) -> None:
        self.folder = folder / "search"

    def update(
        self,
        kb: Any,
        manifest: Manifest,
        added: list[str],
        removed: list[str],
        n_articles: int,
        *,
        merge: bool = False,
        progress=None,
        entity_ids: list[str] | None = None,
    ) -> Manifest:
        """Write what the change needs (nothing, a delta, or a new main segment) and return
        the manifest to publish."""
        from pktui.search.build import write_segment

        missing = [s for s in manifest.segments if not (self.folder / s).is_dir()]
        if (self.folder / "REBUILD").exists():  # a reader found them unreadable
            missing.append("REBUILD")
        if not added and not removed and not merge and not missing and manifest.segments:
            return manifest
        delta_articles = sum(manifest.sizes[1:]) + len(added)
        full = (
            not manifest.segments
            or missing
            or (merge and (len(manifest.segments) > 1 or bool(manifest.deleted) or bool(removed)))
            or len(manifest.segments) >= MERGE_MAX_DELTAS
            or (delta_articles > MERGE_MIN_ARTICLES and delta_articles > MERGE_SHARE * n_articles)
        )
        name = f"seg-{manifest.next:06d}"
        new = Manifest(next=manifest.next + 1)
        if full:
            write_segment(kb, self.folder / name, None, progress)
            new.segments, new.sizes = [name], [n_articles]
            return new
        if not added and not removed:
            return manifest
        _write(write_segment, kb, self.folder / name, added, progress, entity_ids)
        gone = set(removed) - set(added)
        new.segments = [*manifest.segments, name]
        new.sizes = [*manifest.sizes, len(added)]
        new.deleted = sorted((set(manifest.deleted) - set(added)) | gone)
        return new

    def open(self, kb: Any, manifest: Manifest) -> Any:
        from pktui.search.index import SearchIndex

        folders = [self.folder / s for s in manifest.segments]
        return SearchIndex.open(folders, kb, deleted_articles=frozenset(manifest.deleted))

    def remove_unlisted(self, manifest: Manifest) -> None:
        """Folders of older manifests (and half-written ones of a killed run) go."""
        if not self.folder.is_dir():
            return
        keep = set(manifest.segments)
        for p in self.folder.iterdir():
            if p.name not in keep:
                with contextlib.suppress(OSError):
                    if p.is_dir():
                        shutil.rmtree(p)
                    else:
                        p.unlink()
