"""Extraction: one article in, its entities, mentions and facts out, each with exact spans.

Pure functions of the article text and the domain data: no Textual, no network, no I/O
beyond reading the bundled YAML once.
"""

from __future__ import annotations

import bisect
import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from pktui.domain import load_domain
from pktui.extract.dates import find_dates
from pktui.extract.entities import Found, find_entities
from pktui.extract.events import find_events
from pktui.extract.ordinals import find_ordinals
from pktui.extract.quantities import find_quantities
from pktui.extract.roles import RoleMention, find_roles
from pktui.extract.subjects import ArticleIndex, main_country
from pktui.extract.tokens import Token, tokenize
from pktui.model import Article, Fact, Mention
from pktui.textsplit import __file__ as textsplit_file
from pktui.textsplit import dateline_end, sentence_spans

#: Bump when extraction changes what it produces: cached results of older versions are redone.
EXTRACTOR_VERSION = "1"


@dataclass(slots=True)
class LocalEntity:
    key: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    attributes: dict[str, str] = field(default_factory=dict)
    gazetteer: bool = False


@dataclass(slots=True)
class ArticleExtraction:
    """What one article says. Entity references are local keys (``type/slug``)."""

    article: str
    entities: list[LocalEntity]
    mentions: list[Mention]
    facts: list[Fact]
    sentences: list[tuple[int, int]]


@lru_cache(maxsize=1)
def extractor_version() -> str:
    """Version of the extractor, of its code and of the domain data it read (the cache key):
    any change to one of them means cached extractions are redone."""
    code = hashlib.sha1()
    for path in sorted(Path(__file__).parent.rglob("*.py")) + [Path(textsplit_file)]:
        code.update(path.read_bytes())
    return f"{EXTRACTOR_VERSION}:{code.hexdigest()[:10]}:{load_domain().fingerprint[:12]}"


#: An article longer than this is extracted in pieces of at most this many characters, cut
#: at a sentence end (else at white space). Several steps compare every mention or fact with
#: the others of its article or sentence: nothing for a news article of a few KB, but a
#: hostile megabyte on one line took hours. Each piece still finds its names and facts, with
#: offsets into the whole text; only a short reference ("Lacroix") and its full name in
#: different pieces are not linked here.
PIECE_CHARS = 20_000


def extract_article(article: Article) -> ArticleExtraction:
    if len(article.text) <= PIECE_CHARS:
        return _extract(article)
    return _extract_in_pieces(article)


def _pieces(text: str) -> list[tuple[int, int]]:
    ends = [e for _s, e in sentence_spans(text)]
    out = []
    start = 0
    while len(text) - start > PIECE_CHARS:
        limit = start + PIECE_CHARS
        i = bisect.bisect_right(ends, limit) - 1
        cut = ends[i] if i >= 0 and ends[i] > start + PIECE_CHARS // 2 else 0
        if not cut:
            cut = next((k for k in range(limit, start + PIECE_CHARS // 2, -1) if text[k - 1].isspace()), limit)
        out.append((start, cut))
        start = cut
    out.append((start, len(text)))
    return out


def _extract_in_pieces(article: Article) -> ArticleExtraction:
    text = article.text
    entities: dict[str, LocalEntity] = {}
    mentions: list[Mention] = []
    facts: list[Fact] = []
    sentences: list[tuple[int, int]] = []
    for n, (start, end) in enumerate(_pieces(text)):
        piece = Article(article.id, article.path, text[start:end], article.published, article.title)
        ex = _extract(piece, lead=n == 0)
        for e in ex.entities:
            have = entities.setdefault(e.key, e)
            if have is not e:
                have.gazetteer = have.gazetteer or e.gazetteer
                have.aliases.extend(a for a in e.aliases if a not in have.aliases and a != have.name)
                for k, v in e.attributes.items():
                    have.attributes.setdefault(k, v)
        for m in ex.mentions:
            mentions.append(Mention(article.id, m.start + start, m.end + start, m.text, m.entity, m.why))
        for f in ex.facts:
            f.start += start
            f.end += start
            f.sentence = (f.sentence[0] + start, f.sentence[1] + start)
            f.id = str(len(facts) + 1)
            facts.append(f)
        sentences.extend((s + start, e + start) for s, e in ex.sentences)
    return ArticleExtraction(article.id, list(entities.values()), mentions, facts, sentences)


def _extract(article: Article, lead: bool = True) -> ArticleExtraction:
    """``lead``: the text starts the article (its dateline and its publication event)."""
    text = article.text
    sentences = sentence_spans(text)
    tokens = tokenize(text)
    body_start = dateline_end(text, sentences[0][0]) if sentences and lead else (sentences[0][0] if sentences else 0)
    starts = _sentence_start_tokens(tokens, sentences, body_start)

    ent = find_entities(text, tokens, starts)
    dates = find_dates(text, article.published, sentences)
    index = ArticleIndex(text, sentences, ent.mentions)
    dates = [d for d in dates if not index.inside_a_mention(d.start, d.end)]
    index.add_dates(dates)
    blocked = [(d.start, d.end) for d in dates] + [(m.start, m.end) for m in ent.mentions if m.type != "country"]
    quantities = find_quantities(text, tokens, blocked, starts)
    ordinals = find_ordinals(text, tokens, blocked)
    roles = find_roles(text, ent.titles, ent.mentions, ent.ranks)
    events = find_events(text, sentences, dates, body_start)

    entities = _local_entities(ent.mentions, roles)
    mentions = [Mention(article.id, m.start, m.end, text[m.start : m.end], m.key, m.why) for m in ent.mentions]
    facts: list[Fact] = []

    def add(**kw: Any) -> Fact:
        f = Fact(id=str(len(facts) + 1), article=article.id, text=text[kw["start"] : kw["end"]], **kw)
        facts.append(f)
        return f

    country = main_country(ent.mentions)
    last_subject: dict[tuple[int, int], Found] = {}
    for q in quantities:
        sent = index.sentence(q.start)
        subject = index.demonym_subject(q.counted) or index.subject(sent, q.start)
        subject = subject or last_subject.get(sent) or country
        if subject is not None:
            last_subject[sent] = subject
        keys = list(dict.fromkeys(([subject.key] if subject else []) + index.places_after(sent, q.end)))
        add(kind="quantity", start=q.start, end=q.end, sentence=sent, value=q.value, qualifier=q.qualifier,
            unit=q.unit, entities=keys, detail=q.counted, date=index.date_for(sent), why=q.why)  # fmt: skip
    for o in ordinals:
        sent = index.sentence(o.start)
        subject = index.subject(sent, o.start) or last_subject.get(sent) or country
        add(kind="ordinal", start=o.start, end=o.end, sentence=sent, value=o.value, qualifier="exact",
            unit=o.unit, entities=[subject.key] if subject else [], detail=o.counted, why=o.why)  # fmt: skip
    for d in dates:
        add(kind="date", start=d.start, end=d.end, sentence=index.sentence(d.start), value=d.value,
            precision=d.precision, detail=d.detail, why=d.why)  # fmt: skip
    for r in roles:
        keys = [r.person] + ([r.org] if r.org else [])
        add(kind="role", start=r.start, end=r.end, sentence=index.sentence(r.start), value=r.title, entities=keys,
            why=r.why)  # fmt: skip
    for ev in events:
        add(kind="event", start=ev.start, end=ev.end, sentence=index.sentence(ev.start), value=ev.date.value,
            precision=ev.date.precision, entities=index.keys_in(ev.start, ev.end), summary=ev.summary,
            detail=ev.date.detail, why=f"clause dated by “{text[ev.date.start : ev.date.end]}” ({ev.date.value})")  # fmt: skip
    if lead and article.published is not None and sentences:
        s, e = sentences[0]
        lead_start = body_start if body_start < e else s
        add(kind="event", start=lead_start, end=e, sentence=(s, e), value=article.published.isoformat(),
            precision="day", entities=index.keys_in(lead_start, e), summary=f"Published: {article.title}",
            detail="published", why="the article's publication date")  # fmt: skip
    return ArticleExtraction(article.id, entities, mentions, facts, sentences)


def _sentence_start_tokens(tokens: list[Token], sentences: list[tuple[int, int]], body_start: int) -> set[int]:
    starts: set[int] = set()
    positions = sorted({s for s, _ in sentences} | {body_start})
    # the first word or number at or after each token (one pass from the end: a scan from
    # every sentence start over a long run of punctuation was quadratic)
    next_word = [len(tokens)] * (len(tokens) + 1)
    for k in range(len(tokens) - 1, -1, -1):
        next_word[k] = k if tokens[k].is_word or tokens[k].is_number else next_word[k + 1]
    k = 0
    for pos in positions:
        while k < len(tokens) and tokens[k].start < pos:
            k += 1
        if next_word[k] < len(tokens):
            starts.add(next_word[k])
    return starts


def _local_entities(mentions: list[Found], roles: list[RoleMention]) -> list[LocalEntity]:
    by_key: dict[str, LocalEntity] = {}
    for m in mentions:
        e = by_key.get(m.key)
        if e is None:
            e = by_key[m.key] = LocalEntity(m.key, m.name, m.type, gazetteer=m.gaz is not None)
        if m.gaz is not None:
            e.gazetteer = True
            for form in m.gaz.acronyms:
                if form not in e.aliases and form != e.name:
                    e.aliases.append(form)
        for a in sorted(m.aliases):
            if a not in e.aliases and a != e.name:
                e.aliases.append(a)
        for k, v in m.attrs.items():
            e.attributes.setdefault(k, v)
    for r in roles:
        e = by_key.get(r.person)
        if e is not None:
            e.attributes.setdefault("role", r.title)
    return list(by_key.values())
