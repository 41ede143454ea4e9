"""A kept overlay written back after new entries were applied on it: a copy of its file with only
the rows they changed written again (:mod:`.overlay_kept`), renamed over it."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
from pathlib import Path
from typing import cast

from pktui.knowledge.store import codec
from pktui.knowledge.store.kept_overlay import ARTICLE_SETS, KeptOverlay, place_of
from pktui.knowledge.store.kept_rows import KeptSet
from pktui.knowledge.store.overlay_kept import KeptKey, fact_data, put_entities, put_timeline, write_meta


def update_kept(path: Path, ov: KeptOverlay, key: KeptKey) -> bool:
    """Write the kept overlay ``ov`` was read from again with what changed in it since (and the
    key): its file copied, the changed rows written in one transaction, the copy renamed over
    ``path``; ``ov`` reads the new file from then on. A reader of the old file (another process)
    keeps reading it as it was. False where it cannot be written (nothing is left behind)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        copied = _copy_if_same(path, ov.identity, tmp)
        conn = sqlite3.connect(tmp, isolation_level=None)
        try:
            if not copied:  # (another file is at ``path`` now: the one ``ov`` read is copied)
                ov.conn.backup(conn)
            conn.execute("PRAGMA journal_mode = OFF")
            conn.execute("BEGIN")
            _put_changes(conn, ov)
            write_meta(conn, ov, key)
            conn.execute("COMMIT")
        finally:
            conn.close()
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        reader = sqlite3.connect(f"file:{tmp}?mode=ro", uri=True, check_same_thread=False)
        os.replace(tmp, path)
    except (OSError, sqlite3.Error):
        with contextlib.suppress(OSError):
            tmp.unlink()
        return False
    ov.reading(reader)
    ov.written()
    return True


def _copy_if_same(path: Path, identity: tuple[int, int] | None, to: Path) -> bool:
    """Copy the file at ``path`` to ``to`` when it is the one of ``identity`` (a kept file is
    never written in place: a copy of its bytes is the file)."""
    if identity is None:
        return False
    with open(path, "rb") as src:
        st = os.fstat(src.fileno())
        if (st.st_dev, st.st_ino) != identity:
            return False
        with open(to, "wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
    return True


def _put_changes(conn: sqlite3.Connection, ov: KeptOverlay) -> None:
    """The rows of what changed: entities and their mentions, facts and the lists of facts
    naming each entity they name (before or after), timeline entries, members added."""
    changed = sorted(ov.entities.changed)
    for eid in changed:
        conn.execute("DELETE FROM entity WHERE id = ?", (eid,))
        conn.execute("DELETE FROM mention WHERE entity = ?", (eid,))
    first = (conn.execute("SELECT MAX(n) FROM mention").fetchone()[0] or 0) + 1
    put_entities(conn, (e for e in map(ov.entities.get, changed) if e is not None), first)
    facts = sorted(ov.facts.changed | ov.fact_rows.changed | ov.fact_order.changed)
    named: set[str] = set()
    for fid in facts:
        named.update(r[0] for r in conn.execute("SELECT entity FROM about WHERE fact = ?", (fid,)))
        conn.execute("DELETE FROM fact WHERE id = ?", (fid,))
        if fid in ov.fact_rows:
            place, data = codec.dumps_any(ov.fact_order[fid]), fact_data(ov.facts.get(fid))
            conn.execute("INSERT INTO fact VALUES (?, ?, ?, ?)", (fid, ov.fact_rows[fid], place, data))
    now = {fid: f for fid, f in ((fid, ov.facts.get(fid)) for fid in facts) if f is not None}
    named.update(eid for f in now.values() for eid in f.entities)
    redone = set(facts)
    q = "SELECT a.fact, f.place, f.row FROM about a JOIN fact f ON f.id = a.fact WHERE a.entity = ?"
    for eid in sorted(named):  # the entity's facts again, in the store's order
        keyed = [((place_of(json.loads(p)), n), fid) for fid, p, n in conn.execute(q, (eid,)) if fid not in redone]
        keyed += [(ov.fact_place(fid), fid) for fid, f in now.items() if eid in f.entities]
        fids = [fid for _place, fid in sorted(keyed)]
        conn.execute("DELETE FROM about WHERE entity = ?", (eid,))
        conn.executemany("INSERT INTO about VALUES (?, ?, ?)", ((eid, k, fid) for k, fid in enumerate(fids)))
    for fid in ov.timeline.changed:
        conn.execute("DELETE FROM timeline WHERE fact = ?", (fid,))
        conn.execute("DELETE FROM timeline_about WHERE fact = ?", (fid,))
    put_timeline(conn, ov, (t for t in map(ov.timeline.get, sorted(ov.timeline.changed)) if t is not None))
    conn.executemany(
        "UPDATE timeline SET same = ? WHERE fact = ?", ((int(not f.corrected), fid) for fid, f in now.items())
    )
    added_rows = cast(KeptSet[int], ov.timeline_rows).added
    conn.executemany("INSERT OR IGNORE INTO timeline_row VALUES (?)", ((n,) for n in added_rows))
    for name in ARTICLE_SETS:
        added = cast(KeptSet[str], getattr(ov, name)).added
        conn.executemany("INSERT OR IGNORE INTO article VALUES (?, ?)", ((name, aid) for aid in added))
