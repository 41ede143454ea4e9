"""Running many date patterns over a text fast: each pattern only in windows around the
words it cannot match without (a month name, a weekday, a year, "ago", ...).

Each pattern is tried at every word start of what it scans; a gate is one fast scan for a
few literals. The matches are those ``finditer`` over the whole text would give, except
inside runs of white space longer than the windows' margin (no date is written so).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

#: characters a match may reach before and after the word its gate found ("From the
#: beginning of" + month, month + " 21st to September 28th, 2019"): patterns are run in
#: windows this wide around those words only
_REACH = 72
#: a match ending this close to its window's end is matched again on the whole text
_EDGE = 24


def _windows(gate: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    """Merged stretches of the text around each word the gate finds."""
    out: list[tuple[int, int]] = []
    n = len(text)
    lo = hi = -1
    for m in gate.finditer(text):
        s, e = m.span()
        if s - _REACH <= hi:
            hi = e + _REACH
            continue
        if hi >= 0:
            out.append((lo, min(n, hi)))
        lo, hi = max(0, s - _REACH), e + _REACH
    if hi >= 0:
        out.append((lo, min(n, hi)))
    return out


def _windowed(pat: re.Pattern[str], text: str, windows: list[tuple[int, int]]) -> list[re.Match[str]]:
    """The pattern's matches inside the windows, each as ``finditer`` over the whole text would
    give it: a match near a window's end is matched again without the end; matches of one
    pattern never overlap."""
    out: list[re.Match[str]] = []
    last = 0
    n = len(text)
    for lo, hi in windows:
        pos = max(lo, last)
        while pos < hi:
            m = pat.search(text, pos, hi)
            if m is None:
                break
            if hi < n and m.end() > hi - _EDGE:
                whole = pat.match(text, m.start())
                if whole is None:
                    pos = m.start() + 1
                    continue
                m = whole
            out.append(m)
            last = pos = m.end() if m.end() > m.start() else m.end() + 1
    return out


def scan(
    text: str, patterns: list[tuple[str, re.Pattern[str]]], gates: dict[str, re.Pattern[str]]
) -> Iterator[tuple[str, re.Match[str]]]:
    """(name, match) of every pattern, pattern by pattern, each in text order."""
    windows: dict[re.Pattern[str], list[tuple[int, int]]] = {}
    for name, pat in patterns:
        gate = gates[name]
        if gate not in windows:
            windows[gate] = _windows(gate, text)
        for m in _windowed(pat, text, windows[gate]):
            yield name, m
