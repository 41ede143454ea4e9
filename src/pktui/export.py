"""``pktui export``: the whole knowledge base as JSON or YAML, per the contract."""

from __future__ import annotations

import json
import sys
from typing import Any

from pktui import __version__
from pktui.knowledge.base import KnowledgeBase
from pktui.model import Fact, Mention


def fact_dict(f: Fact) -> dict[str, Any]:
    d: dict[str, Any] = {
        "id": f.id,
        "kind": f.kind,
        "article": f.article,
        "start": f.start,
        "end": f.end,
        "text": f.text,
        "value": f.value,
    }
    if f.kind in ("quantity", "ordinal"):
        d["qualifier"] = f.qualifier
        d["unit"] = f.unit
        if f.detail:
            d["counted"] = f.detail
        if f.date:
            d["date"] = f.date
    elif f.kind in ("date", "event"):
        d["precision"] = f.precision
        if f.detail:
            d["relation"] = f.detail
    if f.summary:
        d["summary"] = f.summary
    d["entities"] = list(f.entities)
    d["sentence"] = list(f.sentence)
    d["why"] = f.why
    if f.corrected:
        d["corrected"] = list(f.corrected)
    return d


def mention_dict(m: Mention) -> dict[str, Any]:
    d: dict[str, Any] = {"article": m.article, "start": m.start, "end": m.end, "text": m.text, "why": m.why}
    if m.corrected:
        d["corrected"] = list(m.corrected)
    return d


def export_document(kb: KnowledgeBase) -> dict[str, Any]:
    return {
        "pktui_version": __version__,
        "articles": [
            {
                "id": a.id,
                "path": a.path,
                "published": a.published_iso,
                "title": a.title,
                "url": a.url,
                "source": a.source,
                "author": a.author,
                "text": a.text,
            }
            for a in kb.articles
        ],
        "entities": [
            {
                "id": e.id,
                "name": e.name,
                "type": e.type,
                "aliases": list(e.aliases),
                **({"attributes": dict(e.attributes)} if e.attributes else {}),
                "mentions": [mention_dict(m) for m in e.mentions],
                **({"corrected": list(e.corrected)} if e.corrected else {}),
            }
            for e in kb.entities
        ],
        "facts": [fact_dict(f) for f in kb.facts],
        "timeline": [
            {
                "date": t.date,
                "precision": t.precision,
                "fact": t.fact,
                "summary": t.summary,
                "entities": list(t.entities),
                "article": t.article,
            }
            for t in kb.timeline
        ],
        "series": [
            {
                "subject": s.subject,
                "measure": s.measure,
                "unit": s.unit,
                "points": [
                    {
                        "date": p.date,
                        "value": p.value,
                        "qualifier": p.qualifier,
                        "fact": p.fact,
                        "derived": p.derived,
                        **({"sources": list(p.sources)} if p.sources else {}),
                        **({"conflict": True} if p.conflict else {}),
                    }
                    for p in s.points
                ],
            }
            for s in kb.series
        ],
    }


def write_export(kb: KnowledgeBase, fmt: str, output: str | None) -> None:
    doc = export_document(kb)
    if fmt == "json":
        text = json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
    else:
        import yaml

        text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100)
    if output and output != "-":
        from pktui.fileio import atomic_output

        with atomic_output(output) as fh:  # a failed write leaves the old file whole
            fh.write(text)
    else:
        if sys.stdout.isatty():
            from pktui.text import safe_display

            text = safe_display(text, tabs=False)
        sys.stdout.write(text)
