"""Model objects to stored rows and back, field by field, whatever fields the model has.

Each object is stored as the JSON object of its fields (minus those the row keeps in columns),
so a field added to :mod:`pktui.model` (``why``, ``url``, ...) is carried without a change here;
a field a row lacks takes its default. Tuple fields (``paragraphs``, ``sentence``) come back as
tuples. Every decoder raises :class:`BadRow` (a ``ValueError``) on a row it cannot trust.
"""

from __future__ import annotations

import dataclasses
import json
import operator
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar

from pktui.model import Article, Fact, Mention

#: a row as sqlite3 gives it: SQL values (text, integers, reals, blobs, NULL)
Row = tuple[Any, ...]
M = TypeVar("M")

if TYPE_CHECKING:
    from pktui.extract import ArticleExtraction

#: a stored JSON value larger than this is not trusted (an article's own fields are far smaller)
MAX_ROW_JSON = 4 * 1024 * 1024


class BadRow(ValueError):
    """A stored row that does not hold what it should."""


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_DECODER = json.JSONDecoder()


_ASCII = json.JSONEncoder(ensure_ascii=True, separators=(",", ":"))


def dumps(value: Any) -> str:
    return _ENCODER.encode(value)


def dumps_any(value: Any) -> str:
    """JSON for text that may hold lone surrogates (a file name that is not UTF-8): escaped,
    so SQLite can store it, and :func:`loads` gives it back as it was."""
    return _ASCII.encode(value)


def loads(data: str | bytes | None) -> Any:
    if data is None:
        raise BadRow("missing value")
    if len(data) > MAX_ROW_JSON:
        raise BadRow(f"stored value of {len(data):,} bytes")
    try:
        return _DECODER.decode(data.decode("utf-8") if isinstance(data, bytes) else data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadRow(f"unreadable stored value ({exc})") from None


@cache
def _fields(cls: type) -> tuple[tuple[str, bool], ...]:
    """(name, is a tuple) for each field of a model class."""
    return tuple((f.name, str(f.type).startswith("tuple")) for f in dataclasses.fields(cls))


@cache
def _plan(cls: type, skip: frozenset[str]) -> tuple[tuple[str, ...], Any, frozenset[str]]:
    """The fields to store, a getter of their values, and those whose default is None (a None
    value of those is not written: rows stay small)."""
    names = tuple(f.name for f in dataclasses.fields(cls) if f.name not in skip)
    nullable = frozenset(f.name for f in dataclasses.fields(cls) if f.default is None)
    getter = operator.attrgetter(*names) if len(names) > 1 else (lambda o, n=names[0]: (getattr(o, n),))
    return names, getter, nullable


def tuples(value: Any) -> Any:
    """Lists (nested) as tuples, as the model's tuple fields hold them."""
    if type(value) is not list:
        return value
    if not value or type(value[0]) is not list:  # (the model's tuples hold numbers, or pairs)
        return tuple(value)
    return tuple(tuples(v) for v in value)


def fields_of(obj: Any, skip: frozenset[str] = frozenset()) -> dict[str, Any]:
    cls: type = type(obj)
    names, getter, nullable = _plan(cls, skip)
    return {n: v for n, v in zip(names, getter(obj)) if v is not None or n not in nullable}


@cache
def _names(cls: type) -> tuple[frozenset[str], frozenset[str]]:
    fields = _fields(cls)
    return frozenset(n for n, _t in fields), frozenset(n for n, t in fields if t)


def make(cls: type[M], stored: Any, **columns: Any) -> M:
    """An object of ``cls`` from its stored fields (a dict) and the row's columns; fields it
    does not know are ignored, fields the row lacks take their defaults."""
    if not isinstance(stored, dict):
        raise BadRow(f"stored {cls.__name__} is not an object")
    plain: type = cls
    names, tuple_names = _names(plain)
    kwargs = stored if names.issuperset(stored) else {k: v for k, v in stored.items() if k in names}
    for k in tuple_names:
        v = kwargs.get(k)
        if type(v) is list:
            kwargs[k] = tuples(v)
    kwargs.update(columns)
    try:
        return cls(**kwargs)
    except TypeError as exc:
        raise BadRow(f"stored {cls.__name__} incomplete ({exc})") from None


# -- articles --------------------------------------------------------------------------------

ARTICLE_COLUMNS = frozenset({"id", "text", "published"})


def article_meta(a: Article) -> str:
    return dumps(fields_of(a, ARTICLE_COLUMNS))


def article_fields(a: Article) -> dict[str, Any]:
    """Every field of an article, as JSON values."""
    out = fields_of(a)
    out["published"] = a.published.isoformat() if a.published else None
    return out


def parse_date(iso: str | None) -> date | None:
    if not iso:
        return None
    try:
        return date.fromisoformat(iso)
    except ValueError:
        raise BadRow(f"stored date {iso[:20]!r}") from None


def article_from_fields(stored: Any) -> Article:
    if not isinstance(stored, dict):
        raise BadRow("stored article is not an object")
    a = make(Article, stored, published=parse_date(stored.get("published")))
    if not isinstance(a.text, str) or not isinstance(a.id, str):
        raise BadRow("stored article text")
    return a


# -- extractions (the staging area between extraction and the published tables) --------------

_FACT_SKIP = frozenset({"article", "text"})
_MENTION_SKIP = frozenset({"article", "text"})


def encode_extraction(ex: ArticleExtraction) -> bytes:
    doc = {
        "e": [fields_of(e) for e in ex.entities],
        "m": [fields_of(m, _MENTION_SKIP) for m in ex.mentions],
        "f": [fields_of(f, _FACT_SKIP) for f in ex.facts],
    }
    return dumps(doc).encode("utf-8", "surrogatepass")


def decode_extraction(data: bytes, article: Article, *, facts: bool = True) -> ArticleExtraction:
    """A staged extraction, its spans checked against the article (:func:`check_extraction`);
    without its facts when ``facts`` is false (their spans are checked all the same)."""
    from pktui.extract import ArticleExtraction, LocalEntity

    doc = loads(data)
    if not isinstance(doc, dict):
        raise BadRow("stored extraction is not an object")
    text = article.text
    try:
        entities = [make(LocalEntity, e) for e in doc["e"]]
        mentions = [make(Mention, m, article=article.id, text=_span(text, m)) for m in doc["m"]]
        if facts:
            made = [make(Fact, f, article=article.id, text=_span(text, f)) for f in doc["f"]]
        else:
            made = []
            for f in doc["f"]:
                _span(text, f)
    except (KeyError, TypeError) as exc:
        raise BadRow(f"stored extraction incomplete ({exc})") from None
    ex = ArticleExtraction(article.id, entities, mentions, made, [])
    check_extraction(ex, len(text))
    return ex


def _span(text: str, stored: Any) -> str:
    if not isinstance(stored, dict):
        raise BadRow("stored span is not an object")
    s, e = stored.get("start"), stored.get("end")
    if not (type(s) is int and type(e) is int and 0 <= s <= e <= len(text)):
        raise BadRow(f"offsets {s!r}-{e!r} outside the text ({len(text)} characters)")
    return text[s:e]


def check_extraction(ex: ArticleExtraction, length: int) -> None:
    """Raise :class:`BadRow` unless every span lies in the text and every key resolves."""
    keys = set()
    for e in ex.entities:
        if not isinstance(e.key, str) or not isinstance(e.name, str) or "/" not in e.key:
            raise BadRow(f"entity key {e.key!r}")
        keys.add(e.key)
    for m in ex.mentions:
        check_span(m.start, m.end, length)
        if m.entity not in keys:
            raise BadRow(f"a mention points at no entity ({str(m.entity)[:60]!r})")
    for f in ex.facts:
        check_span(f.start, f.end, length)
        s = f.sentence
        if not (
            isinstance(s, tuple) and len(s) == 2 and all(type(x) is int for x in s) and 0 <= s[0] <= s[1] <= length
        ):
            raise BadRow(f"sentence {s!r} outside the text")
        if not isinstance(f.kind, str) or not isinstance(f.entities, list):
            raise BadRow("fact kind or entities")
        for k in f.entities:
            if k not in keys:
                raise BadRow(f"a fact points at no entity ({str(k)[:60]!r})")


def check_span(start: Any, end: Any, length: int) -> None:
    if not (type(start) is int and type(end) is int and 0 <= start <= end <= length):
        raise BadRow(f"offsets {start!r}-{end!r} outside the text ({length} characters)")
