"""Stable fact ids: from the article and the fact's place and kind, never from load order.

``f-`` and 12 base-32 characters (60 bits) of a hash of the article's id, a hash of its text,
the fact's span, its kind and its rank among facts of the same span and kind (almost always
0). The same fact of the same article text keeps its id from run to run, whatever else is in
the corpus and in whatever order it is read; when the text changes, every id of that article
changes, so a correction made on the old text is found stale instead of landing on another
fact. At two million facts the chance that two ids collide is about one in a million; the
store still checks and lengthens an id that is taken (:func:`longer_fact_id`).
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable

ID_CHARS = 12


def text_digest(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


def _digest(article_id: str, text_hash: bytes, start: int, end: int, kind: str, rank: int) -> bytes:
    h = hashlib.sha256()
    h.update(article_id.encode("utf-8", "surrogatepass"))
    h.update(b"\0")
    h.update(text_hash)
    h.update(f"\0{start}\0{end}\0{kind}\0{rank}".encode())
    return h.digest()


def _encode(digest: bytes, chars: int) -> str:
    # 5 bits a character: encode only the bytes the characters need
    return "f-" + base64.b32encode(digest[: -(-chars * 5 // 8)]).decode("ascii").lower()[:chars]


def fact_id(article_id: str, text_hash: bytes, start: int, end: int, kind: str, rank: int = 0) -> str:
    return _encode(_digest(article_id, text_hash, start, end, kind, rank), ID_CHARS)


def longer_fact_id(article_id: str, text_hash: bytes, start: int, end: int, kind: str, rank: int = 0) -> str:
    """The same fact's id with 32 characters (160 bits), for the one-in-a-million clash."""
    return _encode(_digest(article_id, text_hash, start, end, kind, rank), 32)


def span_ranks(spans: Iterable[tuple[int, int, str]]) -> list[int]:
    """For each ``(start, end, kind)``, how many equal ones came before it."""
    seen: dict[tuple[int, int, str], int] = {}
    out = []
    for span in spans:
        rank = seen.get(span, 0)
        seen[span] = rank + 1
        out.append(rank)
    return out


def fact_ids(article_id: str, text: str, spans: Iterable[tuple[int, int, str]]) -> list[str]:
    """Ids of one article's facts given as ``(start, end, kind)``, in the order given."""
    digest = text_digest(text)
    spans = list(spans)
    return [fact_id(article_id, digest, *span, rank) for span, rank in zip(spans, span_ranks(spans))]
