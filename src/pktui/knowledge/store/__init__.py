"""The resolved knowledge base of one corpus on disk (SQLite), read lazily, updated by article.

:class:`KnowledgeStore` opens (or makes) the store file of a corpus folder, sets aside one that
is damaged or of another version (with a warning), and hands out a :class:`StoreWriter`
(staging, publishing: :mod:`.writer`) and :class:`StoredKnowledgeBase` readers (:mod:`.reader`).
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pktui.knowledge.store import codec
from pktui.knowledge.store.codec import Row
from pktui.knowledge.store.reader import StoredKnowledgeBase
from pktui.knowledge.store.schema import (
    SCHEMA_VERSION,
    STAGE_TABLE,
    StoreOutdated,
    StoreUnavailable,
    connect,
    is_full,
    looks_damaged,
    set_aside,
)
from pktui.model import Article, LoadProblem

if TYPE_CHECKING:
    from pktui.knowledge.store.writer import StoreWriter

__all__ = [
    "SCHEMA_VERSION",
    "FileState",
    "Identity",
    "KnowledgeStore",
    "StoreUnavailable",
    "StoredArticle",
    "StoredKnowledgeBase",
    "as_text",
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


def as_text(name: str) -> str:
    """A name as text SQLite takes: bytes that are not UTF-8 (lone surrogates) written as
    ``\\udcXX``; any other name unchanged."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return name.encode("utf-8", "backslashreplace").decode("utf-8")
    return name


def _shown(stored: str) -> str:
    try:
        value = codec.loads(stored)
    except codec.BadRow:
        return ""
    return value if isinstance(value, str) else ""


@dataclass(slots=True)
class Identity:
    """What decides an article's id and whether it is a copy of another: its base id and
    what tells it apart (:func:`pktui.corpus.ids.assign_ids`), digests of its canonical URL
    and of its white-space-folded text, and its place in its file (reading order)."""

    base_id: str
    identity: str
    url_key: str | None
    text_key: str
    place: int

    def columns(self) -> dict[str, Any]:
        return {
            "base_id": self.base_id,
            "identity": self.identity,
            "url_key": self.url_key,
            "text_key": self.text_key,
            "place": self.place,
        }


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """An article as the index knows it, without its text."""

    id: str
    ekey: str
    meta: str
    file: str
    place: int
    base_id: str
    identity: str
    url_key: str | None
    text_key: str

    @property
    def path(self) -> str:
        try:
            path = codec.loads(self.meta).get("path")
        except (codec.BadRow, AttributeError):
            return self.id
        return path if isinstance(path, str) else self.id


_STORED = "id, ekey, meta, file, place, base_id, identity, url_key, text_key"


def _stored_article(row: Row) -> StoredArticle:
    aid, ekey, meta, file, place, base_id, identity, url_key, text_key = row
    return StoredArticle(aid, ekey, meta, file, place, base_id, _shown(identity) or aid, url_key, text_key)


class KnowledgeStore:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / STORE_NAME
        self.stage_path = folder / "stage.sqlite3"
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

    def writer(self) -> StoreWriter:
        from pktui.knowledge.store.writer import StoreWriter

        return StoreWriter(self.conn)

    @staticmethod
    def open_reader(folder: Path, problems: list[LoadProblem]) -> StoredKnowledgeBase:
        return StoredKnowledgeBase(folder / STORE_NAME, problems)

    # -- what the last scan saw ----------------------------------------------------------------

    def files(self) -> dict[str, FileState]:
        rows = self.conn.execute("SELECT path, size, mtime_ns, hash, shown FROM file").fetchall()
        return {p: FileState(s, m, h, sh) for p, s, m, h, sh in rows}

    def _stored(self, where: str, values: Iterable[str], column: str) -> list[StoredArticle]:
        out: list[StoredArticle] = []
        values = list(values)
        for i in range(0, len(values), 500):
            chunk = values[i : i + 500]
            q = f"SELECT {_STORED} FROM article WHERE {column} IN ({','.join('?' * len(chunk))}){where}"
            out.extend(_stored_article(row) for row in self.conn.execute(q, chunk))
        return out

    def articles_of(self, files: list[str]) -> dict[str, list[StoredArticle]]:
        out: dict[str, list[StoredArticle]] = {f: [] for f in files}
        for a in self._stored("", files, "file"):
            out[a.file].append(a)
        return out

    def articles_by_id(self, ids: list[str]) -> list[StoredArticle]:
        return self._stored("", ids, "id")

    def articles_with_bases(self, bases: set[str]) -> list[StoredArticle]:
        return self._stored("", sorted(bases), "base_id")

    def articles_with_keys(self, urls: set[str], texts: set[str]) -> list[StoredArticle]:
        found = {a.id: a for a in self._stored("", sorted(urls), "url_key")}
        found.update((a.id, a) for a in self._stored("", sorted(texts), "text_key"))
        return list(found.values())

    def article_keys_of(self, files: list[str]) -> list[tuple[str | None, str]]:
        return [(a.url_key, a.text_key) for arts in self.articles_of(files).values() for a in arts]

    def files_with_copies(self, keys: list[tuple[str | None, str]]) -> set[str]:
        """Files holding copies left out of articles with these URL or text digests."""
        out: set[str] = set()
        urls = sorted({u for u, _t in keys if u})
        texts = sorted({t for _u, t in keys})
        for column, values in (("url_key", urls), ("text_key", texts)):
            for i in range(0, len(values), 500):
                chunk = values[i : i + 500]
                q = f"SELECT file FROM duplicate WHERE {column} IN ({','.join('?' * len(chunk))})"
                out.update(r[0] for r in self.conn.execute(q, chunk))
        return out

    def save_duplicates(self, rows_by_file: dict[str, list[Row]], read: list[str]) -> None:
        """The copies left out in the files just read (their old rows replaced)."""
        self.conn.executemany("DELETE FROM duplicate WHERE file = ?", [(f,) for f in read])
        for file, rows in rows_by_file.items():
            for row in rows:
                self.conn.execute("DELETE FROM duplicate WHERE file = ? AND place = ?", (file, row[1]))
            self.conn.executemany(
                "INSERT OR REPLACE INTO duplicate VALUES (?, ?, ?, ?, ?, ?)",
                [(f, place, u, t, codec.dumps_any(path), codec.dumps_any(kept)) for f, place, u, t, path, kept in rows],
            )

    def article_ids(self) -> set[str]:
        return {r[0] for r in self.conn.execute("SELECT id FROM article")}

    def duplicates(self) -> list[tuple[str, str]]:
        """(copy's path, path of the one kept) of every copy left out, in reading order."""
        rows = self.conn.execute("SELECT path, kept FROM duplicate ORDER BY file, place").fetchall()
        out = []
        for path, kept in rows:
            with contextlib.suppress(codec.BadRow):
                out.append((str(codec.loads(path)), str(codec.loads(kept))))
        return out

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
            rows.append((path, as_text(st.shown), st.size, st.mtime_ns, st.hash, probs))
        self.conn.executemany("INSERT OR REPLACE INTO file VALUES (?, ?, ?, ?, ?, ?)", rows)
        self.conn.executemany("DELETE FROM file WHERE path = ?", [(p,) for p in gone])

    def remember_walk(self, memo: dict[str, str] | None, *, within: bool = False) -> None:
        """What the next scan may reuse (:mod:`pktui.archive.scan`: key -> text; None: nothing).
        ``within`` a transaction of the caller's; else best effort, never waiting for a writer."""
        rows: dict[str, str | None] = {"walk": None, "walk.names": None, "walk.notes": None}
        if memo:
            rows.update(memo)
        if within:
            for key, value in rows.items():
                self.set_meta(key, value)
            return
        if all(self.meta(k) == v for k, v in rows.items()):
            return
        with contextlib.suppress(sqlite3.Error):
            self.conn.execute("PRAGMA busy_timeout = 100")
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                for key, value in rows.items():
                    self.set_meta(key, value)
                self.conn.execute("COMMIT")
            except sqlite3.Error:
                with contextlib.suppress(sqlite3.Error):
                    self.conn.execute("ROLLBACK")
            finally:
                self.conn.execute("PRAGMA busy_timeout = 30000")

    def touch_files(self, states: dict[str, FileState]) -> None:
        """Files whose content is unchanged though their size, time or shown path moved."""
        self.conn.executemany(
            "UPDATE file SET size = ?, mtime_ns = ?, shown = ? WHERE path = ?",
            [(st.size, st.mtime_ns, as_text(st.shown), path) for path, st in states.items()],
        )

    def stored_articles(self, ids: list[str]) -> list[tuple[str, Article, Identity]]:
        """(file, article, its identity) of stored articles, text included (to extract them
        again)."""
        out = []
        for aid in ids:
            row = self.conn.execute(
                "SELECT a.file, a.published, a.meta, t.text, a.base_id, a.identity, a.url_key, a.text_key, a.place "
                "FROM article a JOIN article_text t ON t.n = a.n WHERE a.id = ?",
                (aid,),
            ).fetchone()
            if row is None:
                continue
            file, published, meta, text, base_id, identity, url_key, text_key, place = row
            with contextlib.suppress(codec.BadRow, TypeError):
                published = codec.parse_date(published or None)
                a = codec.make(Article, codec.loads(meta), id=aid, text=text, published=published)
                out.append((file, a, Identity(base_id, _shown(identity) or aid, url_key, text_key, place)))
        return out

    def update_meta_rows(self, rows: list[tuple[str, str, str, int]]) -> None:
        """Articles whose extraction inputs are unchanged but whose other fields (URL, path) or
        place moved."""
        self.conn.executemany(
            "UPDATE article SET meta = ?, file = ?, place = ? WHERE id = ?", [(m, f, p, aid) for aid, m, f, p in rows]
        )

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

    def attach_stage(self) -> None:
        """The file where extractions wait to be published (made when missing)."""
        if any(r[1] == "st" for r in self.conn.execute("PRAGMA database_list")):
            return
        self.conn.execute("ATTACH DATABASE ? AS st", (str(self.stage_path),))
        self.conn.execute("PRAGMA st.journal_mode = WAL")
        self.conn.execute("PRAGMA st.synchronous = NORMAL")
        try:
            self.conn.execute(STAGE_TABLE)
        except sqlite3.DatabaseError:  # a damaged stage holds nothing we need: start it again
            self.discard_stage()
            self.conn.execute("ATTACH DATABASE ? AS st", (str(self.stage_path),))
            self.conn.execute(STAGE_TABLE)

    def discard_stage(self) -> None:
        """Once published, the stage goes (its file deleted)."""
        with contextlib.suppress(sqlite3.Error):
            self.conn.execute("DETACH DATABASE st")
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                Path(str(self.stage_path) + suffix).unlink()

    def compact(self) -> None:
        """Give back, a little at a time, the space of rows deleted (articles removed)."""
        with contextlib.suppress(sqlite3.Error):
            self.conn.executescript("PRAGMA incremental_vacuum(2048);")  # (a pragma that steps)
            self.conn.execute("PRAGMA wal_checkpoint(PASSIVE)")  # never waits for a reader

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.conn.execute("PRAGMA optimize")
        with contextlib.suppress(sqlite3.Error):
            self.conn.close()
