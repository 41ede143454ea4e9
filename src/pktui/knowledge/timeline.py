"""The timeline's order (kept apart from :mod:`.build` so that correcting and reading a kept
corrections overlay need none of the extraction modules that building imports)."""

from __future__ import annotations

from pktui.model import TimelineEntry

_PRECISION_ORDER = {"year": 0, "range": 0, "month": 1, "day": 2}


def timeline_order(t: TimelineEntry) -> tuple[tuple[int, int, int], int, str, str]:
    """In date order (by the date's numbers); at one date, a year before its months and days."""
    return (t.date_key, _PRECISION_ORDER.get(t.precision, 0), t.article, t.fact)


def sort_timeline(timeline: list[TimelineEntry]) -> list[TimelineEntry]:
    """In date order; at one date, a year before its months and days."""
    timeline.sort(key=timeline_order)
    return timeline


def tkey(entry: TimelineEntry) -> bytes:
    """The timeline order (:func:`timeline_order`) as bytes that sort the same way."""
    return b"\0".join(_key_part(p) for p in timeline_order(entry))


def _key_part(value: object) -> bytes:
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass")
    if isinstance(value, bool | int):
        return (int(value) + (1 << 62)).to_bytes(8, "big")
    if isinstance(value, tuple):
        return b"\1".join(_key_part(v) for v in value)
    return str(value).encode("utf-8", "surrogatepass")
