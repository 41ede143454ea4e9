"""Opening a corpus at no more than its change costs: the browser shows the index before the
folder is scanned and scans after (a changed folder is opened again and shown, in the archive
and in the app); the one check made before the app starts (is there an article file at all)
stops at the first; ``pktui index`` after a change writes a delta, not the whole index."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pktui.archive import open_archive
from pktui.corpus import SourceFile, iter_source_files
from pktui.corpus.walk import has_article_file
from tests.conftest import write_article
from tests.test_tui_support import until

BODY = "Ghana deployed {n} soldiers to UNIFIL in {y}. Brigadier General Kwame Asante said more would follow."


def write_corpus(folder: Path, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        write_article(folder, f"a{i:03d}.txt", BODY.format(n=100 + i, y=2000 + i), date=f"2023-01-{i % 28 + 1:02d}")


@pytest.fixture
def indexed(tmp_path, cache_home) -> Path:
    """A folder of 6 articles (a hidden file and a file that is not an article beside them)
    indexed once, as ``pktui index`` leaves it."""
    folder = tmp_path / "corpus"
    write_corpus(folder, 6)
    (folder / ".notes.txt").write_text("not read", encoding="utf-8")
    (folder / "picture.png").write_bytes(b"\x89PNG")
    age(folder)
    open_archive([folder]).close()
    return folder


def age(folder: Path) -> None:
    """Files and folder an hour old: a time within the clock's tick of the index is never
    trusted (the file is read again at every open), and an unchanged folder is what is meant."""
    old = os.stat(folder).st_mtime_ns - 3600 * 10**9
    for path in [*folder.iterdir(), folder]:
        os.utime(path, ns=(old, old), follow_symlinks=False)


def test_an_unchanged_index_is_shown_unscanned_as_a_scan_shows_it(indexed):
    scanned = open_archive([indexed])
    trusted = open_archive([indexed], trust_index=True)
    assert scanned.checked and not trusted.checked
    assert [a.id for a in trusted.kb.articles] == [a.id for a in scanned.kb.articles]
    assert (trusted.kb.summary.hidden, trusted.kb.summary.other_files) == (1, 1)
    assert trusted.kb.summary.hidden == scanned.kb.summary.hidden
    assert trusted.check() is False  # nothing changed
    assert trusted.checked and trusted.check() is False
    trusted.close()
    scanned.close()


@pytest.mark.parametrize("change", ["added", "removed", "edited"])
def test_a_changed_folder_is_seen_by_the_check_and_shown_by_opening_again(indexed, change):
    target = indexed / "a002.txt"
    if change == "added":
        write_corpus(indexed, 1, start=6)
    elif change == "removed":
        target.unlink()
    else:
        write_article(indexed, "a002.txt", BODY.format(n=999, y=1999) + " It was longer now.", date="2023-01-03")
        os.utime(target, ns=(1, 1))  # a time the index does not know
    trusted = open_archive([indexed], trust_index=True)
    assert len(trusted.kb.articles) == 6  # as the index holds it
    assert trusted.check() is True
    trusted.close()
    fresh = open_archive([indexed])
    want = {"added": 7, "removed": 5, "edited": 6}[change]
    assert len(fresh.kb.articles) == want
    if change == "edited":
        assert any("999" in f.text for f in fresh.kb.facts)
    fresh.close()


def test_a_first_open_or_a_new_extractor_is_never_shown_unscanned(tmp_path, cache_home, monkeypatch):
    folder = tmp_path / "corpus"
    write_corpus(folder, 3)
    first = open_archive([folder], trust_index=True)  # nothing indexed yet: read first
    assert first.checked and len(first.kb.articles) == 3
    first.close()
    import pktui.archive.trust as trust

    monkeypatch.setattr(trust, "current_version", lambda v, s: ("another-extractor", "sig"))
    again = open_archive([folder], trust_index=True)
    assert again.checked
    again.close()


def test_the_unscanned_open_keeps_the_files_the_walk_could_not_read(indexed):
    os.symlink(indexed / "missing.txt", indexed / "broken.txt")
    age(indexed)
    open_archive([indexed]).close()  # the walk names the broken link; its memo keeps it
    scanned = open_archive([indexed])
    trusted = open_archive([indexed], trust_index=True)
    assert not trusted.checked
    named = [p.line() for p in scanned.kb.problems]
    assert any("broken symlink" in line for line in named)
    assert [p.line() for p in trusted.kb.problems] == named
    trusted.close()
    scanned.close()


async def test_the_browser_shows_the_index_then_what_changed_in_the_folder(indexed):
    from pktui.tui.app import PktuiApp
    from pktui.tui.config import Config
    from pktui.tui.panes.articles import ArticlesPane

    write_corpus(indexed, 2, start=6)
    app = PktuiApp([str(indexed)], config=Config(Path("/nonexistent/pktui/config.yaml")))
    async with app.run_test(size=(100, 30)) as pilot:
        assert await until(pilot, lambda: app.ready, seconds=15), "the corpus never loaded"
        await pilot.pause(0.1)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(app.kb.articles) == 8 and app.archive.checked
        pane = app.browser.query_one(ArticlesPane)
        assert pane.border_title == "Articles · 8"
        notes = [n for n in app._notifications if n.title == "The folder changed since it was indexed"]
        assert [n.message for n in notes] == ["2 articles read."]
        assert app.index is not None and app.index.search("unifil", limit=3)


@pytest.mark.parametrize(
    "layout",
    ["plain", "nested", "hidden only", "links only", "others only", "empty", "named file", "fifo"],
)
def test_the_quick_check_for_an_article_file_answers_as_the_walk(tmp_path, layout):
    root = tmp_path / "c"
    root.mkdir()
    outside = tmp_path / "outside.txt"
    outside.write_text("date 2024-01-01\n\nText.", encoding="utf-8")
    named = [root]
    if layout == "plain":
        (root / "a.txt").write_text("x", encoding="utf-8")
    elif layout == "nested":
        (root / "d" / "e").mkdir(parents=True)
        (root / "d" / "e" / "a.md").write_text("x", encoding="utf-8")
    elif layout == "hidden only":
        (root / ".h").mkdir()
        (root / ".h" / "a.txt").write_text("x", encoding="utf-8")
        (root / ".b.txt").write_text("x", encoding="utf-8")
    elif layout == "links only":
        os.symlink(outside, root / "out.txt")
    elif layout == "others only":
        (root / "x.png").write_bytes(b"\x89PNG")
    elif layout == "named file":
        named = [outside]
    elif layout == "fifo":
        os.mkfifo(root / "pipe.txt")
    walk = any(isinstance(i, SourceFile) for i in iter_source_files(named))
    assert has_article_file(named) is walk


def test_pktui_index_after_a_change_writes_a_delta_not_the_whole_search_index(indexed, cache_home):
    """``pktui index`` once merged every delta into a new main segment: 24 s at 20,000
    articles for one file added or removed. It now follows the merge policy of every update."""
    import json
    import subprocess
    import sys

    from pktui.archive import corpus_folder
    from pktui.knowledge.store import KnowledgeStore

    def manifest() -> dict:
        store = KnowledgeStore(corpus_folder([indexed]))
        try:
            return json.loads(store.meta("search") or "{}")
        finally:
            store.close()

    main = manifest()["segments"]
    write_corpus(indexed, 1, start=6)
    (indexed / "a001.txt").unlink()
    run = subprocess.run(
        [sys.executable, "-m", "pktui", "index", str(indexed)], check=False, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    after = manifest()
    assert after["segments"][0] == main[0] and len(after["segments"]) == 2, after
    assert any(a.endswith("a001") or "a001" in a for a in after["deleted"]), after["deleted"]
    found = open_archive([indexed])
    assert len(found.kb.articles) == 6 and found.index.search("ghana 106", limit=3)
    found.close()


def test_a_ledger_written_beside_the_articles_after_indexing_is_never_counted_as_a_skipped_file(indexed):
    """The memo's quick follow of a changed folder counted the ledger as an other file and its
    lock as a hidden one (the full walk leaves both out)."""
    ledger = indexed / "pktui-corrections.yaml"
    ledger.write_text("entries: []\n", encoding="utf-8")
    (indexed / ".pktui-corrections.yaml.lock").write_text("", encoding="utf-8")
    archive = open_archive([indexed])
    assert (archive.kb.summary.hidden, archive.kb.summary.other_files) == (1, 1)  # the fixture's own two
    archive.close()
