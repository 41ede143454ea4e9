"""The extraction cache: damaged, raced, unwritable or stale, it never loses or changes a
result and never crashes; a damaged database is set aside (kept) and rebuilt."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from pktui.commands.export import export_document
from pktui.corpus import read_corpus
from pktui.knowledge.cache import ExtractionCache
from pktui.knowledge.loader import extract_corpus, load_knowledge
from tests.conftest import write_article

N_ARTICLES = 40


def run(*args: str, cache: Path, timeout: int = 300) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1", "XDG_CACHE_HOME": str(cache)}
    return subprocess.run(
        [sys.executable, "-m", "pktui", *args], check=False, capture_output=True, text=True, env=env, timeout=timeout
    )


@pytest.fixture(scope="module")
def articles(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("cache-corpus")
    for i in range(N_ARTICLES):
        write_article(
            folder,
            f"a{i:03d}.txt",
            f"Việt Nam sent {60 + i} personnel to South Sudan in 2019. On Saturday, Lt. Gen. Hoang Xuan Chien met "
            f"Jean-Pierre Lacroix in Hanoi.\n\nMore than {500 + i} officers served with UNMISS since 2014.",
            date=f"2023-{i % 12 + 1:02d}-{i % 28 + 1:02d}",
        )
    return folder


@pytest.fixture(scope="module")
def expected(articles) -> dict:
    return export_document(load_knowledge([articles], use_cache=False))


def db_path(home: Path) -> Path:
    return home / "pktui" / "extractions.sqlite3"


def stats(folder: Path) -> tuple[dict, list[str]]:
    _results, problems, st = extract_corpus(read_corpus([folder]).articles)
    return st, [p.line() for p in problems]


def damage(db: Path, how: str) -> None:
    data = db.read_bytes()
    if how == "garbage":
        db.write_bytes(os.urandom(len(data)))
    elif how == "text":
        db.write_text("this is not a database\n" * 100, encoding="utf-8")
    elif how == "truncated":
        db.write_bytes(data[: len(data) // 2])
    elif how == "header":
        db.write_bytes(b"\xff" * 100 + data[100:])
    elif how == "pages":
        db.write_bytes(data[:4096] + b"\xa5" * 8192 + data[4096 + 8192 :])
    else:  # pragma: no cover
        raise ValueError(how)


@pytest.mark.parametrize("how", ["garbage", "text", "truncated", "header", "pages"])
def test_a_damaged_database_is_set_aside_rebuilt_and_changes_nothing(articles, expected, cache_home, how):
    st, lines = stats(articles)
    assert st["extracted"] == N_ARTICLES and lines == []
    db = db_path(cache_home)
    assert db.stat().st_size > 3 * 4096 + 8192  # big enough for every kind of damage
    damage(db, how)
    kb = load_knowledge([articles])
    warnings = [p.line() for p in kb.problems]
    assert len(warnings) == 1, warnings
    assert warnings[0].startswith(f"warning: cache: cache {db} was damaged") and "set aside" in warnings[0]
    assert "\n" not in warnings[0]
    aside = sorted(db.parent.glob("extractions.sqlite3.damaged-*"))
    assert aside and aside[0].name in warnings[0]
    assert export_document(kb) == expected
    st, lines = stats(articles)  # rebuilt: everything comes from the new cache
    assert st == {"articles": N_ARTICLES, "cached": N_ARTICLES, "extracted": 0} and lines == []


def test_an_empty_database_file_is_just_an_empty_cache(articles, expected, cache_home):
    db = db_path(cache_home)
    db.parent.mkdir(parents=True)
    db.write_bytes(b"")
    kb = load_knowledge([articles])
    assert kb.problems == [] and export_document(kb) == expected
    assert stats(articles)[0]["extracted"] == 0


def test_unreadable_rows_are_extracted_again(articles, expected, cache_home):
    stats(articles)
    conn = sqlite3.connect(db_path(cache_home))
    with conn:
        keys = [k for (k,) in conn.execute("SELECT key FROM extraction ORDER BY key LIMIT 3")]
        conn.execute("UPDATE extraction SET data = ? WHERE key = ?", (b"\x00\xff{not json", keys[0]))
        conn.execute("UPDATE extraction SET data = ? WHERE key = ?", (b'{"s": 0}', keys[1]))  # an old schema
        conn.execute("UPDATE extraction SET data = ? WHERE key = ?", (b'{"s": 1, "a": "x", "e": [[1]]}', keys[2]))
    conn.close()
    st, lines = stats(articles)
    assert st["extracted"] == 3
    # each row named, never trusted (issue 20, row 6)
    assert len(lines) == 3 and all(" not trusted (" in line and line.endswith("extracted again") for line in lines)
    assert export_document(load_knowledge([articles])) == expected
    assert stats(articles)[0]["extracted"] == 0  # and the rows were repaired


def test_a_foreign_table_layout_means_no_cache_not_a_crash(articles, expected, cache_home):
    db = db_path(cache_home)
    db.parent.mkdir(parents=True)
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE extraction (key TEXT PRIMARY KEY, something_else INTEGER)")
    conn.commit()
    conn.close()
    kb = load_knowledge([articles])
    assert export_document(kb) == expected
    assert kb.problems and all(p.path == "cache" and not p.skipped and "\n" not in p.line() for p in kb.problems)


def test_unchanged_files_are_not_extracted_again_and_changed_ones_always_are(tmp_path, cache_home):
    folder = tmp_path / "c"
    for i in range(4):
        write_article(folder, f"a{i}.txt", f"Việt Nam sent {60 + i} personnel to South Sudan.")
    assert stats(folder)[0]["extracted"] == 4
    assert stats(folder)[0] == {"articles": 4, "cached": 4, "extracted": 0}
    # same size, same modification time, one character different: still extracted again
    path = folder / "a1.txt"
    st = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("61", "71"), encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size
    assert stats(folder)[0]["extracted"] == 1
    # only the publication date changes: relative dates may resolve differently
    write_article(folder, "a2.txt", "Việt Nam sent 62 personnel to South Sudan.", date="2020-01-01")
    assert stats(folder)[0]["extracted"] == 1
    # touched but unchanged: nothing to do
    os.utime(folder / "a3.txt")
    assert stats(folder)[0]["extracted"] == 0
    kb = load_knowledge([folder])
    assert any(f.value == 71 for f in kb.facts) and not any(f.value == 61 for f in kb.facts)


def test_a_cache_folder_that_cannot_be_made_means_no_cache(articles, expected, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("a regular file where the cache folder should go", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker / "cache"))
    kb = load_knowledge([articles])
    lines = [p.line() for p in kb.problems]
    assert lines == [
        f"warning: cache: cannot create cache folder {blocker}/cache/pktui: Not a directory; running without a cache"
    ]
    assert export_document(kb) == expected  # the command line: tests/test_archive.py


def test_a_database_path_that_is_a_folder_is_left_alone(articles, expected, cache_home):
    db = db_path(cache_home)
    db.mkdir(parents=True)
    (db / "keep-me").write_text("x", encoding="utf-8")
    kb = load_knowledge([articles])
    assert export_document(kb) == expected
    assert len(kb.problems) == 1 and "running without a cache" in kb.problems[0].line()
    assert (db / "keep-me").exists()  # not "set aside", not deleted


def test_a_database_that_cannot_be_opened_or_written_means_no_cache(articles, expected, cache_home, monkeypatch):
    import pktui.knowledge.cache as cache_mod

    def refuse(*_args, **_kwargs):
        raise sqlite3.OperationalError("unable to open database file")

    monkeypatch.setattr(cache_mod.sqlite3, "connect", refuse)
    kb = load_knowledge([articles])
    assert export_document(kb) == expected
    assert [p.path for p in kb.problems] == ["cache"] and "running without a cache" in kb.problems[0].reason
    monkeypatch.undo()
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache_home))

    # opened fine, but every write fails (as on a read-only file system)
    real_connect = ExtractionCache._connect

    def read_only(self):
        conn = real_connect(self)
        conn.execute("PRAGMA query_only = ON")
        return conn

    monkeypatch.setattr(ExtractionCache, "_connect", read_only)
    kb = load_knowledge([articles])
    assert export_document(kb) == expected
    lines = [p.line() for p in kb.problems]
    assert len(lines) == 1 and lines[0].startswith("warning: cache: cache write failed") and "not cached" in lines[0]


def test_a_cache_of_another_version_is_set_aside_once(articles, expected, cache_home):
    """Issue 20, row 5: a valid SQLite cache of another schema version used to make every run
    warn and extract everything again, and was never set aside."""
    stats(articles)
    conn = sqlite3.connect(db_path(cache_home))
    conn.execute("UPDATE meta SET v = '1' WHERE k = 'schema'")
    conn.commit()
    conn.close()
    kb = load_knowledge([articles])
    lines = [p.line() for p in kb.problems]
    assert len(lines) == 1 and "schema version 1" in lines[0] and "set aside as" in lines[0], lines
    assert list(db_path(cache_home).parent.glob("extractions.sqlite3.outdated-*"))
    assert export_document(kb) == expected
    st, lines = stats(articles)  # once: the new cache holds everything, no more warnings
    assert st == {"articles": N_ARTICLES, "cached": N_ARTICLES, "extracted": 0} and lines == []


def test_rows_that_are_valid_json_but_wrong_are_named_and_extracted_again(articles, expected, cache_home):
    """Issue 20, row 6: a mention pointing at no entity, offsets out of range."""
    stats(articles)
    conn = sqlite3.connect(db_path(cache_home))
    rows = conn.execute("SELECT key, article, data FROM extraction ORDER BY article LIMIT 2").fetchall()
    import json

    (k1, a1, d1), (k2, a2, d2) = rows
    doc = json.loads(d1)
    doc["m"][0]["entity"] = "person/nobody"
    conn.execute("UPDATE extraction SET data = ? WHERE key = ?", (json.dumps(doc), k1))
    doc = json.loads(d2)
    doc["f"][0]["start"], doc["f"][0]["end"] = 10_000, 10_010
    conn.execute("UPDATE extraction SET data = ? WHERE key = ?", (json.dumps(doc), k2))
    conn.commit()
    conn.close()
    kb = load_knowledge([articles])
    lines = [p.line() for p in kb.problems]
    assert len(lines) == 2 and {a1, a2} == {ln.split("cache row of ")[1].split(" ")[0] for ln in lines}, lines
    assert "no entity" in " ".join(lines) and "outside the text" in " ".join(lines)
    assert export_document(kb) == expected


def test_a_failed_write_leaves_no_wal(articles, cache_home, monkeypatch):
    """A full disk: the write fails, nothing is cached, and the WAL gives its space back."""
    real = ExtractionCache._connect

    def small(self):
        conn = real(self)
        conn.execute("PRAGMA max_page_count = 8")  # full after a few pages
        return conn

    monkeypatch.setattr(ExtractionCache, "_connect", small)
    kb = load_knowledge([articles])
    assert any("cache write failed" in p.line() for p in kb.problems)
    wal = Path(str(db_path(cache_home)) + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0


def test_rows_of_an_article_s_older_text_are_dropped(tmp_path, cache_home):
    folder = tmp_path / "c"
    write_article(folder, "a.txt", "Việt Nam sent 60 personnel to South Sudan.")
    stats(folder)
    write_article(folder, "a.txt", "Việt Nam sent 70 personnel to South Sudan.")
    stats(folder)
    conn = sqlite3.connect(db_path(cache_home))
    assert conn.execute("SELECT COUNT(*) FROM extraction WHERE article = 'a'").fetchone() == (1,)
    conn.close()
