"""Which field of a record (JSON object, CSV row, front matter) holds what.

The common names are the contract's; a user maps others with ``--field text=body_html``
(several names: ``--field date=pub,released``; a nested JSON field: ``source=site.name``)
or a ``fields:`` section in the config. The user's names are tried first, then the common
ones; names match exactly, else without regard to case.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

#: what an article takes from a record -> the names it is found under, most likely first
COMMON_FIELDS: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "content", "maintext"),
    "title": ("title", "headline"),
    "date": ("date", "published", "date_publish", "pubDate", "datePublished"),
    "url": ("url", "link"),
    "source": ("source", "outlet", "source_domain", "site_name"),
    "author": ("author", "authors", "byline"),
}
TARGETS = tuple(COMMON_FIELDS)


class FieldSpecError(ValueError):
    """A ``--field`` or ``fields:`` entry that cannot be used; the message says why."""


def parse_field_spec(spec: str) -> tuple[str, tuple[str, ...]]:
    """``'text=body_html,body'`` -> ``('text', ('body_html', 'body'))``."""
    target, sep, names = spec.partition("=")
    target = target.strip().lower()
    if not sep:
        raise FieldSpecError(f"expected NAME=FIELD, e.g. text=body_html, not {spec!r}")
    return _checked(target, names.split(","))


def _checked(target: str, names: Iterable[Any]) -> tuple[str, tuple[str, ...]]:
    if target not in COMMON_FIELDS:
        raise FieldSpecError(f"unknown article field {target!r} (known: {', '.join(TARGETS)})")
    cleaned = tuple(str(n).strip() for n in names if str(n).strip())
    if not cleaned:
        raise FieldSpecError(f"{target}: no record field named")
    return target, cleaned


@dataclass(frozen=True)
class FieldMap:
    """The names looked up for each article field, the user's first."""

    user: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def build(cls, config: Mapping[str, Any] | None = None, specs: Iterable[str] = ()) -> FieldMap:
        """From a config's ``fields:`` mapping, then ``--field`` specs (which win)."""
        user: dict[str, tuple[str, ...]] = {}
        for target, names in (config or {}).items():
            if isinstance(names, str):
                names = names.split(",")
            elif not isinstance(names, list):
                raise FieldSpecError(f"{target}: expected a field name or a list of names")
            t, cleaned = _checked(str(target).strip().lower(), names)
            user[t] = cleaned
        for spec in specs:
            t, cleaned = parse_field_spec(spec)
            user[t] = cleaned
        return cls(user)

    def names(self, target: str) -> tuple[str, ...]:
        return self.user.get(target, ()) + COMMON_FIELDS[target]

    def key(self) -> str:
        """A stable text for cache and index keys (the same mapping, the same key)."""
        return ";".join(f"{t}={','.join(self.user[t])}" for t in sorted(self.user))

    def pick(self, record: Mapping[str, Any], target: str) -> tuple[Any, str | None]:
        """The first non-empty value for ``target`` and the name it was found under
        (None, None: absent or empty everywhere)."""
        folded: dict[str, Any] | None = None
        for name in self.names(target):
            value, found = _lookup(record, name)
            if not found:
                if folded is None:
                    folded = {str(k).lower(): k for k in record}
                real = folded.get(name.lower())
                if real is None:
                    continue
                value, name = record[real], str(real)
            if value not in (None, "", [], {}):
                return value, name
        return None, None


def _lookup(record: Mapping[str, Any], name: str) -> tuple[Any, bool]:
    if name in record:
        return record[name], True
    if "." in name:
        node: Any = record
        for part in name.split("."):
            if not isinstance(node, Mapping) or part not in node:
                return None, False
            node = node[part]
        return node, True
    return None, False


def as_text(value: Any, joiner: str = ", ") -> str | None:
    """A record value as text: lists joined (authors), ``{"name": ...}`` objects by name."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, Mapping):
        for key in ("name", "title", "value", "text", "href", "url"):
            named = value.get(key)
            if isinstance(named, str):
                return named
        return None
    if isinstance(value, list | tuple):
        parts = [t for t in (as_text(v, joiner) for v in value) if t and t.strip()]
        return joiner.join(parts) if parts else None
    return None
