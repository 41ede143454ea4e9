"""Every input form of the contract, mixed in one folder: articles with their metadata, text
without boilerplate, a fact from each form at its exact span, duplicates loaded once, each
broken record named; record fields remapped; ids independent of load order; streaming."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tracemalloc
from datetime import date
from pathlib import Path

import pytest

from pktui.corpus import FieldMap, ReadOptions, iter_drafts, read_corpus
from pktui.corpus.dates import parse_published
from pktui.knowledge.loader import load_knowledge
from tests.mixed_corpus import BOILERPLATE, BROKEN, DUPLICATES, EXPECTED, HIDDEN, build_mixed_corpus


def pktui(*args: str, env_extra: dict | None = None, timeout: int = 120) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1", **(env_extra or {})}
    return subprocess.run(
        [sys.executable, "-m", "pktui", *args], check=False, capture_output=True, text=True, env=env, timeout=timeout
    )


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    root = build_mixed_corpus(tmp_path_factory.mktemp("forms") / "mixed")
    return root, load_knowledge([root], use_cache=False)


def _by_place(root: Path, kb) -> dict:
    return {a.path.removeprefix(f"{root}/"): a for a in kb.articles}


def test_every_form_loads_with_its_title_date_url_source_and_author(mixed):
    root, kb = mixed
    got = _by_place(root, kb)
    assert sorted(got) == sorted(e.path for e in EXPECTED)
    for e in EXPECTED:
        a = got[e.path]
        assert (a.title, a.published_iso, a.url, a.source, a.author) == (
            e.title,
            e.published,
            e.url,
            e.source,
            e.author,
        ), e.path
        assert len(a.paragraphs) >= e.paragraphs, (e.path, a.text)
        assert a.text == a.text.strip() and "\r" not in a.text


def test_text_keeps_paragraphs_and_leaves_boilerplate_and_markup_out(mixed):
    root, kb = mixed
    got = _by_place(root, kb)
    for a in kb.articles:
        for word in BOILERPLATE:
            assert word not in a.text, (a.path, word)
        assert "<" not in a.text and "**" not in a.text and "](" not in a.text, a.path
    page = got["page.html"].text
    assert page.split("\n\n")[0].startswith("More than 500 officers and soldiers have served with UNMISS")
    assert "Families waited behind the barrier with flowers" in page
    assert not page.startswith("Peacekeepers return home")  # the headline is the title, not the text
    note = got["note.md"].text
    assert note.split("\n\n") == [
        "The engineering unit of 184 officers and soldiers left for Abyei on Sunday.",
        "Heavy machinery went ahead by sea.",
        "The unit serves for one year.",
    ]
    assert got["ministry.xml#1"].text.startswith("Nearly 90 women peacekeepers")  # full content, not the teaser


def test_a_fact_from_each_form_at_its_exact_span(mixed):
    root, kb = mixed
    got = _by_place(root, kb)
    for e in EXPECTED:
        a = got[e.path]
        facts = [f for f in kb.facts_in(a.id) if f.kind == "quantity" and f.text == e.fact]
        assert facts, (e.path, [f.text for f in kb.facts_in(a.id)])
        f = facts[0]
        assert a.text[f.start : f.end] == f.text and f.value == e.value, e.path


def test_relative_dates_resolve_against_each_articles_own_date(mixed):
    root, kb = mixed
    got = _by_place(root, kb)
    for place, month in (("ministry.xml#1", "2024-12"), ("scraper.jsonl:1", "2024-09"), ("plain.txt", "2024-12")):
        a = got[place]
        nexts = [f for f in kb.facts_in(a.id) if f.kind == "date" and f.text == "next month"]
        assert [f.value for f in nexts] == [month], place


def test_duplicates_load_once_and_are_counted(mixed):
    root, kb = mixed
    assert kb.summary.duplicates == len(DUPLICATES)
    pairs = {dup.removeprefix(f"{root}/"): kept.removeprefix(f"{root}/") for dup, kept in kb.summary.duplicate_paths}
    assert pairs == DUPLICATES
    assert kb.summary.hidden == HIDDEN and kb.summary.other_files == 1


def test_each_broken_record_is_named_by_line_or_number_and_the_rest_loads(mixed):
    root, kb = mixed
    skipped = {p.path.removeprefix(f"{root}/"): p for p in kb.problems if p.skipped}
    assert sorted(skipped) == sorted(place for place, _ in BROKEN)
    for place, words in BROKEN:
        assert words in skipped[place].reason, (place, skipped[place].reason)
    warnings = [p for p in kb.problems if not p.skipped]
    assert warnings == [], [p.line() for p in warnings]  # every good article has its date


def test_ids_are_unique_and_do_not_depend_on_load_order(tmp_path):
    x, y = tmp_path / "x", tmp_path / "y"
    x.mkdir(), y.mkdir()
    (x / "story.txt").write_text("date 2024-11-04 The first story under this name.", encoding="utf-8")
    (y / "story.txt").write_text("date 2024-11-05 The second story under this name.", encoding="utf-8")
    same_title = [
        {
            "title": "Weekly briefing",
            "date": "2024-11-05",
            "url": f"https://example.org/briefing/{i}",
            "text": f"Part {i}.",
        }
        for i in (1, 2)
    ]
    (x / "dump.jsonl").write_text("\n".join(json.dumps(r) for r in same_title), encoding="utf-8")
    (y / "other.jsonl").write_text(
        json.dumps({"title": "Unique", "date": "2024-11-05", "text": "Alone."}), encoding="utf-8"
    )
    one = {a.path: a.id for a in read_corpus([x, y]).articles}
    two = {a.path: a.id for a in read_corpus([y, x]).articles}
    assert one == two and len(one) == 5 and len(set(one.values())) == 5
    assert one[str(y / "other.jsonl:1")] == "2024-11-05-unique"
    assert all(one[str(d / "story.txt")].startswith("story-") for d in (x, y))
    briefings = sorted(one[str(x / f"dump.jsonl:{i}")] for i in (1, 2))
    assert all(b.startswith("2024-11-05-weekly-briefing-") for b in briefings)
    # a record keeps its id when the records before it change
    (x / "dump.jsonl").write_text(json.dumps(same_title[1]) + "\n" + json.dumps(same_title[0]), encoding="utf-8")
    three = {a.path: a.id for a in read_corpus([x, y]).articles}
    assert sorted(three[str(x / f"dump.jsonl:{i}")] for i in (1, 2)) == briefings


def test_export_carries_url_source_author_and_the_records_place(mixed):
    root, _kb = mixed
    r = pktui("export", "--format", "json", str(root), "--no-cache")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    arts = {a["path"].removeprefix(f"{root}/"): a for a in doc["articles"]}
    assert list(arts["scraper.jsonl:1"]) == ["id", "path", "published", "title", "url", "source", "author", "text"]
    assert arts["ministry.xml#1"]["source"] == "Ministry of Defence News"
    assert arts["plain.txt"]["url"] is None and arts["plain.txt"]["author"] is None
    lines = r.stderr.splitlines()
    for place, _words in BROKEN:
        assert sum(f"{root}/{place}: " in ln for ln in lines) == 1, (place, lines)
    assert "pktui: note: 2 duplicate article(s) loaded once (same URL or same text); 1 hidden file(s)" in r.stderr


# -- field names -----------------------------------------------------------------------------

CUSTOM = [
    {"headline_text": "Medics return", "body_html": "<p>The 20 medics returned next month.</p>", "pub": "2024-03-10"},
    {"headline_text": "Engineers leave", "body_html": "<p>The 31 engineers left.</p>", "pub": "10 March 2024"},
]


def test_field_names_mapped_on_the_command_line_or_in_the_config(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "custom.jsonl").write_text("\n".join(json.dumps(r) for r in CUSTOM), encoding="utf-8")
    r = pktui("export", "--format", "json", str(corpus), "--no-cache")
    assert r.returncode == 1 and r.stderr.count("no text (looked for text, body, content, maintext)") == 2
    args = ("export", "--format", "json", str(corpus), "--no-cache")
    r = pktui(*args, "--field", "text=body_html", "--field", "date=pub", "--field", "title=headline_text")
    assert r.returncode == 0, r.stderr
    got = [(a["title"], a["published"], a["text"]) for a in json.loads(r.stdout)["articles"]]
    assert sorted(got) == [
        ("Engineers leave", "2024-03-10", "The 31 engineers left."),
        ("Medics return", "2024-03-10", "The 20 medics returned next month."),
    ]
    config = tmp_path / "config"
    (config / "pktui").mkdir(parents=True)
    (config / "pktui" / "config.yaml").write_text(
        "fields:\n  text: body_html\n  date: [released, pub]\n  title: headline_text\n", encoding="utf-8"
    )
    r2 = pktui(*args, env_extra={"XDG_CONFIG_HOME": str(config)})
    assert r2.returncode == 0, r2.stderr
    assert json.loads(r2.stdout)["articles"] == json.loads(r.stdout)["articles"]
    r3 = pktui(*args, "--field", "body=text")
    assert r3.returncode == 2 and "unknown article field 'body'" in r3.stderr


def test_nested_fields_and_case_insensitive_names():
    fields = FieldMap.build(specs=["source=site.name"])
    record = {"Site": {"name": "Outlet"}, "site": {"name": "The Outlet"}, "TITLE": "Upper"}
    assert fields.pick(record, "source") == ("The Outlet", "site.name")
    assert fields.pick(record, "title") == ("Upper", "TITLE")


# -- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2024-11-05T23:30:00-05:00", date(2024, 11, 5)),  # as written, not moved to UTC
        ("2024-11-06T04:30:00Z", date(2024, 11, 6)),
        ("Tue, 05 Nov 2024 23:30:00 -0500", date(2024, 11, 5)),
        ("Wed, 06 Nov 2024 04:30:00 GMT", date(2024, 11, 6)),
        ("5 November 2024", date(2024, 11, 5)),
        ("November 5, 2024", date(2024, 11, 5)),
        ("13/11/2024", date(2024, 11, 13)),
        ("20241105", date(2024, 11, 5)),
        (1730851200, date(2024, 11, 6)),  # epoch seconds (UTC)
        (1730851200000, date(2024, 11, 6)),  # epoch milliseconds
        (date(2024, 1, 2), date(2024, 1, 2)),  # YAML front matter gives dates
        (None, None),
        ("", None),
    ],
)
def test_dates_are_read_as_written(value, expected):
    assert parse_published(value) == (expected, None)


@pytest.mark.parametrize(
    "value, words",
    [("05/11/2024", "ambiguous"), ("November 2024", "without a day"), ("2024-02-30", "impossible"), ("soon", "")],
)
def test_dates_that_cannot_be_read_say_why(value, words):
    published, problem = parse_published(value)
    assert published is None and problem and words in problem


# -- streaming -------------------------------------------------------------------------------


@pytest.mark.parametrize("form", ["jsonl", "json", "csv"])
def test_a_large_records_file_is_streamed_record_by_record(tmp_path, form):
    """Reading 500 records of 10 KB (5 MB) without keeping them holds a few records and the
    read buffers at a time (and a digest of each for duplicates), not the file: the peak is
    the same for 300 or 800 records (measured), here under half the file."""
    n, body = 500, "Peacekeepers arrived in Juba. " * 350
    path = tmp_path / f"big.{form}"
    with open(path, "w", encoding="utf-8") as fh:
        if form == "csv":
            fh.write("title,text\n")
        elif form == "json":
            fh.write("[\n")
        for i in range(n):
            if form == "csv":
                fh.write(f"Record {i},{body}{i}\n")
            else:
                sep = ",\n" if form == "json" and i < n - 1 else "\n"
                fh.write(json.dumps({"title": f"Record {i}", "text": f"{body}{i}"}) + sep)
        if form == "json":
            fh.write("]\n")
    assert path.stat().st_size > 5_000_000
    tracemalloc.start()
    try:
        count = sum(1 for item in iter_drafts([path], ReadOptions()) if not hasattr(item, "reason"))
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == n
    assert peak < 2_500_000, f"peak {peak / 1e6:.1f} MB while streaming a {path.stat().st_size / 1e6:.0f} MB file"


def test_a_page_keeps_wrapped_paragraphs_whole_and_never_guesses_a_date(tmp_path):
    lines = "\n".join(["Engineers repaired 17 bridges", "along the supply route", "before the rains came."] * 3)
    (tmp_path / "undated.html").write_text(
        f"<html><head><title>Bridges</title></head><body><article><h1>Bridges</h1><p>{lines}</p>"
        "<p>Second<br>paragraph with a break.</p></article>"
        "<footer><p>Copyright © 2019 Example Outlet</p></footer></body></html>",
        encoding="utf-8",
    )
    c = read_corpus([tmp_path])
    (a,) = c.articles
    assert a.text.split("\n\n") == [" ".join(lines.split()), "Second\nparagraph with a break."]
    assert a.published is None  # the copyright year is not a publication date
    assert [p.reason for p in c.problems] == ["no date in the page's metadata; date unknown"]


def test_a_page_without_main_text_and_feeds_that_do_not_parse_are_named(tmp_path):
    (tmp_path / "menu.html").write_text(
        "<html><body><nav><a href='/'>Home</a> <a href='/w'>World</a></nav><footer>Contact</footer></body></html>",
        encoding="utf-8",
    )
    (tmp_path / "cut.xml").write_text(
        '<?xml version="1.0"?>\n<rss version="2.0"><channel><title>T</title>\n<item><title>A', encoding="utf-8"
    )
    (tmp_path / "sitemap.xml").write_text(
        '<?xml version="1.0"?><urlset><url><loc>https://example.org/</loc></url></urlset>', encoding="utf-8"
    )
    (tmp_path / "table.tsv").write_text(
        "headline\tbody\tdate\nTabs work\tA platoon of 30 soldiers arrived.\t2024-02-01\n", encoding="utf-8"
    )
    c = read_corpus([tmp_path])
    reasons = {Path(p.path).name: p.reason for p in c.problems}
    assert reasons["menu.html"].startswith("no main text found in the page")
    assert reasons["cut.xml"].startswith("feed does not parse:") and "(line 3)" in reasons["cut.xml"]
    assert reasons["sitemap.xml"] == "not a feed (RSS or Atom)"
    assert all(p.skipped for p in c.problems) and len(c.problems) == 3
    assert [(a.title, a.published_iso, a.path) for a in c.articles] == [
        ("Tabs work", "2024-02-01", f"{tmp_path}/table.tsv:2")
    ]


def test_a_record_over_the_article_limit_is_named_and_the_next_one_loads(tmp_path):
    big = "x" * (8 * 1024 * 1024 + 10)
    lines = [json.dumps({"text": big}), json.dumps({"title": "Small", "text": "Four observers left."})]
    (tmp_path / "dump.jsonl").write_text("\n".join(lines), encoding="utf-8")
    c = read_corpus([tmp_path])
    assert [a.title for a in c.articles] == ["Small"]
    assert [(Path(p.path).name, p.skipped) for p in c.problems if "limit" in p.reason] == [("dump.jsonl:1", True)]
