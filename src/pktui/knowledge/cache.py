"""Per-article extraction cache in an embedded SQLite database.

Keyed by a hash of the article (id, date, title, text) and the extractor version, so reopening an
unchanged corpus extracts nothing and a changed article is always extracted again. WAL and
transactions keep two writers consistent; a damaged database is set aside and rebuilt; a
cache folder that cannot be written means "no cache", with a warning, never a crash.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Iterable
from pathlib import Path

from pktui.extract import ArticleExtraction, LocalEntity
from pktui.model import Article, Fact, Mention

SCHEMA = 2  # 2: mentions and facts carry why


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
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.OperationalError) and not self._looks_corrupt(exc):
                raise CacheUnavailable(f"cache {self.path} unusable: {exc}") from None
            aside = self._set_aside()
            self.warnings.append(f"cache {self.path} was damaged ({exc}); set aside as {aside.name} and rebuilt")
            try:
                return self._connect()
            except sqlite3.DatabaseError as exc2:
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
            row = conn.execute("PRAGMA quick_check").fetchone()
            if row is None or row[0] != "ok":
                raise sqlite3.DatabaseError(f"integrity check failed: {row[0] if row else 'no answer'}")
        except sqlite3.DatabaseError:
            conn.close()
            raise
        return conn

    def _set_aside(self) -> Path:
        aside = self.path.with_name(f"{self.path.name}.damaged-{int(time.time())}")
        for suffix in ("", "-wal", "-shm"):
            p = Path(str(self.path) + suffix)
            if p.exists():
                try:
                    p.replace(Path(str(aside) + suffix))
                except OSError:
                    p.unlink(missing_ok=True)
        return aside

    def get_many(self, keys: Iterable[str]) -> dict[str, ArticleExtraction]:
        keys = list(keys)
        out: dict[str, ArticleExtraction] = {}
        try:
            for i in range(0, len(keys), 500):
                chunk = keys[i : i + 500]
                q = f"SELECT key, data FROM extraction WHERE key IN ({','.join('?' * len(chunk))})"
                for key, data in self.conn.execute(q, chunk):
                    with contextlib.suppress(ValueError, KeyError, TypeError):  # an unreadable row is extracted again
                        out[key] = decode_extraction(data)
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
            self.conn.executemany("INSERT OR REPLACE INTO extraction (key, article, data) VALUES (?, ?, ?)", rows)
            self.conn.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            with contextlib.suppress(sqlite3.DatabaseError):
                self.conn.execute("ROLLBACK")
            self.warnings.append(f"cache write failed ({exc}); results not cached")

    def close(self) -> None:
        with contextlib.suppress(sqlite3.DatabaseError):
            self.conn.close()


# -- serialisation ------------------------------------------------------------------------


def encode_extraction(ex: ArticleExtraction) -> bytes:
    doc = {
        "s": SCHEMA,
        "a": ex.article,
        "e": [[e.key, e.name, e.type, e.aliases, e.attributes, e.gazetteer] for e in ex.entities],
        "m": [[m.start, m.end, m.entity, m.why] for m in ex.mentions],
        "f": [
            [
                f.id,
                f.kind,
                f.start,
                f.end,
                list(f.sentence),
                f.value,
                f.qualifier,
                f.unit,
                f.precision,
                f.entities,
                f.summary,
                f.detail,
                f.date,
                f.why,
            ]
            for f in ex.facts
        ],
        "x": [list(s) for s in ex.sentences],
    }
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def decode_extraction(data: bytes) -> ArticleExtraction:
    doc = json.loads(data)
    if doc.get("s") != SCHEMA:
        raise ValueError("old cache schema")
    aid = doc["a"]
    entities = [LocalEntity(k, n, t, list(al), dict(at), bool(g)) for k, n, t, al, at, g in doc["e"]]
    mentions = [Mention(aid, s, e, "", key, why) for s, e, key, why in doc["m"]]
    facts = [
        Fact(
            id=i,
            kind=k,
            article=aid,
            start=s,
            end=e,
            text="",
            sentence=tuple(sent),
            value=v,
            qualifier=q,
            unit=u,
            precision=p,
            entities=list(ents),
            summary=sm,
            detail=d,
            date=dt,
            why=why,
        )
        for i, k, s, e, sent, v, q, u, p, ents, sm, d, dt, why in doc["f"]
    ]
    return ArticleExtraction(aid, entities, mentions, facts, [tuple(x) for x in doc["x"]])


def fill_texts(ex: ArticleExtraction, text: str) -> ArticleExtraction:
    """Cached rows store offsets only; the span texts come from the article."""
    for m in ex.mentions:
        m.text = text[m.start : m.end]
    for f in ex.facts:
        f.text = text[f.start : f.end]
    return ex
