"""Publication dates as records, feeds and front matter write them.

A timestamp with a time and a zone gives the date as written (``2024-11-05T23:30-05:00`` is
5 November, never converted to another zone): the contract. ISO 8601 and RFC 822 (feeds)
are read exactly; other spelled-out forms (``5 November 2024``) through python-dateutil.
A date that could be read two ways (``05/11/2024``) or misses its day is refused with a
reason rather than guessed.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime

_ISO_DAY_RE = re.compile(r"\A(\d{4})-(\d{2})-(\d{2})(?=$|[T ]\d)")
_NUMERIC_DMY_RE = re.compile(r"\A(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})\b")
_EPOCH_MS = 100_000_000_000  # above this an epoch number counts milliseconds
_MAX_DATE_TEXT = 100


def parse_published(value: object) -> tuple[date | None, str | None]:
    """A record's date field -> (date, None), (None, reason it cannot be read) or (None, None)
    when there is no value at all."""
    if value is None or value == "" or value == []:
        return None, None
    if isinstance(value, list):  # some scrapers give every date they saw: take the first
        value = value[0]
    if isinstance(value, datetime):
        return value.date(), None
    if isinstance(value, date):
        return value, None
    if isinstance(value, bool):
        return None, f"unreadable date {value!r}"
    if isinstance(value, int | float):
        return _from_epoch(value)
    text = " ".join(str(value).split())
    if not text:
        return None, None
    if len(text) > _MAX_DATE_TEXT:
        return None, "unreadable date (too long)"
    for parse in (_iso, _rfc822, _spelled_out):
        result = parse(text)
        if result is not None:
            return result
    return None, f"unreadable date {text[:40]!r}"


def _from_epoch(value: float) -> tuple[date | None, str | None]:
    seconds = value / 1000 if abs(value) >= _EPOCH_MS else value
    try:
        return datetime.fromtimestamp(seconds, tz=UTC).date(), None
    except (OverflowError, OSError, ValueError):
        return None, f"unreadable date {value!r}"


def _iso(text: str) -> tuple[date | None, str | None] | None:
    m = _ISO_DAY_RE.match(text)
    if m is None:
        if re.fullmatch(r"\d{8}", text):
            try:
                return date.fromisoformat(text), None
            except ValueError:
                return None
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3))), None
    except ValueError:
        return None, f"impossible date {text[:40]!r}"


def _rfc822(text: str) -> tuple[date | None, str | None] | None:
    if not re.search(r"\d{1,2}\s+[A-Za-z]{3}\s+\d{2,4}\s+\d{1,2}:\d{2}", text):
        return None
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return (when.date(), None) if when is not None else None


def _spelled_out(text: str) -> tuple[date | None, str | None] | None:
    m = _NUMERIC_DMY_RE.match(text)
    if m is not None:
        first, second = int(m.group(1)), int(m.group(2))
        if first <= 12 and second <= 12 and first != second:
            return None, f"ambiguous date {text[:40]!r} (day and month could be either way); write YYYY-MM-DD"
    if not re.search(r"\d", text):
        return None  # "yesterday", "n/a": nothing to read
    try:
        from dateutil import parser
    except ImportError:  # pragma: no cover - installed with htmldate
        return None
    try:
        a = parser.parse(text, default=datetime(2001, 1, 1))
        b = parser.parse(text, default=datetime(2002, 2, 2))
    except (ValueError, OverflowError, TypeError, parser.ParserError):
        return None
    if a.date() != b.date():
        return None, f"date without a day {text[:40]!r}"
    return a.date(), None
