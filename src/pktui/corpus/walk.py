"""From the paths the user names to the files to read.

Every path is checked before anything is opened: an empty path, a missing one, a FIFO or a
device is named in one line and left out. Folders are read recursively, in name order,
never entering one twice (symlink loops); hidden files and folders are skipped and counted;
a symbolic link that leads out of the folders the user named is not followed (named in one
line) unless ``follow_links``. Folders too deep for the system's path limit are read relative
to their parent's descriptor.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Literal

from pktui.corpus.base import SourceFile
from pktui.corpus.forms import form_of_name
from pktui.fileio import describe_mode, open_fd
from pktui.model import LEDGER_NAME, LoadProblem, LoadSummary

#: paths at least this long cannot be resolved safely for the symlink check
#: The corrections ledger pktui keeps beside the articles, and its lock: pktui's own, never an
#: article nor a skipped file.
OWN_FILES = frozenset({LEDGER_NAME, f".{LEDGER_NAME}.lock"})

_LONG_PATH = 3800


def bundled_corpus_dir() -> Path:
    """The sample corpus shipped inside the package (``data/articles``)."""
    return Path(str(resources.files("pktui") / "data" / "articles"))


@dataclass(slots=True)
class _Entry:
    name: str
    kind: str  # "dir", "file", "special", "missing", "loop"
    mode: int
    key: tuple[int, int] | None
    is_link: bool


def check_named_path(raw: str | os.PathLike[str]) -> LoadProblem | None:
    """Why a path the user named cannot be read at all (None: it can be tried)."""
    text = os.fspath(raw)
    if text in ("", b""):
        return LoadProblem("''", "empty path (an unset variable?)")
    try:
        st = os.stat(text)
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:
            return None  # read folder by folder
        if os.path.lexists(text):
            if exc.errno == errno.ELOOP:
                return LoadProblem(str(text), "symlink loop")
            if exc.errno in (errno.ENOENT, errno.ENOTDIR):
                return LoadProblem(str(text), "broken symlink")
            return LoadProblem(str(text), f"cannot read: {exc.strerror or exc}")
        return LoadProblem(str(text), "no such file or folder")
    if stat.S_ISDIR(st.st_mode) or stat.S_ISREG(st.st_mode):
        return None
    return LoadProblem(str(text), f"not a regular file: {describe_mode(st.st_mode)}")


def iter_source_files(
    paths: Iterable[str | os.PathLike[str]] | None,
    *,
    follow_links: bool = False,
    summary: LoadSummary | None = None,
) -> Iterator[SourceFile | LoadProblem]:
    """Expand command-line paths into files to read, recursively, without symlink loops."""
    summary = summary if summary is not None else LoadSummary()
    if not paths:
        root = bundled_corpus_dir()
        for p in sorted(root.glob("*.txt")):
            yield SourceFile(p, f"data/articles/{p.name}", "text")
        return
    paths = list(paths)
    roots = []
    for raw in paths:
        text = os.fspath(raw)
        if text and len(os.fsencode(text)) < _LONG_PATH:
            roots.append(os.path.realpath(text))
    seen_files: set[tuple[int, int]] = set()
    seen_dirs: set[tuple[int, int]] = set()
    for raw in paths:
        problem = check_named_path(raw)
        if problem is not None:
            yield problem
            continue
        text = os.fspath(raw)
        if _is_dir(text):
            found = False
            walker = _Walker(roots, follow_links, summary, seen_files, seen_dirs)
            for item in walker.walk(text):
                found = found or isinstance(item, SourceFile)
                yield item
            if not found and not walker.named_problem:
                yield LoadProblem(str(text), "folder holds no article files")
            continue
        key = _key_of(text)
        if key is not None:
            if key in seen_files:
                continue
            seen_files.add(key)
        yield SourceFile(text, str(text), form_of_name(os.path.basename(text)), named=True)


def has_article_file(paths: Iterable[str | os.PathLike[str]], *, follow_links: bool = False) -> bool:
    """Whether :func:`iter_source_files` would yield an article file, answered as soon as one
    is seen: a regular file of an article form, reached through real folders, settles it
    without listing (and stat-ing) the whole corpus; otherwise the full walk decides."""
    for raw in paths:
        text = os.fspath(raw)
        if check_named_path(raw) is None and not _is_dir(text):
            return True  # a file the user named is read whatever its name
        if _is_dir(text) and _plain_article_below(text):
            return True
    return any(isinstance(item, SourceFile) for item in iter_source_files(paths, follow_links=follow_links))


def _plain_article_below(root: str) -> bool:
    stack = [root]
    while stack:
        try:
            with os.scandir(stack.pop()) as it:
                for entry in it:
                    if entry.name.startswith(".") or entry.name in OWN_FILES or entry.is_symlink():
                        continue
                    if entry.is_dir(follow_symlinks=False):
                        stack.append(entry.path)
                    elif form_of_name(entry.name) is not None and entry.is_file(follow_symlinks=False):
                        return True
        except OSError:
            continue
    return False


def _is_dir(path: str) -> bool:
    try:
        return stat.S_ISDIR(os.stat(path).st_mode)
    except OSError as exc:
        if exc.errno != errno.ENAMETOOLONG:
            return False
    try:
        fd = open_fd(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return False
    os.close(fd)
    return True


def _key_of(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


class _Walker:
    def __init__(
        self,
        roots: list[str],
        follow_links: bool,
        summary: LoadSummary,
        seen_files: set[tuple[int, int]],
        seen_dirs: set[tuple[int, int]],
    ) -> None:
        self.roots = roots
        self.follow_links = follow_links
        self.summary = summary
        self.seen_files = seen_files
        self.seen_dirs = seen_dirs
        self.named_problem = False  # something inside was named (a folder of only bad files)

    def walk(self, root: str) -> Iterator[SourceFile | LoadProblem]:
        """Depth-first, in name order; files of a folder before its sub-folders."""
        stack = [root]
        while stack:
            folder = stack.pop()
            try:
                entries, key = _list_folder(folder)
            except OSError as exc:
                self.named_problem = True
                yield LoadProblem(folder, f"cannot read folder: {exc.strerror or exc}")
                continue
            if key in self.seen_dirs:
                continue
            self.seen_dirs.add(key)
            subdirs = []
            for entry in entries:
                path = os.path.join(folder, entry.name)
                item = self._consider(entry, path)
                if item == "dir":
                    subdirs.append(path)
                elif item is not None:
                    if isinstance(item, LoadProblem):
                        self.named_problem = True
                    yield item
            stack.extend(reversed(subdirs))

    def _consider(self, entry: _Entry, path: str) -> SourceFile | LoadProblem | Literal["dir"] | None:
        if entry.name in OWN_FILES:
            return None
        if entry.name.startswith("."):
            self.summary.hidden += 1
            return None
        form = form_of_name(entry.name)
        candidate = entry.kind == "dir" or form is not None
        if entry.is_link and not self.follow_links and entry.kind in ("dir", "file"):
            leaves = self._leaves(path)
            if leaves is not None:
                if candidate:
                    self.summary.outside_links += 1
                    return LoadProblem(path, leaves)
                self.summary.other_files += 1
                return None
        if entry.kind == "dir":
            return "dir"
        if form is None:
            self.summary.other_files += 1
            return None
        if entry.kind == "file":
            if entry.key is not None:
                if entry.key in self.seen_files:
                    return None
                self.seen_files.add(entry.key)
            return SourceFile(path, path, form)
        if form == "" and not entry.is_link:
            self.summary.other_files += 1  # a FIFO or socket without an extension: not ours
            return None
        if entry.kind == "missing":
            return LoadProblem(path, "broken symlink")
        if entry.kind == "loop":
            return LoadProblem(path, "symlink loop")
        what = describe_mode(entry.mode)
        if entry.is_link:
            return LoadProblem(path, f"symlink to {what}, not a file")
        return LoadProblem(path, f"not a regular file: {what}")

    def _leaves(self, path: str) -> str | None:
        """Why a symbolic link is not followed (None: it stays inside the corpus folders)."""
        if len(os.fsencode(path)) >= _LONG_PATH:
            return "symlink under a path too long to check; not followed (--follow-links reads it)"
        target = os.path.realpath(path)
        for root in self.roots:
            if target == root or target.startswith(root.rstrip(os.sep) + os.sep):
                return None
        return f"symlink leads out of the corpus folders (to {target}); not followed (--follow-links reads it)"


def _list_folder(folder: str) -> tuple[list[_Entry], tuple[int, int]]:
    """The entries of a folder, sorted by name, with what each is (symlinks followed)."""
    if len(os.fsencode(folder)) < _LONG_PATH:
        try:
            with os.scandir(folder) as it:
                entries = [_describe(e) for e in it]
            key_st = os.stat(folder)
            return sorted(entries, key=lambda e: e.name), (key_st.st_dev, key_st.st_ino)
        except OSError as exc:
            if exc.errno != errno.ENAMETOOLONG:
                raise
    # deeper than the system's path limit: through the folder's descriptor
    fd = open_fd(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        key_st = os.fstat(fd)
        with os.scandir(fd) as it:
            entries = [_describe(e) for e in it]
    finally:
        os.close(fd)
    return sorted(entries, key=lambda e: e.name), (key_st.st_dev, key_st.st_ino)


def _describe(entry: os.DirEntry[str]) -> _Entry:
    try:
        is_link = entry.is_symlink()
    except OSError:
        is_link = False
    try:
        st = entry.stat()  # follows symlinks
    except OSError as exc:
        kind = "loop" if exc.errno == errno.ELOOP else "missing"
        return _Entry(entry.name, kind, 0, None, is_link)
    mode = st.st_mode
    if stat.S_ISDIR(mode):
        kind = "dir"
    elif stat.S_ISREG(mode):
        kind = "file"
    else:
        kind = "special"
    return _Entry(entry.name, kind, mode, (st.st_dev, st.st_ino), is_link)
