"""Per-article extraction cache in an embedded SQLite database (for the in-memory loader).

Keyed by a hash of the article (id, date, title, text) and the extractor version, so reopening an
unchanged corpus extracts nothing and a changed article is always extracted again; the row of
an article's older text is dropped when the new one is written. WAL and transactions keep two
writers consistent; a damaged database, or one of another schema version, is set aside (once)
and rebuilt; every row is checked against its article when read (spans inside the text, keys
that resolve) and one that fails is named and extracted again; a write that fails (a full
disk) leaves no WAL behind; a cache folder that cannot be written means "no cache", with a
warning, never a crash. Large corpora use the persistent index (:mod:`pktui.archive`).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from pktui.fileio import move_database
from pktui.model import Article
from pktui.text import one_line

if TYPE_CHECKING:
    from pktui.extract import ArticleExtraction

SCHEMA = 3  # 2: mentions and facts carry why; 3: rows hold every model field by name (codec of the store)


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "pktui"


def article_key(article: Article, version: str) -> str:
    """What extraction reads of an article: its id, date, title ("Published: ..." events)
    and text, with the extractor's version."""
    h = hashlib.sha256()
    for part in (version, article.id, article.published_iso or "", article.title, article.text):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


class CacheUnavailable(Exception):
    """The cache cannot be used; the message says why (one line)."""


_OPEN_ATTEMPTS = 40  # about 40 s of waiting for another process, at most


class ExtractionCache:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or cache_dir() / "extractions.sqlite3"
        self.warnings: list[str] = []
        self.conn = self._open()

    def _open(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CacheUnavailable(f"cannot create cache folder {self.path.parent}: {exc.strerror or exc}") from None
        try:
            return self._connect()
        except _OtherVersion as exc:
            aside = self._set_aside("outdated")
            self.warnings.append(f"cache {self.path} {exc}; set aside as {aside.name} and rebuilt")
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.OperationalError) and not self._looks_corrupt(exc):
                raise CacheUnavailable(f"cache {self.path} unusable: {exc}") from None
            aside = self._set_aside("damaged")
            self.warnings.append(f"cache {self.path} was damaged ({exc}); set aside as {aside.name} and rebuilt")
        try:
            return self._connect()
        except (sqlite3.DatabaseError, _OtherVersion) as exc2:
            raise CacheUnavailable(f"cache {self.path} unusable: {exc2}") from None

    @staticmethod
    def _looks_corrupt(exc: Exception) -> bool:
        msg = str(exc).lower()
        return any(w in msg for w in ("malformed", "not a database", "corrupt", "disk image", "file is not"))

    def _connect(self) -> sqlite3.Connection:
        # Two processes opening a new cache at once: switching it to WAL can report "locked"
        # at once, without waiting (SQLite does not call the busy handler there). Retry.
        for attempt in range(_OPEN_ATTEMPTS):
            try:
                return self._connect_once()
            except sqlite3.OperationalError as exc:
                msg = str(exc).lower()
                if attempt + 1 == _OPEN_ATTEMPTS or ("locked" not in msg and "busy" not in msg):
                    raise
                time.sleep(0.05 * (attempt + 1))
        raise AssertionError("unreachable")  # pragma: no cover

    def _connect_once(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT)")
            conn.execute("CREATE TABLE IF NOT EXISTS extraction (key TEXT PRIMARY KEY, article TEXT, data BLOB)")
            conn.execute("CREATE INDEX IF NOT EXISTS extraction_article ON extraction(article)")
            version = conn.execute("SELECT v FROM meta WHERE k = 'schema'").fetchone()
            if version is None and conn.execute("SELECT 1 FROM extraction LIMIT 1").fetchone() is None:
                conn.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (str(SCHEMA),))
                version = (str(SCHEMA),)
            if version is None or version[0] != str(SCHEMA):
                raise _OtherVersion(
                    f"is of schema version {version[0] if version else 'from before 3'}, this pktui reads {SCHEMA}"
                )
            row = conn.execute("PRAGMA quick_check").fetchone()
            if row is None or row[0] != "ok":
                raise sqlite3.DatabaseError(f"integrity check failed: {row[0] if row else 'no answer'}")
        except (sqlite3.DatabaseError, _OtherVersion):
            conn.close()
            raise
        return conn

    def _set_aside(self, why: str) -> Path:
        aside = self.path.with_name(f"{self.path.name}.{why}-{int(time.time())}")
        move_database(self.path, aside)
        return aside

    def get_many(self, keys: Iterable[str], articles: Mapping[str, Article]) -> dict[str, ArticleExtraction]:
        """The cached extractions of these keys, each checked against its article (``id -> article``);
        a row that fails the check is named in :attr:`warnings` and left out (extracted again)."""
        keys = list(keys)
        out: dict[str, ArticleExtraction] = {}
        try:
            for i in range(0, len(keys), 500):
                chunk = keys[i : i + 500]
                q = f"SELECT key, article, data FROM extraction WHERE key IN ({','.join('?' * len(chunk))})"
                for key, aid, data in self.conn.execute(q, chunk):
                    article = articles.get(aid)
                    if article is None:
                        continue
                    try:
                        out[key] = decode_extraction(data, article)
                    except (ValueError, KeyError, TypeError) as exc:
                        self.warnings.append(f"cache row of {one_line(str(aid))} not trusted ({exc}); extracted again")
        except sqlite3.DatabaseError as exc:
            self.warnings.append(f"cache read failed ({exc}); extracting again")
            return {}
        return out

    def put_many(self, items: Iterable[tuple[str, ArticleExtraction]]) -> None:
        rows = [(key, ex.article, encode_extraction(ex)) for key, ex in items]
        if not rows:
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            # an article's older texts are of no more use
            self.conn.executemany("DELETE FROM extraction WHERE article = ? AND key != ?", [(a, k) for k, a, _ in rows])
            self.conn.executemany("INSERT OR REPLACE INTO extraction (key, article, data) VALUES (?, ?, ?)", rows)
            self.conn.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            with contextlib.suppress(sqlite3.DatabaseError):
                self.conn.execute("ROLLBACK")
            with contextlib.suppress(sqlite3.DatabaseError):  # a full disk: give the WAL's space back
                self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self.warnings.append(f"cache write failed ({exc}); results not cached")

    def close(self) -> None:
        with contextlib.suppress(sqlite3.DatabaseError):
            self.conn.close()


# -- serialisation ------------------------------------------------------------------------


class _OtherVersion(Exception):
    pass


def encode_extraction(ex: ArticleExtraction) -> bytes:
    from pktui.knowledge.store.codec import encode_extraction as encode

    return encode(ex)


def decode_extraction(data: bytes, article: Article) -> ArticleExtraction:
    """A cached extraction, its spans filled from ``article`` and checked (``ValueError``)."""
    from pktui.knowledge.store.codec import decode_extraction as decode

    return decode(data, article)
