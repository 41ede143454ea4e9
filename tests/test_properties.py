"""Properties over any input: extraction never raises and its offsets are exact, safe display
keeps length and lets nothing unsafe through, the reader turns any bytes into an article or
a problem, and search answers any query."""

from __future__ import annotations

import codecs
import tempfile
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pktui.corpus import make_article, read_corpus
from pktui.extract import PIECE_CHARS, extract_article
from pktui.model import Article, LoadProblem
from pktui.text import is_display_safe, one_line, safe_display
from tests import hostile

FRAGMENTS = [
    "Việt Nam", "Viet Nam", "South Sudan", "UNMISS", "UNISFA", "MINUSCA", "the UN Mission in South Sudan",
    "Jean-Pierre Lacroix", "Lacroix", "Lt. Gen. Hoang Xuan Chien", "Sen. Lieu. Gen.", "Maj. Gen.", "U.S.", "U.N.",
    "Under-Secretary-General", "Deputy Minister of National Defence", "Level-2 Field Hospital",
    "more than 500", "nearly 1,100", "63", "1,100", "12.5", "over 70", "at least", "up to", "officers and soldiers",
    "personnel", "engineers", "women", "per cent", "%", "first", "second", "No. 3", "Rotation 4",
    "January", "June 13", "13 June", "September 2018", "2014", "2021–2023", "2025-2030", "since", "until",
    "on Saturday", "last year", "a year ago", "next month", "October last year", "early 2019", "the 1990s",
    "HANOI —", "VIETNAM, November 27 -", "(VNA)", "Photo: VNA/", ".", ". ", ", ", "; ", "\n\n", "\n", " ", "  ",
    "[bold red]x[/]", "[link=file:///etc/passwd]click[/link]", "[@click=app.quit]q[/]", "[", "]", "[/]",
    "\x1b[2J", "\x1b]52;c;SGVsbG8=\x07", "\x00", "\x85", "\x9b", "\u202e", "\u200b", "\u2028", "\ufeff", "\t",
    "Level-2 Field Hospital No. 4", "Engineering Company", "Battalion", "HOSPITAL", "Rotation", "III", "IV", "(TIU)",
    "Tactical Intelligence Unit", "sister unit", "Ghana Battalion", "(", ")", "(0)", "\u201c", "\u201d", "’s", "-", "—", "–", "đ", "Đ", "ß", "İ", "ﬁ", "𝟙𝟚", "٣", "½",
]  # fmt: skip

texts = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=60).map("".join),
    st.lists(st.sampled_from(FRAGMENTS), min_size=5, max_size=80).map(" ".join),
)
published = st.one_of(st.none(), st.dates(min_value=date(1990, 1, 1), max_value=date(2035, 12, 31)))


def _check_spans(article: Article, ex) -> None:
    text = article.text
    for m in ex.mentions:
        assert 0 <= m.start <= m.end <= len(text) and text[m.start : m.end] == m.text, m
    for f in ex.facts:
        assert 0 <= f.start <= f.end <= len(text) and text[f.start : f.end] == f.text, f
        s, e = f.sentence
        assert 0 <= s <= e <= len(text), f
    for s, e in ex.sentences:
        assert 0 <= s <= e <= len(text)
    keys = {e.key for e in ex.entities}
    assert all(m.entity in keys for m in ex.mentions)


@settings(max_examples=150, deadline=None)
@given(texts, published)
@example("B HOSPITAL(0)", None)  # a unit name, "(", a number and the end: was an IndexError
def test_extraction_never_raises_and_every_span_is_exact(text, when):
    article = Article("a", "a.txt", text, when, "t")
    _check_spans(article, extract_article(article))


@settings(max_examples=80, deadline=None)
@given(texts, published)
def test_articles_as_the_reader_makes_them(text, when):
    body = text.strip()
    if not body:
        return
    article = make_article("x.txt", "x.txt", body, when)
    _check_spans(article, extract_article(article))


@settings(max_examples=4, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), min_size=50, max_size=120).map(" ".join), st.integers(3, 5))
def test_a_long_article_is_extracted_in_pieces_with_exact_spans(text, copies):
    """Past ``PIECE_CHARS`` the article is extracted in pieces; offsets stay whole-text offsets."""
    body = (" " + text) * (PIECE_CHARS * copies // max(1, len(text)) + 1)
    article = Article("long", "long.txt", body.strip(), date(2022, 11, 27), "t")
    assert len(article.text) > PIECE_CHARS
    ex = extract_article(article)
    _check_spans(article, ex)
    assert sum(f.detail == "published" for f in ex.facts) == 1
    ids = [f.id for f in ex.facts]
    assert len(set(ids)) == len(ids)


# --- safe display -----------------------------------------------------------------------

_BIDI = {0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}
_INVISIBLE = {0x00AD, 0x180E, 0x200B, 0x200C, 0x200D, *range(0x2060, 0x2065), 0xFEFF, *range(0xFFF9, 0xFFFC),
              *range(0xE0000, 0xE0080), 0x2028, 0x2029}  # fmt: skip


def unsafe(ch: str) -> bool:
    """Control (C0 but tab and newline, DEL, C1), bidi control, zero-width or invisible."""
    if unicodedata.category(ch) == "Cc":
        return ch not in "\t\n"
    return ord(ch) in _BIDI or ord(ch) in _INVISIBLE


dangerous_text = st.text(
    st.one_of(
        st.characters(),
        st.sampled_from([chr(c) for c in range(0xA0)]),
        st.sampled_from([chr(c) for c in sorted(_BIDI | _INVISIBLE)]),
    ),
    max_size=200,
)


@settings(max_examples=300, deadline=None)
@given(dangerous_text)
def test_safe_display_keeps_length_and_removes_every_unsafe_character(text):
    shown = safe_display(text)
    assert len(shown) == len(text)
    assert not any(unsafe(c) for c in shown)
    assert "\t" not in shown and is_display_safe(shown)
    for a, b in zip(text, shown, strict=True):
        if not unsafe(a) and a != "\t":
            assert a == b  # everything else is left alone
    kept_tabs = safe_display(text, tabs=False)
    assert len(kept_tabs) == len(text) and not any(unsafe(c) for c in kept_tabs)
    line = one_line(text)
    assert "\n" not in line and not any(unsafe(c) for c in line)


def test_the_hostile_characters_are_all_unsafe():
    assert all(unsafe(c) for c in hostile.UNSAFE_CHARS if c != "\r") and unsafe("\r")


# --- the reader -------------------------------------------------------------------------

_prefixes = st.sampled_from(
    [
        b"",
        b"date 2022-11-27 ",
        b"  date 2022-13-45 ",
        b"date 2022-1x-01 ",
        b"\xef\xbb\xbfdate 2024-02-29 ",
        codecs.BOM_UTF16_LE,
        codecs.BOM_UTF16_BE,
        b"\r\n\r\n",
        b"date ",
        b"---\ntitle: A note\ndate: 2024-11-05\n---\n",
        b"---\n&a [*a]\n---\n",
        b"<html><head><title>T</title></head><body><article><p>",
        b"<?xml version='1.0'?><rss version='2.0'><channel><title>C</title><item><title>I</title><description>",
        b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>E</title><content type="html">',
        b'{"title": "R", "date": "2024-11-05T23:30:00-05:00", "text": "',
        b'[{"text": "',
        b"title,date,text\nA,2024-11-05,",
        b"title\ttext\nA\t",
    ]
)
_bodies = st.one_of(
    st.binary(max_size=400),
    st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.text(max_size=100).map(lambda t: t.encode("utf-16-le", "surrogatepass")),
    st.lists(st.sampled_from(FRAGMENTS), max_size=30).map(lambda f: " ".join(f).encode("utf-8")),
)
_names = st.sampled_from(
    ["any.txt", "any.md", "any.html", "any.xml", "any.rss", "any.jsonl", "any.json", "any.csv", "any.tsv", "any"]
)


@pytest.fixture(scope="module")
def scratch():
    with tempfile.TemporaryDirectory() as d:
        yield Path(d)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_names, _prefixes, _bodies)
def test_the_reader_turns_any_bytes_under_any_extension_into_articles_or_problems(scratch, name, prefix, body):
    path = scratch / name
    path.write_bytes(prefix + body)
    corpus = read_corpus([path])  # never raises
    for p in corpus.problems:
        assert isinstance(p, LoadProblem) and p.path.startswith(str(path)), p
        line = p.line()
        assert "\n" not in line and is_display_safe(line)
    if not corpus.articles:
        assert any(p.skipped for p in corpus.problems), corpus.problems
    assert len({a.id for a in corpus.articles}) == len(corpus.articles)
    for article in corpus.articles:
        assert article.text and article.text == article.text.strip()
        assert article.path.startswith(str(path))
        assert all(0 <= s < e <= len(article.text) for s, e in article.paragraphs)
        assert is_display_safe(one_line(article.title))
        article.text.encode("utf-8")  # no lone surrogate: the export and the cache can write it


# --- search -----------------------------------------------------------------------------

try:  # the search engine is another engineer's layer
    from pktui.search import SearchIndex
except ImportError:  # pragma: no cover
    SearchIndex = None


@pytest.fixture(scope="module")
def hostile_index(tmp_path_factory):
    if SearchIndex is None:
        pytest.skip("pktui.search is not importable yet")
    from pktui.knowledge.loader import load_knowledge

    root = tmp_path_factory.mktemp("hostile-search") / "corpus"
    hostile.build_hostile_corpus(root, huge=False)
    kb = load_knowledge([root], use_cache=False)
    return kb, SearchIndex.build(kb)


queries = st.one_of(
    st.text(max_size=40),
    st.lists(
        st.one_of(
            st.sampled_from(
                [
                    "kind:",
                    "type:",
                    "entity:",
                    "after:",
                    "before:",
                    "in:",
                    '"',
                    "-",
                    " ",
                    ",",
                    ":",
                    "2022",
                    "2022-13",
                    "9999-99-99",
                    "0000",
                    "quokkaville",
                    "viet",
                    "nam",
                    "unmiss",
                    "\x1b[2J",
                    "\u202e",
                    "\x00",
                    "[bold]",
                    "*",
                    "(",
                    ")",
                    "\\",
                    "%",
                    "é",
                    "đ",
                ]
            ),
            st.text(max_size=5),
        ),
        max_size=12,
    ).map("".join),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(queries, st.integers(1, 60))
def test_search_answers_any_query(hostile_index, query, limit):
    kb, index = hostile_index
    hits = index.search(query, limit=limit)
    assert len(hits) <= limit
    for hit in hits:
        article = kb.article(hit.article)
        if article is not None:
            assert 0 <= hit.start <= hit.end <= len(article.text)
            for s, e in hit.matches:
                assert 0 <= s <= e <= len(article.text)
