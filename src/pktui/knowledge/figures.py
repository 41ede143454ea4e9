"""Figures over time: quantity facts grouped into series by subject and measure.

A point is dated by the fact's own date when its sentence gives one ("by August 2021") and by
the article's publication otherwise. Values pktui works out itself (70 women of 512 -> 13.7 %
women; "its first engineering unit" -> one unit) are marked as derived and cite their facts.
Two points of one series on one date that cannot both be true, given their qualifiers
("more than 500" and "nearly 400"), are flagged as conflicts.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from pktui.domain import load_domain
from pktui.extract.gazetteer import gazetteer
from pktui.model import Article, Entity, Fact, Series, SeriesPoint
from pktui.text import fold, slug

WOMEN_SHARE = "women share"
_UNIT_LABEL = {"percent": "%", WOMEN_SHARE: "%"}


@dataclass(frozen=True, slots=True)
class _Config:
    series_measures: frozenset[str]
    scoped: frozenset[str]
    share_words: frozenset[str]
    target_words: frozenset[str]
    scope_words: dict[str, str]


@lru_cache(maxsize=1)
def _config() -> _Config:
    dom = load_domain()
    raw = dom.measures_doc
    return _Config(
        series_measures=frozenset(m for m, spec in dom.measures.items() if spec.get("series")),
        scoped=frozenset(raw.get("scoped_by_mission") or []),
        share_words=frozenset(fold(w) for w in (raw.get("share_of") or {}).get("women", [])),
        target_words=frozenset(fold(w) for w in raw.get("target_words") or []),
        scope_words={fold(k): str(v) for k, v in (raw.get("scope_words") or {}).items()},
    )


#: a series' key: (subject entity id, measure)
SeriesKey = tuple[str, str]
#: an entity id -> its display name (None when unknown)
NameOf = Callable[[str], "str | None"]


def build_series(articles: Iterable[Article], entities: Iterable[Entity], facts: Iterable[Fact]) -> list[Series]:
    """Every series of the corpus: the points of each article, then grouped (see :func:`assemble_series`)."""
    names = {e.id: e.name for e in entities}
    by_article: dict[str, list[Fact]] = defaultdict(list)
    for f in facts:
        by_article[f.article].append(f)
    groups: dict[SeriesKey, list[tuple[SeriesPoint, str]]] = defaultdict(list)
    for art in articles:
        for key, point in article_points(art, by_article.get(art.id, ()), names.get):
            groups[key].append((point, art.id))
    return assemble_series(groups.items())


def article_points(art: Article, facts: Iterable[Fact], name_of: NameOf) -> list[tuple[SeriesKey, SeriesPoint]]:
    """The series points one article gives: a pure function of the article, its facts (entities
    resolved) and the names of the entities they are about."""
    cfg = _config()
    facts = [f for f in facts if f.kind in ("quantity", "ordinal")]
    by_sentence: dict[tuple[int, int], list[Fact]] = defaultdict(list)
    for f in facts:
        by_sentence[(f.sentence[0], f.sentence[1])].append(f)
    folded_sentences: dict[tuple[int, int], list[str]] = {}
    out: list[tuple[SeriesKey, SeriesPoint]] = []
    for f in facts:
        if not f.entities:
            continue
        skey = (f.sentence[0], f.sentence[1])
        sentence = folded_sentences.get(skey)
        if sentence is None:
            sentence = folded_sentences[skey] = fold(art.text[f.sentence[0] : f.sentence[1]]).split()
        if cfg.target_words & set(sentence):
            continue  # a goal, not a figure reached
        measure = _measure(f, sentence, cfg)
        if measure is None:
            continue
        subject = _country_of(f.entities[0], name_of)
        before = fold(art.text[f.sentence[0] : f.start]).split()
        scope = _scope(f, name_of, before, cfg) if measure in cfg.scoped else None
        date = _point_date(f, art)
        if date is None:
            continue
        derived = f.kind == "ordinal"
        point = SeriesPoint(date, _amount(f.value), f.qualifier or "exact", f.id, derived, [f.id] if derived else [])
        out.append(((subject, measure if scope is None else f"{measure} @ {scope}"), point))
        if measure == "women":
            share = _women_share(f, by_sentence[skey], date)
            if share is not None:
                out.append(((subject, WOMEN_SHARE), share))
    return out


def assemble_series(groups: Iterable[tuple[SeriesKey, list[tuple[SeriesPoint, str]]]]) -> list[Series]:
    """Series from their points (each with its article id): points in date order, conflicts
    flagged, series ordered by subject, most points first. Independent of the points' order."""
    series = [series_of(key, points) for key, points in groups if points]
    series.sort(key=series_order)
    return series


def series_of(key: SeriesKey, points: list[tuple[SeriesPoint, str]]) -> Series:
    subject, measure = key
    ordered = sorted(points, key=lambda pa: point_order(pa[0]))
    for p, _art in ordered:
        p.conflict = False
    _flag_conflicts([(p, art) for p, art in ordered])
    base = measure.split(" @ ")[0]
    return Series(subject=subject, measure=measure, unit=_UNIT_LABEL.get(base, base), points=[p for p, _ in ordered])


def point_order(p: SeriesPoint) -> tuple[str, float, str, bool, str]:
    return (p.date, p.value, p.fact or "", p.derived, p.qualifier)


def series_order(s: Series) -> tuple[str, int, str]:
    return (s.subject, -len(s.points), s.measure)


def _measure(f: Fact, sentence_words: list[str], cfg: _Config) -> str | None:
    unit = f.unit or ""
    if unit == "percent":
        return WOMEN_SHARE if cfg.share_words & set(sentence_words) else None
    return unit if unit in cfg.series_measures else None


def _country_of(entity_id: str, name_of: NameOf) -> str:
    """An organisation's figures count for its country when the gazetteer knows it."""
    if entity_id.startswith("country/"):
        return entity_id
    name = name_of(entity_id)
    if name is not None:
        entry = gazetteer().lookup(name)
        country = entry.meta.get("country") if entry is not None else None
        if country:
            return f"country/{slug(country)}"
    return entity_id


def _scope(f: Fact, name_of: NameOf, words_before: list[str], cfg: _Config) -> str | None:
    """A part of the whole: "Individually, ... 153 officers" or "184 soldiers to UNISFA"."""
    for w in words_before:
        if w in cfg.scope_words:
            return cfg.scope_words[w]
    missions = [e for e in f.entities[1:] if e.startswith("mission/")]
    if len(missions) == 1:
        return name_of(missions[0]) or missions[0].split("/", 1)[1]
    return None


def _point_date(f: Fact, art: Article) -> str | None:
    if f.date and "/" not in f.date:
        return f.date
    return art.published_iso


def _women_share(women: Fact, same_sentence: list[Fact], date: str) -> SeriesPoint | None:
    """ "Among 512 officers ..., more than 70 are women" -> more than 13.7 % women."""
    totals = [
        q
        for q in same_sentence
        if q.unit == "personnel" and q.id != women.id and q.value and _amount(q.value) > _amount(women.value)
    ]
    if not totals:
        return None
    total = totals[0]
    share = round(100.0 * _amount(women.value) / _amount(total.value), 1)
    return SeriesPoint(date, share, women.qualifier or "exact", women.id, True, [women.id, total.id])


# -- conflicts -------------------------------------------------------------------------------


def interval(value: float, qualifier: str) -> tuple[float, float]:
    """The values a qualified figure allows: "more than 500" -> (500, inf)."""
    v = float(value)
    return {
        "exact": (v, v),
        "more_than": (v, math.inf),
        "over": (v, math.inf),
        "at_least": (v, math.inf),
        "up_to": (0.0, v),
        "nearly": (0.85 * v, v),
        "about": (0.9 * v, 1.1 * v),
        "approximately": (0.9 * v, 1.1 * v),
    }.get(qualifier, (v, v))


_STRICT = ("more_than", "over")


def _bounds(p: SeriesPoint) -> tuple[float, float]:
    """The interval, with "more than N" excluding N itself."""
    lo, hi = interval(p.value, p.qualifier)
    if p.qualifier in _STRICT:
        lo = math.nextafter(lo, math.inf)
    return lo, hi


def _compatible(a: SeriesPoint, b: SeriesPoint) -> bool:
    lo1, hi1 = _bounds(a)
    lo2, hi2 = _bounds(b)
    return max(lo1, lo2) <= min(hi1, hi2)


def _flag_conflicts(points: list[tuple[SeriesPoint, str]]) -> None:
    """Flag points that no other source's point on the same date can agree with.

    Points from one article are related figures ("more than 500 ... 512"), not two sources,
    so only other articles count. For each point, the highest lower bound and the lowest
    upper bound among the other articles' points decide: O(n) per date.
    """
    by_date: dict[str, list[tuple[SeriesPoint, str]]] = defaultdict(list)
    for p, art in points:
        by_date[p.date].append((p, art))
    for same in by_date.values():
        if len(same) < 2:
            continue
        rows = [(p, *_bounds(p), art) for p, art in same]
        top_lo = _best_two(rows, key=lambda r: r[1], highest=True)
        low_hi = _best_two(rows, key=lambda r: r[2], highest=False)
        for p, lo, hi, art in rows:
            other_lo = next((r[1] for r in top_lo if r[3] != art), None)
            other_hi = next((r[2] for r in low_hi if r[3] != art), None)
            if (other_lo is not None and other_lo > hi) or (other_hi is not None and other_hi < lo):
                p.conflict = True


def _amount(value: int | float | str | None) -> float:
    """A quantity's value as a number (``float(value)``: None is a TypeError)."""
    if value is None:
        raise TypeError("a quantity with no value")
    return float(value)


#: a point, its interval (low, high) and its article
_Row = tuple[SeriesPoint, float, float, str]


def _best_two(rows: list[_Row], key: Callable[[_Row], float], highest: bool) -> list[_Row]:
    """The best row, and the best row from another article than the first's."""
    ordered = sorted(rows, key=key, reverse=highest)
    first = ordered[0]
    second = next((r for r in ordered[1:] if r[3] != first[3]), None)
    return [first] + ([second] if second is not None else [])


def format_value(p: SeriesPoint) -> str:
    """``more than 500``, ``nearly 1,100``, ``13.7`` for a point."""
    v = int(p.value) if float(p.value).is_integer() else p.value
    num = f"{v:,}" if isinstance(v, int) else f"{v:,.1f}"
    words = {
        "exact": "",
        "more_than": "more than ",
        "over": "over ",
        "nearly": "nearly ",
        "about": "about ",
        "approximately": "approx. ",
        "at_least": "at least ",
        "up_to": "up to ",
    }
    return f"{words.get(p.qualifier, '')}{num}"
