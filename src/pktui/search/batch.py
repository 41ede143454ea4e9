"""What the fact builder (:mod:`pktui.search.build_facts`) works on: the articles of a
segment, and a batch of them with its facts in document order, waiting for its tokens."""

from __future__ import annotations

import numpy as np

from pktui.model import Fact


class SegmentArticle:
    """An article of a segment: its id and day (0: undated); ``missing`` when the
    knowledge base has facts of it but no article (they are indexed last, with no text).
    The text is read from the knowledge base when the article's batch is built."""

    __slots__ = ("day", "id", "missing")

    def __init__(self, aid: str, day: int, missing: bool = False) -> None:
        self.id, self.day, self.missing = aid, day, missing

    @property
    def group(self) -> int:
        """0 dated, 1 undated, 2 missing: the first key of the newest-first order."""
        return 2 if self.missing else 0 if self.day else 1


class Batch:
    """A batch of articles, its facts in document order, waiting for its tokens.

    Per-fact data are numpy arrays in document order; positions are
    :func:`~pktui.search.arrays.keys` (the article's place in the batch and the offset in
    its text, as one number).
    """

    __slots__ = (
        "counts", "date", "detail", "fact_g", "facts", "fe_ent", "fe_pos", "fields", "fields_at",
        "groups", "k_end", "k_s0", "k_s1", "k_start", "kinds", "m_ent", "m_key", "summary", "unit",
        "unit_off", "value",
    )  # fmt: skip

    groups: list[int]  # the batch's articles (their places in the segment)
    counts: np.ndarray  # facts per article
    facts: list[Fact]  # in document order, and their kinds, article and place in their unit
    kinds: list[str]
    fact_g: np.ndarray
    unit_off: np.ndarray
    k_start: np.ndarray  # keys of each fact's start and end, and its sentence's
    k_end: np.ndarray
    k_s0: np.ndarray
    k_s1: np.ndarray
    summary: np.ndarray  # each fact's summary among the extras, or -1
    value: np.ndarray  # each fact's field sources
    unit: np.ndarray
    detail: np.ndarray
    date: np.ndarray
    fields_at: int  # where the new field values start among the extras, and their sources
    fields: list[int]
    m_key: np.ndarray  # the mentions' keys (sorted) and entities
    m_ent: np.ndarray
    fe_ent: np.ndarray  # the entities the facts name, and which fact names each
    fe_pos: np.ndarray
