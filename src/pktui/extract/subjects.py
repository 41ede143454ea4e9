"""What a fact is about: the subject of a count, the places after it, the date its sentence
gives, the names inside an event's clause.

The article's mentions and dates are indexed once by sentence and position, so each fact is
placed by a binary search, never by a scan of every mention or date of the article (a long
article with a name and a number every few words was quadratic).
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict

from pktui.domain import load_domain
from pktui.extract.dates import DateMention
from pktui.extract.entities import Found
from pktui.text import fold
from pktui.textsplit import sentence_at

SUBJECT_TYPES = ("country", "organization", "mission", "unit")
PLACE_TYPES = ("mission", "location", "country")
#: at most this many places after a count are tied to it
PLACES_AFTER = 4
_SINCE_RE = re.compile(r"(?<!\S)since(?!\S)", re.I)
_Sentence = tuple[int, int]


class ArticleIndex:
    """One article's mentions (sorted, not overlapping) and dates, indexed by sentence."""

    def __init__(self, text: str, sentences: list[_Sentence], mentions: list[Found]):
        self.text = text
        self.sentences = sentences
        self.mentions = mentions
        self.starts = [m.start for m in mentions]
        prepositions = {str(w) for w in load_domain().lexicon.get("subject_prepositions") or []}
        # per sentence: subject candidates (ends ascending), all and countries only
        self._subjects: dict[_Sentence, list[Found]] = defaultdict(list)
        self._countries: dict[_Sentence, list[Found]] = defaultdict(list)
        self._country_named: dict[str, Found] = {}
        for m in mentions:
            if m.type == "country":
                self._country_named.setdefault(fold(m.name), m)
            if m.type in SUBJECT_TYPES and not _after_preposition(text, m.start, prepositions):
                sent = sentence_at(sentences, m.start)
                self._subjects[sent].append(m)
                if m.type == "country":
                    self._countries[sent].append(m)
        self._dates: dict[_Sentence, list[DateMention]] = defaultdict(list)
        self._date_of: dict[_Sentence, str | None] = {}

    def add_dates(self, dates: list[DateMention]) -> None:
        for d in dates:
            self._dates[sentence_at(self.sentences, d.start)].append(d)
        self._date_of.clear()

    def sentence(self, pos: int) -> _Sentence:
        return sentence_at(self.sentences, pos)

    def subject(self, sent: _Sentence, pos: int) -> Found | None:
        """The entity a count is about: the nearest name before it in its sentence that is
        not after a preposition ("Việt Nam has sent ...", not "... to South Sudan"), a
        country first."""
        for pool in (self._countries.get(sent), self._subjects.get(sent)):
            if pool:
                k = bisect.bisect_right(pool, pos, key=lambda m: m.end)
                if k:
                    return pool[k - 1]
        return None

    def places_after(self, sent: _Sentence, end: int) -> list[str]:
        """Keys of the first few missions, places and countries after ``end`` in the sentence."""
        out: list[str] = []
        k = bisect.bisect_right(self.starts, end)
        while k < len(self.mentions) and self.mentions[k].start < sent[1] and len(out) < PLACES_AFTER:
            if self.mentions[k].type in PLACE_TYPES:
                out.append(self.mentions[k].key)
            k += 1
        return out

    def keys_in(self, start: int, end: int) -> list[str]:
        """Entity keys of the mentions starting in ``[start, end)``, each once."""
        lo = bisect.bisect_left(self.starts, start)
        hi = bisect.bisect_left(self.starts, end)
        return list(dict.fromkeys(m.key for m in self.mentions[lo:hi]))

    def inside_a_mention(self, start: int, end: int) -> bool:
        k = bisect.bisect_right(self.starts, start) - 1
        return k >= 0 and self.mentions[k].end >= end

    def demonym_subject(self, counted: str | None) -> Found | None:
        """ "512 Vietnamese officers": the country of the demonym, if the article names it."""
        if not counted:
            return None
        demonyms = load_domain().demonyms
        for word in counted.split()[:6]:
            country = demonyms.get(fold(word))
            if country and fold(country) in self._country_named:
                return self._country_named[fold(country)]
        return None

    def date_for(self, sent: _Sentence) -> str | None:
        """The date a figure refers to, when its sentence gives one ("By August 2021, ... 245").

        A date that only starts a period ("since 2014", "since ... in September 2018") does
        not date the figure: such counts hold at publication.
        """
        if sent not in self._date_of:
            since = _SINCE_RE.search(self.text, sent[0], sent[1])
            self._date_of[sent] = next(
                (
                    d.value
                    for d in self._dates.get(sent, [])
                    if d.detail not in ("since", "from", "starting") and (since is None or since.start() >= d.start)
                ),
                None,
            )
        return self._date_of[sent]


def main_country(mentions: list[Found]) -> Found | None:
    """The country the article is mostly about: the one named most often."""
    counts: dict[str, int] = {}
    first: dict[str, Found] = {}
    for m in mentions:
        if m.type == "country":
            counts[m.key] = counts.get(m.key, 0) + 1
            first.setdefault(m.key, m)
    if not counts:
        return None
    return first[max(counts, key=lambda k: counts[k])]


def _after_preposition(text: str, start: int, prepositions: set[str]) -> bool:
    words = text[max(0, start - 20) : start].split()
    while words and words[-1].lower() in ("the", "a", "an"):
        words.pop()
    return bool(words) and words[-1].lower().strip(",") in prepositions
