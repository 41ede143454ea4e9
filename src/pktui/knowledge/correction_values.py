"""What corrections look for and set: a name's occurrences in an article's text, and values an
analyst sets by hand (which fields a fact of each kind takes, numbers, date precisions)."""

from __future__ import annotations

import re
from typing import Any

from pktui.knowledge.ledger import is_date_value
from pktui.model import Fact
from pktui.text import fold, fold_keep


class Folded:
    """An article's text folded: its words (where a name is looked for first) and, made only
    where it is there, folded in place (offsets kept: where it is)."""

    __slots__ = ("_in_place", "text", "words")

    def __init__(self, text: str) -> None:
        self.text = text
        self.words = fold(text)
        self._in_place: str | None = None

    @property
    def in_place(self) -> str:
        if self._in_place is None:
            self._in_place = fold_keep(self.text)
        return self._in_place


def name_pattern(name: str) -> re.Pattern[str] | None:
    """A name's words, folded, as whole words with any punctuation or space between them,
    matched against :func:`fold_keep` text (same length as the article, so offsets hold)."""
    words = fold(name).split()
    if not words:
        return None
    return re.compile(r"(?<![^\W_])" + r"[\W_]+".join(re.escape(w) for w in words) + r"(?![^\W_])")


def check_fact_fields(fact: Fact, fields: dict[str, Any]) -> str | None:
    """What is wrong with setting ``fields`` on ``fact`` (its kind takes only some), or None."""
    for key, value in fields.items():
        if fact.kind in ("date", "event"):
            if key != "value":
                return f"a {fact.kind} fact has only a value to set, not {key!r}"
            if not (isinstance(value, str) and is_date_value(value)):
                return f"a date is YYYY, YYYY-MM, YYYY-MM-DD or START/END, not {value!r}"
        elif fact.kind in ("quantity", "ordinal"):
            if key == "value" and number(value) is None:
                return f"a quantity's value is a number, not {value!r}"
        elif key != "value":
            return f"a {fact.kind} fact has only a value to set, not {key!r}"
    return None


def number(value: object) -> int | float | None:
    """A value set by hand as a number (``"1,200"`` -> 1200), or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return value
    try:
        number = float(str(value).replace(",", "").strip())
    except ValueError:
        return None
    return int(number) if number.is_integer() else number


def precision(value: str) -> str:
    """The precision of a date set by hand."""
    if "/" in value:
        return "range"
    return {4: "year", 7: "month"}.get(len(value), "day")
