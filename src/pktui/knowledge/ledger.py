"""The corrections ledger: a YAML file of numbered entries that a person can read in a diff.

Each correction an analyst makes (merge two entities, reject a fact, ...) is one entry, appended
and never rewritten; ``undo`` is an entry too. The file is a YAML list, newest last::

    - n: 1
      op: merge
      entity: person/phung
      into: person/hoang-kim-phung
      at: '2026-12-03T10:15:02+00:00'
      note: the same general

Writes are atomic (a temporary file in the same folder, then a rename) and serialised by a lock
file beside the ledger, so a crash or a full disk leaves the previous ledger whole and two
processes appending at once lose neither entry. Reading is bounded (size, no YAML aliases) and
every error names the file and line.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from pktui.fileio import UserFileError, atomic_output, compose_user_yaml, construct_yaml, read_user_text
from pktui.model import ENTITY_TYPES, LEDGER_NAME, QUALIFIERS

MAX_LEDGER_BYTES = 64 * 1024 * 1024

#: The operations and the targets each carries, in the order they are written.
OPERATIONS: dict[str, tuple[str, ...]] = {
    "merge": ("entity", "into"),
    "split": ("entity", "alias", "name", "type"),
    "rename": ("entity", "name"),
    "retype": ("entity", "type"),
    "alias": ("entity", "name"),
    "reject": ("target",),
    "set": ("fact", "fields"),
    "undo": ("entry",),
}
_OPTIONAL = {("split", "name"), ("split", "type")}
SETTABLE_FIELDS = ("value", "qualifier", "unit", "date")
_MENTION_REF = re.compile(r"\A(?P<article>.+):(?P<start>\d+)-(?P<end>\d+)\Z")
_DATE_VALUE = re.compile(r"\A\d{4}(-\d{2}(-\d{2})?)?(/\d{4}(-\d{2}(-\d{2})?)?)?\Z")

_Dumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class LedgerError(ValueError):
    """The ledger cannot be read or an entry is malformed; the message names the file and line."""

    def __init__(self, where: str, detail: str = "") -> None:
        super().__init__(f"{where}: {detail}" if detail else where)
        self.where = where if detail else ""  # file[:line]
        self.detail = detail or where


class CorrectionRefused(ValueError):
    """A correction names something that does not exist, or cannot be made; the message says
    what (the command line exits 2 with it, and the ledger is left unchanged)."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One correction. ``targets`` holds the operation's fields (``entity``, ``into``, ...)."""

    n: int
    op: str
    targets: dict[str, Any]
    at: str = ""
    note: str | None = None
    line: int = 0  # where it starts in the file (1-based), for messages

    def describe(self) -> str:
        """``merge person/a into person/b`` — one line for lists and messages."""
        t = self.targets
        if self.op == "merge":
            return f"merge {t['entity']} into {t['into']}"
        if self.op == "split":
            extra = "".join(f" {k} {t[k]}" for k in ("name", "type") if t.get(k))
            return f"split {t['alias']!r} off {t['entity']}{extra}"
        if self.op in ("rename", "alias"):
            return f"{self.op} {t['entity']} {t['name']!r}"
        if self.op == "retype":
            return f"retype {t['entity']} {t['type']}"
        if self.op == "reject":
            return f"reject {t['target']}"
        if self.op == "set":
            fields = ", ".join(f"{k}={v}" for k, v in t["fields"].items())
            return f"set {t['fact']} {fields}"
        return f"undo {t['entry']}"

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"n": self.n, "op": self.op}
        d.update((k, v) for k, v in self.targets.items() if v is not None)
        d["at"] = self.at
        if self.note:
            d["note"] = self.note
        return d


@dataclass(slots=True)
class Ledger:
    """The entries of one ledger file, oldest first."""

    path: Path
    entries: list[Entry] = field(default_factory=list)

    def next_number(self) -> int:
        return max((e.n for e in self.entries), default=0) + 1

    def entry(self, n: int) -> Entry | None:
        return next((e for e in self.entries if e.n == n), None)


def default_ledger_path(paths: Sequence[str | os.PathLike[str]] | None) -> Path:
    """``pktui-corrections.yaml`` in the first corpus folder named (a file's own folder), or
    under ``$XDG_DATA_HOME/pktui/`` for the bundled sample."""
    for raw in paths or ():
        path = Path(raw)
        if path.is_dir():
            return path / LEDGER_NAME
        if path.exists():
            return path.parent / LEDGER_NAME
    data = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data) / "pktui" / LEDGER_NAME


def mention_ref(ref: str) -> tuple[str, int, int] | None:
    """``ARTICLE:START-END`` -> (article, start, end); None for anything else (a fact id)."""
    m = _MENTION_REF.match(ref)
    if m is None:
        return None
    return m["article"], int(m["start"]), int(m["end"])


def is_date_value(value: str) -> bool:
    return _DATE_VALUE.match(value) is not None


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


# -- reading ------------------------------------------------------------------------------------


def read_ledger(path: Path) -> Ledger:
    """The ledger at ``path``; an absent file is an empty ledger. Raises :class:`LedgerError`."""
    if not os.path.lexists(path):
        return Ledger(path)
    try:
        text = read_user_text(path, MAX_LEDGER_BYTES)
    except UserFileError as exc:
        raise LedgerError(str(path), str(exc).removeprefix(f"{path}: ")) from None
    return Ledger(path, parse_entries(text, str(path)))


def parse_entries(text: str, where: str) -> list[Entry]:
    """The entries of a ledger's text; errors name ``where`` and the line."""
    try:
        root = _compose(text, where)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise LedgerError(f"{where}{line}", f"malformed YAML: {problem}") from None
    if root is None:
        return []
    if not isinstance(root, yaml.SequenceNode):
        raise LedgerError(f"{where}:{root.start_mark.line + 1}", "a ledger is a list of entries")
    entries: list[Entry] = []
    seen: set[int] = set()
    for node in root.value:
        entry = _entry(node, where)
        if entry.n in seen:
            raise LedgerError(f"{where}:{entry.line}", f"entry number {entry.n} is used twice")
        seen.add(entry.n)
        entries.append(entry)
    return entries


def _compose(text: str, where: str) -> yaml.Node | None:
    """The YAML node tree, with alias expansion bounded (a few lines of nested aliases can
    expand to gigabytes)."""
    try:
        return compose_user_yaml(text, where)
    except UserFileError as exc:
        raise LedgerError(where, str(exc).removeprefix(f"{where}: ")) from None


def _entry(node: yaml.Node, where: str) -> Entry:
    line = node.start_mark.line + 1

    def bad(message: str) -> LedgerError:
        return LedgerError(f"{where}:{line}", message)

    if not isinstance(node, yaml.MappingNode):
        raise bad("an entry is a mapping (n, op, targets, at, note)")
    data = construct_yaml(node)
    n, op = data.get("n"), data.get("op")
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise bad("entry without a positive number 'n'")
    if op not in OPERATIONS:
        raise bad(f"unknown operation {op!r} (one of {', '.join(OPERATIONS)})")
    targets: dict[str, Any] = {}
    for key in OPERATIONS[op]:
        value = data.get(key)
        if value is None and (op, key) not in _OPTIONAL:
            raise bad(f"'{op}' entry {n} has no '{key}'")
        targets[key] = value
    problem = check_targets(op, targets)
    if problem:
        raise bad(f"entry {n}: {problem}")
    note = data.get("note")
    return Entry(n, op, targets, str(data.get("at") or ""), None if note is None else str(note), line)


def check_targets(op: str, targets: dict[str, Any]) -> str | None:
    """What is wrong with an entry's targets in themselves (ids are checked against a corpus
    elsewhere), or None."""
    for key in ("entity", "into", "alias", "name", "target", "fact"):
        if key in targets and targets[key] is not None and (not isinstance(targets[key], str) or not targets[key]):
            return f"'{key}' must be a non-empty string"
    if op == "merge" and targets["entity"] == targets["into"]:
        return "an entity cannot be merged into itself"
    if op in ("retype", "split") and targets.get("type") is not None and targets["type"] not in ENTITY_TYPES:
        return f"unknown type {targets['type']!r} (one of {', '.join(ENTITY_TYPES)})"
    if op == "undo" and (not isinstance(targets["entry"], int) or isinstance(targets["entry"], bool)):
        return "'entry' must be an entry number"
    if op == "set":
        return check_fields(targets["fields"])
    return None


def check_fields(fields: Any) -> str | None:
    if not isinstance(fields, dict) or not fields:
        return "'fields' must map field names to values"
    for key, value in fields.items():
        if key not in SETTABLE_FIELDS:
            return f"cannot set {key!r} (one of {', '.join(SETTABLE_FIELDS)})"
        if key == "qualifier" and value not in QUALIFIERS:
            return f"unknown qualifier {value!r} (one of {', '.join(QUALIFIERS)})"
        if key == "unit" and (not isinstance(value, str) or not value.strip()):
            return "'unit' must be a word"
        if key == "date" and not (isinstance(value, str) and is_date_value(value)):
            return f"'date' must be YYYY, YYYY-MM, YYYY-MM-DD or START/END, not {value!r}"
        if key == "value" and (isinstance(value, bool) or not isinstance(value, int | float | str)):
            return f"'value' must be a number or a date, not {value!r}"
    return None


# -- writing ------------------------------------------------------------------------------------


def format_entry(entry: Entry) -> str:
    """One entry as YAML text (a list item), as it is appended to the file."""
    return yaml.dump([entry.as_dict()], Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)


_HEADER = (
    "# pktui corrections: one entry per correction, applied in order on every load.\n"
    "# Made by `pktui correct ...` and the browser; `pktui correct list` shows them, `undo` takes one back.\n"
)


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold the ledger's lock file (beside it) while reading and writing."""
    lock_path = path.with_name(f".{path.name}.lock")  # with the default name, one of corpus.walk.OWN_FILES
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def append_entry(path: Path, op: str, targets: dict[str, Any], note: str | None = None) -> Entry:
    """Append one entry (numbered after the last) atomically; returns it."""
    problem = check_targets(op, targets)
    if problem:
        raise LedgerError(problem)
    path.parent.mkdir(parents=True, exist_ok=True)
    with locked(path):
        ledger = read_ledger(path)
        entry = Entry(ledger.next_number(), op, dict(targets), now_iso(), note)
        try:
            old = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            old = _HEADER
        if old and not old.endswith("\n"):
            old += "\n"
        with atomic_output(path) as fh:
            fh.write(old + format_entry(entry))
    return entry
