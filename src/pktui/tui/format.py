"""Turn model objects into safe, styled ``rich.text.Text`` for the browser.

Every string that comes from an article (titles, quotes, names, summaries) goes through
:func:`pktui.text.safe_display` or :func:`pktui.text.one_line` and into a ``Text`` object,
never into a markup string, so ``[bold]`` or ``[@click=app.quit]`` in an article is shown
literally and escape sequences are shown as visible stand-ins.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.text import Text

from pktui.model import Article, Entity, Fact, Series, SeriesPoint
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
#: Beside an entity or fact a correction changed: a glyph that reads without colour.
CORRECTED_MARK = "✎"


def mark_corrected(text: Text, item: object) -> Text:
    """Append the corrected mark when ``item`` (an entity, fact or mention) was corrected."""
    if getattr(item, "corrected", ()):
        text.append(f" {CORRECTED_MARK}", "bold")
    return text


def corrected_by(item: object) -> str:
    """``corrected by entries 3, 5`` (empty when untouched)."""
    numbers = getattr(item, "corrected", ())
    if not numbers:
        return ""
    word = "entry" if len(numbers) == 1 else "entries"
    return f"{CORRECTED_MARK} corrected by {word} {', '.join(str(n) for n in numbers)}"


def counted(n: int, noun: str) -> str:
    """``1 article``, ``2,345 articles``."""
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


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
        detail = fact.detail or ""
        counted = fold(detail).rstrip("s")
        if counted and counted not in (fold(fact.unit or "").rstrip("s"), fold(fmt_unit(fact.unit)).rstrip("s")):
            text += f" ({one_line(detail)})"  # what was counted, when it says more than the unit
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


def entity_name(kb, entity_id: str | None) -> str | None:
    """An entity's name, one safe line (its id when the knowledge base lacks it)."""
    if not entity_id or kb is None:
        return None
    e = kb.entity(entity_id)
    return one_line(e.name) if e else one_line(entity_id)


def _fact_when(fact: Fact) -> str | None:
    when = fact.date if fact.kind == "quantity" else (fact.value if fact.kind == "event" else None)
    return when if isinstance(when, str) and when else None


def fact_prompt(fact: Fact, entity_name=None) -> Text:
    """Two lines: kind and value (and its date), then the quote."""
    text = Text()
    text.append(KIND_TAGS.get(fact.kind, fact.kind[:5]), "dim")
    text.append(" ")
    text.append(one_line(fact_value(fact, entity_name)), "bold")
    mark_corrected(text, fact)
    when = _fact_when(fact)
    if when:
        text.append(f" · {fmt_date(when)}", "dim")
    text.append("\n      ")
    text.append("“", "dim")
    text.append(clip(fact.text, 200), "italic")
    text.append("”", "dim")
    return text


def fact_line(fact: Fact, entity_name=None, article: Article | None = None, width: int = 80) -> Text:
    """One line: kind, value, the quote, and the article's date right-aligned."""
    text = Text()
    text.append(KIND_TAGS.get(fact.kind, fact.kind[:5]), "dim")
    text.append(" ")
    text.append(one_line(fact_value(fact, entity_name)), "bold")
    mark_corrected(text, fact)
    text.append("  “", "dim")
    text.append(one_line(fact.text), "italic")
    text.append("”", "dim")
    right = Text(article.published_iso or UNKNOWN_DATE, "dim") if article else Text()
    return right_aligned(text, right, width)


def right_aligned(left: Text, right: Text, width: int) -> Text:
    """``left`` cut to leave room for ``right`` at the end of a line ``width`` cells wide."""
    room = width - right.cell_len - 1
    if room < 8 or not right:
        return left
    left = left.copy()
    left.truncate(room, overflow="ellipsis", pad=True)
    return Text.assemble(left, " ", right)


def article_caption(article: Article, limit: int = 80) -> Text:
    return Text.assemble(
        (f"{article.published_iso or UNKNOWN_DATE} ", "dim"), (clip(article.title, limit), "dim italic")
    )


def article_prompt(article: Article) -> Text:
    """Two lines: the date and the source, then the title."""
    text = Text()
    if article.published:
        text.append(article.published.isoformat(), "bold")
    else:
        text.append(UNKNOWN_DATE, "bold italic")
    if article.source:
        text.append(" · ", "dim")
        text.append(one_line(article.source), "dim")
    text.append("\n")
    text.append(clip(article.title, 300))
    return text


def entity_prompt(entity: Entity) -> Text:
    text = mark_corrected(Text(one_line(entity.name)), entity)
    text.append("  ")
    text.append(str(len(entity.mentions)), "dim")
    return text


def group_heading(etype: str, count: int) -> Text:
    return Text.assemble((TYPE_GROUPS.get(etype, one_line(etype).title()), "bold underline"), "  ", (str(count), "dim"))


def timeline_line(date: str, precision: str, summary: str, *, published: bool = False, corrected: bool = False) -> Text:
    """One timeline row: the date in a column, then what happened (marked when corrected)."""
    text = Text(f"{fmt_date(date):<10}", "bold")
    text.append(" ")
    if corrected:
        text.append(f"{CORRECTED_MARK} ", "bold")
    if published:
        text.append("published ", "dim italic")
    text.append(clip(summary, 300))
    if precision == "range" and "/" not in date:
        text.append(" (range)", "dim")
    return text


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


def load_summary(kb) -> list[str]:
    """What the load left out, counted the same way everywhere: skipped files, warnings, and the
    duplicates and hidden files the knowledge base reports (when it does)."""
    skipped = sum(1 for p in kb.problems if p.skipped)
    warnings = len(kb.problems) - skipped
    parts = [f"{skipped:,} skipped"] if skipped else []
    if warnings:
        parts.append(f"{warnings:,} warning{'s' if warnings > 1 else ''}")
    summary = getattr(kb, "summary", None)
    labels = (
        ("duplicates", "duplicate", "duplicates", "skipped"),
        ("hidden", "hidden file", "hidden files", "skipped"),
        ("other_files", "other file", "other files", ""),
    )
    for key, one, many, then in labels:
        n = summary.get(key) if isinstance(summary, dict) else getattr(summary, key, None)
        if n is None:
            n = getattr(kb, key, None)
        if isinstance(n, int) and not isinstance(n, bool) and n > 0:
            parts.append(f"{n:,} {one if n == 1 else many} {then}".rstrip())
    return parts


def kb_status(kb, index_error: str | None = None) -> Text:
    """The status line: what was loaded, what was left out, whether search works."""
    if kb is None:
        return Text("loading…", "dim")
    # what was left out before the entity and fact counts (the panes' titles count those too):
    # a narrow bar keeps the first parts whole
    text = Text(f"{len(kb.articles):,} articles", "dim")
    if index_error:
        text.append(" · ", "dim")
        text.append("search unavailable", "bold")
    rest = [*load_summary(kb), f"{len(kb.entities):,} entities", f"{len(kb.facts):,} facts"]
    text.append("".join(f" · {part}" for part in rest), "dim")
    return text


def citation(article: Article, start: int, end: int) -> str:
    """A plain-text citation: quote — source, title (whole), date, URL (the file when there is none)."""
    quote = one_line(article.text[start:end])
    parts = [one_line(article.source)] if article.source else []
    parts += [one_line(article.title), article.published_iso or UNKNOWN_DATE]
    parts.append(one_line(article.url) if article.url else one_line(article.path))
    return f"“{quote}” — {', '.join(p for p in parts if p)}"


def article_meta(article: Article) -> Text:
    """Date, source, author and URL of an article, as far as they are known."""
    text = Text()
    text.append(article.published_iso or UNKNOWN_DATE, "bold")
    for value, style in ((article.source, "bold"), (article.author, ""), (article.url, "underline")):
        if value:
            text.append(" · ", "dim")
            text.append(one_line(value), style)
    if not article.url:
        text.append(" · ", "dim")
        text.append(one_line(article.path), "dim")
    return text


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
