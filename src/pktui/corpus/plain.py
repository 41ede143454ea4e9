"""Read article files into :class:`~pktui.model.Article` objects.

The format (see the project contract): optional white space, ``date YYYY-MM-DD``, the body
on the same line, paragraphs separated by blank lines. A file that cannot be an article
(binary, not UTF-8, empty, too large) is reported as a :class:`LoadProblem` with a one-line
reason; every other file still loads.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path

from pktui.model import Article, LoadProblem
from pktui.text import one_line

#: Articles larger than this are refused (documented in the README).
MAX_ARTICLE_BYTES = 8 * 1024 * 1024

_HEADER_RE = re.compile(r"\A\s*date[ \t]+(\d{4})-(\d{1,2})-(\d{1,2})(?![\d-])[ \t]*")
_BAD_HEADER_RE = re.compile(r"\A\s*date[ \t]+(\S+)[ \t]*")
_PARA_SPLIT_RE = re.compile(r"\n[ \t]*\n\s*")


@dataclass
class Corpus:
    articles: list[Article] = field(default_factory=list)
    problems: list[LoadProblem] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class SourceFile:
    path: Path
    shown: str  # the path as reported to the user and in the export


def bundled_corpus_dir() -> Path:
    """The sample corpus shipped inside the package (``data/articles``)."""
    return Path(str(resources.files("pktui") / "data" / "articles"))


def iter_source_files(paths: Iterable[str | os.PathLike[str]] | None) -> Iterator[SourceFile | LoadProblem]:
    """Expand command-line paths into article files, recursively, without symlink loops."""
    if not paths:
        root = bundled_corpus_dir()
        for p in sorted(root.glob("*.txt")):
            yield SourceFile(p, f"data/articles/{p.name}")
        return
    seen: set[tuple[int, int]] = set()
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            kind = "broken symlink" if path.is_symlink() else "no such file or folder"
            yield LoadProblem(str(raw), kind)
        elif path.is_dir():
            found = False
            for item in _walk(path, seen):
                if isinstance(item, SourceFile):
                    found = True
                yield item
            if not found:
                yield LoadProblem(str(raw), "folder holds no article files (*.txt)")
        else:
            key = _file_key(path)
            if key is None or key not in seen:
                if key is not None:
                    seen.add(key)
                yield SourceFile(path, str(raw))


def _file_key(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def _walk(root: Path, seen: set[tuple[int, int]]) -> Iterator[SourceFile | LoadProblem]:
    """Depth-first, sorted, following symlinks but never entering a folder twice."""
    visited_dirs: set[tuple[int, int]] = set()
    stack = [root]
    while stack:
        folder = stack.pop()
        key = _file_key(folder)
        if key is None or key in visited_dirs:
            continue
        visited_dirs.add(key)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            yield LoadProblem(str(folder), f"cannot read folder: {exc.strerror or exc}")
            continue
        subdirs = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            try:
                is_dir = entry.is_dir()  # follows symlinks
                is_file = entry.is_file()
            except OSError:
                is_dir = is_file = False
            if is_dir:
                subdirs.append(path)
            elif is_file and entry.name.lower().endswith(".txt"):
                fkey = _file_key(path)
                if fkey is not None and fkey in seen:
                    continue
                if fkey is not None:
                    seen.add(fkey)
                yield SourceFile(path, str(path))
            elif not is_file and not is_dir and entry.name.lower().endswith(".txt"):
                # a FIFO or device would block or never end: named, never opened
                yield LoadProblem(str(path), "broken symlink" if entry.is_symlink() else "not a regular file")
        stack.extend(reversed(subdirs))


def read_corpus(paths: Iterable[str | os.PathLike[str]] | None = None) -> Corpus:
    """Read every article under ``paths`` (the bundled sample when empty)."""
    corpus = Corpus()
    ids: set[str] = set()
    for item in iter_source_files(paths):
        if isinstance(item, LoadProblem):
            corpus.problems.append(item)
            continue
        article, problems = read_article(item, taken_ids=ids)
        corpus.problems.extend(problems)
        if article is not None:
            ids.add(article.id)
            corpus.articles.append(article)
    return corpus


def read_bytes(path: Path) -> bytes:
    with open(path, "rb") as fh:
        data = fh.read(MAX_ARTICLE_BYTES + 1)
    if len(data) > MAX_ARTICLE_BYTES:
        raise ValueError(f"larger than the {MAX_ARTICLE_BYTES // (1024 * 1024)} MB article limit")
    return data


def decode(data: bytes) -> tuple[str, str | None]:
    """Bytes -> text and an optional warning; raises ValueError with a one-line reason."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "decoded as UTF-16 (byte-order mark)"
        except UnicodeDecodeError as exc:
            raise ValueError(f"broken UTF-16 at byte {exc.start}") from None
    if b"\x00" in data:
        raise ValueError("binary file (contains NUL bytes)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(
            f"not UTF-8 (invalid byte 0x{data[exc.start]:02x} at offset {exc.start}); convert it with iconv"
        ) from None
    return text, None


def parse_article_text(raw: str) -> tuple[date | None, str, str | None]:
    """Split the raw file text into (published date, body, warning)."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    warning = None
    published = None
    m = _HEADER_RE.match(text)
    if m:
        y, mo, d = (int(g) for g in m.groups())
        try:
            published = date(y, mo, d)
        except ValueError:
            warning = f"impossible date {m.group(1)}-{m.group(2)}-{m.group(3)} in the header; date unknown"
        body = text[m.end() :]
    else:
        bad = _BAD_HEADER_RE.match(text)
        if bad and re.match(r"\d", bad.group(1)):
            warning = f"unreadable date {one_line(bad.group(1))[:20]!r} in the header; date unknown"
            body = text[bad.end() :]
        else:
            warning = "no 'date YYYY-MM-DD' header; date unknown"
            body = text
    return published, body.strip(), warning


def paragraph_spans(body: str) -> tuple[tuple[int, int], ...]:
    spans = []
    pos = 0
    for m in _PARA_SPLIT_RE.finditer(body):
        if m.start() > pos:
            spans.append((pos, m.start()))
        pos = m.end()
    if pos < len(body):
        spans.append((pos, len(body)))
    return tuple(spans)


def read_article(source: SourceFile, taken_ids: set[str] | None = None) -> tuple[Article | None, list[LoadProblem]]:
    """Read one file; returns the article (or None) and the problems found."""
    shown = source.shown
    try:
        data = read_bytes(source.path)
        raw, warning = decode(data)
    except PermissionError:
        return None, [LoadProblem(shown, "permission denied")]
    except IsADirectoryError:
        return None, [LoadProblem(shown, "is a folder")]
    except OSError as exc:
        return None, [LoadProblem(shown, f"cannot read: {exc.strerror or exc}")]
    except ValueError as exc:
        return None, [LoadProblem(shown, str(exc))]
    problems = []
    if warning:
        problems.append(LoadProblem(shown, warning, skipped=False))
    if not raw.strip():
        return None, [LoadProblem(shown, "empty file")]
    published, body, header_warning = parse_article_text(raw)
    if not body:
        return None, [*problems, LoadProblem(shown, "no text after the date header")]
    if header_warning:
        problems.append(LoadProblem(shown, header_warning, skipped=False))
    article = make_article(source.path, shown, body, published, taken_ids)
    return article, problems


def make_article(
    path: Path | str,
    shown: str,
    body: str,
    published: date | None,
    taken_ids: set[str] | None = None,
) -> Article:
    from pktui.textsplit import title_of  # local: keeps corpus import light

    article_id = article_id_for(Path(path), shown, taken_ids or set())
    paras = paragraph_spans(body)
    return Article(
        id=article_id,
        path=_valid_unicode(shown),
        text=body,
        published=published,
        title=title_of(body),
        paragraphs=paras,
    )


def article_id_for(path: Path, shown: str, taken: set[str]) -> str:
    """Stable id from the file name; a clash gets a short hash of the path."""
    stem = _valid_unicode(path.stem) or "article"
    if stem not in taken:
        return stem
    digest = hashlib.sha1(shown.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{stem}-{digest}"


def _valid_unicode(name: str) -> str:
    """A file name as text that can be written anywhere: bytes that are not UTF-8 (which the
    OS hands over as lone surrogates) become U+FFFD, else one such name fails the export,
    the cache and the search of the whole corpus."""
    if not any("\ud800" <= c <= "\udfff" for c in name):
        return name
    return "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in name)
