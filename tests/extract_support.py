"""What the extraction tests read of one made-up article: its mentions, dates, quantities."""

from __future__ import annotations

from datetime import date

from pktui.extract import ArticleExtraction, extract_article
from pktui.model import Article


class Probe:
    """Extracts made-up sentences as an article published on ``published``."""

    def __init__(self, published: date) -> None:
        self.published = published

    def extract(self, text: str, published: date | bool | None = True) -> ArticleExtraction:
        """``published``: another date, None for an undated article, True for the default."""
        when = self.published if published is True else published
        return extract_article(Article("a", "a.txt", text, when if isinstance(when, date) else None, "t"))

    def mentions(self, text: str) -> dict[str, str]:
        """Mention text -> entity key."""
        return {m.text: m.entity for m in self.extract(text).mentions}

    def dates(self, text: str, published: date | bool | None = True) -> dict[str, str]:
        """Date facts as {text: value}."""
        return {f.text: f.value for f in self.extract(text, published).facts if f.kind == "date"}

    def quantities(self, text: str) -> dict[str, float]:
        """Quantity facts as {text: value}."""
        return {f.text: f.value for f in self.extract(text).facts if f.kind == "quantity"}
