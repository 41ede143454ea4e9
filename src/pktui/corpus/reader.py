"""One file -> its articles (drafts) and the problems met, whatever its form."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import PurePath
from typing import IO

from pktui.corpus.base import (
    MAX_ARTICLE_BYTES,
    MAX_FEED_BYTES,
    MAX_PAGE_BYTES,
    MAX_PROBLEMS_PER_FILE,
    MAX_RECORDS_BYTES,
    Draft,
    SourceFile,
    decode,
    mb,
)
from pktui.corpus.fields import FieldMap
from pktui.corpus.forms import SNIFF_BYTES, head_text, resolve_form
from pktui.corpus.ids import file_base_id
from pktui.fileio import UserFileError, open_regular
from pktui.model import LoadProblem

_ARTICLE_LIMIT_REASON = f"larger than the {mb(MAX_ARTICLE_BYTES)} article limit"


def read_source(source: SourceFile, fields: FieldMap | None = None) -> Iterator[Draft | LoadProblem]:
    """Drafts of every article in ``source`` and one problem line for each thing that could
    not be read (or was read with a warning). Never raises for bad content."""
    fields = fields or FieldMap()
    shown = source.shown
    try:
        fh, _st = open_regular(source.path)
    except UserFileError as exc:
        yield LoadProblem(shown, str(exc))
        return
    except PermissionError:
        yield LoadProblem(shown, "permission denied")
        return
    except IsADirectoryError:
        yield LoadProblem(shown, "is a folder")
        return
    except OSError as exc:
        yield LoadProblem(shown, f"cannot read: {exc.strerror or exc}")
        return
    with fh:
        try:
            yield from _read_open(fh, source, fields)
        except OSError as exc:  # an I/O error half-way (a disk gone, a file truncated)
            yield LoadProblem(shown, f"cannot read: {exc.strerror or exc}")


def _read_open(fh: IO[bytes], source: SourceFile, fields: FieldMap) -> Iterator[Draft | LoadProblem]:
    shown = source.shown
    head = fh.read(SNIFF_BYTES)
    fh.seek(0)
    form = resolve_form(source.form, head, source.named)
    if form is None:
        yield LoadProblem(shown, "not an article in any form pktui reads (see 'Input forms' in the README)")
        return
    if form in ("jsonl", "json", "csv", "tsv"):
        yield from _read_records(fh, head, source, form, fields)
        return
    limit = {"page": MAX_PAGE_BYTES, "feed": MAX_FEED_BYTES}.get(form, MAX_ARTICLE_BYTES)
    data = fh.read(limit + 1)
    if len(data) > limit:
        reason = (
            _ARTICLE_LIMIT_REASON if limit == MAX_ARTICLE_BYTES else f"larger than the {mb(limit)} limit for a {form}"
        )
        yield LoadProblem(shown, reason)
        return
    if not data.strip():
        yield LoadProblem(shown, "empty file")
        return
    if form == "page":
        yield from _read_page(data, shown, source)
    elif form == "feed":
        yield from _read_feed(data, shown, source)
    else:
        yield from _read_single(data, shown, source, form, fields)


def _read_single(
    data: bytes, shown: str, source: SourceFile, form: str, fields: FieldMap
) -> Iterator[Draft | LoadProblem]:
    from pktui.corpus.plain import has_front_matter, read_front_matter, read_plain

    try:
        raw, warning = decode(data)
    except ValueError as exc:
        yield LoadProblem(shown, str(exc))
        return
    if not raw.strip():
        yield LoadProblem(shown, "empty file")
        return
    base_id = file_base_id(source.path)
    if form == "markdown" or has_front_matter(raw.lstrip()):
        draft, warnings, refusal = read_front_matter(raw.lstrip(), shown, base_id, fields, markdown=form == "markdown")
    else:
        draft, warnings, refusal = read_plain(raw, shown, base_id)
    if warning:
        warnings.insert(0, warning)
    if refusal:
        yield LoadProblem(shown, refusal)
        return
    yield from (LoadProblem(shown, w, skipped=False) for w in warnings)
    if draft is not None:
        yield draft


def _read_page(data: bytes, shown: str, source: SourceFile) -> Iterator[Draft | LoadProblem]:
    from pktui.corpus.html import NoMainText, read_page

    if b"\x00" in data[:SNIFF_BYTES] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        yield LoadProblem(shown, "binary file (contains NUL bytes)")
        return
    try:
        draft, warnings = read_page(data, shown)
    except NoMainText as exc:
        yield LoadProblem(shown, str(exc))
        return
    draft.base_id = file_base_id(source.path)
    draft.identity = shown
    yield from (LoadProblem(shown, w, skipped=False) for w in warnings)
    yield draft


def _read_feed(data: bytes, shown: str, source: SourceFile) -> Iterator[Draft | LoadProblem]:
    from pktui.corpus.feeds import NotAFeed, read_feed

    if b"\x00" in data[:SNIFF_BYTES] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        yield LoadProblem(shown, "binary file (contains NUL bytes)")
        return
    count = _ProblemCount(shown)
    try:
        for item in read_feed(data, shown, PurePath(source.path).stem):
            if isinstance(item, Draft):
                yield item
            else:
                yield from count.add(*item)
    except NotAFeed as exc:
        yield LoadProblem(shown, str(exc))
        return
    yield from count.finish()


class _ProblemCount:
    """Problems inside one file: the first :data:`MAX_PROBLEMS_PER_FILE` named one by one,
    the rest counted in one line (a 100,000-record file in the wrong encoding stays readable
    on a terminal)."""

    def __init__(self, shown: str) -> None:
        self.shown = shown
        self.named = 0
        self.more = 0
        self.first_more = ""

    def add(self, place: str, reason: str, skipped: bool) -> Iterator[LoadProblem]:
        if not place or self.named < MAX_PROBLEMS_PER_FILE:
            self.named += bool(place)
            yield LoadProblem(f"{self.shown}{place}", reason, skipped=skipped)
            return
        self.more += 1
        self.first_more = self.first_more or place

    def finish(self) -> Iterator[LoadProblem]:
        if self.more:
            yield LoadProblem(
                self.shown,
                f"{self.more} more record(s) with problems not listed (the next at {self.first_more})",
                skipped=True,
            )


def _read_records(
    fh: IO[bytes], head: bytes, source: SourceFile, form: str, fields: FieldMap
) -> Iterator[Draft | LoadProblem]:
    from pktui.corpus.records import iter_csv, iter_json, iter_json_lines, open_text, record_draft, sniff_json

    shown = source.shown
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        yield LoadProblem(shown, "binary file (contains NUL bytes)")
        return
    if not head.strip():
        yield LoadProblem(shown, "empty file")
        return
    issues: list[tuple[str, str, bool]] = []
    stream, limited = open_text(fh)
    if form == "jsonl":
        items = iter_json_lines(stream, issues)
    elif form == "json":
        kind = sniff_json(head_text(head))
        if not kind:
            yield LoadProblem(shown, "not JSON records (an array of objects, or one object a line)")
            return
        items = iter_json(stream, issues, kind)
    else:
        items = iter_csv(stream, issues, tsv=form == "tsv")
    stem = os.path.splitext(os.path.basename(shown))[0]
    count = _ProblemCount(shown)
    records = 0
    for place, record in items:
        yield from _flush(issues, count)
        records += 1
        draft, notes = record_draft(record, place, shown, stem, fields)
        for reason, skipped in notes:
            yield from count.add(place, reason, skipped)
        if draft is not None:
            yield draft
    yield from _flush(issues, count)
    yield from count.finish()
    if limited.cut:
        yield LoadProblem(
            shown, f"larger than the {mb(MAX_RECORDS_BYTES)} limit for a records file: only its start was read"
        )
    elif records == 0 and count.named == 0 and count.more == 0:
        yield LoadProblem(shown, "no records in the file")


def _flush(issues: list[tuple[str, str, bool]], count: _ProblemCount) -> Iterator[LoadProblem]:
    for issue in issues:
        yield from count.add(*issue)
    issues.clear()
