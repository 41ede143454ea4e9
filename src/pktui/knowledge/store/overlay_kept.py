"""A corrections overlay kept on disk as SQLite, read back a row at a time.

The file holds the overlay (:class:`~.overlay.Overlay`) in tables keyed by entity id, fact id
and article id, and a ``meta`` row of what it was made from: the store's base, the ledger
file's digest (an unchanged ledger is not even parsed) and a digest per entry. Reading it back
(:func:`open_kept`) reads the meta rows and the few small lists only; :class:`~.kept_overlay.KeptOverlay`
answers ``entity(id)``, ``fact(id)``, an article's mentions, the facts naming an entity and the
timeline in order with one indexed query each, and reads a table whole only when a list is
walked whole (:mod:`.kept_rows`).

New entries are applied on the kept overlay itself (:mod:`.extend`, through the same
interface), which notes what they changed; :func:`~.overlay_kept_update.update_kept` writes a
copy of the file with only those rows written again. Every file is written beside the kept one,
then renamed over it: a kept file is never changed in place, so a process reading one lazily
reads it as it was. A file that cannot be read raises :class:`KeptDamaged` (the caller makes it
again); where it cannot be written, :meth:`~.kept_overlay.KeptOverlay.materialize` gives the
overlay in memory.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pktui.knowledge.outcome import Outcome
from pktui.knowledge.store import codec
from pktui.knowledge.store.kept_overlay import (
    ARTICLE_SETS,
    KeptDamaged,
    KeptOverlay,
)
from pktui.knowledge.store.overlay import Overlay
from pktui.model import Entity, Fact, TimelineEntry

FORMAT = "pktui-overlay-7"
#: facts and timeline entries are kept as lists of their fields, in this order (a file made
#: with other fields is made again)
FACT_FIELDS = [f.name for f in dataclasses.fields(Fact)]
TIMELINE_FIELDS = [f.name for f in dataclasses.fields(TimelineEntry)]

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE entity (id TEXT PRIMARY KEY, type TEXT NOT NULL, data TEXT NOT NULL, nmentions INTEGER NOT NULL);
CREATE TABLE mention (entity TEXT NOT NULL, seq INTEGER NOT NULL, article TEXT NOT NULL, data TEXT NOT NULL,
                      n INTEGER NOT NULL, PRIMARY KEY (entity, seq)) WITHOUT ROWID;
CREATE INDEX mention_article ON mention (article, n);
CREATE TABLE fact (id TEXT PRIMARY KEY, row INTEGER NOT NULL, place TEXT NOT NULL, data TEXT);
CREATE TABLE about (entity TEXT NOT NULL, seq INTEGER NOT NULL, fact TEXT NOT NULL,
                    PRIMARY KEY (entity, seq)) WITHOUT ROWID;
CREATE TABLE timeline (fact TEXT PRIMARY KEY, tkey BLOB NOT NULL, data TEXT NOT NULL, same INTEGER NOT NULL,
                       row INTEGER NOT NULL);
CREATE INDEX timeline_order ON timeline (same, tkey, fact);
CREATE TABLE timeline_about (entity TEXT NOT NULL, tkey BLOB NOT NULL, fact TEXT NOT NULL,
                             PRIMARY KEY (entity, tkey, fact)) WITHOUT ROWID;
CREATE TABLE timeline_row (n INTEGER PRIMARY KEY);
CREATE TABLE article (what TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY (what, id)) WITHOUT ROWID;
"""


@dataclasses.dataclass(frozen=True)
class KeptKey:
    """What a kept overlay was made from."""

    base: str  # the store's generation and extractor
    ledger: str  # the ledger file's digest
    entries: list[str]  # a digest per entry
    size: int = -1  # the ledger file's length (a ledger that only grew is read from there)
    numbers: list[int] = dataclasses.field(default_factory=list)  # the entries' numbers


# -- writing ---------------------------------------------------------------------------------------


def write_kept(path: Path, overlay: Overlay, key: KeptKey) -> bool:
    """Write the overlay whole beside ``path`` and rename it over; False where it cannot be
    written (nothing is left behind)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        conn = sqlite3.connect(tmp, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode = OFF")
            conn.execute("PRAGMA synchronous = OFF")
            conn.execute("BEGIN")
            _create(conn)
            _fill(conn, overlay, key)
            conn.execute("COMMIT")
        finally:
            conn.close()
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        return True
    except (OSError, sqlite3.Error):
        with contextlib.suppress(OSError):
            tmp.unlink()
        return False


def _create(conn: sqlite3.Connection) -> None:
    for statement in _SCHEMA.split(";"):
        if statement.strip():
            conn.execute(statement)


def _fill(conn: sqlite3.Connection, ov: Overlay, key: KeptKey) -> None:
    write_meta(conn, ov, key)
    put_entities(conn, ov.entities.values(), 0)
    conn.executemany(
        "INSERT INTO fact VALUES (?, ?, ?, ?)",
        (
            (fid, row, codec.dumps_any(ov.fact_order[fid]), fact_data(ov.facts.get(fid)))
            for fid, row in ov.fact_rows.items()
        ),
    )
    about = ((eid, k, f.id) for eid, facts in _about(ov).items() for k, f in enumerate(facts))
    conn.executemany("INSERT INTO about VALUES (?, ?, ?)", about)
    put_timeline(conn, ov, ov.timeline.values())
    conn.executemany("INSERT INTO timeline_row VALUES (?)", ((n,) for n in ov.timeline_rows))
    conn.executemany(
        "INSERT INTO article VALUES (?, ?)", ((name, aid) for name in ARTICLE_SETS for aid in getattr(ov, name))
    )


def write_meta(conn: sqlite3.Connection, ov: Overlay, key: KeptKey) -> None:
    meta = {
        "format": FORMAT,
        "base": key.base,
        "ledger": key.ledger,
        "entries": json.dumps(key.entries),
        "ledger_size": str(key.size),
        "numbers": json.dumps(key.numbers),
        "fields": json.dumps([FACT_FIELDS, TIMELINE_FIELDS]),
        "outcome": codec.dumps_any(_outcome_doc(ov.outcome)),
        "small": codec.dumps_any(
            {
                "replaced": ov.replaced,
                "names_before": ov.names_before,
                "new": ov.new,
                "created": ov.created,
                "rejected": {fid: ov.fact_rows[fid] for fid in sorted(ov.rejected)},
                "gone": sorted(ov.gone()),
                "counts": {
                    "entities": len(ov.entities),
                    "facts": len(ov.facts),
                    "fact_rows": len(ov.fact_rows),
                    "timeline": len(ov.timeline),
                    "timeline_rows": len(ov.timeline_rows),
                    **{name: len(getattr(ov, name)) for name in ARTICLE_SETS},
                },
            }
        ),
    }
    conn.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", meta.items())


def put_entities(conn: sqlite3.Connection, entities: Iterable[Entity], first: int) -> None:
    """Entity rows and their mentions (numbered from ``first``: an article's mentions are
    read back in that order)."""
    entities = list(entities)
    conn.executemany(
        "INSERT INTO entity VALUES (?, ?, ?, ?)",
        (
            (e.id, e.type, codec.dumps_any([e.name, e.aliases, e.attributes, list(e.corrected)]), len(e.mentions))
            for e in entities
        ),
    )
    mentions = ((e.id, k, m) for e in entities for k, m in enumerate(e.mentions))
    conn.executemany(
        "INSERT INTO mention VALUES (?, ?, ?, ?, ?)",
        (
            (eid, k, m.article, codec.dumps_any([m.start, m.end, m.text, m.why, list(m.corrected)]), first + n)
            for n, (eid, k, m) in enumerate(mentions)
        ),
    )


def put_timeline(conn: sqlite3.Connection, ov: Overlay, entries: Iterable[TimelineEntry]) -> None:
    """Timeline entries, with their sort keys and whether each is the store's as it was."""
    from pktui.knowledge.timeline import tkey

    keyed = [(t, tkey(t)) for t in entries]
    conn.executemany(
        "INSERT INTO timeline VALUES (?, ?, ?, ?, ?)",
        (
            (
                t.fact,
                k,
                codec.dumps_any([getattr(t, f) for f in TIMELINE_FIELDS]),
                int(not ov.facts[t.fact].corrected),
                ov.fact_rows[t.fact],
            )
            for t, k in keyed
        ),
    )
    conn.executemany(
        "INSERT OR IGNORE INTO timeline_about VALUES (?, ?, ?)",
        ((eid, k, t.fact) for t, k in keyed for eid in t.entities),
    )


def _about(ov: Overlay) -> dict[str, list[Fact]]:
    about: dict[str, list[Fact]] = {}
    for f in sorted(ov.facts.values(), key=lambda f: ov.fact_place(f.id)):
        for eid in dict.fromkeys(f.entities):
            about.setdefault(eid, []).append(f)
    return about


def fact_data(f: Fact | None) -> str | None:
    return None if f is None else codec.dumps_any([getattr(f, k) for k in FACT_FIELDS])


def _outcome_doc(out: Outcome) -> dict[str, Any]:
    return {
        "applied": out.applied,
        "stale": [[e.n, e.op, e.targets, e.at, e.note, e.line, why] for e, why in out.stale],
        "series_changed": out.series_changed,
        "made": out.made,
        "gone_entities": out.gone_entities,
        "gone_facts": [[getattr(f, k) for k in FACT_FIELDS] for f in out.gone_facts.values()],
    }


# -- reading ---------------------------------------------------------------------------------------


def _identity(path: Path) -> tuple[int, int]:
    st = os.stat(path)
    return st.st_dev, st.st_ino


def open_kept(path: Path) -> tuple[KeptKey, KeptOverlay] | None:
    """The kept overlay at ``path`` and what it was made from; None when there is none.
    Raises :class:`KeptDamaged`."""
    try:
        before = _identity(path)
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    except FileNotFoundError:
        return None
    except (OSError, sqlite3.Error) as exc:
        raise KeptDamaged(str(exc)) from None
    try:
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        if meta.get("format") != FORMAT or json.loads(meta["fields"]) != [FACT_FIELDS, TIMELINE_FIELDS]:
            raise KeptDamaged("not a kept overlay of this version")
        digests = [str(d) for d in json.loads(meta["entries"])]
        numbers = [int(n) for n in json.loads(meta["numbers"])]
        key = KeptKey(meta["base"], meta["ledger"], digests, int(meta["ledger_size"]), numbers)
        kept = KeptOverlay(conn, meta)
        with contextlib.suppress(OSError):  # (the file read, unless another was renamed in meanwhile)
            kept.identity = before if _identity(path) == before else None
        return key, kept
    except KeptDamaged:
        conn.close()
        raise
    except (sqlite3.Error, KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
        conn.close()
        raise KeptDamaged(f"{type(exc).__name__}: {str(exc)[:80]}") from None
