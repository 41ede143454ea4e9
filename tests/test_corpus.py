"""Reading article files: the header, titles, ids, folders, and every kind of bad file."""

from __future__ import annotations

import os
from datetime import date

import pytest

from pktui.corpus import MAX_ARTICLE_BYTES, read_corpus
from pktui.textsplit import sentence_spans, title_of
from tests.conftest import write_article


def test_bundled_corpus_reads_with_titles(sample_kb):
    arts = {a.id: a for a in sample_kb.articles}
    a = arts["2022-11-27-lacroix-visits-vietnam-peacekeeping-department"]
    assert a.published == date(2022, 11, 27)
    assert a.text.startswith("VIETNAM, November 27 - HÀ NỘI — UN Under-Secretary-General")
    assert a.title.startswith("UN Under-Secretary-General for Peace Operations Jean-Pierre Lacroix on Saturday visited")
    assert a.path == "data/articles/2022-11-27-lacroix-visits-vietnam-peacekeeping-department.txt"
    b = arts["2025-06-14-deputy-defence-minister-receives-lacroix"]
    assert b.title.startswith("Sen. Lieu. Gen. Hoang Xuan Chien (right), Deputy Minister of National Defence")


def test_header_bom_crlf_and_same_line_body(tmp_path):
    p = tmp_path / "a.txt"
    p.write_bytes("\ufeff  date 2023-01-02 HANOI (VNA) – First line.\r\n\r\nSecond para.\r\n".encode())
    c = read_corpus([tmp_path])
    (a,) = c.articles
    assert a.published == date(2023, 1, 2)
    assert a.text == "HANOI (VNA) – First line.\n\nSecond para."
    assert len(a.paragraphs) == 2
    assert a.title == "First line."
    assert c.problems == []


def test_bad_files_are_named_and_the_rest_loads(tmp_path):
    write_article(tmp_path, "good.txt", "Việt Nam sent 63 personnel to South Sudan.")
    write_article(tmp_path, "nodate.txt", "An article without a header still counts.", date=None)
    (tmp_path / "baddate.txt").write_text("date 2022-13-45 Body text here.", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("   \n", encoding="utf-8")
    (tmp_path / "header-only.txt").write_text("date 2022-01-01   \n", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02PNG\x00")
    (tmp_path / "latin1.txt").write_bytes("date 2022-01-01 caf\xe9".encode("latin-1"))
    (tmp_path / "utf16.txt").write_bytes("date 2022-01-02 Hello from UTF-16.".encode("utf-16"))
    (tmp_path / "notes.pdf").write_text("not an article form", encoding="utf-8")
    c = read_corpus([tmp_path])
    ids = {a.id for a in c.articles}
    assert ids == {"good", "nodate", "baddate", "utf16"}
    by_path = {os.path.basename(p.path): p for p in c.problems}
    assert by_path["empty.txt"].skipped and "empty" in by_path["empty.txt"].reason
    assert by_path["header-only.txt"].skipped
    assert "binary" in by_path["binary.txt"].reason
    assert "not UTF-8" in by_path["latin1.txt"].reason
    assert not by_path["utf16.txt"].skipped and "UTF-16" in by_path["utf16.txt"].reason
    assert "date unknown" in by_path["nodate.txt"].reason and not by_path["nodate.txt"].skipped
    assert "impossible date" in by_path["baddate.txt"].reason
    assert next(a for a in c.articles if a.id == "baddate").published is None
    for p in c.problems:
        assert "\n" not in p.line()


def test_recursive_folders_and_symlink_loop(tmp_path):
    write_article(tmp_path / "a" / "b", "deep.txt", "Deep article.")
    os.symlink(tmp_path, tmp_path / "a" / "loop")
    c = read_corpus([tmp_path])
    assert [a.id for a in c.articles] == ["deep"]


def test_duplicate_names_get_distinct_stable_ids(tmp_path):
    write_article(tmp_path / "x", "same.txt", "One.")
    write_article(tmp_path / "y", "same.txt", "Two.")
    ids1 = [a.id for a in read_corpus([tmp_path]).articles]
    ids2 = [a.id for a in read_corpus([tmp_path]).articles]
    assert len(set(ids1)) == 2 and ids1 == ids2


def test_size_limit_and_missing_paths(tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(b"date 2022-01-01 " + b"a" * (MAX_ARTICLE_BYTES + 10))
    c = read_corpus([big, tmp_path / "nope.txt"])
    reasons = " ".join(p.reason for p in c.problems)
    assert "limit" in reasons and "no such file" in reasons
    assert c.articles == []


def test_empty_folder_is_reported(tmp_path):
    (tmp_path / "empty").mkdir()
    c = read_corpus([tmp_path / "empty"])
    assert c.problems and "no article" in c.problems[0].reason


@pytest.mark.parametrize(
    "text,starts",
    [
        ("Maj. Gen. Hoàng Kim Phụng said so. Then he left.", ["Maj. Gen.", "Then"]),
        ("Sen. Lieu. Gen. Hoang Xuan Chien spoke. He agreed.", ["Sen. Lieu.", "He"]),
        ("Lt. Col. Nguyen met U.S. officials. They talked.", ["Lt. Col.", "They"]),
        ("The U.N. peacekeepers arrived. J. Smith wrote it.", ["The U.N.", "J. Smith"]),
        ("One sentence ends./. Another begins.", ["One", "Another"]),
    ],
)
def test_sentences_are_not_fooled_by_abbreviations(text, starts):
    got = [text[s:e] for s, e in sentence_spans(text)]
    assert len(got) == len(starts), got
    for sentence, start in zip(got, starts):
        assert sentence.startswith(start)


def test_title_drops_dateline():
    assert title_of("November 19, 2019 (HANOI) - Medics left today. More text.") == "Medics left today."
    assert title_of("HANOI (VNA) – Officers met.") == "Officers met."
    lead = "UN Under-Secretary-General Jean-Pierre Lacroix on Saturday visited the department " * 2
    assert title_of(lead.strip() + ". Next sentence.") == lead.strip() + "."  # whole, not cut at a list's width
    long = title_of("Word " * 200)
    assert len(long) <= 500 and long.endswith("…")
