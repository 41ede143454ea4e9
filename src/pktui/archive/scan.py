"""The directory scan: which corpus files are new, changed or gone since the last index.

The files are the corpus layer's (:func:`pktui.corpus.iter_source_files`: its rules on forms,
hidden files, links and long paths). A file whose size and modification time are what the
index recorded is unchanged without being opened; otherwise its content hash decides (a file
touched but not changed is not read again).
"""

from __future__ import annotations

import errno
import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pktui.corpus import SourceFile, iter_source_files
from pktui.knowledge.store import FileState
from pktui.model import LoadProblem, LoadSummary

_HASH_BLOCK = 1 << 20


def file_key(source: SourceFile) -> str:
    """The index's name for a file: its absolute path, as text even when it is not UTF-8."""
    return os.fsencode(os.path.abspath(source.path)).decode("utf-8", "backslashreplace")


@dataclass
class Scan:
    #: every corpus file now, by key, in reading order
    sources: dict[str, SourceFile] = field(default_factory=dict)
    stats: dict[str, tuple[int, int]] = field(default_factory=dict)
    #: files to look into: new, or size or time changed
    suspect: list[str] = field(default_factory=list)
    #: files the index knows that are no longer there
    gone: list[str] = field(default_factory=list)
    problems: list[LoadProblem] = field(default_factory=list)
    #: hidden files, other files, links not followed (the corpus layer counts them)
    summary: LoadSummary = field(default_factory=LoadSummary)


def scan(paths: Iterable[str | os.PathLike[str]] | None, known: dict[str, FileState], options: Any = None) -> Scan:
    out = Scan()
    follow = bool(getattr(options, "follow_links", False))
    for item in iter_source_files(paths, follow_links=follow, summary=out.summary):
        if isinstance(item, LoadProblem):
            out.problems.append(item)
            continue
        key = file_key(item)
        if key in out.sources:
            continue
        try:
            st = _stat(item.path)
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


def _stat(path: Any) -> os.stat_result:
    try:
        return os.stat(path)
    except OSError as exc:
        if exc.errno != errno.ENAMETOOLONG:
            raise
    from pktui.fileio import open_fd  # a path longer than the system takes: folder by folder

    fd = open_fd(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        return os.fstat(fd)
    finally:
        os.close(fd)


def content_hash(source: SourceFile, limit: int) -> str | None:
    """sha256 of the file's bytes (at most ``limit`` + 1 of them), or None when unreadable."""
    from pktui.fileio import UserFileError, open_regular

    h = hashlib.sha256()
    read = 0
    try:
        fh, _st = open_regular(source.path)
        with fh:
            while read <= limit:
                block = fh.read(min(_HASH_BLOCK, limit + 1 - read))
                if not block:
                    break
                read += len(block)
                h.update(block)
    except (OSError, UserFileError):
        return None
    return h.hexdigest()


def read_drafts(source: SourceFile, options: Any = None) -> tuple[list[Any], list[LoadProblem]]:
    """The article drafts of one corpus file (:func:`pktui.corpus.read_source`) and the
    problems met reading it."""
    from pktui.corpus import Draft, read_source

    drafts, problems = [], []
    for got in read_source(source, getattr(options, "fields", None)):
        if isinstance(got, Draft):
            drafts.append(got)
        else:
            problems.append(got)
    return drafts, problems
