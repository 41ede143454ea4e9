"""The search box language: words, ``"phrases"``, ``-exclusions`` and ``key:value`` filters.

``parse_query`` never raises: whatever is typed becomes a :class:`Query`. Words are folded
with the project's ``fold`` (case, diacritics, punctuation and hyphens do not count). The
last word is a prefix while it is being typed (no white space after it yet).

Filters (keys are case-insensitive; a value may be quoted: ``entity:"UN Interim"``)::

    type:person          entities of that type, and facts involving one
    kind:quantity        facts of that kind (quantity, date, role, event) or kind:entity
    entity:unisfa        facts whose entities include one matching the name or an alias
    after:2020           dated after the end of 2020 (YYYY, YYYY-MM or YYYY-MM-DD)
    before:2023-06       dated before June 2023 began
    in:2025              dated within 2025 (a fact's own date, else its article's date)

Several values of one key separated by commas, or the key repeated, mean "any of them"
for ``type`` and ``kind`` and "all of them" for ``entity``. An unknown ``foo:bar`` is
ordinary words; a date filter whose value is not (yet) a date is ignored and noted in
:attr:`Query.problems`.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date

from pktui.search.tokens import MAX_TOKEN, words

FILTER_KEYS = ("type", "kind", "entity", "after", "before", "in")
MAX_TERMS = 12

_QUOTES = '"\u201c\u201d\u201e\u00ab\u00bb'
_POSSESSIVE = re.compile(r"['\u2019]s(?![^\W_])", re.IGNORECASE)
_KEY = re.compile(r"([A-Za-z]+):(.*)\Z", re.DOTALL)
_DATE = re.compile(r"\s*(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?\s*\Z")


@dataclass(slots=True)
class Term:
    text: str  # one folded word
    prefix: bool = False  # the word being typed: longer words match too
    phrase: bool = False  # comes from a "quoted phrase"


@dataclass(slots=True)
class DateRange:
    lo: int  # proleptic ordinal of the first day
    hi: int  # ordinal of the last day
    text: str


@dataclass(slots=True)
class Query:
    raw: str
    terms: list[Term] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)  # folded, words separated by one space
    excludes: list[list[str]] = field(default_factory=list)  # folded words of each -word
    kinds: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)  # folded names
    after: list[DateRange] = field(default_factory=list)
    before: list[DateRange] = field(default_factory=list)
    within: list[DateRange] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    # the query as parts, to rebuild it with corrected words: ("word", folded) or ("raw", text)
    parts: list[tuple[str, str]] = field(default_factory=list)

    @property
    def has_filters(self) -> bool:
        return bool(
            self.kinds
            or self.types
            or self.entities
            or self.after
            or self.before
            or self.within
            or self.phrases
            or self.excludes
        )

    @property
    def is_empty(self) -> bool:
        return not self.terms and not self.has_filters


def _words(text: str) -> list[str]:
    """The folded words of ``text``, each cut at :data:`MAX_TOKEN` letters as the index cuts them."""
    return [w[:MAX_TOKEN] for w in words(text)]


def parse_date(text: str) -> DateRange | None:
    """``2020`` / ``2020-05`` / ``2020-05-17`` -> the days it covers, or None."""
    m = _DATE.match(text)
    if not m:
        return None
    try:
        y = int(m.group(1))
        if y < 1:
            return None
        if m.group(3):
            d = date(y, int(m.group(2)), int(m.group(3)))
            return DateRange(d.toordinal(), d.toordinal(), text.strip())
        if m.group(2):
            mo = int(m.group(2))
            last = calendar.monthrange(y, mo)[1]
            return DateRange(date(y, mo, 1).toordinal(), date(y, mo, last).toordinal(), text.strip())
        return DateRange(date(y, 1, 1).toordinal(), date(y, 12, 31).toordinal(), text.strip())
    except (ValueError, OverflowError):
        return None


def _split(raw: str) -> list[tuple[str, str]]:
    """Raw pieces: ("quote", inside) for closed quotes, ("word", text) otherwise."""
    out: list[tuple[str, str]] = []
    i, n = 0, len(raw)
    while i < n:
        ch = raw[i]
        if ch.isspace():
            i += 1
            continue
        if ch in _QUOTES:
            j = i + 1
            while j < n and raw[j] not in _QUOTES:
                j += 1
            if j < n:
                out.append(("quote", raw[i + 1 : j]))
                i = j + 1
            else:  # not closed (yet): plain words
                out.append(("word", raw[i + 1 :]))
                i = n
            continue
        j = i
        while j < n and not raw[j].isspace():
            if raw[j] in _QUOTES and j > i and raw[j - 1] == ":":
                # key:"quoted value"
                k = j + 1
                while k < n and raw[k] not in _QUOTES:
                    k += 1
                j = k + 1 if k < n else n
                break
            j += 1
        out.append(("word", raw[i:j]))
        i = j
    return out


def parse_query(raw: str) -> Query:
    """Parse what was typed in the search box. Never raises."""
    if not isinstance(raw, str):
        raw = "" if raw is None else str(raw)
    q = Query(raw=raw)
    pieces = _split(raw)
    last_plain: int | None = None
    for idx, (kind, text) in enumerate(pieces):
        if kind == "quote":
            ws = _words(_POSSESSIVE.sub("", text))
            if ws:
                q.phrases.append(" ".join(ws))
                q.terms.extend(Term(w, phrase=True) for w in ws)
                q.terms[-1].prefix = True  # "level 2 field hospital" finds "... hospitals"
                q.parts.append(("raw", '"' + text + '"'))
            continue
        m = _KEY.match(text)
        if m and m.group(1).lower() in FILTER_KEYS:
            key = m.group(1).lower()
            value = m.group(2).strip()
            if value[:1] in _QUOTES:
                value = value[1:]
                if value[-1:] in _QUOTES:
                    value = value[:-1]
            q.parts.append(("raw", text))
            _add_filter(q, key, value)
            continue
        if text.startswith("-") and len(text) > 1 and not text[1].isdigit():
            ws = _words(_POSSESSIVE.sub("", text[1:]))
            if ws:
                q.excludes.append(ws)
                q.parts.append(("raw", text))
            continue
        ws = _words(_POSSESSIVE.sub("", text))
        for w in ws:
            q.terms.append(Term(w))
            q.parts.append(("word", w))
        if ws:
            last_plain = idx
    if last_plain is not None and last_plain == len(pieces) - 1 and q.terms and raw and not raw[-1].isspace():
        q.terms[-1].prefix = True
    if len(q.terms) > MAX_TERMS:
        q.problems.append(f"only the first {MAX_TERMS} words are used")
        q.terms = q.terms[:MAX_TERMS]
    return q


def _add_filter(q: Query, key: str, value: str) -> None:
    if key in ("kind", "type"):
        vals = [" ".join(words(v)) for v in value.split(",")]
        vals = [v for v in vals if v]
        if vals:
            (q.kinds if key == "kind" else q.types).extend(vals)
        return
    if key == "entity":
        v = " ".join(words(value))
        if v:
            q.entities.append(v)
        return
    if not value:
        return
    rng = parse_date(value)
    if rng is None:
        q.problems.append(f"{key}: expects a date as YYYY, YYYY-MM or YYYY-MM-DD, not {value!r}")
        return
    {"after": q.after, "before": q.before, "in": q.within}[key].append(rng)
