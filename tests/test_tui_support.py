"""Shared fixtures for the TUI tests: a hand-made knowledge base over the bundled articles
and a small stand-in search index with the engine's API, so the browser's tests do not
depend on what extraction or the search engine currently return (their own tests do that).
The acceptance tests (test_tui_acceptance.py) run the real loader and engine.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from pktui.corpus import read_corpus
from pktui.knowledge.base import KnowledgeBase
from pktui.model import Article, Entity, Fact, LoadProblem, Mention, Series, SeriesPoint, TimelineEntry
from pktui.text import fold, fold_keep
from pktui.textsplit import sentence_spans

A = "2022-11-27-lacroix-visits-vietnam-peacekeeping-department"
B = "2025-06-14-deputy-defence-minister-receives-lacroix"


def _find(article: Article, quote: str, nth: int = 0) -> tuple[int, int]:
    pos = -1
    for _ in range(nth + 1):
        pos = article.text.find(quote, pos + 1)
        assert pos >= 0, f"{quote!r} not in {article.id}"
    return pos, pos + len(quote)


def _sentence(article: Article, start: int) -> tuple[int, int]:
    for s, e in sentence_spans(article.text):
        if s <= start < e:
            return (s, e)
    return (start, start + 1)


ENTITIES = [
    # id, name, type, [(article, quote, nth), ...], aliases
    (
        "person/jean-pierre-lacroix",
        "Jean-Pierre Lacroix",
        "person",
        [
            (A, "Jean-Pierre Lacroix", 0),
            (A, "Lacroix", 1),
            (A, "Lacroix", 2),
            (B, "Jean-Pierre Lacroix", 0),
            (B, "Lacroix", 1),
        ],
        ["Lacroix"],
    ),
    (
        "person/hoang-kim-phung",
        "Hoàng Kim Phụng",
        "person",
        [(A, "Hoàng Kim Phụng", 0), (A, "Phụng", 1), (A, "Phụng", 2)],
        ["Phụng"],
    ),
    (
        "person/hoang-xuan-chien",
        "Hoang Xuan Chien",
        "person",
        [(B, "Hoang Xuan Chien", 0), (B, "Hoang Xuan Chien", 1)],
        ["Chien"],
    ),
    (
        "country/viet-nam",
        "Việt Nam",
        "country",
        [(A, "Việt Nam", 0), (A, "Việt Nam", 2), (A, "Việt Nam", 3), (B, "Vietnam", 0)],
        ["Vietnam"],
    ),
    ("location/south-sudan", "South Sudan", "location", [(A, "South Sudan", 0), (A, "South Sudan", 1)], []),
    (
        "mission/unisfa",
        "UNISFA",
        "mission",
        [(A, "UN Interim Security Force for Abyei", 0), (A, "UNISFA", 0)],
        ["UN Interim Security Force for Abyei"],
    ),
    (
        "organization/vdpo",
        "Việt Nam Department of Peacekeeping Operations",
        "organization",
        [(A, "Việt Nam Department of Peacekeeping Operations", 0), (A, "VDPO", 0)],
        ["VDPO"],
    ),
    (
        "event/seoul-un-peacekeeping-ministerial-meeting",
        "Seoul UN Peacekeeping Ministerial Meeting",
        "event",
        [(A, "Seoul UN Peacekeeping Ministerial Meeting", 0)],
        [],
    ),
    ("programme/a4p", "Action for Peacekeeping", "programme", [(B, "Action for Peacekeeping", 0)], ["A4P"]),
]

FACTS = [
    # id, kind, article, quote, nth, extra
    (
        "f-visit",
        "event",
        A,
        "Jean-Pierre Lacroix on Saturday visited",
        0,
        dict(
            value="2022-11-26",
            precision="day",
            summary="Lacroix visits the VDPO",
            entities=["person/jean-pierre-lacroix", "organization/vdpo"],
        ),
    ),
    ("f-saturday", "date", A, "on Saturday", 0, dict(value="2022-11-26", precision="day")),
    (
        "f-role-phung",
        "role",
        A,
        "Director of the department Maj. Gen. Hoàng Kim Phụng",
        0,
        dict(value="Director of the department", entities=["person/hoang-kim-phung"]),
    ),
    ("f-2014", "date", A, "in 2014", 0, dict(value="2014", precision="year", entities=["country/viet-nam"])),
    (
        "f-500",
        "quantity",
        A,
        "more than 500 officers and soldiers",
        0,
        dict(
            value=500,
            qualifier="more_than",
            unit="personnel",
            detail="officers and soldiers",
            entities=["country/viet-nam"],
        ),
    ),
    (
        "f-2018-09",
        "date",
        A,
        "in September 2018",
        0,
        dict(value="2018-09", precision="month", entities=["country/viet-nam", "location/south-sudan"]),
    ),
    (
        "f-four",
        "quantity",
        A,
        "four hospitals",
        0,
        dict(value=4, qualifier="exact", unit="hospitals", entities=["location/south-sudan"]),
    ),
    ("f-252", "quantity", A, "252 medical staff", 0, dict(value=252, qualifier="exact", unit="medical staff")),
    ("f-2022", "date", A, "In 2022", 0, dict(value="2022", precision="year", entities=["mission/unisfa"])),
    (
        "f-184",
        "quantity",
        A,
        "184 officers and soldiers",
        0,
        dict(value=184, qualifier="exact", unit="personnel", entities=["mission/unisfa"]),
    ),
    ("f-30pc", "quantity", A, "more than 30 per cent", 0, dict(value=30, qualifier="more_than", unit="percent")),
    (
        "f-512",
        "quantity",
        A,
        "512 Vietnamese officers and soldiers",
        0,
        dict(value=512, qualifier="exact", unit="personnel", entities=["country/viet-nam"]),
    ),
    ("f-70", "quantity", A, "more than 70 are women", 0, dict(value=70, qualifier="more_than", unit="women")),
    (
        "f-last-year",
        "date",
        A,
        "last year",
        0,
        dict(value="2021", precision="year", entities=["event/seoul-un-peacekeeping-ministerial-meeting"]),
    ),
    (
        "f-june13",
        "date",
        B,
        "on June 13",
        0,
        dict(value="2025-06-13", precision="day", entities=["person/hoang-xuan-chien"]),
    ),
    (
        "f-role-chien",
        "role",
        B,
        "Deputy Minister of National Defence",
        0,
        dict(value="Deputy Minister of National Defence", entities=["person/hoang-xuan-chien"]),
    ),
    ("f-2021-2023", "date", B, "2021–2023", 0, dict(value="2021/2023", precision="range", entities=["programme/a4p"])),
    ("f-june2014", "date", B, "Since June 2014", 0, dict(value="2014-06", precision="month", detail="since")),
    (
        "f-1100",
        "quantity",
        B,
        "nearly 1,100 personnel",
        0,
        dict(value=1100, qualifier="nearly", unit="personnel", date="2025-06", entities=["country/viet-nam"]),
    ),
]

TIMELINE = [
    # fact id, summary
    ("f-2014", "Việt Nam officially joins UN peacekeeping activities"),
    ("f-june2014", "Việt Nam's Ministry of National Defence starts deploying personnel to UN missions"),
    ("f-2018-09", "Việt Nam signs first agreement with the UN on Level-2 Field Hospitals for South Sudan"),
    ("f-last-year", "Seoul UN Peacekeeping Ministerial Meeting"),
    ("f-2021-2023", "A4P+ period"),
    ("f-2022", "Việt Nam sends its first engineering unit to UNISFA"),
    ("f-visit", "Lacroix visits the Việt Nam Department of Peacekeeping Operations"),
    ("f-june13", "Hoang Xuan Chien receives Lacroix in Hanoi"),
]


def demo_kb(*, series: bool = True, articles: list[Article] | None = None, problems=()) -> KnowledgeBase:
    corpus = read_corpus(None)
    arts = {a.id: a for a in corpus.articles}
    entities = []
    for eid, name, etype, mentions, aliases in ENTITIES:
        ms = []
        for aid, quote, nth in mentions:
            s, e = _find(arts[aid], quote, nth)
            ms.append(Mention(aid, s, e, quote, eid))
        entities.append(Entity(eid, name, etype, aliases=list(aliases), mentions=ms))
    facts = []
    for fid, kind, aid, quote, nth, extra in FACTS:
        s, e = _find(arts[aid], quote, nth)
        facts.append(Fact(fid, kind, aid, s, e, quote, _sentence(arts[aid], s), **extra))
    by_id = {f.id: f for f in facts}
    timeline = []
    for fid, summary in TIMELINE:
        f = by_id[fid]
        timeline.append(TimelineEntry(str(f.value), f.precision or "day", fid, summary, list(f.entities), f.article))
    timeline.sort(key=lambda t: t.sort_key)
    kb_series = []
    if series:
        kb_series.append(
            Series(
                "country/viet-nam",
                "personnel deployed to UN peacekeeping",
                "personnel",
                [SeriesPoint("2022-11", 500, "more_than", "f-500"), SeriesPoint("2025-06", 1100, "nearly", "f-1100")],
            )
        )
        kb_series.append(
            Series(
                "mission/unisfa",
                "engineering unit size",
                "personnel",
                [SeriesPoint("2022", 184, "exact", "f-184")],
            )
        )
    return KnowledgeBase(
        articles=list(corpus.articles) if articles is None else articles,
        entities=entities,
        facts=facts,
        timeline=timeline,
        series=kb_series,
        problems=list(problems),
    )


@dataclass
class FakeHit:
    kind: str
    id: str
    score: float
    article: str
    start: int
    end: int
    matches: list[tuple[int, int]] = field(default_factory=list)
    label: str = ""


class FakeIndex:
    """Word-prefix search over facts (their sentence) and entities (their name), folded."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.calls: list[str] = []
        self._folded = {a.id: fold_keep(a.text) for a in kb.articles}
        self._words = sorted({w for a in kb.articles for w in fold(a.text).split()})

    @classmethod
    def build(cls, kb: KnowledgeBase, progress=None) -> FakeIndex:
        return cls(kb)

    def _tokens(self, query: str) -> list[str]:
        return [t for t in fold(" ".join(w for w in query.split() if ":" not in w)).split() if t]

    def search(self, query: str, limit: int = 50) -> list[FakeHit]:
        self.calls.append(query)
        tokens = self._tokens(query)
        if not tokens:
            return []
        hits = []
        for f in self.kb.facts:
            folded = self._folded[f.article]
            s0, e0 = f.sentence
            matches = []
            for t in tokens:
                i = folded.find(t, s0, e0)
                if i < 0:
                    break
                matches.append((i, i + len(t)))
            else:
                inside = sum(f.start <= s < f.end for s, _ in matches)
                hits.append(
                    FakeHit("fact", f.id, len(tokens) + inside, f.article, f.start, f.end, sorted(matches), f.text)
                )
        for e in self.kb.entities:
            name = fold_keep(e.name)
            if all(t in name for t in tokens) and e.mentions:
                m = e.mentions[0]
                mt = fold_keep(m.text)
                matches = [(m.start + mt.find(t), m.start + mt.find(t) + len(t)) for t in tokens if t in mt]
                hits.append(FakeHit("entity", e.id, len(tokens) + 2, m.article, m.start, m.end, matches, e.name))
        hits.sort(key=lambda h: -h.score)
        return hits[:limit]

    def search_counted(self, query: str, limit: int = 50) -> tuple[list[FakeHit], int]:
        hits = self.search(query, limit=1 << 30)
        return hits[:limit], len(hits)

    def suggest(self, query: str) -> str | None:
        out = []
        for t in self._tokens(query):
            close = difflib.get_close_matches(t, self._words, n=1)
            out.append(close[0] if close else t)
        s = " ".join(out)
        return s if s and s != " ".join(self._tokens(query)) else None


def demo_app(size_kb=None, **kwargs):
    """The app over the demo knowledge base and the stand-in index; no config file is read."""
    from pktui.tui.app import PktuiApp
    from pktui.tui.config import Config

    kb = size_kb if size_kb is not None else demo_kb()
    kwargs.setdefault("config", Config(Path("/nonexistent/pktui/config.yaml")))
    kwargs.setdefault("loader", lambda paths, progress=None, use_cache=True: kb)
    kwargs.setdefault("index_builder", FakeIndex.build)
    return PktuiApp(**kwargs)


async def ready(pilot) -> None:
    """Wait until the knowledge base is on screen and the index is built."""
    app = pilot.app
    for _ in range(200):
        if app.ready:
            break
        await pilot.pause(0.01)
    assert app.ready, "the knowledge base never loaded"
    await app.workers.wait_for_complete()
    await pilot.pause()


async def until(pilot, condition, seconds: float = 5.0) -> bool:
    """Wait (at most ``seconds``) for ``condition()``: a busy machine may run the loader's
    thread late; returns the condition, for the test to assert."""
    for _ in range(int(seconds / 0.02)):
        if condition():
            return True
        await pilot.pause(0.02)
    return bool(condition())


async def settle(pilot) -> None:
    """Let debounced searches and their workers finish."""
    await pilot.pause(0.08)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def hostile_problem(path: str) -> LoadProblem:
    return LoadProblem(path, "not UTF-8 text")
