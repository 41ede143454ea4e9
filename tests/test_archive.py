"""The corpus index: opened without rebuilding, updated article by article (and equal to a
build at once), safe on disk (kill -9, two writers, damaged, old, read-only, full), rows
checked when read, and the knowledge base read lazily through today's interface."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from pktui.archive import corpus_folder, open_archive
from pktui.commands.export import export_document
from pktui.knowledge.cancel import Cancelled
from pktui.knowledge.loader import load_knowledge
from tests.conftest import write_article

BODIES = [
    "Việt Nam sent {n} personnel to South Sudan in 2019. On Saturday, Lt. Gen. Hoang Xuan Chien met "
    "Jean-Pierre Lacroix in Hanoi.\n\nMore than {m} officers served with UNMISS since 2014.",
    "Ghana deployed {n} soldiers to UNIFIL last year. Brigadier General Kwame Asante said {m} more would follow.",
    "Lacroix visited Abyei, where {n} Vietnamese engineers serve with UNISFA. Nearly {m} peacekeepers are women.",
]


def write_corpus(folder: Path, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        body = BODIES[i % len(BODIES)].format(n=60 + i, m=500 + i)
        write_article(folder, f"a{i:03d}.txt", body, date=f"2023-{i % 12 + 1:02d}-{i % 28 + 1:02d}")


def clean(folder: Path) -> dict:
    return export_document(load_knowledge([folder], use_cache=False))


@pytest.fixture
def corpus(tmp_path) -> Path:
    folder = tmp_path / "corpus"
    write_corpus(folder, 12)
    return folder


class Counter:
    def __init__(self, monkeypatch) -> None:
        import pktui.extract
        import pktui.knowledge.loader as loader

        self.extracted: list[str] = []
        real = pktui.extract.extract_article

        def counting(article):
            self.extracted.append(article.id)
            return real(article)

        monkeypatch.setattr(loader, "extract_article", counting)
        monkeypatch.setattr(pktui.extract, "extract_article", counting)


def run(*args: str, cache: Path, timeout: int = 300) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1", "XDG_CACHE_HOME": str(cache)}
    return subprocess.run(
        [sys.executable, "-m", "pktui", *args], check=False, capture_output=True, text=True, env=env, timeout=timeout
    )


# -- opening and updating -----------------------------------------------------------------------


def test_reopening_an_unchanged_corpus_extracts_and_writes_nothing(corpus, cache_home, monkeypatch):
    past = time.time() - 3600  # (files changed in the last two seconds are looked at again)
    for p in [corpus, *corpus.iterdir()]:
        os.utime(p, (past, past))
    count = Counter(monkeypatch)
    first = open_archive([corpus], with_search=False)
    assert sorted(count.extracted) == sorted(a.id for a in first.kb.articles) and first.summary.extracted == 12
    first.close()
    db = corpus_folder([corpus]) / "knowledge.sqlite3"
    before = (db.stat().st_mtime_ns, db.stat().st_size)
    count.extracted.clear()
    again = open_archive([corpus])
    assert count.extracted == [] and again.summary.extracted == 0 and again.summary.unchanged == 12
    assert (db.stat().st_mtime_ns, db.stat().st_size) == before  # nothing written
    assert export_document(again.kb) == clean(corpus)
    assert [h.id for h in again.index.search("lacroix", limit=3)]
    again.close()


def test_a_new_extractor_extracts_a_settled_unchanged_folder_again(corpus, cache_home, monkeypatch):
    """An upgrade of pktui (or of its domain data) on a folder where nothing moved: the quiet
    scan lists no file, and every article is still extracted again by the new extractor."""
    import pktui.archive.plan as plan

    past = time.time() - 3600
    for p in [corpus, *corpus.iterdir()]:
        os.utime(p, (past, past))
    open_archive([corpus], with_search=False).close()
    count = Counter(monkeypatch)
    real = plan.current_version
    monkeypatch.setattr(plan, "current_version", lambda *a: (real(*a)[0] + "-next", "another signature"))
    again = open_archive([corpus])
    assert sorted(count.extracted) == sorted(a.id for a in again.kb.articles) and again.summary.extracted == 12
    assert export_document(again.kb) == clean(corpus)
    again.close()
    count.extracted.clear()
    settled = open_archive([corpus], with_search=False)  # the new version is remembered now
    assert count.extracted == [] and settled.summary.extracted == 0
    settled.close()


def test_added_changed_and_deleted_articles_are_followed_and_equal_a_build_at_once(corpus, cache_home, monkeypatch):
    open_archive([corpus], with_search=False).close()
    count = Counter(monkeypatch)
    write_corpus(corpus, 3, start=12)  # added
    (corpus / "a001.txt").unlink()  # deleted
    path = corpus / "a002.txt"
    path.write_text(path.read_text(encoding="utf-8") + " Nepal sent 40 more to Mali.", encoding="utf-8")
    os.utime(corpus / "a003.txt")  # touched, not changed
    ar = open_archive([corpus])
    assert sorted(count.extracted) == ["a002", "a012", "a013", "a014"]
    assert (ar.summary.extracted, ar.summary.removed) == (4, 1)
    assert export_document(ar.kb) == clean(corpus)
    # search follows: the deleted article is gone from results, the new one is found
    hits = ar.index.search("a001", limit=50) + ar.index.search("lacroix", limit=200)
    assert "a001" not in {h.article for h in hits} and "a012" in {h.article for h in hits}
    ar.close()


def test_search_after_updates_answers_as_an_index_made_at_once(tmp_path, monkeypatch):
    """Updates (a delta of search segments beside the main one, deleted articles hidden,
    older articles whose facts moved to another entity indexed again) rank as one index."""
    folder = tmp_path / "c"
    write_corpus(folder, 10)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "updated"))
    open_archive([folder], with_search=False).close()
    write_corpus(folder, 4, start=10)
    (folder / "a002.txt").unlink()
    write_article(folder, "b.txt", "Mr. Asante said 50 soldiers left Abyei.", date="2024-01-02")
    open_archive([folder], with_search=False).close()
    write_article(folder, "c.txt", "Brigadier General Kwame Asante met Lacroix in Juba.", date="2024-01-05")
    updated = open_archive([folder])
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "at-once"))
    at_once = open_archive([folder])
    for query in ("lacroix", "asante", "unisfa abyei", "ghana 600", "kind:quantity women", "hanoi chien"):
        got = [(h.kind, h.id, h.score) for h in updated.index.search(query, limit=30)]
        assert got == [(h.kind, h.id, h.score) for h in at_once.index.search(query, limit=30)], query
    assert not any(h.article == "a002" for h in updated.index.search("a002 ghana", limit=100))
    updated.close()
    at_once.close()


def test_a_new_articles_names_join_the_entities_already_known(tmp_path, cache_home):
    folder = tmp_path / "c"
    write_article(folder, "a.txt", "Mr. Smith said 50 soldiers left Abyei on Monday.", date="2024-01-02")
    ar = open_archive([folder], with_search=False)
    assert ar.kb.entity("person/smith") is not None
    ar.close()
    write_article(folder, "b.txt", "Major General John Smith met Jean-Pierre Lacroix in Juba.", date="2024-01-05")
    ar = open_archive([folder], with_search=False)
    assert ar.kb.entity("person/smith") is None  # the surname alone joined the one full name
    smith = ar.kb.entity("person/john-smith")
    assert {m.article for m in smith.mentions} == {"a", "b"} and "Smith" in smith.aliases
    assert export_document(ar.kb) == clean(folder)
    ar.close()
    write_article(folder, "c.txt", "Colonel Anna Smith also spoke.", date="2024-01-06")  # now ambiguous
    ar = open_archive([folder], with_search=False)
    assert ar.kb.entity("person/smith") is not None
    assert export_document(ar.kb) == clean(folder)
    ar.close()


def test_duplicates_and_ids_stay_as_a_full_read_gives_them_update_after_update(tmp_path, cache_home, monkeypatch):
    """Only new and changed files are read, yet the copies left out and the ids (suffixed
    when two articles would share one) are those a whole read of the corpus gives."""
    import json

    from pktui.corpus import read_corpus

    folder = tmp_path / "c"
    (folder / "a").mkdir(parents=True)
    (folder / "b").mkdir()

    def record(title, text, url=None):
        return json.dumps({"title": title, "text": text, "url": url, "date": "2024-02-03"}) + "\n"

    (folder / "a" / "report.txt").write_text("date 2024-01-01 Ghana sent 700 soldiers to UNMISS.", encoding="utf-8")
    (folder / "b" / "report.txt").write_text("date 2024-01-02 Nepal sent 300 soldiers to UNIFIL.", encoding="utf-8")
    feed = folder / "feed.jsonl"
    feed.write_text(
        record("Troops arrive", "Việt Nam sent 184 soldiers to UNISFA.", "https://x.org/a")
        + record("Troops arrive", "Indonesia sent 1,100 troops to Lebanon.", "https://x.org/b")
        + record("Other", "Ghana sent 700 soldiers to UNMISS."),
        encoding="utf-8",
    )
    steps = [
        lambda: None,
        lambda: (folder / "c").mkdir() or (folder / "c" / "report.txt").write_text("Chad sent 90 soldiers."),
        lambda: feed.write_text(feed.read_text("utf-8") + record("Troops arrive", "Nepal sent 50 engineers.")),
        (folder / "a" / "report.txt").unlink,  # the copy kept goes: the other comes back
        lambda: (folder / "0first.txt").write_text("date 2024-01-05 Indonesia sent 1,100 troops to Lebanon."),
        lambda: [(folder / d / "report.txt").unlink() for d in ("b", "c")],  # no clash left
    ]
    for step in steps:
        step()
        ar = open_archive([folder], with_search=False)
        whole = read_corpus([folder])
        assert export_document(ar.kb) == clean(folder)
        assert (ar.kb.summary.duplicates, ar.kb.summary.duplicate_paths) == (
            whole.summary.duplicates,
            whole.summary.duplicate_paths,
        )
        ar.close()


def test_a_folder_seen_changed_once_is_not_listed_again_at_every_open(tmp_path, cache_home, monkeypatch):
    """A file added and removed again leaves the folder's time moved and its files as they were:
    the next open lists that folder once, and remembers it (every open after is a look at the
    times only; at 20,000 articles the listing cost the browser 0.3 s at each start)."""
    import importlib

    scan_module = importlib.import_module("pktui.archive.scan")  # (pktui.archive.scan is also a function)
    folder = tmp_path / "c"
    write_corpus(folder, 4)
    hour_ago = time.time() - 3600

    def age(seconds: float) -> None:
        for p in [folder, *folder.rglob("*")]:
            os.utime(p, (seconds, seconds))

    age(hour_ago)
    open_archive([folder], with_search=False).close()
    write_article(folder, "draft.txt", "Nepal sent 40 engineers to UNISFA.")
    (folder / "draft.txt").unlink()
    os.utime(folder, (hour_ago + 60, hour_ago + 60))  # the folder's time moved, settled since
    listed = []
    real = scan_module._follow_folders
    monkeypatch.setattr(scan_module, "_follow_folders", lambda *a: listed.append(1) or real(*a))
    for _ in range(3):
        ar = open_archive([folder], with_search=False)
        assert ar.summary.extracted == 0 and len(ar.kb.articles) == 4
        ar.close()
    assert listed == [1]


def test_an_unchanged_folder_is_not_walked_again_and_every_change_is_still_seen(tmp_path, cache_home, monkeypatch):
    """Folder times tell when nothing was added, removed or renamed: the files are then not
    listed again, one stat each; a file changed in place, a new one, one in a new sub-folder,
    one removed are all seen."""
    import pktui.corpus

    folder = tmp_path / "c"
    write_corpus(folder, 5)
    (folder / "sub").mkdir()
    write_article(folder / "sub", "s1.txt", "Nepal sent 40 engineers to UNISFA.")
    hour_ago = time.time() - 3600

    def age() -> None:  # as if written long ago (a folder changed just now is not trusted)
        for p in [folder, *folder.rglob("*")]:
            os.utime(p, (hour_ago, hour_ago))

    age()
    open_archive([folder], with_search=False).close()
    walks = []
    real = pktui.corpus.iter_source_files
    monkeypatch.setattr(pktui.corpus, "iter_source_files", lambda *a, **k: walks.append(1) or real(*a, **k))
    ar = open_archive([folder], with_search=False)
    assert walks == [] and ar.summary.extracted == 0
    ar.close()
    changes = [
        lambda: (folder / "a001.txt").write_text("date 2023-02-02 Chad sent 90 soldiers to MINUSMA.", "utf-8"),
        lambda: write_article(folder, "new.txt", "Peru sent 30 observers to MINURSO."),
        lambda: write_article(folder / "sub" / "deeper", "d.txt", "Fiji sent 20 soldiers to UNDOF."),
        (folder / "sub" / "s1.txt").unlink,
    ]
    seen = []
    for change in changes:
        age()
        change()
        ar = open_archive([folder], with_search=False)
        seen.append(len(walks))
        walks.clear()
        assert export_document(ar.kb) == clean(folder)
        ar.close()
        walks.clear()
    # a file changed in place: one stat each; a file added: its folder listed, no walk; a new
    # folder: walked; a file removed: its folder listed
    assert seen == [0, 0, 1, 0], seen


def test_the_same_corpus_named_from_elsewhere_is_one_index_with_its_paths_followed(
    corpus, cache_home, monkeypatch, tmp_path
):
    open_archive([corpus], with_search=False).close()
    count = Counter(monkeypatch)
    monkeypatch.chdir(tmp_path)
    ar = open_archive([Path("corpus")], with_search=False)
    assert count.extracted == []
    assert {a.path for a in ar.kb.articles} == {f"corpus/{p.name}" for p in corpus.glob("*.txt")}
    ar.close()


def test_cancel_stops_extraction_and_keeps_the_work_done(tmp_path, cache_home, monkeypatch):
    folder = tmp_path / "c"
    write_corpus(folder, 20)
    stop = threading.Event()
    count = Counter(monkeypatch)
    seen = []

    def progress(done, total):
        seen.append(done)
        if done >= 5:
            stop.set()

    with pytest.raises(Cancelled):
        open_archive([folder], cancel=stop, progress=progress, workers=1, with_search=False)
    done_before = len(count.extracted)
    assert 5 <= done_before < 20
    stage = corpus_folder([folder]) / "stage.sqlite3"
    assert stage.exists()  # the work done waits there
    count.extracted.clear()
    ar = open_archive([folder], workers=1, with_search=False)
    assert len(count.extracted) <= 20 - 5 + 1  # what was committed is not extracted again
    assert export_document(ar.kb) == clean(folder)
    assert not stage.exists()  # published: the stage goes, the store holds none of its space
    ar.close()


# -- the lazy knowledge base ----------------------------------------------------------------------


def _same_mention_reads(kb, mem, article) -> None:
    """The narrow mention reads a search makes (one entity's, those in a passage) agree."""
    ms = mem.mentions_in(article.id)
    assert ms, "the article should have mentions"
    n = len(article.text)
    for lo, hi in ((0, n), (0, n // 2), (n // 3, n), (ms[0].start, ms[0].end), (ms[0].start + 1, n)):
        want = [(m.start, m.end, m.entity) for m in ms if lo <= m.start and m.end <= hi]
        assert kb.mention_owners(article.id, lo, hi) == mem.mention_owners(article.id, lo, hi) == want
    for m in ms:
        assert kb.mentions_of_in(m.entity, article.id) == mem.mentions_of_in(m.entity, article.id)
        assert m in kb.mentions_of_in(m.entity, article.id)


def test_the_stored_knowledge_base_answers_like_the_one_in_memory(corpus, cache_home):
    ar = open_archive([corpus], with_search=False)
    kb, mem = ar.kb, load_knowledge([corpus], use_cache=False)
    for name in ("articles", "entities", "facts", "timeline", "series"):
        stored, inmem = getattr(kb, name), getattr(mem, name)
        assert len(stored) == len(inmem) > 0, name
        assert list(stored) == list(inmem) or name in ("articles", "entities"), name
        assert [x.id if hasattr(x, "id") else x for x in stored[1:4]] == [
            x.id if hasattr(x, "id") else x for x in inmem[1:4]
        ]
        assert _key(stored[-1]) == _key(inmem[-1]) and _key(stored[0]) == _key(inmem[0])
        with pytest.raises(IndexError):
            stored[len(inmem)]
    assert [a.id for a in kb.articles_newest_first()] == [a.id for a in mem.articles_newest_first()]
    a = mem.articles[3]
    assert kb.article(a.id).text == a.text and kb.article(a.id) == a
    assert kb.facts_in(a.id) == mem.facts_in(a.id) and kb.mentions_in(a.id) == mem.mentions_in(a.id)
    _same_mention_reads(kb, mem, mem.articles[4])  # (one whose mentions were not read whole)
    for e in mem.entities:
        got = kb.entity(e.id)
        assert (got.name, got.aliases, got.attributes, list(got.mentions)) == (
            e.name,
            e.aliases,
            e.attributes,
            e.mentions,
        )
        assert list(got.articles) == e.articles and len(got.articles) == len(e.articles)
        assert list(kb.facts_about(e.id)) == mem.facts_about(e.id)
        assert list(kb.timeline_for(e.id)) == mem.timeline_for(e.id)
    f = mem.facts[5]
    assert kb.fact(f.id) == f and kb.fact("f-nosuchfact") is None and kb.article("nope") is None
    assert kb.entity_counts_by_type() == mem.entity_counts_by_type()
    ar.close()


def _key(x):
    return getattr(x, "id", None) or getattr(x, "fact", None) or (x.subject, x.measure)


# -- safe on disk --------------------------------------------------------------------------------


def test_kill_9_at_any_moment_leaves_an_index_that_opens_and_equals_a_clean_build(tmp_path):
    folder = tmp_path / "c"
    from pktui.bench.synthetic import write_corpus as synthetic

    synthetic(folder, 150)
    cache = tmp_path / "cache"
    env = {**os.environ, "NO_COLOR": "1", "XDG_CACHE_HOME": str(cache)}
    rng = random.Random(16)
    for _ in range(4):
        p = subprocess.Popen(
            [sys.executable, "-m", "pktui", "index", "-j", "2", str(folder)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.3, 2.5))
        p.send_signal(signal.SIGKILL)
        p.wait()
        # whatever moment it was, the index opens (possibly without everything yet)
        r = run("figures", str(folder), cache=cache)
        assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    # nothing lives on: the extraction workers of a killed run end (and do not hold its lock)
    deadline = time.time() + 10
    while _processes_naming(folder) and time.time() < deadline:
        time.sleep(0.2)
    assert not _processes_naming(folder)
    r = run("export", "--format", "json", str(folder), cache=cache)
    assert r.returncode == 0, r.stderr
    want = run("export", "--format", "json", "--no-cache", str(folder), cache=tmp_path / "elsewhere")
    assert r.stdout == want.stdout
    r = run("index", str(folder), cache=cache)
    assert " 0 extracted, 150 unchanged" in r.stderr, r.stderr


def _processes_naming(folder: Path) -> list[int]:
    out = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if str(folder).encode() in (proc / "cmdline").read_bytes():
                out.append(int(proc.name))
        except OSError:
            continue
    return out


def test_two_writers_at_once_leave_one_whole_index(corpus, tmp_path):
    cache = tmp_path / "cache"
    env = {**os.environ, "NO_COLOR": "1", "XDG_CACHE_HOME": str(cache)}
    cmd = [sys.executable, "-m", "pktui", "index", "-j", "1", str(corpus)]
    procs = [
        subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env) for _ in range(2)
    ]
    errs = [p.communicate(timeout=300)[1] for p in procs]
    assert all(p.returncode == 0 for p in procs), errs
    assert all("indexed 12 articles" in e and "error" not in e for e in errs), errs
    assert sum(" 12 extracted" in e for e in errs) == 1, errs  # the second found the work done
    r = run("index", str(corpus), cache=cache)
    assert "0 extracted, 12 unchanged" in r.stderr
    db = sqlite3.connect(corpus_folder_for(cache, corpus) / "knowledge.sqlite3")
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    db.close()


def corpus_folder_for(cache: Path, corpus: Path) -> Path:
    old = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(cache)
    try:
        return corpus_folder([corpus])
    finally:
        os.environ["XDG_CACHE_HOME"] = old or ""


@pytest.mark.parametrize("how", ["garbage", "truncated", "old version", "foreign"])
def test_a_damaged_or_old_index_is_set_aside_and_rebuilt_with_a_warning(corpus, cache_home, how):
    open_archive([corpus], with_search=False).close()
    db = corpus_folder([corpus]) / "knowledge.sqlite3"
    if how == "garbage":
        db.write_bytes(os.urandom(db.stat().st_size))
    elif how == "truncated":
        db.write_bytes(db.read_bytes()[:3000])
    else:
        conn = sqlite3.connect(db)
        if how == "old version":
            conn.execute("PRAGMA user_version = 0")
        else:
            conn.execute("PRAGMA application_id = 7")
        conn.commit()
        conn.close()
    ar = open_archive([corpus], with_search=False)
    lines = [p.line() for p in ar.kb.problems]
    assert len(lines) == 1 and "set aside as knowledge.sqlite3." in lines[0] and "rebuilt" in lines[0], lines
    assert list(db.parent.glob("knowledge.sqlite3.*-*"))
    assert export_document(ar.kb) == clean(corpus)
    ar.close()
    ar = open_archive([corpus], with_search=False)  # once: the rebuilt one is fine
    assert ar.kb.problems == [] and ar.summary.extracted == 0
    ar.close()


def test_a_read_only_cache_means_working_from_memory_with_a_warning(corpus, tmp_path, monkeypatch):
    if os.geteuid() == 0:
        pytest.skip("root writes anywhere")
    home = tmp_path / "ro"
    home.mkdir()
    home.chmod(0o500)
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    try:
        ar = open_archive([corpus])
    finally:
        home.chmod(0o700)
    lines = [p.line() for p in ar.kb.problems]
    assert len(lines) == 1 and "working from memory" in lines[0]
    assert export_document(ar.kb) == clean(corpus) and ar.index is not None


def test_an_index_that_cannot_be_written_means_working_from_memory(corpus, cache_home, monkeypatch):
    """As on a read-only file system (the test above needs a user that is not root)."""
    open_archive([corpus], with_search=False).close()
    write_corpus(corpus, 1, start=40)
    from pktui.knowledge.store.writer import StoreWriter

    def refuse(self, items):
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(StoreWriter, "stage_within", refuse)
    ar = open_archive([corpus])
    lines = [p.line() for p in ar.kb.problems]
    assert len(lines) == 1 and "readonly" in lines[0] and "working from memory" in lines[0], lines
    assert export_document(ar.kb) == clean(corpus) and ar.index is not None


def test_a_cache_folder_that_cannot_be_made_is_one_warning_on_the_command_line(corpus, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("a regular file where the cache folder should go", encoding="utf-8")
    r = run("export", "--format", "json", str(corpus), cache=blocker / "cache")
    assert r.returncode == 0, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "working from memory" in lines[0] and "Not a directory" in lines[0], lines
    r2 = run("export", "--format", "json", "--no-cache", str(corpus), cache=tmp_path / "x")
    assert r.stdout == r2.stdout


def test_a_full_disk_rolls_back_leaves_no_wal_and_works_from_memory(corpus, cache_home, monkeypatch):
    from pktui.knowledge.store import schema

    real = schema.connect

    def small(path, **kw):
        conn = real(path, **kw)
        conn.execute("PRAGMA max_page_count = 40")  # a disk that fills up during the update
        return conn

    monkeypatch.setattr(schema, "connect", small)
    import pktui.knowledge.store as store_pkg

    monkeypatch.setattr(store_pkg, "connect", small)
    ar = open_archive([corpus], with_search=False)
    lines = [p.line() for p in ar.kb.problems]
    assert any("could not be written" in ln and "working from memory" in ln for ln in lines), lines
    assert export_document(ar.kb) == clean(corpus)
    wal = corpus_folder([corpus]) / "knowledge.sqlite3-wal"
    assert not wal.exists() or wal.stat().st_size == 0


def test_bad_rows_are_named_never_trusted_and_extracted_again(corpus, cache_home):
    open_archive([corpus], with_search=False).close()
    db = corpus_folder([corpus]) / "knowledge.sqlite3"
    conn = sqlite3.connect(db)
    (a3,) = conn.execute("SELECT n FROM article WHERE id = 'a003'").fetchone()
    (a5,) = conn.execute("SELECT n FROM article WHERE id = 'a005'").fetchone()
    (a7,) = conn.execute("SELECT n FROM article WHERE id = 'a007'").fetchone()
    conn.execute(
        "UPDATE fact SET start = 5000, end = 5010 WHERE n = (SELECT MIN(n) FROM fact WHERE article = ?)", (a3,)
    )
    conn.execute("UPDATE mention SET entity = 'person/nobody' WHERE article = ?", (a5,))
    conn.execute("UPDATE fact SET data = '{not json' WHERE article = ?", (a7,))
    conn.commit()
    conn.close()
    ar = open_archive([corpus], with_search=False)
    doc = export_document(ar.kb)
    assert ar.kb.mentions_in("a005") == []  # (the browser's source view reads them)
    named = {p.path for p in ar.kb.problems}
    assert named == {"a003", "a005", "a007"}, [p.line() for p in ar.kb.problems]
    assert all("not trusted" in p.reason for p in ar.kb.problems)
    assert all(f["article"] not in ("a007",) for f in doc["facts"])
    assert all(m["article"] != "a005" for e in doc["entities"] for m in e["mentions"])
    texts = {a["id"]: a["text"] for a in doc["articles"]}
    assert all(texts[f["article"]][f["start"] : f["end"]] == f["text"] for f in doc["facts"])
    ar.close()
    ar = open_archive([corpus], with_search=False)  # the next open extracts them again
    assert ar.summary.extracted == 3 and ar.kb.problems == []
    assert export_document(ar.kb) == clean(corpus)
    ar.close()


def test_no_cache_reads_in_memory_and_writes_no_index(corpus, cache_home):
    ar = open_archive([corpus], use_store=False)
    assert not corpus_folder([corpus]).exists()
    assert export_document(ar.kb) == clean(corpus) and ar.index is not None


def test_index_no_cache_makes_the_index_again(corpus, tmp_path):
    cache = tmp_path / "cache"
    assert run("index", str(corpus), cache=cache).returncode == 0
    r = run("index", "--no-cache", str(corpus), cache=cache)
    assert r.returncode == 0 and "12 extracted, 0 unchanged" in r.stderr, r.stderr
    for f in corpus.glob("*.txt"):
        f.unlink()
    r = run("index", str(corpus), cache=cache)  # every article gone: the index follows, and says so
    assert r.returncode == 1 and "no articles" in r.stderr


def test_bench_gives_the_reopen_figures_on_a_synthetic_corpus_written_once(tmp_path):
    """``pktui bench --synthetic N``: the corpus written once under the cache and reused; the
    reopen figures, with corrections ledgers and after updates (each a new process), beside the
    keystroke figures."""
    import json

    cache = tmp_path / "cache"
    r = run("bench", "--synthetic", "12", "--json", cache=cache, timeout=600)
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert report["articles"] == 12
    for key in (
        "reopen_s",
        "reopen_peak_mb",
        "ledger_100_s",
        "ledger_1000_again_s",
        "ledger_100_grown_s",
        "update_1_s",
        "update_100_s",
    ):
        assert report[key] > 0, key
    folder = next((cache / "pktui" / "bench").glob("synthetic-12-*"))
    assert len(list(folder.glob("*.txt"))) == 12 and not list(folder.glob("bench-added-*"))  # put back


def test_search_segments_unreadable_are_written_again_at_once(corpus, cache_home):
    from pktui.archive.segments import segments_supported

    if not segments_supported():
        pytest.skip("this search engine writes no segments")
    open_archive([corpus]).close()
    search = corpus_folder([corpus]) / "search"
    for f in search.rglob("*"):
        if f.is_file():
            f.write_bytes(b"not a segment")
    ar = open_archive([corpus])
    lines = [p.line() for p in ar.kb.problems]
    assert len(lines) == 1 and "written again" in lines[0], lines
    assert ar.summary.search == "segments" and ar.index.search("lacroix", limit=3)
    ar.close()
    ar = open_archive([corpus])
    assert ar.kb.problems == [] and ar.summary.search == "segments"
    ar.close()
