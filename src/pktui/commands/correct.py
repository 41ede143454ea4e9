"""``pktui correct ...``: record a correction in the ledger, list the ledger, undo an entry.

A correction is checked against the corpus as it stands with the ledger so far applied: an
unknown id or type is exit 2 with a message, and the ledger is left unchanged.
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from pktui.knowledge.ledger import (
    OPERATIONS,
    SETTABLE_FIELDS,
    CorrectionRefused,
    Ledger,
    LedgerError,
    read_ledger,
)
from pktui.model import ENTITY_TYPES
from pktui.text import one_line, safe_display


def add_correct_parser(sub: Any, add_paths: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser("correct", help="fix what extraction got wrong, in the corrections ledger")
    ops = p.add_subparsers(dest="op", metavar="OPERATION", required=True, parser_class=type(p))

    def op(name: str, help_text: str) -> argparse.ArgumentParser:
        return ops.add_parser(name, help=help_text)

    def finish(q: argparse.ArgumentParser, *, note: bool = True) -> None:
        add_paths(q)
        if note:
            q.add_argument("--note", help="why, in a few words (kept in the ledger)")

    q = op("merge", "ENTITY's mentions, aliases and facts become INTO's")
    q.add_argument("entity", metavar="ENTITY")
    q.add_argument("into", metavar="INTO")
    finish(q)
    q = op("split", "the mentions written ALIAS become an entity of their own")
    q.add_argument("entity", metavar="ENTITY")
    q.add_argument("alias", metavar="ALIAS")
    q.add_argument("--name", help="the new entity's name (default: ALIAS)")
    q.add_argument("--type", choices=ENTITY_TYPES, help="the new entity's type (default: ENTITY's)")
    finish(q)
    q = op("rename", "the entity's display name")
    q.add_argument("entity", metavar="ENTITY")
    q.add_argument("name", metavar="NAME")
    finish(q)
    q = op("retype", "the entity's type")
    q.add_argument("entity", metavar="ENTITY")
    q.add_argument("type", metavar="TYPE", choices=ENTITY_TYPES)
    finish(q)
    q = op("alias", "NAME is another name of ENTITY: its occurrences become mentions")
    q.add_argument("entity", metavar="ENTITY")
    q.add_argument("name", metavar="NAME")
    finish(q)
    q = op("reject", "REF (a fact id, or a mention ARTICLE:START-END) is not a fact / not an entity")
    q.add_argument("target", metavar="REF")
    finish(q)
    q = op("set", "set a fact's value, qualifier, unit or date by hand (FIELD=VALUE ..., then any PATHs)")
    q.add_argument("fact", metavar="FACT")
    q.add_argument("paths", metavar="FIELD=VALUE ... [PATH", nargs="+", help="fields to set, then corpus paths")
    q.add_argument("--corrections", metavar="FILE", help="the corrections ledger")
    q.add_argument("--note", help="why, in a few words (kept in the ledger)")
    q = op("list", "the ledger's entries, newest last, each with its number")
    q.add_argument("--json", action="store_true", help="print a JSON list")
    finish(q, note=False)
    q = op("undo", "take back entry N (default: the last one in effect); the ledger keeps both")
    q.add_argument("paths", metavar="[N] [PATH", nargs="*", help="the entry's number, then corpus paths")
    q.add_argument("--corrections", metavar="FILE", help="the corrections ledger")
    q.add_argument("--note", help="why, in a few words (kept in the ledger)")


def split_positionals(args: argparse.Namespace) -> None:
    """``set`` and ``undo`` take their own words before the corpus paths: ``set FACT value=3
    unit=hospital DIR``, ``undo 4 DIR``. Move those words out of ``args.paths``."""
    words = list(args.paths)
    if args.op == "set":
        fields = {}
        while words and _FIELD.match(words[0]):
            key, _, value = words.pop(0).partition("=")
            fields[key] = _value(value.strip())
        if not fields:
            raise CorrectionRefused(f"set needs FIELD=VALUE after the fact id ({', '.join(SETTABLE_FIELDS)})")
        args.fields = fields
    elif args.op == "undo":
        args.entry = int(words.pop(0)) if words and words[0].isdigit() else None
    args.paths = words


_FIELD = re.compile(r"\A[a-z_]+=")


def _value(text: str) -> Any:
    """``1100`` and ``1,100`` are numbers; anything else (a date, a word) stays text."""
    plain = text.replace(",", "")
    try:
        return int(plain)
    except ValueError:
        pass
    try:
        return float(plain)
    except ValueError:
        return text


def run_correct(args: argparse.Namespace, ledger_path: Path, open_corpus: Callable[[], Any], out: TextIO) -> int:
    """Carry out one ``pktui correct`` operation; raises :class:`CorrectionRefused` for exit 2.
    (The corrections machinery is imported here: every command builds this parser.)
    ``open_corpus()`` opens the corpus (an :class:`pktui.archive.Archive`) with the ledger."""
    from pktui.archive.corrections import record, undo_in

    if args.op == "undo":
        entry, target = undo_in(ledger_path, args.entry, args.note)
        out.write(f"entry {entry.n}: undo {target.n} ({one_line(target.describe())})\n")
        return 0
    try:
        ledger = read_ledger(ledger_path)
    except LedgerError as exc:
        raise CorrectionRefused(f"cannot use the ledger: {exc}") from None
    if args.op == "list":
        return _list(ledger, open_corpus, out, as_json=args.json)
    targets = {key: getattr(args, key, None) for key in OPERATIONS[args.op]}
    entry = record(open_corpus(), args.op, targets, args.note, refresh=False)
    out.write(f"entry {entry.n}: {one_line(entry.describe())} ({one_line(str(ledger_path))})\n")
    return 0


def _list(ledger: Ledger, open_corpus: Callable[[], Any], out: TextIO, *, as_json: bool) -> int:
    from pktui.knowledge.corrections import in_effect

    stale: dict[int, str] = {}
    if ledger.entries:  # which entries still apply to the corpus as it is now
        outcome = open_corpus().kb.corrections
        stale = {e.n: why for e, why in outcome.stale} if outcome is not None else {}
    effective = in_effect(ledger.entries)
    undone_by = {e.targets["entry"]: e.n for e in ledger.entries if e.op == "undo" and e.n in effective}
    rows = []
    for e in ledger.entries:
        state = "stale" if e.n in stale else "in effect" if e.n in effective else "undone"
        rows.append((e, state))
    if as_json:
        doc = [{**e.as_dict(), "state": state, **({"stale": stale[e.n]} if e.n in stale else {})} for e, state in rows]
        text = json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
        out.write(safe_display(text, tabs=False) if out.isatty() else text)
        return 0
    if not rows:
        out.write(f"no corrections yet ({one_line(str(ledger.path))})\n")
        return 0
    for e, _state in rows:
        extra = (
            f"  [undone by {undone_by[e.n]}]"
            if e.n in undone_by
            else f"  [stale: {one_line(stale[e.n])}]"
            if e.n in stale
            else ""
        )
        note = f"  — {one_line(e.note)}" if e.note else ""
        out.write(f"{e.n:>4}  {one_line(e.at[:16].replace('T', ' '))}  {one_line(e.describe())}{note}{extra}\n")
    return 0
