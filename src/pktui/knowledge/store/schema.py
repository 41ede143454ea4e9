"""The knowledge store's tables (one SQLite file per corpus), and opening it safely.

Published tables hold the resolved knowledge base: ``article`` (+ ``article_text``, read when
shown; with what decides its id and whether it is a duplicate: base id, identity, URL and text
digests, its place in its file), ``duplicate`` (copies left out, to read again when the one kept
goes), ``local_entity`` and ``key_variant`` (what each article says of each entity key: the
inputs of resolution, kept so that it is redone cheaply), ``keyinfo`` (a key's name and the
entity it resolves to), ``mention``, ``fact``, ``fact_entity``, ``entity``, ``timeline``,
``point`` and ``series``; ``file`` is the last directory scan. Extractions committed in batches
as they come wait in a file of their own (``stage.sqlite3``: :data:`STAGE_TABLE`) until an update
publishes them in one transaction; then that file is deleted, so the store never holds (nor
has to give back) their space.

A file of another schema version, or one SQLite cannot read, is set aside (renamed, kept for
a look) and a new one made; the caller says so with a warning.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from pktui.fileio import move_database

#: bump when the tables change: an older store is set aside and rebuilt
SCHEMA_VERSION = 1
APPLICATION_ID = 0x706B7475  # "pktu": marks the file as ours

TABLES = """
CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS file (
    path TEXT PRIMARY KEY, shown TEXT NOT NULL, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
    hash TEXT NOT NULL, problems TEXT
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS article (
    n INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, file TEXT NOT NULL, place INTEGER NOT NULL,
    ekey TEXT NOT NULL, undated INTEGER NOT NULL, published TEXT NOT NULL, length INTEGER NOT NULL,
    meta TEXT NOT NULL, problem TEXT, base_id TEXT NOT NULL, identity TEXT NOT NULL, url_key TEXT,
    text_key TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS article_order ON article(undated, published, id);
CREATE INDEX IF NOT EXISTS article_file ON article(file);
CREATE INDEX IF NOT EXISTS article_base ON article(base_id);
CREATE INDEX IF NOT EXISTS article_url ON article(url_key) WHERE url_key IS NOT NULL;
CREATE INDEX IF NOT EXISTS article_text_key ON article(text_key);
CREATE TABLE IF NOT EXISTS duplicate (
    file TEXT NOT NULL, place INTEGER NOT NULL, url_key TEXT, text_key TEXT NOT NULL, path TEXT NOT NULL,
    kept TEXT NOT NULL, PRIMARY KEY (file, place)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS duplicate_text ON duplicate(text_key);
CREATE INDEX IF NOT EXISTS duplicate_url ON duplicate(url_key) WHERE url_key IS NOT NULL;
CREATE TABLE IF NOT EXISTS article_text (n INTEGER PRIMARY KEY, text TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS local_entity (
    article INTEGER NOT NULL, key TEXT NOT NULL, first INTEGER NOT NULL, attrs TEXT, data TEXT NOT NULL,
    PRIMARY KEY (article, key)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS local_entity_key ON local_entity(key);
CREATE TABLE IF NOT EXISTS key_variant (
    key TEXT NOT NULL, text TEXT NOT NULL, names INTEGER NOT NULL, aliases INTEGER NOT NULL,
    mentions INTEGER NOT NULL, PRIMARY KEY (key, text)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS keyinfo (key TEXT PRIMARY KEY, name TEXT NOT NULL, entity TEXT NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS keyinfo_entity ON keyinfo(entity);
CREATE TABLE IF NOT EXISTS mention (
    n INTEGER PRIMARY KEY, article INTEGER NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,
    key TEXT NOT NULL, entity TEXT NOT NULL, text TEXT NOT NULL, data TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS mention_place ON mention(article, start, end, key);
CREATE INDEX IF NOT EXISTS mention_entity ON mention(entity);
CREATE TABLE IF NOT EXISTS fact (
    n INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, article INTEGER NOT NULL, start INTEGER NOT NULL,
    end INTEGER NOT NULL, kind TEXT NOT NULL, text TEXT NOT NULL, data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS fact_place ON fact(article, start, end, kind);
CREATE TABLE IF NOT EXISTS fact_entity (entity TEXT NOT NULL, fact INTEGER NOT NULL, PRIMARY KEY (entity, fact))
    WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS fact_entity_fact ON fact_entity(fact);
CREATE TABLE IF NOT EXISTS entity (
    id TEXT PRIMARY KEY, type TEXT NOT NULL, fname TEXT NOT NULL, name TEXT NOT NULL, aliases TEXT NOT NULL,
    attributes TEXT NOT NULL, nmentions INTEGER NOT NULL, narticles INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS entity_order ON entity(type, fname, id);
CREATE TABLE IF NOT EXISTS timeline (
    fact INTEGER PRIMARY KEY, tkey BLOB NOT NULL, article INTEGER NOT NULL, data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS timeline_order ON timeline(tkey);
CREATE INDEX IF NOT EXISTS timeline_article ON timeline(article);
CREATE TABLE IF NOT EXISTS point (
    article INTEGER NOT NULL, subject TEXT NOT NULL, measure TEXT NOT NULL, data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS point_article ON point(article);
CREATE INDEX IF NOT EXISTS point_series ON point(subject, measure);
CREATE TABLE IF NOT EXISTS series (
    subject TEXT NOT NULL, measure TEXT NOT NULL, unit TEXT NOT NULL, npoints INTEGER NOT NULL,
    points TEXT NOT NULL, UNIQUE (subject, measure)
);
CREATE INDEX IF NOT EXISTS series_order ON series(subject, npoints DESC, measure);
CREATE TABLE IF NOT EXISTS suspect (article TEXT PRIMARY KEY, reason TEXT NOT NULL) WITHOUT ROWID;
"""


STAGE_TABLE = "CREATE TABLE IF NOT EXISTS st.stage (ekey TEXT PRIMARY KEY, article TEXT NOT NULL, extraction BLOB, error TEXT) WITHOUT ROWID"


class StoreUnavailable(Exception):
    """The store cannot be used; the message says why in one line."""


class StoreOutdated(Exception):
    """A store of another schema version (or not ours)."""


def looks_damaged(exc: BaseException) -> bool:
    msg = str(exc).lower()
    return any(w in msg for w in ("malformed", "not a database", "corrupt", "disk image", "file is not"))


def is_full(exc: BaseException) -> bool:
    msg = str(exc).lower()
    return "full" in msg or "no space" in msg


def connect(path: Path, *, timeout: float = 30.0) -> sqlite3.Connection:
    """A connection in WAL mode (readers never wait for the writer), checked to be ours."""
    new = not path.exists() or path.stat().st_size == 0
    conn = sqlite3.connect(path, timeout=timeout, isolation_level=None, check_same_thread=False)
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        if new:  # before anything is written: published stages give their space back
            conn.execute("PRAGMA auto_vacuum = INCREMENTAL")
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
        if str(mode).lower() != "wal":
            _retry_locked(lambda: conn.execute("PRAGMA journal_mode=WAL"))
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=OFF")
        _check_version(conn)
    except BaseException:
        conn.close()
        raise
    return conn


def _retry_locked(action: Callable[[], object], attempts: int = 40) -> None:
    # Two processes making a new store at once: switching it to WAL can report "locked" at
    # once, without waiting (SQLite does not call the busy handler there). Retry.
    for attempt in range(attempts):
        try:
            action()
            return
        except sqlite3.OperationalError as exc:
            msg = str(exc).lower()
            if attempt + 1 == attempts or ("locked" not in msg and "busy" not in msg):
                raise
            time.sleep(0.05 * (attempt + 1))


def _check_version(conn: sqlite3.Connection) -> None:
    app = conn.execute("PRAGMA application_id").fetchone()[0]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if app == 0 and version == 0:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if names:
            raise StoreOutdated("a database that is not a pktui store")
        _retry_locked(lambda: _create(conn))
        return
    if app != APPLICATION_ID:
        raise StoreOutdated("a database that is not a pktui store")
    if version != SCHEMA_VERSION:
        raise StoreOutdated(f"store schema version {version}, this pktui reads {SCHEMA_VERSION}")


def _create(conn: sqlite3.Connection) -> None:
    conn.execute("BEGIN IMMEDIATE")
    try:
        if conn.execute("PRAGMA user_version").fetchone()[0] == 0:
            for stmt in TABLES.split(";"):
                if stmt.strip():
                    conn.execute(stmt)
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
        raise


def set_aside(path: Path, why: str) -> Path:
    """Rename the store (and its WAL) out of the way; the previous one set aside is dropped."""
    aside = path.with_name(f"{path.name}.{why}-{time.strftime('%Y%m%d-%H%M%S')}")
    for old in path.parent.glob(f"{path.name}.*-*"):
        if old.name.split(".")[-1].split("-")[0] in ("damaged", "outdated"):
            with contextlib.suppress(OSError):
                old.unlink()
    move_database(path, aside)
    return aside
