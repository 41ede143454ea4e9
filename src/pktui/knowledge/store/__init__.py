"""The resolved knowledge base of one corpus on disk (SQLite), read lazily, updated by article.

:class:`KnowledgeStore` opens (or makes) the store file of a corpus folder, sets aside one that
is damaged or of another version (with a warning), and hands out a :class:`StoreWriter`
(staging, publishing: :mod:`.writer`) and :class:`StoredKnowledgeBase` readers (:mod:`.reader`).
"""

from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from pktui.knowledge.store import codec
from pktui.knowledge.store.reader import StoredKnowledgeBase
from pktui.knowledge.store.schema import (
    SCHEMA_VERSION,
    StoreOutdated,
    StoreUnavailable,
    connect,
    is_full,
    looks_damaged,
    set_aside,
)
from pktui.model import Article, LoadProblem

__all__ = [
    "SCHEMA_VERSION",
    "FileState",
    "KnowledgeStore",
    "StoreUnavailable",
    "StoredArticle",
    "StoredKnowledgeBase",
    "is_full",
]

STORE_NAME = "knowledge.sqlite3"


@dataclass(frozen=True, slots=True)
class FileState:
    """A corpus file as the last scan saw it (``shown``: its path as the user named it)."""

    size: int
    mtime_ns: int
    hash: str
    shown: str = ""


def _shown(stored: str) -> str:
    try:
        value = codec.loads(stored)
    except codec.BadRow:
        return ""
    return value if isinstance(value, str) else ""


@dataclass(frozen=True, slots=True)
class StoredArticle:
    id: str
    ekey: str
    meta: str


class KnowledgeStore:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / STORE_NAME
        self.warnings: list[str] = []
        self.conn = self._open()

    def _open(self) -> sqlite3.Connection:
        marker = self.folder / "DAMAGED"
        if marker.exists():
            self._set_aside("damaged", marker.read_text(encoding="utf-8", errors="replace").strip() or "damaged")
            marker.unlink(missing_ok=True)
        try:
            return self._connect_checked()
        except StoreOutdated as exc:
            self._set_aside("outdated", str(exc))
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.OperationalError) and not looks_damaged(exc):
                raise StoreUnavailable(f"index {self.path} unusable: {exc}") from None
            self._set_aside("damaged", f"damaged ({exc})")
        try:
            return self._connect_checked()
        except (sqlite3.DatabaseError, StoreOutdated) as exc:
            raise StoreUnavailable(f"index {self.path} unusable: {exc}") from None

    def _connect_checked(self) -> sqlite3.Connection:
        conn = connect(self.path)
        try:
            # cheap: reads the schema and one page of each table; a damaged file fails here
            for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
                conn.execute(f"SELECT * FROM {table} LIMIT 1").fetchall()
        except BaseException:
            conn.close()
            raise
        return conn

    def _set_aside(self, why: str, reason: str) -> None:
        aside = set_aside(self.path, why)
        self.warnings.append(f"index {self.path} {reason}; set aside as {aside.name} and rebuilt")

    def writer(self):
        from pktui.knowledge.store.writer import StoreWriter

        return StoreWriter(self.conn)

    @staticmethod
    def open_reader(folder: Path, problems: list[LoadProblem]) -> StoredKnowledgeBase:
        return StoredKnowledgeBase(folder / STORE_NAME, problems)

    # -- what the last scan saw ----------------------------------------------------------------

    def files(self) -> dict[str, FileState]:
        rows = self.conn.execute("SELECT path, size, mtime_ns, hash, shown FROM file").fetchall()
        return {p: FileState(s, m, h, _shown(sh)) for p, s, m, h, sh in rows}

    def articles_of(self, files: list[str]) -> dict[str, list[StoredArticle]]:
        out: dict[str, list[StoredArticle]] = {f: [] for f in files}
        for i in range(0, len(files), 500):
            chunk = files[i : i + 500]
            q = f"SELECT file, id, ekey, meta FROM article WHERE file IN ({','.join('?' * len(chunk))})"
            for f, aid, ekey, meta in self.conn.execute(q, chunk):
                out[f].append(StoredArticle(aid, ekey, meta))
        return out

    def article_ids(self) -> set[str]:
        return {r[0] for r in self.conn.execute("SELECT id FROM article")}

    def suspects(self) -> dict[str, str]:
        return dict(self.conn.execute("SELECT article, reason FROM suspect").fetchall())

    def meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT v FROM meta WHERE k = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str | None) -> None:
        if value is None:
            self.conn.execute("DELETE FROM meta WHERE k = ?", (key,))
        else:
            self.conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def save_files(self, states: dict[str, tuple[FileState, list[LoadProblem]]], gone: list[str]) -> None:
        rows = []
        for path, (st, problems) in states.items():
            probs = codec.dumps_any([[p.path, p.reason, p.skipped] for p in problems]) if problems else None
            rows.append((path, codec.dumps_any(st.shown), st.size, st.mtime_ns, st.hash, probs))
        self.conn.executemany("INSERT OR REPLACE INTO file VALUES (?, ?, ?, ?, ?, ?)", rows)
        self.conn.executemany("DELETE FROM file WHERE path = ?", [(p,) for p in gone])

    def touch_files(self, states: dict[str, FileState]) -> None:
        """Files whose content is unchanged though their size, time or shown path moved."""
        self.conn.executemany(
            "UPDATE file SET size = ?, mtime_ns = ?, shown = ? WHERE path = ?",
            [(st.size, st.mtime_ns, codec.dumps_any(st.shown), path) for path, st in states.items()],
        )

    def stored_articles(self, ids: list[str]) -> list[tuple[str, Article]]:
        """(file, article) of stored articles, text included (to extract them again)."""
        out = []
        for aid in ids:
            row = self.conn.execute(
                "SELECT a.file, a.published, a.meta, t.text FROM article a JOIN article_text t ON t.n = a.n "
                "WHERE a.id = ?",
                (aid,),
            ).fetchone()
            if row is None:
                continue
            with contextlib.suppress(codec.BadRow, TypeError):
                file, published, meta, text = row
                out.append(
                    (
                        file,
                        codec.make(
                            Article, codec.loads(meta), id=aid, text=text, published=codec.parse_date(published or None)
                        ),
                    )
                )
        return out

    def update_meta_rows(self, rows: list[tuple[str, str]]) -> None:
        """Articles whose extraction inputs are unchanged but whose other fields (URL, path) moved."""
        self.conn.executemany("UPDATE article SET meta = ? WHERE id = ?", [(m, aid) for aid, m in rows])

    def clear_suspects(self, ids: list[str]) -> None:
        self.conn.executemany("DELETE FROM suspect WHERE article = ?", [(a,) for a in ids])

    def release_failed_write(self) -> None:
        """After a failed write (a full disk): nothing half-written stays, and the WAL is emptied."""
        with contextlib.suppress(sqlite3.Error):
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
        with contextlib.suppress(sqlite3.Error):
            self.conn.execute("PRAGMA busy_timeout = 200")  # a reader may hold it: do not wait long
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def compact(self) -> None:
        """Give back the space of rows just deleted (staged extractions, removed articles)."""
        with contextlib.suppress(sqlite3.Error):
            self.conn.execute("PRAGMA incremental_vacuum")
            self.conn.execute("PRAGMA wal_checkpoint(PASSIVE)")  # never waits for a reader

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.conn.execute("PRAGMA optimize")
        with contextlib.suppress(sqlite3.Error):
            self.conn.close()
