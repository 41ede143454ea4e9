"""The directory scan: which corpus files are new, changed or gone since the last index.

The files are the corpus layer's (:func:`pktui.corpus.iter_source_files`: its rules on forms,
hidden files, links and long paths). A file whose size and modification time are what the
index recorded is unchanged without being opened; otherwise its content hash decides (a file
touched but not changed is not read again).

**Walking less**: adding, removing or renaming an entry changes its folder's modification
time. So a full walk also records every folder under the corpus with its time and the names in
it (a *memo*, kept in the index); next time, when no folder's time moved, the files are those
of the memo and only they are looked at (one ``stat`` each); a folder whose time moved is
listed alone and compared name by name, as long as only regular files came or went (anything
else: a new folder, a link, and the whole corpus is walked again). A time within two seconds
of the scan may move again within the same tick of its clock: such a folder is listed again
next time, such a file looked into again ("racy" times, as git calls them).
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pktui.knowledge.store import FileState, as_text
from pktui.model import LoadProblem, LoadSummary

_HASH_BLOCK = 1 << 20
RACY_S = 2.0
_COUNTS = ("hidden", "other_files", "outside_links")


def file_key(source: Any) -> str:
    """The index's name for a file: its absolute path, as text even when it is not UTF-8."""
    path = os.fspath(source.path)
    if isinstance(path, str) and os.path.isabs(path):
        return as_text(path)
    return os.fsencode(os.path.abspath(path)).decode("utf-8", "backslashreplace")


class Sources(dict):
    """Corpus files by key, in reading order; those from a memo become
    :class:`~pktui.corpus.SourceFile` objects only when looked at (most never are)."""

    def __getitem__(self, key: str) -> Any:
        value = super().__getitem__(key)
        if isinstance(value, tuple):
            from pktui.corpus import SourceFile

            value = SourceFile(*value)
            super().__setitem__(key, value)
        return value

    def get(self, key: str, default: Any = None) -> Any:
        try:
            return self[key]
        except KeyError:
            return default

    def items(self):
        return ((k, self[k]) for k in self)


@dataclass
class Scan:
    #: every corpus file now, by key, in reading order (see :attr:`sources`)
    _sources: Sources = field(default_factory=Sources)
    _stats: dict[str, tuple[int, int]] = field(default_factory=dict)
    #: makes ``_sources`` and ``_stats`` when first asked for (a quiet scan from the memo)
    _fill: Any = None
    #: files to look into: new, or size or time changed
    suspect: list[str] = field(default_factory=list)
    #: files the index knows that are no longer there
    gone: list[str] = field(default_factory=list)
    problems: list[LoadProblem] = field(default_factory=list)
    #: hidden files, other files, links not followed (the corpus layer counts them)
    summary: LoadSummary = field(default_factory=LoadSummary)
    #: what the next scan may reuse (meta key -> JSON; None: nothing to reuse)
    memo: dict[str, str] | None = None
    walked: bool = True
    #: from the memo, every file as it was, named by the same paths: nothing to look into
    quiet: bool = False
    #: from the memo, named by the same paths as then: every file shown as it was
    same_names: bool = False
    load_known: Any = None
    _known: dict[str, FileState] | None = None

    @property
    def sources(self) -> Sources:
        self._filled()
        return self._sources

    @property
    def stats(self) -> dict[str, tuple[int, int]]:
        self._filled()
        return self._stats

    def _filled(self) -> None:
        if self._fill is not None:
            fill, self._fill = self._fill, None
            fill(self)

    @property
    def known(self) -> dict[str, FileState]:
        """The files as the index knew them (read when needed)."""
        if self._known is None:
            self._known = self.load_known() if self.load_known is not None else {}
        return self._known


MEMO_KEYS = ("walk", "walk.names", "walk.notes")


def scan(
    paths: Iterable[str | os.PathLike[str]] | None,
    load_known: Any,
    options: Any = None,
    memo: Any = None,
) -> Scan:
    """The corpus files now; ``load_known()`` gives the files the index knows; ``memo(key)``
    what the last scan left (:data:`MEMO_KEYS`)."""
    paths = list(paths) if paths else None
    light = memo("walk") if memo is not None else None
    if light and paths:
        try:
            fast = _from_memo(light, lambda: memo("walk.names"), paths, load_known)
        except (TypeError, ValueError, KeyError, IndexError, AttributeError):
            fast = None  # a memo not as this pktui writes it: walk
        if fast is not None:
            return fast
    return _walk(paths, load_known, options)


def _walk(paths, load_known: Any, options: Any) -> Scan:
    from pktui.corpus import iter_source_files

    out = Scan(load_known=load_known)
    folders = _folder_times(paths, options)
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
        out._sources[key] = item
        out._stats[key] = (st.st_size, st.st_mtime_ns)
    _compare(out, out.known)
    if folders is not None:
        out.memo = _memo(out, folders, paths)
    return out


def _compare(out: Scan, known: dict[str, FileState]) -> None:
    for key, stat_pair in out.stats.items():
        have = known.get(key)
        if have is None or (have.size, have.mtime_ns) != stat_pair:
            out.suspect.append(key)
    out.gone = sorted(set(known) - set(out.sources))


def settled(mtime_ns: int, now: float | None = None) -> int:
    """A time to remember: -1 when it is so recent that the same tick may still change the
    file or folder unseen (then it is looked at again next time)."""
    now = time.time() if now is None else now
    return -1 if mtime_ns >= (now - RACY_S) * 1e9 else mtime_ns


def _folder_times(paths, options: Any) -> dict[str, list] | None:
    """Every folder under the corpus paths (as the walk enters them): its time and the names
    in it; None when the corpus is not only plain folders (a symbolic link to a folder, a
    name that is not text: the walk decides those each time)."""
    if not paths or getattr(options, "follow_links", False):
        return None
    out: dict[str, list] = {}
    for raw in paths:
        path = os.fspath(raw)
        if not isinstance(path, str) or as_text(path) != path:
            return None
        if not os.path.isdir(path):
            continue
        stack = [os.path.abspath(path)]
        while stack:
            folder = stack.pop()
            if folder in out:
                continue
            try:
                mtime = os.stat(folder).st_mtime_ns
                entries = list(os.scandir(folder))
            except OSError:
                return None
            names = []
            for e in entries:
                if as_text(e.name) != e.name:
                    return None
                names.append(e.name)
                if e.name.startswith("."):
                    continue
                try:
                    if e.is_symlink() and e.is_dir():
                        return None
                    if e.is_dir(follow_symlinks=False):
                        stack.append(e.path)
                except OSError:
                    return None
            out[folder] = [mtime, sorted(names)]
    return out


def _memo(out: Scan, folders: dict[str, list], paths: list) -> dict[str, str] | None:
    roots = [os.fspath(p) for p in paths]
    files = []
    for key, src in out.sources.items():
        path = os.fspath(src.path)
        if not isinstance(path, str) or as_text(path) != path or src.shown != path:
            return None  # names that are not text, or shown otherwise: walk each time
        place = _place(path, roots)
        if place is None:
            return None
        size, mtime = out.stats[key]
        files.append([*place, src.form, bool(getattr(src, "named", False)), size, settled(mtime)])
    return _memo_text(out, roots, folders, files)


def _memo_text(out: Scan, roots: list[str], folders: dict[str, list], files: list) -> dict[str, str] | None:
    now = time.time()
    if any(as_text(p.path) != p.path for p in out.problems):
        return None
    problems = [[p.path, p.reason, p.skipped] for p in out.problems]
    counts = {name: getattr(out.summary, name) for name in _COUNTS}
    resolved = [os.path.realpath(r) for r in roots]
    # a folder changed just now may change again unseen within its clock's tick: listed again
    times = {f: settled(t, now) for f, (t, _names) in folders.items()}
    doc = {"roots": roots, "resolved": resolved, "folders": times, "files": files, "problems": problems}
    names = {f: n for f, (_t, n) in folders.items()}
    notes = {"roots": roots, "counts": counts, "problems": problems}  # memo_notes reads only these
    return {
        "walk": json.dumps({**doc, "counts": counts}),
        "walk.names": json.dumps(names),
        "walk.notes": json.dumps(notes),
    }


def _place(path: str, roots: list[str]) -> list | None:
    """(root number, path below it) of a file the walk found under one of the roots."""
    for i, root in enumerate(roots):
        if path == root:
            return [i, ""]
        prefix = os.path.join(root, "")
        if path.startswith(prefix):
            return [i, path[len(prefix) :]]
    return None


def _order(root: int, rel: str) -> tuple:
    """The walk's order: roots as named; in a folder its files by name, then its sub-folders."""
    parts = rel.split(os.sep) if rel else []
    return (root, *((1, p) for p in parts[:-1]), (0, parts[-1] if parts else ""))


def memo_notes(memo: str | None, paths: list) -> tuple[LoadSummary, list[LoadProblem]] | None:
    """What the last walk of ``paths`` counted and met (hidden files, files it could not read),
    as its memo (``walk.notes``, or the whole ``walk``) keeps them, without looking at the
    folder (None: no memo of these paths)."""
    try:
        doc = json.loads(memo or "")
        if [os.fspath(p) for p in paths] != doc["roots"]:
            return None
        summary = LoadSummary()
        for name, n in doc.get("counts", {}).items():
            if name in _COUNTS:
                setattr(summary, name, int(n))
        return summary, [LoadProblem(p, r, s) for p, r, s in doc.get("problems", [])]
    except (ValueError, KeyError, TypeError):
        return None


def _from_memo(memo: str, load_names: Any, paths: list, load_known: Any) -> Scan | None:
    """The last walk's files, when no folder's entries changed since, or only by regular
    files added or removed (None: walk again)."""
    try:
        doc = json.loads(memo)
        times, files, roots = doc["folders"], doc["files"], doc["roots"]
        now = [os.fspath(p) for p in paths]
        if [os.path.realpath(r) for r in now] != doc["resolved"]:
            return None
    except (ValueError, KeyError, TypeError, OSError):
        return None
    out = Scan(load_known=load_known, walked=False)
    for name, n in doc.get("counts", {}).items():
        if name in _COUNTS:
            setattr(out.summary, name, int(n))
    out.problems = [LoadProblem(p, r, s) for p, r, s in doc.get("problems", [])]
    out.same_names = now == roots
    changed = []
    for folder, mtime in times.items():
        try:
            if mtime < 0 or os.stat(folder).st_mtime_ns != mtime:
                changed.append(folder)
        except OSError:
            return None
    if not changed and out.same_names and _all_as_they_were(files, now):
        out.quiet = True  # the files themselves are listed only if someone asks
        out.memo = None
        out._fill = lambda scan: _fill_from(scan, files, now)
        return out
    try:
        names = json.loads(load_names() or "{}")
        folders = {f: [t, names[f]] for f, t in times.items()}
    except (ValueError, KeyError, TypeError):
        return None
    if changed:
        files = _follow_folders(changed, folders, files, roots, out)
        if not files or {f[0] for f in files} != set(range(len(roots))):
            return None  # (a root left without files: the walk says so)
    kept = _fill_from(out, files, now)
    if kept is None:
        return None
    out.quiet = not out.suspect and not out.gone and out.same_names
    out.memo = _memo_text(out, now, folders, kept) if out.same_names else None
    return out


def _all_as_they_were(files: list, now: list[str]) -> bool:
    """Every file of the memo still of its size and time (one stat each)."""
    prefixes = [os.path.join(r, "") for r in now]
    stat = os.stat
    try:
        for root, rel, _form, _named, size, mtime in files:
            st = stat(prefixes[root] + rel if rel else now[root])
            if st.st_size != size or st.st_mtime_ns != mtime:
                return False
    except OSError:
        return False
    return True


def _fill_from(out: Scan, files: list, now: list[str]) -> list | None:
    """The scan's files from the memo's (with their sizes and times now); the memo's entries
    brought up to date, or None when a file is gone."""
    sources, stats, suspect = out._sources, out._stats, out.suspect
    stat = os.stat
    kept = []
    for root, rel, form, named, size, mtime in files:
        path = os.path.join(now[root], rel) if rel else now[root]
        try:
            st = stat(path)
        except OSError:
            return None
        key = as_text(path) if os.path.isabs(path) else file_key_of(path)
        dict.__setitem__(sources, key, (path, path, form, named))
        stats[key] = pair = (st.st_size, st.st_mtime_ns)
        if pair != (size, mtime):
            suspect.append(key)
        kept.append([root, rel, form, named, st.st_size, settled(st.st_mtime_ns)])
    return kept


def _follow_folders(changed: list[str], folders: dict, files: list, roots: list[str], out: Scan) -> list | None:
    """The files after regular files were added to or removed from the ``changed`` folders
    (None when anything else changed there: a folder, a link, a special file)."""
    from pktui.corpus.forms import form_of_name
    from pktui.corpus.walk import OWN_FILES

    root_dirs = [os.path.abspath(r) for r in roots]
    by_path = {}
    for entry in files:
        root, rel = entry[0], entry[1]
        by_path[os.path.join(root_dirs[root], rel) if rel else root_dirs[root]] = entry
    for folder in changed:
        try:
            mtime = os.stat(folder).st_mtime_ns
            entries = {e.name: e for e in os.scandir(folder)}
        except OSError:
            return None
        before = set(folders[folder][1])
        for name in sorted(set(entries) - before):
            e = entries[name]
            if name in OWN_FILES:  # the corrections ledger and its lock: pktui's own, as in the walk
                continue
            if name.startswith("."):
                out.summary.hidden += 1
                continue
            try:
                if e.is_symlink() or not e.is_file(follow_symlinks=False) or as_text(name) != name:
                    return None
            except OSError:
                return None
            form = form_of_name(name)
            if form is None:
                out.summary.other_files += 1
                continue
            root = next(
                (i for i, d in enumerate(root_dirs) if folder == d or folder.startswith(os.path.join(d, ""))), None
            )
            if root is None:
                return None
            rel = os.path.relpath(e.path, root_dirs[root])
            by_path[e.path] = [root, rel, form, False, -1, -1]
        for name in before - set(entries):
            path = os.path.join(folder, name)
            if path in by_path:
                key = file_key_of(path)
                del by_path[path]
                out.gone.append(key)
            elif path in folders:
                return None  # a folder went: walk
            elif name.startswith("."):
                out.summary.hidden -= 1
            else:
                out.summary.other_files -= 1
        folders[folder] = [mtime, sorted(entries)]
    return sorted(by_path.values(), key=lambda f: _order(f[0], f[1]))


def file_key_of(path: str) -> str:
    return as_text(os.path.abspath(path))


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


def content_hash(source: Any, limit: int) -> str | None:
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


def read_drafts(source: Any, options: Any = None) -> tuple[list[Any], list[LoadProblem]]:
    """The article drafts of one corpus file (:func:`pktui.corpus.read_source`) and the
    problems met reading it."""
    from pktui.corpus import read_source
    from pktui.corpus.base import Draft

    drafts, problems = [], []
    for got in read_source(source, getattr(options, "fields", None)):
        if isinstance(got, Draft):
            drafts.append(got)
        else:
            problems.append(got)
    return drafts, problems
