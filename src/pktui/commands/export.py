"""``pktui export``: the whole knowledge base as JSON or YAML, per the contract."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
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


def article_dict(a) -> dict[str, Any]:
    return {
        "id": a.id,
        "path": a.path,
        "published": a.published_iso,
        "title": a.title,
        "url": a.url,
        "source": a.source,
        "author": a.author,
        "text": a.text,
    }


def entity_head(e) -> dict[str, Any]:
    """An entity without its mentions (see :func:`entity_dict`)."""
    return {
        "id": e.id,
        "name": e.name,
        "type": e.type,
        "aliases": list(e.aliases),
        **({"attributes": dict(e.attributes)} if e.attributes else {}),
    }


def entity_dict(e) -> dict[str, Any]:
    return {
        **entity_head(e),
        "mentions": [mention_dict(m) for m in e.mentions],
        **({"corrected": list(e.corrected)} if e.corrected else {}),
    }


def timeline_dict(t) -> dict[str, Any]:
    return {
        "date": t.date,
        "precision": t.precision,
        "fact": t.fact,
        "summary": t.summary,
        "entities": list(t.entities),
        "article": t.article,
    }


def series_dict(s) -> dict[str, Any]:
    return {
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


def sections(kb: KnowledgeBase) -> Iterator[tuple[str, Iterable[dict[str, Any]]]]:
    """The document's lists, each made item by item as it is read."""
    yield "articles", map(article_dict, kb.articles)
    yield "entities", map(entity_dict, kb.entities)
    yield "facts", map(fact_dict, kb.facts)
    yield "timeline", map(timeline_dict, kb.timeline)
    yield "series", map(series_dict, kb.series)


def export_document(kb: KnowledgeBase) -> dict[str, Any]:
    """The whole document in memory (tests, small corpora); :func:`write_export` streams it."""
    return {"pktui_version": __version__, **{name: list(items) for name, items in sections(kb)}}


def write_export(kb: KnowledgeBase, fmt: str, output: str | None) -> None:
    """Write the document item by item: memory is bounded by the largest item, not the corpus.
    A file is written beside its target and renamed into place when complete."""
    if output and output != "-":
        from pktui.fileio import atomic_output

        try:
            with atomic_output(output) as fh:  # a failed write leaves the old file whole
                _write(kb, fmt, fh.write)
        except OSError as exc:  # a full disk, a size limit, a folder that cannot be written
            raise RuntimeError(f"{output}: cannot write: {exc.strerror or exc}") from None
        return
    write = sys.stdout.write
    if sys.stdout.isatty():
        from pktui.text import safe_display

        def write(text: str) -> None:
            sys.stdout.write(safe_display(text, tabs=False))

    _write(kb, fmt, write)


def _write(kb: KnowledgeBase, fmt: str, write) -> None:
    if fmt == "json":
        write_json(kb, write)
    else:
        write_yaml(kb, write)


def write_json(kb: KnowledgeBase, write) -> None:
    """The same text as ``json.dumps(export_document(kb), ensure_ascii=False, indent=1)``."""
    write("{\n" + f' "pktui_version": {_json(__version__)}')
    for name, items in sections(kb):
        write(f',\n "{name}": [')
        first = True
        for item in items:
            write(("\n" if first else ",\n") + _json_item(item))
            first = False
        write("]" if first else "\n ]")
    write("\n}\n")


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1)


def _json_item(item: dict[str, Any]) -> str:
    """One list item, indented as it is inside the document."""
    return "  " + _json(item).replace("\n", "\n  ")


def write_yaml(kb: KnowledgeBase, write) -> None:
    """The same text as ``yaml.safe_dump(export_document(kb), ...)`` with the settings below."""
    import yaml

    def dump(value: Any) -> str:
        return yaml.safe_dump(value, allow_unicode=True, sort_keys=False, width=100)

    write(dump({"pktui_version": __version__}))
    for name, items in sections(kb):
        first = True
        for item in items:
            if first:
                write(f"{name}:\n")
                first = False
            write(dump([item]))
        if first:
            write(f"{name}: []\n")
