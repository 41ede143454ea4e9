"""``pktui figures``: the series as a table (or JSON), each point with its fact id."""

from __future__ import annotations

import json
from typing import TextIO

from pktui.knowledge.base import KnowledgeBase
from pktui.knowledge.figures import format_value
from pktui.text import one_line


def series_rows(kb: KnowledgeBase) -> list[tuple[str, str, str]]:
    rows = []
    for s in kb.series:
        subject = kb.entity(s.subject)
        name = subject.name if subject else s.subject
        points = []
        for p in s.points:
            mark = "*" if p.derived else ""
            flag = " !conflict" if p.conflict else ""
            unit = "%" if s.unit == "%" else ""
            points.append(f"{p.date} {format_value(p)}{unit}{mark} [{p.fact}]{flag}")
        rows.append((one_line(name), s.measure, " → ".join(points)))
    return rows


def run_figures(kb: KnowledgeBase, *, as_json: bool, out: TextIO) -> int:
    if as_json:
        from pktui.commands.export import series_dict

        json.dump([series_dict(s) for s in kb.series], out, ensure_ascii=False, indent=1)
        out.write("\n")
        return 0
    rows = series_rows(kb)
    if not rows:
        out.write("no figures: no quantity in this corpus makes a series\n")
        return 0
    if out.isatty():
        from rich.console import Console
        from rich.table import Table

        table = Table("subject", "measure", "points (date value [fact]; * derived)", show_lines=False)
        for row in rows:
            table.add_row(*row)
        Console(file=out).print(table)
    else:
        w1 = max(len(r[0]) for r in rows)
        w2 = max(len(r[1]) for r in rows)
        for name, measure, points in rows:
            out.write(f"{name:<{w1}}  {measure:<{w2}}  {points}\n")
    return 0
