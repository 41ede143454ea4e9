"""Word tokens with their offsets, and the questions the extractor asks about them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pktui.text import fold

_TOKEN_RE = re.compile(
    # each alternative over a run starts only at the run's first character ((?<!...)): tried
    # from every character of a long run of hyphens or initials, the backtracking was quadratic
    r"(?<![A-Za-z.])(?:[A-Za-z]\.){2,}(?![A-Za-z])"  # dotted acronyms: U.N., U.S.
    r"|(?<![A-Za-z0-9-])[A-Za-z0-9][A-Za-z0-9-]*(?:\.(?:com|org|net|vn|int|gov|edu|info|io|co|uk|za|fr))+\b"  # qdnd.vn
    r"|\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d)"  # 1,100
    r"|(?<![\d,.])\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d,.]?\d)"  # 18 586, 100 000 (thousands by spaces)
    r"|\d+(?:\.\d+)?"  # 252, 3.5
    r"|[^\W\d_](?:[\w]|[-'’](?=\w))*\+?"  # words, with inner hyphens/apostrophes: Jean-Pierre, A4P+
    r"|[^\w\s]",  # one punctuation character
    re.UNICODE,
)


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    text: str
    key: str  # folded, punctuation-free ("people s" for "People’s")

    @property
    def is_word(self) -> bool:
        return self.text[0].isalpha()

    @property
    def is_number(self) -> bool:
        return self.text[0].isdigit()

    @property
    def is_punct(self) -> bool:
        return not self.text[0].isalnum()

    @property
    def is_cap(self) -> bool:
        """Starts with an upper-case letter (or is a camel-case brand like ``defenceWeb``)."""
        t = self.text
        return t[0].isupper() or (t[0].isalpha() and any(c.isupper() for c in t[1:]))

    @property
    def is_allcaps(self) -> bool:
        letters = [c for c in self.text if c.isalpha()]
        return len(letters) >= 2 and all(c.isupper() for c in letters)

    @property
    def bare(self) -> str:
        """The word without a possessive ending: ``Vietnam’s`` -> ``Vietnam``."""
        t = self.text
        if len(t) > 2 and t[-2] in "'’" and t[-1] in "sS":
            return t[:-2]
        return t


#: no word, number or name part is longer: a longer run of letters is no token (bounded
#: tokens keep every later step's work per token bounded)
MAX_TOKEN = 64


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    end = len(text) if end is None else end
    out = []
    for m in _TOKEN_RE.finditer(text, start, end):
        s = m.group(0)
        if s.isspace() or len(s) > MAX_TOKEN:
            continue
        out.append(Token(m.start(), m.end(), s, fold(s)))
    return out
