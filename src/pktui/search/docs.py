"""What the search index holds besides facts and entities, and the constants both the
builder and the searcher need."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

ENTITY_KIND = "entity"
PASSAGE_KIND = "passage"
# date span of a document with no date at all: it starts after and ends before every day
NO_DATE_LO = 10**8
NO_DATE_HI = 0
# the facts of one sentence that share one copy of its words (see SearchIndex._spread)
UNIT_MAX = 16


@dataclass(frozen=True, slots=True)
class Passage:
    """A sentence that holds no fact: still searchable, as a hit of kind "passage"."""

    article: str
    start: int
    end: int

    @property
    def id(self) -> str:
        return f"{self.article}@{self.start}-{self.end}"


# a name key (an entity's name or alias with no spaces) longer than this counts by its start
MAX_KEY = 96


def names_hash(words: Iterable[str]) -> int:
    """A 64-bit digest of a set of words (an entity's name words): equal sets, equal digests."""
    digest = hashlib.blake2b("\x00".join(sorted(set(words))).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little")
