"""The directory scan: which corpus files are new, changed or gone since the last index.

A file whose size and modification time are what the index recorded is unchanged without
being opened. Otherwise its content hash decides (a file touched but not changed is not read
again). Only new and changed files are read into articles.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field

from pktui.corpus import SourceFile, iter_source_files, read_article
from pktui.knowledge.store import FileState
from pktui.model import Article, LoadProblem

_HASH_BLOCK = 1 << 20


def file_key(source: SourceFile) -> str:
    """The index's name for a file: its absolute path, as text even when it is not UTF-8."""
    return os.fsencode(os.path.abspath(source.path)).decode("utf-8", "backslashreplace")


@dataclass
class Scan:
    #: every corpus file now, by key
    sources: dict[str, SourceFile] = field(default_factory=dict)
    stats: dict[str, tuple[int, int]] = field(default_factory=dict)
    #: files to look into: new, or size or time changed
    suspect: list[str] = field(default_factory=list)
    #: files the index knows that are no longer there
    gone: list[str] = field(default_factory=list)
    problems: list[LoadProblem] = field(default_factory=list)


def scan(paths: Iterable[str | os.PathLike[str]] | None, known: dict[str, FileState]) -> Scan:
    out = Scan()
    for item in iter_source_files(paths):
        if isinstance(item, LoadProblem):
            out.problems.append(item)
            continue
        key = file_key(item)
        if key in out.sources:
            continue
        try:
            st = os.stat(item.path)
        except OSError as exc:
            out.problems.append(LoadProblem(item.shown, f"cannot read: {exc.strerror or exc}"))
            continue
        out.sources[key] = item
        out.stats[key] = (st.st_size, st.st_mtime_ns)
        have = known.get(key)
        if have is None or (have.size, have.mtime_ns) != out.stats[key]:
            out.suspect.append(key)
    out.gone = sorted(set(known) - set(out.sources))
    return out


def content_hash(source: SourceFile, limit: int) -> str | None:
    """sha256 of the file's bytes (at most ``limit`` + 1 of them), or None when unreadable."""
    h = hashlib.sha256()
    read = 0
    try:
        with open(source.path, "rb") as fh:
            while read <= limit:
                block = fh.read(min(_HASH_BLOCK, limit + 1 - read))
                if not block:
                    break
                read += len(block)
                h.update(block)
    except OSError:
        return None
    return h.hexdigest()


def read_source(source: SourceFile, taken_ids: set[str]) -> tuple[list[Article], list[LoadProblem]]:
    """The articles of one corpus file and the problems met reading it (the corpus layer's
    reader; one place to follow it when a file may hold many articles)."""
    article, problems = read_article(source, taken_ids=taken_ids)
    return ([article] if article is not None else []), problems
