"""Turn model objects into safe, styled ``rich.text.Text`` for the browser.

Every string that comes from an article (titles, quotes, names, summaries) goes through
:func:`pktui.text.safe_display` or :func:`pktui.text.one_line` and into a ``Text`` object,
never into a markup string, so ``[bold]`` or ``[@click=app.quit]`` in an article is shown
literally and escape sequences are shown as visible stand-ins.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from rich.text import Text
from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual

from pktui.model import Article, Entity, Fact, Series, SeriesPoint, TimelineEntry
from pktui.text import fold, one_line, safe_display

#: Group headings of the entities pane, in display order.
TYPE_GROUPS = {
    "person": "People",
    "organization": "Organisations",
    "mission": "Missions",
    "country": "Countries",
    "location": "Places",
    "unit": "Units",
    "programme": "Programmes",
    "event": "Events",
}
TYPE_NAMES = {
    "person": "person",
    "organization": "organisation",
    "mission": "mission",
    "country": "country",
    "location": "place",
    "unit": "unit",
    "programme": "programme",
    "event": "event",
}
KIND_TAGS = {"quantity": "qty  ", "date": "date ", "role": "role ", "event": "event"}
QUALIFIER_WORDS = {
    "exact": "",
    "more_than": "more than",
    "over": "over",
    "nearly": "nearly",
    "about": "about",
    "at_least": "at least",
    "up_to": "up to",
    "approximately": "approximately",
}
QUALIFIER_SIGNS = {
    "exact": "",
    "more_than": ">",
    "over": ">",
    "nearly": "<",
    "about": "≈",
    "at_least": "≥",
    "up_to": "≤",
    "approximately": "≈",
}
UNKNOWN_DATE = "date unknown"


def clip(text: str, limit: int) -> str:
    """One safe line of at most ``limit`` characters (an ellipsis marks the cut)."""
    line = one_line(text)
    return line if len(line) <= limit else line[: max(0, limit - 1)].rstrip() + "…"


def fmt_number(value: object) -> str:
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if value.is_integer():
            return f"{int(value):,}"
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return one_line(str(value))


def fmt_date(value: str | None) -> str:
    """``2021/2023`` -> ``2021–2023``; day, month and year dates as they are."""
    if not value:
        return UNKNOWN_DATE
    value = one_line(value)
    if "/" in value:
        start, _, end = value.partition("/")
        return f"{start}–{end}"
    return value


def fmt_unit(unit: str | None) -> str:
    if not unit:
        return ""
    unit = one_line(unit)
    return "%" if unit in ("percent", "per cent", "%") else unit


_INVARIANT_UNITS = frozenset({"personnel", "staff", "women", "people", "police", "money", "area"})


def quantity_words(fact: Fact) -> str:
    """``more than 500 personnel`` / ``30%``."""
    qual = QUALIFIER_WORDS.get(fact.qualifier or "exact", one_line(fact.qualifier or "").replace("_", " "))
    number = fmt_number(fact.value)
    unit = fmt_unit(fact.unit)
    if fact.value != 1 and unit and unit[-1].isalpha() and unit[-1] != "s" and unit.split()[-1] not in _INVARIANT_UNITS:
        unit += "s"  # "nearly 50 years", "six hospitals"
    amount = f"{number}%" if unit == "%" else f"{number} {unit}".strip()
    return f"{qual} {amount}".strip()


def fact_value(fact: Fact, entity_name=None) -> str:
    """The fact's value in words, one line."""
    if fact.kind == "quantity":
        text = quantity_words(fact)
        if fact.detail and fold(fact.detail).rstrip("s") != fold(fact.unit or "").rstrip("s"):
            text += f" ({one_line(fact.detail)})"  # what was counted, when it says more than the unit
        return text
    if fact.kind == "date":
        text = fmt_date(fact.value if isinstance(fact.value, str) else None)
        if fact.detail:
            text = f"{one_line(fact.detail)} {text}"
        return text
    if fact.kind == "role":
        who = entity_name(fact.entities[0]) if entity_name and fact.entities else None
        title = one_line(str(fact.value or fact.text))
        return f"{who}: {title}" if who else title
    if fact.kind == "event":
        return one_line(fact.summary or fact.text)
    return one_line(str(fact.value if fact.value is not None else fact.text))


class Hanging(Visual):
    """A list row: a fixed-width tag column and a body that wraps under itself (hanging indent).

    A Textual ``Visual`` built on ``Content`` (cheap to measure and render, which matters
    for result lists redrawn on every keystroke); ``plain`` is its text, for tests and tools.
    :meth:`later` makes a row whose texts are made only when it is first measured or
    drawn: a list of a hundred thousand rows is filled at once, but few are ever seen.
    """

    __slots__ = ("_content", "_make", "_parts", "width")

    def __init__(self, tag: Text, body: Text, width: int) -> None:
        self._parts: tuple[Text, Text] | None = (tag, body)
        self._make: Callable[[], tuple[Text, Text]] | None = None
        self._content: tuple[Content, Content] | None = None
        self.width = width

    @classmethod
    def later(cls, make: Callable[[], tuple[Text, Text]], width: int) -> Hanging:
        row = cls.__new__(cls)
        row._parts, row._make, row._content, row.width = None, make, None, width
        return row

    def _texts(self) -> tuple[Text, Text]:
        if self._parts is None:
            assert self._make is not None
            self._parts, self._make = self._make(), None
        return self._parts

    @property
    def tag(self) -> Text:
        return self._texts()[0]

    @property
    def body(self) -> Text:
        return self._texts()[1]

    @property
    def _tag(self) -> Content:
        return self._contents()[0]

    @property
    def _body(self) -> Content:
        return self._contents()[1]

    def _contents(self) -> tuple[Content, Content]:
        if self._content is None:
            tag, body = self._texts()
            self._content = (Content.from_rich_text(tag), Content.from_rich_text(body))
        return self._content

    @property
    def plain(self) -> str:
        return f"{self.tag.plain} {self.body.plain}"

    def _body_width(self, width: int) -> int:
        return max(1, width - self.width - 1)

    def render_strips(self, width: int, height: int | None, style: Style, options: RenderOptions) -> list[Strip]:
        body_width = self._body_width(width)
        base = style.rich_style
        body = self._body.render_strips(body_width, None, style, options)
        tag = self._tag.render_strips(self.width, 1, style, options)
        gap = Strip.blank(1, base)
        lines = []
        for i, strip in enumerate(body):
            left = tag[0] if i == 0 and tag else Strip.blank(self.width, base)
            lines.append(
                Strip.join([left.crop_extend(0, self.width, base), gap, strip.crop_extend(0, body_width, base)])
            )
        if height is not None:
            lines = lines[:height] + [Strip.blank(width, base)] * max(0, height - len(lines))
        return lines

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self.width + 1 + self._body.get_optimal_width(rules, container_width)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self._body.get_height(rules, self._body_width(width))


class Later(Visual):
    """A list row whose ``Text`` is made when it is first measured or drawn."""

    __slots__ = ("_content", "_make", "_text")

    def __init__(self, make: Callable[[], Text]) -> None:
        self._make: Callable[[], Text] | None = make
        self._text: Text | None = None
        self._content: Content | None = None

    @property
    def text(self) -> Text:
        if self._text is None:
            assert self._make is not None
            self._text, self._make = self._make(), None
        return self._text

    @property
    def plain(self) -> str:
        return self.text.plain

    def _c(self) -> Content:
        if self._content is None:
            self._content = Content.from_rich_text(self.text)
        return self._content

    def render_strips(self, width: int, height: int | None, style: Style, options: RenderOptions) -> list[Strip]:
        return self._c().render_strips(width, height, style, options)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self._c().get_optimal_width(rules, container_width)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self._c().get_height(rules, width)


def fact_tag(kind: str) -> Text:
    return Text(KIND_TAGS.get(kind, kind[:5]).strip(), "dim")


def fact_prompt(fact: Fact, entity_name=None, *, article: Article | None = None, quote: int = 70) -> Hanging:
    """A list row: kind, then the value, the quote (and the article) under one another."""
    body = Text()
    body.append(clip(fact_value(fact, entity_name), 80), "bold")
    when = fact.date if fact.kind == "quantity" else (fact.value if fact.kind == "event" else None)
    if isinstance(when, str) and when:
        body.append(" ")
        body.append(f"· {fmt_date(when)}", "dim")
    body.append("\n")
    body.append("“", "dim")
    body.append(clip(fact.text, quote), "italic")
    body.append("”", "dim")
    if article is not None:
        body.append("\n")
        body.append_text(article_caption(article, 32))
    return Hanging(fact_tag(fact.kind), body, 5)


def article_caption(article: Article, limit: int = 80) -> Text:
    return Text.assemble(
        (f"{article.published_iso or UNKNOWN_DATE} ", "dim"), (clip(article.title, limit), "dim italic")
    )


def article_prompt(article: Article) -> Text:
    text = Text()
    if article.published:
        text.append(article.published.isoformat(), "bold")
    else:
        text.append(UNKNOWN_DATE, "bold italic")
    text.append("\n")
    text.append(clip(article.title, 160))
    return text


def article_row(article: Article) -> Later:
    """:func:`article_prompt`, made when the row is first shown."""
    return Later(lambda: article_prompt(article))


def entity_prompt(entity: Entity) -> Text:
    text = Text(one_line(entity.name) + "  ")
    text.append(str(len(entity.mentions)), "dim")
    return text


def group_heading(etype: str, count: int) -> Text:
    return Text.assemble((TYPE_GROUPS.get(etype, one_line(etype).title()), "bold underline"), "  ", (str(count), "dim"))


def timeline_prompt(date: str, precision: str, summary: str, *, published: bool = False) -> Hanging:
    """A timeline row (its texts are made when it is first shown)."""

    def make() -> tuple[Text, Text]:
        body = Text()
        if published:
            body.append("published", "dim italic")
            body.append(" ")
        body.append(clip(summary, 200))
        if precision == "range" and "/" not in date:
            body.append(" ")
            body.append("(range)", "dim")
        return Text(fmt_date(date), "bold"), body

    return Hanging.later(make, 10)


def timeline_entry_prompt(entry: TimelineEntry) -> Hanging:
    return timeline_prompt(entry.date, entry.precision, entry.summary)


def marked(text: str, spans: Iterable[tuple[int, int]], style: str = "bold underline") -> Text:
    """``text`` (made safe) with the ``spans`` (offsets into ``text``) styled."""
    out = Text(one_line_keep_length(text))
    for start, end in spans:
        s, e = max(0, start), min(len(text), end)
        if s < e:
            out.stylize(style, s, e)
    return out


def one_line_keep_length(text: str) -> str:
    """Safe display with newlines turned into spaces, keeping every offset."""
    return safe_display(text).replace("\n", " ").replace("\r", " ")


def snippet(article_text: str, start: int, end: int, matches: Sequence[tuple[int, int]], width: int = 110) -> Text:
    """The passage ``[start, end)`` of an article with ``matches`` marked, cut around the first match."""
    start, end = max(0, start), min(len(article_text), end)
    if end - start > width:
        focus = matches[0][0] if matches else start
        lo = max(start, min(focus - width // 3, end - width))
        while lo > start and lo < focus and not article_text[lo - 1].isspace():
            lo += 1  # start at a word
        hi = min(end, lo + width)
        while hi < end and hi > lo + width // 2 and not article_text[hi].isspace():
            hi -= 1  # end at a word
    else:
        lo, hi = start, end
    rel = [(s - lo, e - lo) for s, e in matches if e > lo and s < hi]
    text = marked(article_text[lo:hi], rel, "bold underline reverse")
    if lo > start:
        text = Text("…") + text
    if hi < end:
        text.append("…")
    return text


def citation(article: Article, start: int, end: int) -> str:
    """A plain-text citation: quote, article title, date, file and character span."""
    quote = one_line(article.text[start:end])
    date = article.published_iso or UNKNOWN_DATE
    return f"“{quote}” — {one_line(article.title)}, {date} ({one_line(article.path)}, characters {start}–{end})"


_BARS = "▁▂▃▄▅▆▇█"


def sparkline(values: Sequence[float]) -> str:
    """A one-line bar chart of ``values`` (eight levels)."""
    if not values:
        return ""
    lo, hi = min(values), max(values)
    if hi == lo:
        return _BARS[3] * len(values)
    return "".join(_BARS[round((v - lo) / (hi - lo) * (len(_BARS) - 1))] for v in values)


def point_label(point: SeriesPoint) -> Text:
    sign = QUALIFIER_SIGNS.get(point.qualifier, "")
    text = Text.assemble((fmt_date(point.date), "dim"), "\n", (f"{sign}{fmt_number(point.value)}", "bold"))
    if point.derived:
        text.append(" ")
        text.append("derived", "dim italic")
    if point.conflict:
        text.append(" ")
        text.append("! conflict", "bold reverse")
    return text


def series_subject(series: Series, entity_name=None) -> str:
    name = entity_name(series.subject) if entity_name else None
    return one_line(name or series.subject)
