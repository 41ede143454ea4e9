"""Records: JSON Lines, JSON arrays, CSV and TSV, one article per record, streamed.

A file is read record by record (memory bounded by the articles, not by the file): JSON Lines
and CSV line by line, a JSON array element by element. A record is bounded like an article;
the file as a whole by :data:`~pktui.corpus.base.MAX_RECORDS_BYTES`. A broken record (bad
JSON, a CSV row with columns missing, no text) is named by its line (``dump.jsonl:17``) or,
inside a JSON array, its number (``dump.json#3``); the rest of the file still loads.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from collections.abc import Iterator, Mapping
from typing import IO, Any

from pktui.corpus.base import MAX_ARTICLE_BYTES, MAX_RECORDS_BYTES, Draft, clean_body, clean_field, mb, too_large
from pktui.corpus.dates import parse_published
from pktui.corpus.fields import FieldMap, as_text
from pktui.corpus.html import html_to_text, looks_like_html
from pktui.corpus.ids import record_base_id

#: a record's line may hold escapes and fields beside its text: bounded above the article limit
MAX_LINE_CHARS = 2 * MAX_ARTICLE_BYTES
_READ_CHUNK = 256 * 1024
_SURROGATE_RE = re.compile("[\udc80-\udcff]")  # bytes that were not UTF-8 (surrogateescape)

#: (place, reason, skipped): a problem inside the file; place "" is the file as a whole
Issue = tuple[str, str, bool]


class _Limited(io.RawIOBase):
    """A binary file that ends after ``limit`` bytes (and says so in ``cut``)."""

    def __init__(self, raw: IO[bytes], limit: int) -> None:
        self.raw, self.left, self.cut = raw, limit, False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self.left <= 0:
            if self.raw.read(1):
                self.cut = True
            return 0
        view = memoryview(buffer)[: self.left]
        data = self.raw.read(len(view))  # (IO[bytes] promises read, not readinto)
        n = len(data)
        view[:n] = data
        self.left -= n
        return n


def open_text(fh: IO[bytes], limit: int = MAX_RECORDS_BYTES) -> tuple[IO[str], _Limited]:
    """A text stream over a records file: UTF-8 (a BOM skipped) or UTF-16 with its BOM; bytes
    that are not UTF-8 kept as surrogates, so the record holding them can be named."""
    head = fh.read(4)
    fh.seek(0)
    limited = _Limited(fh, limit)
    buffered = io.BufferedReader(limited, _READ_CHUNK)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = io.TextIOWrapper(buffered, encoding="utf-16", errors="replace", newline="")
    else:
        text = io.TextIOWrapper(buffered, encoding="utf-8-sig", errors="surrogateescape", newline="")
    return text, limited


def bounded_lines(stream: IO[str], issues: list[Issue], place_prefix: str = ":") -> Iterator[tuple[int, str]]:
    """(line number, line) with each line bounded; an over-long line is named and skipped
    without being held in memory."""
    number = 0
    while True:
        line = stream.readline(MAX_LINE_CHARS)
        if not line:
            return
        number += 1
        if len(line) >= MAX_LINE_CHARS and not line.endswith("\n"):
            while True:  # skip the rest of it
                more = stream.readline(MAX_LINE_CHARS)
                if not more or more.endswith("\n"):
                    break
            issues.append(
                (f"{place_prefix}{number}", f"line longer than the {mb(MAX_ARTICLE_BYTES)} record limit", True)
            )
            yield number, "\n"  # keeps CSV line numbers right; an empty line is no record
            continue
        yield number, line


# -- JSON -----------------------------------------------------------------------------------


def iter_json_lines(stream: IO[str], issues: list[Issue]) -> Iterator[tuple[str, Any]]:
    """(":N", value) for each non-blank line."""
    for number, line in bounded_lines(stream, issues):
        if not line.strip():
            continue
        place = f":{number}"
        if _SURROGATE_RE.search(line):
            issues.append((place, "not UTF-8 (convert the file with iconv)", True))
            continue
        try:
            yield place, json.loads(line)
        except json.JSONDecodeError as exc:
            issues.append((place, f"broken JSON: {exc.msg.removesuffix(' at')} (column {exc.colno})", True))
        except RecursionError:
            issues.append((place, "broken JSON: nested too deeply", True))


def iter_json_values(stream: IO[str], issues: list[Issue], array: bool) -> Iterator[tuple[str, Any]]:
    """("#N", value) for each element of a top-level array (``array``), or each of several
    JSON values written one after another; read in chunks, never the whole file at once.
    A broken element ends the file (where the next one starts cannot be known)."""
    decoder = json.JSONDecoder()
    buf = ""
    pos = 0
    eof = False
    number = 0
    started = not array

    def fill() -> bool:
        nonlocal buf, pos, eof
        chunk = stream.read(_READ_CHUNK)
        if not chunk:
            eof = True
            return False
        buf = buf[pos:] + chunk
        pos = 0
        return True

    def skip(chars: str) -> None:
        nonlocal pos
        while True:
            while pos < len(buf) and buf[pos] in chars:
                pos += 1
            if pos < len(buf) or not fill():
                return

    while True:
        skip(" \t\r\n")
        if not started:
            if pos >= len(buf) or buf[pos] != "[":
                issues.append(("", "not a JSON array of records", True))
                return
            pos += 1
            started = True
            skip(" \t\r\n")
            if pos < len(buf) and buf[pos] == "]":
                return
        if pos >= len(buf):
            if array:
                issues.append(("", "the JSON array is not closed (file cut short?)", True))
            return
        if array and buf[pos] == "]":
            return
        number += 1
        place = f"#{number}"
        while True:
            try:
                value, end = decoder.raw_decode(buf, pos)
            except json.JSONDecodeError as exc:
                if not eof and len(buf) - pos <= MAX_LINE_CHARS:
                    fill()
                    continue
                reason = (
                    f"record larger than the {mb(MAX_ARTICLE_BYTES)} limit"
                    if len(buf) - pos > MAX_LINE_CHARS
                    else f"broken JSON: {exc.msg}"
                )
                issues.append((place, f"{reason}; the rest of the file not read", True))
                return
            except RecursionError:
                issues.append((place, "broken JSON: nested too deeply; the rest of the file not read", True))
                return
            # a value cut at the chunk's end can still decode (a number): read on to be sure
            if end == len(buf) and not eof and fill():
                continue
            break
        pos = end
        if isinstance(value, str) and _SURROGATE_RE.search(value):
            issues.append((place, "not UTF-8 (convert the file with iconv)", True))
        else:
            yield place, value
        skip(" \t\r\n")
        if array:
            if pos < len(buf) and buf[pos] == ",":
                pos += 1
            elif pos < len(buf) and buf[pos] != "]":
                issues.append((place, "broken JSON: expected ',' or ']' after it; the rest of the file not read", True))
                return


def sniff_json(head: str) -> str:
    """How a ``.json`` file holds its records, from its start: "array", "lines" (one object
    a line), "values" (pretty-printed objects one after another) or "" (not JSON records)."""
    text = head.lstrip("\ufeff \t\r\n")
    if text[:1] == "[":
        return "array"
    if text[:1] != "{":
        return ""
    first, newline, _rest = text.partition("\n")
    if not newline:
        return "lines"  # one line so far: a whole object, or longer than the head
    try:
        json.loads(first)
    except (json.JSONDecodeError, RecursionError):
        return "values"
    return "lines"


def iter_json(stream: IO[str], issues: list[Issue], kind: str) -> Iterator[tuple[str, Any]]:
    if kind == "lines":
        return iter_json_lines(stream, issues)
    return iter_json_values(stream, issues, array=kind == "array")


# -- CSV / TSV ------------------------------------------------------------------------------


def _delimiter(header: str, tsv: bool) -> str:
    if tsv:
        return "\t"
    counts = {d: header.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def iter_csv(stream: IO[str], issues: list[Issue], tsv: bool) -> Iterator[tuple[str, Any]]:
    """(":N", {column: value}) for each row after the header; N is the row's first line."""
    csv.field_size_limit(MAX_LINE_CHARS)
    lines = bounded_lines(stream, issues)
    line_numbers: list[int] = []

    def physical() -> Iterator[str]:
        for number, line in lines:
            line_numbers.append(number)
            yield line

    source = physical()
    header_line = next(source, None)
    if header_line is None:
        issues.append(("", "empty file", True))
        return
    delimiter = _delimiter(header_line, tsv)
    try:
        header = next(csv.reader([header_line], delimiter=delimiter))
    except csv.Error as exc:
        issues.append((":1", f"unreadable header: {exc}", True))
        return
    header = [h.strip().lstrip("\ufeff") for h in header]
    if not any(header):
        issues.append((":1", "no header row (column names) found", True))
        return
    reader = csv.reader(source, delimiter=delimiter, strict=False)
    while True:
        before = len(line_numbers)
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            start = line_numbers[before] if before < len(line_numbers) else (line_numbers[-1] if line_numbers else 1)
            issues.append((f":{start}", f"unreadable row: {exc}", True))
            continue
        start = line_numbers[before] if before < len(line_numbers) else line_numbers[-1]
        if not row or not any(cell.strip() for cell in row):
            continue
        place = f":{start}"
        if any(_SURROGATE_RE.search(cell) for cell in row):
            issues.append((place, "not UTF-8 (convert the file with iconv)", True))
        elif len(row) != len(header):
            issues.append((place, f"{len(row)} columns, the header has {len(header)}", True))
        else:
            yield place, dict(zip(header, row))


# -- records to drafts ----------------------------------------------------------------------


def record_draft(
    record: Any, place: str, shown: str, stem: str, fields: FieldMap
) -> tuple[Draft | None, list[tuple[str, bool]]]:
    """One record -> (draft or None, [(reason, skipped)])."""
    if not isinstance(record, Mapping):
        return None, [(f"not a record (a JSON {type(record).__name__.replace('dict', 'object')})", True)]
    value, _name = fields.pick(record, "text")
    raw = as_text(value, "\n\n")
    if raw is None or not raw.strip():
        return None, [(f"no text (looked for {', '.join(fields.names('text'))})", True)]
    if too_large(raw):
        return None, [(f"text larger than the {mb(MAX_ARTICLE_BYTES)} article limit", True)]
    text = html_to_text(raw) if looks_like_html(raw) else clean_body(raw)
    if not text:
        return None, [("no text left once its HTML is reduced", True)]
    notes: list[tuple[str, bool]] = []
    raw_date, date_name = fields.pick(record, "date")
    published, problem = parse_published(raw_date)
    if problem:
        notes.append((f"{problem} in '{date_name}'; date unknown", False))
    title_value = as_text(fields.pick(record, "title")[0])
    if title_value and looks_like_html(title_value):
        title_value = html_to_text(title_value)
    title = clean_field(title_value)
    url = clean_field(as_text(fields.pick(record, "url")[0]))
    draft = Draft(
        path=f"{shown}{place}",
        text=text,
        published=published,
        title=title,
        url=url,
        source=clean_field(as_text(fields.pick(record, "source")[0])),
        author=clean_field(as_text(fields.pick(record, "author")[0])),
        base_id=record_base_id(title, published, url, stem, text),
        identity=url or text,
        date_missing=raw_date is None,
    )
    return draft, notes
