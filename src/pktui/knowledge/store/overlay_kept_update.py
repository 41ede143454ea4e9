"""A kept overlay written back after new entries were applied on it: only the rows they changed
(:mod:`.overlay_kept`), in one SQLite transaction, so appending an entry costs that entry."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from pathlib import Path
from typing import cast

from pktui.knowledge.store import codec
from pktui.knowledge.store.kept_overlay import ARTICLE_SETS, KeptOverlay, place_of
from pktui.knowledge.store.kept_rows import KeptSet
from pktui.knowledge.store.overlay_kept import KeptKey, fact_data, put_entities, put_timeline, write_meta


def update_kept(path: Path, ov: KeptOverlay, key: KeptKey) -> bool:
    """Write what changed in ``ov`` since it was read from ``path`` (and the key), in one
    transaction; False where it cannot be written (the file is left as it was)."""
    try:
        conn = sqlite3.connect(path, isolation_level=None, timeout=10)
    except sqlite3.Error:
        return False
    try:
        conn.execute("BEGIN IMMEDIATE")
        _put_changes(conn, ov)
        write_meta(conn, ov, key)
        conn.execute("COMMIT")
        ov.written()
        return True
    except (OSError, sqlite3.Error):
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
        return False
    finally:
        conn.close()


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
