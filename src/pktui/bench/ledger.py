"""A corrections ledger of mixed operations made up against an indexed corpus, for the benchmark.

Entries are drawn with a seeded generator from the corpus as it stands: entities picked at
random (most are small, as in a real archive), merges within a type, splits by a name an entity
is written with, renames, retypes, aliases taken from another entity's name, rejected facts and
mentions, values set by hand, and a few undos. Every entry names something that exists when it
is drawn (later ones may find their target merged away: stale, as in real use).
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from pktui.knowledge.ledger import OPERATIONS, Entry, format_entry
from pktui.model import ENTITY_TYPES

_OPS = ["merge", "split", "rename", "retype", "alias", "reject", "reject", "set"]


def synthetic_ledger(kb: Any, n: int, seed: int = 11) -> list[Entry]:
    """``n`` entries of mixed operations over ``kb`` (module doc)."""
    rng = random.Random(seed)
    n_entities, n_facts = len(kb.entities), len(kb.facts)
    entries: list[Entry] = []
    for _attempt in range(n * 50):  # (a draw that names nothing usable is drawn again)
        if len(entries) >= n:
            break
        k = len(entries) + 1
        if entries and rng.random() < 0.03:
            entries.append(_entry(k, "undo", entry=rng.randrange(1, k)))
            continue
        op = rng.choice(_OPS)
        ent = kb.entities[rng.randrange(n_entities)]
        if op == "merge":
            other = kb.entities[rng.randrange(n_entities)]
            if other.id != ent.id:
                entries.append(_entry(k, op, entity=ent.id, into=other.id))
        elif op == "split":
            written = sorted({m.text for m in list(ent.mentions)[:20]})
            if len(written) > 1:
                entries.append(_entry(k, op, entity=ent.id, alias=rng.choice(written)))
        elif op == "rename":
            entries.append(_entry(k, op, entity=ent.id, name=f"{ent.name} ({k})"))
        elif op == "retype":
            entries.append(_entry(k, op, entity=ent.id, type=rng.choice(ENTITY_TYPES)))
        elif op == "alias":
            other = kb.entities[rng.randrange(n_entities)]
            entries.append(_entry(k, op, entity=ent.id, name=other.name))
        elif op == "reject" and rng.random() < 0.5:
            mentions = list(ent.mentions)[:20]
            m = rng.choice(mentions) if mentions else None
            if m is not None:
                entries.append(_entry(k, op, target=f"{m.article}:{m.start}-{m.end}"))
        else:
            fact = kb.facts[rng.randrange(n_facts)]
            if op == "reject":
                entries.append(_entry(k, op, target=fact.id))
            elif fact.kind in ("quantity", "ordinal"):
                entries.append(_entry(k, op, fact=fact.id, fields={"value": rng.randrange(1, 5000)}))
            elif fact.kind in ("date", "event"):
                entries.append(_entry(k, op, fact=fact.id, fields={"value": f"{rng.randrange(1990, 2030)}"}))
    return entries


def _entry(n: int, op: str, **targets: Any) -> Entry:
    return Entry(n, op, {k: targets.get(k) for k in OPERATIONS[op]}, "2026-01-01T00:00:00+00:00")


def write_ledger(path: Path, entries: list[Entry]) -> Path:
    """The entries as a ledger file (written whole, for the benchmark)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(format_entry(e) for e in entries), encoding="utf-8")
    return path


LEDGER_SIZES = (100, 1000)


def ledger_figures(folder: Path, query: str, run: Any) -> dict[str, float]:
    """The reopen with a ledger of 100 and 1,000 entries made up against the indexed corpus at
    ``folder`` (``run(args)``: seconds, peak MB, status, stderr of ``pktui ARGS`` in a new
    process): the first time (the overlay made, its search segment written: what was kept
    for another ledger is removed first), again (both read back), and once more after one
    entry was appended (the new entry applied on the kept overlay, a search segment of what
    it changed added)."""
    import shutil

    from pktui.archive import open_archive
    from pktui.archive.corrected import CORRECTIONS
    from pktui.knowledge.cache import cache_dir

    archive = open_archive([folder], with_search=False)
    try:
        kept = archive.folder / CORRECTIONS if archive.folder is not None else None
        ledgers = {}
        for n in LEDGER_SIZES:
            entries = synthetic_ledger(archive.kb, n + 1)
            path = cache_dir() / "bench" / "ledgers" / f"{folder.name}-{n}.yaml"
            ledgers[n] = (write_ledger(path, entries[:n]), entries[n:])
    finally:
        archive.close()
    out: dict[str, float] = {}
    for n, (path, appended) in ledgers.items():
        if kept is not None:
            shutil.rmtree(kept, ignore_errors=True)
        for label in ("", "_again", "_grown"):
            if label == "_grown":
                with path.open("a", encoding="utf-8") as fh:
                    fh.write("".join(format_entry(e) for e in appended))
            seconds, peak, status, err = run(["search", query, str(folder), "--corrections", str(path)])
            if status != 0:
                raise RuntimeError(f"pktui exited {status}: {err.strip()[-300:]}")
            out[f"ledger_{n}{label}_s"], out[f"ledger_{n}{label}_peak_mb"] = round(seconds, 3), round(peak, 1)
    return out
