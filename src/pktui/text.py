"""Text utilities shared by every layer: folding for matching, slugs, safe display.

``fold`` is the one definition of "the same words" in pktui: case, diacritics (đ/Đ too),
punctuation and hyphens do not count. ``safe_display`` makes untrusted article text
harmless for a terminal while keeping its length, so offsets stay valid on screen.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_EXTRA_FOLDS = str.maketrans(
    {
        "đ": "d",
        "Đ": "d",
        "ø": "o",
        "Ø": "o",
        "ł": "l",
        "Ł": "l",
        "ß": "ss",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ı": "i",
    }
)


@lru_cache(maxsize=65536)
def fold_char(ch: str) -> str:
    """Fold one character: lower case, no diacritics; may return "" or two letters."""
    ch = ch.translate(_EXTRA_FOLDS)
    decomposed = unicodedata.normalize("NFKD", ch)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def fold(text: str) -> str:
    """Case-, diacritic- and punctuation-insensitive key: ``'Việt-Nam’s'`` -> ``'viet nam s'``."""
    if len(text) <= 40:
        return _fold_short(text)
    return _fold(text)


@lru_cache(maxsize=262144)
def _fold_short(text: str) -> str:
    return _fold(text)


_COMBINING_RE = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")
_NON_ALNUM_RE = re.compile(r"[\W_]+")


def prepare_folding() -> None:
    """Build the table that folding letters beyond ASCII needs (16 ms, once a process): a
    search index calls it when it opens, so that no keystroke waits for it."""
    _whole_char_table()


@lru_cache(maxsize=1)
def _whole_char_table() -> dict[int, str]:
    """Characters folded one by one: ``_EXTRA_FOLDS`` plus those whose compatibility form
    mixes letters and signs (``¼`` -> ``1⁄4``, ``Ŀ`` -> ``L·``), which fold to a space as a
    whole, exactly as :func:`fold_char` treats them."""
    table = dict(_EXTRA_FOLDS.items())
    for cp in range(0xA0, 0x2500):
        f = fold_char(chr(cp))
        if len(f) > 1 and not f.isalnum() and any(c.isalnum() for c in f):
            table[cp] = " "
    return table


def _fold(text: str) -> str:
    if text.isascii():
        low = text.lower()
        if low.isalnum():
            return low
    else:
        text = _COMBINING_RE.sub("", unicodedata.normalize("NFKD", text.translate(_whole_char_table())))
    return " ".join(_NON_ALNUM_RE.sub(" ", text.lower()).split())


def fold_keep(text: str) -> str:
    """Fold letters but keep every character position: ``len(result) == len(text)``.

    Characters that fold to nothing or to several letters keep a single stand-in, so
    offsets into the result are offsets into ``text``.
    """
    out = []
    for ch in text:
        f = fold_char(ch)
        out.append(f if len(f) == 1 else (f[:1] or " "))
    return "".join(out)


def strip_diacritics(text: str) -> str:
    """Remove diacritics but keep case and punctuation (``Hoàng`` -> ``Hoang``)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def slug(text: str) -> str:
    """``'Jean-Pierre Lacroix'`` -> ``'jean-pierre-lacroix'``; ``'A4P+'`` -> ``'a4p-plus'``."""
    text = text.replace("+", " plus")
    return "-".join(fold(text).split()) or "x"


def has_diacritics(text: str) -> bool:
    return strip_diacritics(text) != text


# --- safe display -----------------------------------------------------------------------

_C0_PICTURES = {i: chr(0x2400 + i) for i in range(0x20) if i not in (0x09, 0x0A)}
_C0_PICTURES[0x7F] = "\u2421"  # DEL
_INVISIBLE_FORMAT = {
    # bidi embeddings, overrides and isolates
    **dict.fromkeys((8234, 8235, 8236, 8237, 8238), "⧩"),
    **dict.fromkeys((8294, 8295, 8296, 8297, 8206, 8207, 1564), "⧩"),
    # zero-width characters and other invisibles
    **dict.fromkeys((8203, 8204, 8205, 8288, 65279, 173, 6158), "␣"),
    # invisible operators, interlinear annotation marks and tag characters (which can hide
    # a whole line of ASCII text)
    **dict.fromkeys((*range(8289, 8293), *range(65529, 65532), *range(917504, 917632)), "␣"),
    # line and paragraph separators that terminals treat inconsistently
    0x2028: "\u21b5",
    0x2029: "\u21b5",
}
_DISPLAY_TABLE = {**_C0_PICTURES, **dict.fromkeys(range(128, 160), "�"), **_INVISIBLE_FORMAT}
_UNSAFE_RE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2028\u2029\u2060-\u2064"
    "\u2066-\u2069\ufeff\ufff9-\ufffb\U000e0000-\U000e007f]"
)


def is_display_safe(text: str) -> bool:
    return _UNSAFE_RE.search(text) is None


def safe_display(text: str, *, tabs: bool = True) -> str:
    """Replace control, escape, bidi and zero-width characters with visible stand-ins.

    Each unsafe character becomes exactly one visible character (ESC shows as ``␛``), so
    ``len(safe_display(t)) == len(t)`` and every offset into ``t`` is valid in the result.
    With ``tabs`` a tab becomes one space.
    """
    if _UNSAFE_RE.search(text) is not None:
        text = text.translate(_DISPLAY_TABLE)
    if tabs and "\t" in text:
        text = text.replace("\t", " ")
    return text


def one_line(text: str) -> str:
    """Safe, single-line form of untrusted text (for lists, status lines, stderr)."""
    return " ".join(safe_display(text).split())


def _json_escape(m: re.Match[str]) -> str:
    cp = ord(m.group(0))
    if cp > 0xFFFF:  # a tag character: its UTF-16 pair, as JSON writes it
        cp -= 0x10000
        return f"\\u{0xD800 + (cp >> 10):04x}\\u{0xDC00 + (cp & 0x3FF):04x}"
    return f"\\u{cp:04x}"


def json_terminal_safe(text: str) -> str:
    """JSON text for a terminal: every character :func:`safe_display` would replace (C1
    controls, bidi and zero-width controls, line separators) written as a JSON escape
    instead, so the document means the same and nothing reaches the terminal raw. Only
    valid on JSON, where such characters can only stand inside strings."""
    return _UNSAFE_RE.sub(_json_escape, text)
