"""The data every layer shares: articles, mentions, entities, facts, timeline, series.

Plain dataclasses with no behaviour beyond small conveniences, so that the corpus,
extraction, knowledge and search layers can pass them around (and the cache can store
them) without knowing about each other or about Textual.

Offsets are Python string indices (code points) into ``Article.text``; for every span
``article.text[start:end] == span.text`` holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

#: The corrections ledger, by default beside the articles (see pktui.knowledge.ledger).
LEDGER_NAME = "pktui-corrections.yaml"

ENTITY_TYPES = (
    "person",
    "organization",
    "mission",
    "country",
    "location",
    "unit",
    "programme",
    "event",
)
FACT_KINDS = ("quantity", "date", "role", "event")
QUALIFIERS = (
    "exact",
    "more_than",
    "over",
    "nearly",
    "about",
    "at_least",
    "up_to",
    "approximately",
)
PRECISIONS = ("year", "month", "day", "range")
#: the calendar the contract allows for date values: years 0001 to 9999
MIN_YEAR, MAX_YEAR = 1, 9999


def date_key(value: str) -> tuple[int, int, int]:
    """``"2018-09"`` -> ``(2018, 9, 0)``; a range sorts by its start; a value that is not a
    date sorts after every date."""
    parts = value.split("/", 1)[0].split("-")
    if not 1 <= len(parts) <= 3 or not all(p.isascii() and p.isdigit() for p in parts):
        return (MAX_YEAR + 1, 0, 0)
    numbers = [int(p) for p in parts] + [0] * (3 - len(parts))
    return (numbers[0], numbers[1], numbers[2])


@dataclass(frozen=True, slots=True)
class Article:
    """One news article: its body text and where it came from."""

    id: str
    path: str
    text: str
    published: date | None
    title: str
    paragraphs: tuple[tuple[int, int], ...] = ()
    #: where it came from, when the input says: the page or item's URL, the outlet, the byline
    url: str | None = None
    source: str | None = None
    author: str | None = None

    @property
    def published_iso(self) -> str | None:
        return self.published.isoformat() if self.published else None


@dataclass(frozen=True, slots=True)
class LoadProblem:
    """A file that could not be read as an article (or was read with a warning)."""

    path: str
    reason: str
    skipped: bool = True

    def line(self) -> str:
        """One line, safe for a terminal: a file name or a reason may hold escapes or newlines."""
        from pktui.text import one_line, safe_display

        verb = "skipped" if self.skipped else "warning"
        path = safe_display(self.path).replace("\n", "\u21b5")  # spaces kept, a newline shown
        return f"{verb}: {path}: {one_line(self.reason)}"


@dataclass(slots=True)
class LoadSummary:
    """What reading the corpus left out on purpose, beside the problems: counts for the
    command line's note and the browser's load summary."""

    #: articles that arrived twice (same canonical URL, or same text after folding white
    #: space) and were loaded once
    duplicates: int = 0
    #: hidden files and folders (names starting with ".") inside the corpus folders, not read
    hidden: int = 0
    #: files inside the corpus folders in no article form (images, PDFs, ...), not read
    other_files: int = 0
    #: symbolic links leading out of the corpus folders, not followed (each is also a problem)
    outside_links: int = 0
    #: (duplicate's path, path of the copy that was kept), in reading order
    duplicate_paths: list[tuple[str, str]] = field(default_factory=list)

    def notes(self) -> list[str]:
        """One line for the command line, or none when there is nothing to say."""
        parts = []
        if self.duplicates:
            parts.append(f"{self.duplicates} duplicate article(s) loaded once (same URL or same text)")
        if self.hidden:
            parts.append(f"{self.hidden} hidden file(s) or folder(s) skipped")
        return ["; ".join(parts)] if parts else []


@dataclass(slots=True)
class Mention:
    """Where an entity is named in an article."""

    article: str
    start: int
    end: int
    text: str
    entity: str = ""
    #: the rule, list or cue that found it ("gazetteer: missions", "rank before name")
    why: str | None = None
    #: numbers of the ledger entries that made or changed this mention (corrections)
    corrected: tuple[int, ...] = ()


@dataclass(slots=True)
class Entity:
    """A person, organisation, mission, ... with every mention across the corpus."""

    id: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    attributes: dict[str, str] = field(default_factory=dict)
    #: numbers of the ledger entries that changed this entity (corrections)
    corrected: tuple[int, ...] = ()

    @property
    def articles(self) -> list[str]:
        seen: dict[str, None] = {}
        for m in self.mentions:
            seen.setdefault(m.article, None)
        return list(seen)


@dataclass(slots=True)
class Fact:
    """One extracted fact tied to its exact passage.

    ``kind`` is ``quantity`` (value, qualifier, unit), ``date`` (value ``YYYY``,
    ``YYYY-MM``, ``YYYY-MM-DD`` or ``START/END``, with precision), ``role`` (value is the
    title or post; ``entities`` starts with the person) or ``event`` (value is the date,
    ``summary`` says who did what).
    """

    id: str
    kind: str
    article: str
    start: int
    end: int
    text: str
    sentence: tuple[int, int]
    value: int | float | str | None = None
    qualifier: str | None = None
    unit: str | None = None
    precision: str | None = None
    entities: list[str] = field(default_factory=list)
    summary: str | None = None
    # quantity: the item counted as written ("officers and soldiers"); date: "since"/"until"
    detail: str | None = None
    # quantity: the date the figure refers to, when the sentence gives one
    date: str | None = None
    #: the rule, list or cue that produced it ("number + counted noun", "weekday, past tense")
    why: str | None = None
    #: numbers of the ledger entries that changed this fact (corrections)
    corrected: tuple[int, ...] = ()


@dataclass(slots=True)
class TimelineEntry:
    date: str
    precision: str
    fact: str
    summary: str
    entities: list[str]
    article: str

    @property
    def sort_key(self) -> str:
        return self.date.split("/")[0]

    @property
    def date_key(self) -> tuple[int, int, int]:
        """The start of the date as numbers, for sorting: see :func:`date_key`."""
        return date_key(self.date)


@dataclass(slots=True)
class SeriesPoint:
    date: str
    value: float
    qualifier: str
    fact: str | None
    derived: bool = False
    sources: list[str] = field(default_factory=list)
    conflict: bool = False


@dataclass(slots=True)
class Series:
    subject: str
    measure: str
    unit: str
    points: list[SeriesPoint] = field(default_factory=list)
